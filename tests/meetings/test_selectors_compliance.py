"""Compliance: rules with DESIGN.md's defaults, local rules, exemptions; the branch grid,
the committee overview and 'due this month / quarter', in a fixed number of queries."""

import datetime

import pytest

from meetings import selectors
from meetings.models import ComplianceExemption, CompliancePeriod, ComplianceRule, Meeting
from portal.models import Organisation
from tests.meetings.conftest import at, record

pytestmark = pytest.mark.django_db

JUNE_15 = datetime.date(2026, 6, 15)


def rows_for(results, kind):
    return [r for r in results if r.kind == kind]


def test_defaults_apply_without_rule_rows(world, frozen):
    results = selectors.compliance([world.branch], 2026, today=JUNE_15)
    periods = {k: len(rows_for(results, k)) for k in selectors.GRID_KINDS}
    assert periods[Meeting.Kind.COMMITTEE_MEETING] == 12
    assert periods[Meeting.Kind.BRANCH_ASSEMBLY] == 4
    assert periods[Meeting.Kind.PARTY_LECTURE] == 4
    assert periods[Meeting.Kind.ORGANISATIONAL_LIFE] == 1
    assert periods[Meeting.Kind.GROUP_MEETING] == 12  # one group


def test_held_counts_submitted_records_only(world, frozen):
    record(world.branch, when=at(2026, 5, 6), by=world.secretary, status="submitted")
    record(world.branch, when=at(2026, 4, 6), by=world.secretary)  # a draft does not count
    results = rows_for(
        selectors.compliance([world.branch], 2026, today=JUNE_15), Meeting.Kind.COMMITTEE_MEETING
    )
    by_month = {r.index: r for r in results}
    assert by_month[5].status == selectors.MET and by_month[5].held == 1
    assert by_month[4].status == selectors.MISSED
    assert by_month[6].status == selectors.DUE
    assert by_month[7].status == selectors.UPCOMING


def test_local_rule_overrides_the_default_in_its_subtree(world, frozen):
    ComplianceRule.objects.create(
        kind=Meeting.Kind.PARTY_LECTURE,
        organisation_kind=Organisation.Kind.BRANCH,
        period=CompliancePeriod.YEAR,
        minimum=2,
        organisation=world.committee,
    )
    lecture = rows_for(
        selectors.compliance([world.branch, world.other_branch], 2026, today=JUNE_15),
        Meeting.Kind.PARTY_LECTURE,
    )
    mine = [r for r in lecture if r.organisation == world.branch]
    theirs = [r for r in lecture if r.organisation == world.other_branch]
    assert [(r.period, r.required) for r in mine] == [("year", 2)]
    assert len(theirs) == 4  # the default, quarterly, in the other tree


def test_editing_the_default_rule_changes_every_branch(world, frozen):
    ComplianceRule.objects.update_or_create(
        kind=Meeting.Kind.THEMED_PARTY_DAY,
        organisation_kind=Organisation.Kind.BRANCH,
        organisation=None,
        defaults={"period": CompliancePeriod.QUARTER, "minimum": 2},
    )
    rows = rows_for(
        selectors.compliance([world.branch], 2026, today=JUNE_15), Meeting.Kind.THEMED_PARTY_DAY
    )
    assert [r.required for r in rows] == [2, 2, 2, 2]


def test_a_rule_with_minimum_zero_removes_the_requirement(world, frozen):
    ComplianceRule.objects.create(
        kind=Meeting.Kind.GROUP_MEETING,
        organisation_kind=Organisation.Kind.GROUP,
        period=CompliancePeriod.MONTH,
        minimum=0,
    )
    kinds = {r.kind for r in selectors.compliance([world.branch], 2026, today=JUNE_15)}
    assert Meeting.Kind.GROUP_MEETING not in kinds


def test_exemption_with_reason_excuses_a_period(world, frozen):
    ComplianceExemption.objects.create(
        organisation=world.branch,
        kind=Meeting.Kind.COMMITTEE_MEETING,
        starts_on=datetime.date(2026, 3, 1),
        ends_on=datetime.date(2026, 4, 30),
        reason="支部换届",
    )
    rows = {
        r.index: r
        for r in rows_for(
            selectors.compliance([world.branch], 2026, today=JUNE_15),
            Meeting.Kind.COMMITTEE_MEETING,
        )
    }
    assert rows[3].status == rows[4].status == selectors.EXEMPT
    assert rows[3].exemption_reason == "支部换届"
    assert rows[5].status == selectors.MISSED


