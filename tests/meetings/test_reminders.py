"""Meeting reminders: attendees the day before, a required meeting still missing, a record
not filed, and the committee's weekly digest (mid-June 2026)."""

import datetime

from meetings.models import Meeting
from portal.models import Notification
from portal.notifications import sweeps_run
from tests.meetings.conftest import at, record


def sent(kind):
    return set(Notification.objects.filter(kind=kind).values_list("recipient__username", flat=True))


def test_attendees_hear_the_day_before_once(world, frozen, officers):
    record(
        world.branch,
        Meeting.Kind.COMMITTEE_MEETING,
        when=at(2026, 6, 16),
        by=world.secretary,
        present=False,
    )
    sweeps_run(on=datetime.date(2026, 6, 15), kinds=["meetings.attendee_day_before"])
    sweeps_run(on=datetime.date(2026, 6, 15), kinds=["meetings.attendee_day_before"])
    assert sent("meetings.attendee_day_before") == {u.username for u in officers}
    assert Notification.objects.filter(kind="meetings.attendee_day_before").count() == len(officers)


def test_no_reminder_for_a_meeting_next_week(world, frozen, officers):
    record(world.branch, when=at(2026, 6, 22), by=world.secretary, present=False)
    sweeps_run(on=datetime.date(2026, 6, 15), kinds=["meetings.attendee_day_before"])
    assert sent("meetings.attendee_day_before") == set()


def test_secretary_hears_of_a_required_meeting_missing_near_the_month_end(world, frozen):
    # June: nothing held in either branch; the sibling branch held its 主题党日.
    record(
        world.sibling_branch,
        Meeting.Kind.THEMED_PARTY_DAY,
        when=at(2026, 6, 5),
        by=world.other_secretary,
        status=Meeting.Status.SUBMITTED,
    )
    sweeps_run(on=datetime.date(2026, 6, 26), kinds=["meetings.required_missing"])
    subjects = set(
        Notification.objects.filter(kind="meetings.required_missing").values_list(
            "recipient__username", "subject"
        )
    )
    assert (
        "secretary",
        f"compliance:{world.branch.pk}:{Meeting.Kind.THEMED_PARTY_DAY}",
    ) in subjects
    assert (
        "other_secretary",
        f"compliance:{world.sibling_branch.pk}:{Meeting.Kind.THEMED_PARTY_DAY}",
    ) not in subjects


def test_nothing_missing_is_said_early_in_the_month(world, frozen):
    sweeps_run(on=datetime.date(2026, 6, 2), kinds=["meetings.required_missing"])
    kinds = {s.split(":")[2] for s in Notification.objects.values_list("subject", flat=True)}
    assert Meeting.Kind.THEMED_PARTY_DAY not in kinds  # June ends in 28 days: not yet


def test_recorder_hears_when_a_held_meeting_has_no_record(world, frozen):
    draft = record(world.branch, when=at(2026, 6, 10), by=world.secretary)
    Meeting.objects.filter(pk=draft.pk).update(recorder=world.member)
    record(world.branch, when=at(2026, 6, 9), by=world.secretary, status=Meeting.Status.SUBMITTED)
    sweeps_run(on=datetime.date(2026, 6, 15), kinds=["meetings.record_overdue"])
    assert sent("meetings.record_overdue") == {"member"}


def test_weekly_digest_goes_to_the_committee_on_mondays_only(world, frozen):
    sweeps_run(on=datetime.date(2026, 6, 16), kinds=["meetings.committee_weekly"])  # a Tuesday
    assert sent("meetings.committee_weekly") == set()
    sweeps_run(on=datetime.date(2026, 6, 15), kinds=["meetings.committee_weekly"])  # a Monday
    assert sent("meetings.committee_weekly") == {"committee"}
    body = Notification.objects.get(kind="meetings.committee_weekly").body
    assert "第一党支部" in body