def test_group_meetings_are_required_of_each_group(world, frozen):
    from tests.factories import group

    second = group(world.branch, "第二党小组")
    record(
        world.group,
        Meeting.Kind.GROUP_MEETING,
        when=at(2026, 5, 3),
        by=world.secretary,
        status="submitted",
    )
    record(
        world.group,
        Meeting.Kind.GROUP_MEETING,
        when=at(2026, 5, 9),
        by=world.secretary,
        status="submitted",
    )
    may = rows_for(
        selectors.compliance([world.branch], 2026, today=JUNE_15), Meeting.Kind.GROUP_MEETING
    )[4]
    # Two meetings of one group do not make up for the other group's none.
    assert (may.required, may.held, may.status) == (2, 1, selectors.MISSED)
    record(
        second,
        Meeting.Kind.GROUP_MEETING,
        when=at(2026, 5, 9),
        by=world.secretary,
        status="submitted",
    )
    may = rows_for(
        selectors.compliance([world.branch], 2026, today=JUNE_15), Meeting.Kind.GROUP_MEETING
    )[4]
    assert may.status == selectors.MET


def test_branch_calendar_cells_link_months_to_their_period(world, frozen):
    record(
        world.branch,
        Meeting.Kind.BRANCH_ASSEMBLY,
        when=at(2026, 2, 6),
        by=world.secretary,
        status="submitted",
    )
    rows = {r.kind: r for r in selectors.branch_calendar(world.branch, 2026, today=JUNE_15)}
    assembly = rows[Meeting.Kind.BRANCH_ASSEMBLY]
    assert [c.status for c in assembly.cells[:6]] == ["met"] * 3 + ["due"] * 3
    assert [c.held for c in assembly.cells[:3]] == [0, 1, 0]


def test_due_for_lists_this_month_and_quarter_still_to_hold(world, frozen):
    record(
        world.branch,
        Meeting.Kind.THEMED_PARTY_DAY,
        when=at(2026, 6, 2),
        by=world.secretary,
        status="submitted",
    )
    items = selectors.due_for(world.branch, JUNE_15)
    kinds = {(i.kind, i.period) for i in items}
    assert (Meeting.Kind.COMMITTEE_MEETING, "month") in kinds
    assert (Meeting.Kind.BRANCH_ASSEMBLY, "quarter") in kinds
    assert (Meeting.Kind.THEMED_PARTY_DAY, "month") not in kinds
    assert items[0].period == "month"


def test_due_for_a_group_or_committee_is_empty(world, frozen):
    assert selectors.due_for(world.group, JUNE_15) == []
    assert selectors.due_for(world.committee, JUNE_15) == []


def test_committee_overview_sorts_by_what_is_missing(world, many_branches, frozen):
    summaries = selectors.committee_overview(world.committee, 2026, today=JUNE_15)
    totals = [s.missed_total for s in summaries]
    assert totals == sorted(totals, reverse=True)
    assert {s.branch.pk for s in summaries} >= {b.pk for b in many_branches}
    assert world.other_branch.pk not in {s.branch.pk for s in summaries}
    by_kind = selectors.committee_overview(
        world.committee, 2026, sort=Meeting.Kind.PARTY_LECTURE, today=JUNE_15
    )
    lecture = [s.missed_for(Meeting.Kind.PARTY_LECTURE) for s in by_kind]
    assert lecture == sorted(lecture, reverse=True)


def test_compliance_query_count_does_not_grow_with_branches(
    world, many_branches, django_assert_num_queries, frozen
):
    branches = list(Organisation.objects.filter(kind=Organisation.Kind.BRANCH))
    assert len(branches) >= 12 and selectors.Meeting.objects.count() >= 50
    # groups, meeting counts, exemptions, rules
    with django_assert_num_queries(4):
        results = selectors.compliance(branches, 2026, today=JUNE_15)
    assert len({r.organisation.pk for r in results}) == len(branches)


def test_committee_overview_query_count(world, many_branches, django_assert_num_queries, frozen):
    # branches, groups, meeting counts, exemptions, rules
    with django_assert_num_queries(5):
        summaries = selectors.committee_overview(world.committee, 2026, today=JUNE_15)
    assert len(summaries) == 12


def _everything_counts(world, many_branches):
    """Exemptions of a branch and of a group, a local rule, a draft, and meetings of
    organisations outside the branches asked about (another tree, the committee itself)."""
    ComplianceExemption.objects.create(
        organisation=many_branches[0],
        kind=Meeting.Kind.COMMITTEE_MEETING,
        starts_on=datetime.date(2026, 2, 1),
        ends_on=datetime.date(2026, 3, 31),
        reason="换届",
    )
    first_group = Organisation.objects.get(name="扩展第1党小组")
    ComplianceExemption.objects.create(
        organisation=first_group,
        kind="",
        starts_on=datetime.date(2026, 1, 1),
        ends_on=datetime.date(2026, 2, 28),
        reason="小组调整",
    )
    ComplianceRule.objects.create(
        kind=Meeting.Kind.PARTY_LECTURE,
        organisation_kind=Organisation.Kind.BRANCH,
        organisation=many_branches[2],
        period=CompliancePeriod.MONTH,
        minimum=2,
    )
    record(many_branches[3], Meeting.Kind.THEMED_PARTY_DAY, when=at(2026, 4, 2), by=world.secretary)
    for organisation, kind in [
        (world.other_branch, Meeting.Kind.COMMITTEE_MEETING),
        (world.committee, Meeting.Kind.PARTY_LECTURE),
        (many_branches[5], Meeting.Kind.BRANCH_ASSEMBLY),
    ]:
        record(organisation, kind, when=at(2026, 3, 2), by=world.secretary, status="submitted")


def _compared(results):
    return [
        (r.organisation.pk, r.kind, r.index, r.required, r.held, r.status, r.exemption_reason)
        for r in results
    ]


def test_many_branches_are_read_by_their_subtree_with_the_same_results(
    world, many_branches, frozen, monkeypatch
):
    """Past MANY_BRANCHES, meetings and exemptions are read by the branches' shared subtree
    instead of 4,000 ids; whatever else that subtree holds must change nothing."""
    _everything_counts(world, many_branches)
    in_tree = list(
        Organisation.objects.filter(
            path__startswith=world.committee.path, kind=Organisation.Kind.BRANCH
        ).exclude(pk=many_branches[5].pk)
    )
    across_trees = [*in_tree, world.other_branch]

    def read() -> tuple[list, list, list]:
        return (
            _compared(selectors.compliance(in_tree, 2026, today=JUNE_15)),
            _compared(selectors.compliance(across_trees, 2026, today=JUNE_15)),
            [
                (s.branch.pk, s.missed, s.due)
                for s in selectors.committee_overview(world.committee, 2026, today=JUNE_15)
            ],
        )

    by_id = read()
    monkeypatch.setattr(selectors, "MANY_BRANCHES", 0)
    assert read() == by_id
    statuses = {row[5] for row in by_id[0]}
    assert {selectors.EXEMPT, selectors.MISSED, selectors.MET, selectors.DUE} <= statuses


def test_the_overview_sums_what_compliance_says_is_missed_and_due(world, many_branches, frozen):
    """The overview adds the periods up without building a PeriodResult for each."""
    _everything_counts(world, many_branches)
    summaries = selectors.committee_overview(world.committee, 2026, today=JUNE_15)
    results = selectors.compliance([s.branch for s in summaries], 2026, today=JUNE_15)
    for summary in summaries:
        mine = [r for r in results if r.organisation.pk == summary.branch.pk]
        for kind in {r.kind for r in mine}:
            of_kind = [r for r in mine if r.kind == kind]
            missed = sum(r.missing for r in of_kind if r.status == selectors.MISSED)
            due = sum(r.missing for r in of_kind if r.status == selectors.DUE)
            assert (summary.missed[kind], summary.due[kind]) == (missed, due), (summary, kind)
        assert set(summary.missed) == {r.kind for r in mine}
    assert sum(s.missed_total for s in summaries) > 0
