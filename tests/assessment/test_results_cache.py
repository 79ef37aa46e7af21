"""The cached league tables and item analysis (province scale): a finished attempt shows at
once, the cached results equal a fresh computation whatever changed, and the rows written in
Python (assessment/rendering.py) read exactly as the template loops they replace."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessment import rendering, selectors, services
from assessment.models import Attempt, Contest, QuestionKind
from assessment.services import QuestionContent
from portal.models import User
from tests.assessment.conftest import finish, make_bank, make_contest
from tests.factories import branch, member_of
from tests.support.html import same_html


def without_tokens(response) -> str:
    """The page without its CSRF tokens (masked afresh on every response)."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", response.content.decode())


@pytest.fixture
def played(world):
    """12 members over three branches finish a 10-question contest, scoring 0–100%."""
    make_bank(world.committee, n=10)
    contest = make_contest(world.committee, count=10)
    third = branch(world.committee, "第三<党>支部 & 分部")
    for n in range(12):
        home = [world.branch, world.sibling_branch, third][n % 3]
        person = member_of(home, username=f"p{n}", name=f"参赛者{n}")
        finish(contest, person, correct=min(10, n))
    return contest, third


def league_url(contest) -> str:
    return reverse("assessment:league", args=[contest.pk])


def snapshot(rows) -> list[tuple]:
    return [
        (
            r.version.pk,
            r.seen,
            r.answered,
            r.correct,
            r.facility,
            r.discrimination,
            *r.option_counts,
        )
        for r in rows
    ]


def fresh_analysis(contest) -> list[tuple]:
    cache.clear()
    return snapshot(selectors.item_analysis(contest))


# --- league ------------------------------------------------------------------------------


def test_cached_league_shows_a_new_finish_at_once(
    as_user, world, played, django_assert_num_queries
):
    contest, third = played
    client = as_user(world.committee_user)
    # Not cached: 1 session, 2 user, 3 change stamps, 4-5 scope, 6 contest, 7 fingerprint,
    # 8 counting attempts, 9 branches, 10 members per branch, 11 the page's rows.
    with django_assert_num_queries(11):
        first = client.get(league_url(contest))
    # Cached: 1 session, 2 user, 3 change stamps (the scope and the contest from the
    # cache), 4 fingerprint: the tables as rendered come from the cache.
    with django_assert_num_queries(4):
        response = client.get(league_url(contest))
    assert without_tokens(response) == without_tokens(first)
    text = response.content.decode()
    assert "4/4 (100.0%)" in text  # 第三党支部: four members, all took part
    newcomer = member_of(third, username="late", name="后来者")
    finish(contest, newcomer, correct=10)
    text = client.get(league_url(contest)).content.decode()
    assert "后来者" in text
    assert "5/5 (100.0%)" in text


def test_cached_league_shows_a_new_member_of_a_branch_at_once(as_user, world, played):
    contest, third = played
    client = as_user(world.committee_user)
    assert "4/4 (100.0%)" in client.get(league_url(contest)).content.decode()
    member_of(third, username="joined", name="新党员")  # joins, has not taken part
    assert "4/5 (80.0%)" in client.get(league_url(contest)).content.decode()


def test_cached_league_shows_a_renamed_member_or_branch_at_once(as_user, world, played):
    contest, third = played
    client = as_user(world.committee_user)
    assert "参赛者11" in client.get(league_url(contest)).content.decode()  # cached now
    User.objects.filter(username="p11").update(name="改名的参赛者")
    assert "改名的参赛者" in client.get(league_url(contest)).content.decode()
    third.name = "改名的第三支部"
    third.save()
    assert "改名的第三支部" in client.get(league_url(contest)).content.decode()


def test_the_outsider_still_gets_404_once_the_league_is_cached(as_user, world, played):
    contest, _third = played
    assert as_user(world.committee_user).get(league_url(contest)).status_code == 200
    assert as_user(world.outsider).get(league_url(contest)).status_code == 404


def test_cached_league_follows_a_better_second_attempt(as_user, world, played):
    contest, _third = played
    client = as_user(world.committee_user)
    first = client.get(league_url(contest)).content.decode()
    assert first.index("参赛者11") < first.index("参赛者0<")
    finish(contest, User.objects.get(username="p0"), correct=10)  # best of two counts
    text = client.get(league_url(contest)).content.decode()
    assert text.index("参赛者0<") < text.index("参赛者1<")
    assert text.count("参赛者0<") == 1


def test_branch_league_is_shown_a_page_at_a_time(as_user, world, played):
    contest, _third = played
    before = len(selectors.branch_league(contest))
    for n in range(55):
        branch(world.committee, f"编号支部{n:02d}")
    client = as_user(world.committee_user)
    response = client.get(league_url(contest))
    page = response.context["branch_page"]
    assert page.paginator.count == before + 55
    assert len(page.object_list) == 50
    second = client.get(league_url(contest) + "?branch_page=2")
    text = second.content.decode()
    assert "<tr><td>51</td>" in text
    assert len(second.context["branch_page"].object_list) == page.paginator.count - 50
    # The member league keeps its own pager.
    assert second.context["page"].number == 1


def test_cached_tables_equal_a_fresh_computation(world, played):
    contest, _third = played
    tables = selectors.league_tables(contest)
    assert tables.member_order == list(
        selectors.member_league(contest).values_list("pk", flat=True)
    )
    fresh = selectors.branch_league(contest)
    assert [row[0] for row in tables.branches] == [r.branch.name for r in fresh]
    assert [(row[1], row[2]) for row in tables.branches] == [
        (r.members, r.participants) for r in fresh
    ]


# --- item analysis -----------------------------------------------------------------------


def test_cached_analysis_shows_a_new_finish_at_once(world, played, as_user):
    contest, third = played
    before = selectors.item_analysis(contest)
    assert {r.seen for r in before} == {12}
    finish(contest, member_of(third, username="late", name="后来者"), correct=5)
    after = selectors.item_analysis(contest)
    assert {r.seen for r in after} == {13}
    assert snapshot(after) == fresh_analysis(contest)
    page = as_user(world.committee_user).get(reverse("assessment:analysis", args=[contest.pk]))
    assert "13" in page.content.decode()


def test_analysis_adds_and_takes_off_only_what_changed(world, played):
    contest, _third = played
    selectors.item_analysis(contest)
    # p0 (0%) takes a second attempt and scores 100%: it counts instead of the first.
    finish(contest, User.objects.get(username="p0"), correct=10)
    with CaptureQueriesContext(connection) as queries:
        rows = selectors.item_analysis(contest)
    # fingerprint, counting attempts, the attempt that stopped counting, its answers, the
    # new attempt's answers, versions: no count over every answer.
    assert len(queries) == 6
    assert snapshot(rows) == fresh_analysis(contest)


def test_analysis_after_a_counting_attempt_is_deleted(world, played):
    contest, _third = played
    selectors.item_analysis(contest)
    Attempt.objects.filter(contest=contest, user__username="p5").delete()
    rows = selectors.item_analysis(contest)
    assert {r.seen for r in rows} == {11}
    assert snapshot(rows) == fresh_analysis(contest)


def test_analysis_page_queries_when_cached(as_user, world, played, django_assert_num_queries):
    contest, _third = played
    client = as_user(world.committee_user)
    url = reverse("assessment:analysis", args=[contest.pk])
    client.get(url)
    # 1 session, 2 user, 3 change stamps (the scope and the contest from the cache),
    # 4 fingerprint, 5 versions and topics.
    with django_assert_num_queries(5):
        response = client.get(url)
    assert len(response.context["rows"]) == 10


# --- rows written in Python read as the templates wrote them ---------------------------


OLD_LEAGUE = """{% load i18n %}
  {% for row in branches %}
  <tr><td>{{ forloop.counter }}</td><td>{{ row.branch.name }}</td><td>{{ row.participants }}/{{ row.members }} ({{ row.participation }}%)</td><td>{% if row.average is not None %}{{ row.average }}%{% else %}—{% endif %}</td></tr>
  {% endfor %}
|
  {% for a in page %}
  <tr><td>{{ rank_offset|add:forloop.counter }}</td><td>{{ a.user.name }}</td><td>{{ a.branch.name }}</td><td>{{ a.percent }}%{% if a.passed %} ✓{% endif %}</td></tr>
  {% empty %}<tr><td colspan="4" class="text-muted">{% translate "Nobody has finished yet." %}</td></tr>
  {% endfor %}"""


def test_league_rows_read_as_the_template_wrote_them(world, played):
    contest, _third = played
    tables = selectors.league_tables(contest)
    old = Template(OLD_LEAGUE).render(
        Context(
            {
                "branches": selectors.branch_league(contest),
                "page": list(selectors.member_league(contest)),
                "rank_offset": 0,
            }
        )
    )
    old_branches, old_members = old.split("|")
    assert same_html(old_branches, rendering.branch_rows(tables.branches, 1))
    members = rendering.member_rows(selectors.league_members(tables.member_order), 1)
    assert same_html(old_members, members)
    assert "第三&lt;党&gt;支部 &amp; 分部" in old_branches
    empty = Template(OLD_LEAGUE).render(Context({"branches": [], "page": [], "rank_offset": 0}))
    assert same_html(empty.split("|")[1], rendering.member_rows([], 1))


OLD_ANALYSIS = """{% load i18n %}{% for row in rows %}
<div class="card mb-2{% if row.needs_review %} border-warning{% endif %}" data-testid="item-row">
  <div class="card-body py-2">
    <div class="small text-muted">{{ row.version.get_kind_display }} · {{ row.version.question.topic }} · v{{ row.version.number }}{% if row.needs_review %} · <span class="text-warning-emphasis fw-bold">{% translate "Review this question" %}</span>{% endif %}</div>
    <div><a href="{% url 'assessment:question' row.version.question_id %}">{{ row.version.stem|truncatechars:90 }}</a></div>
    <div class="small">{% translate "Seen" %} {{ row.seen }} · {% translate "Answered" %} {{ row.answered }} · {% translate "Facility" %} {{ row.facility|floatformat:2 }} · {% translate "Discrimination" %} {% if row.discrimination is not None %}{{ row.discrimination|floatformat:2 }}{% else %}—{% endif %}</div>
    {% if row.option_counts %}
    <div class="small">{% for letter, text, n, correct in row.option_counts %}<span class="me-2{% if correct %} fw-bold text-success{% endif %}">{{ letter }}: {{ n }}</span>{% endfor %}</div>
    {% endif %}
  </div>
</div>
{% endfor %}"""


def test_analysis_rows_read_as_the_template_wrote_them(world, played):
    contest, _third = played
    rows = selectors.item_analysis(contest)
    long_stem = rows[0].version
    long_stem.stem = "“引号”<b>加粗</b> & " + "很长的题干" * 30
    old = Template(OLD_ANALYSIS).render(Context({"rows": rows}))
    assert same_html(old, rendering.analysis_rows(rows))
    assert "很长的题干" * 30 not in old  # truncated


OLD_TAKE = """{% load i18n %}{% for shown in sheet %}
  <fieldset class="card mb-3" data-position="{{ shown.item.position }}" data-testid="question-{{ shown.item.position }}">
    <div class="card-body">
      <legend class="fs-6 fw-bold"><span data-testid="question-number">{{ shown.item.position }}</span>. <span class="badge text-bg-light">{{ shown.version.get_kind_display }}</span> <span data-testid="question-stem">{{ shown.version.stem }}</span></legend>
      {% if shown.is_fill %}
        <input type="text" class="form-control" name="q_{{ shown.item.position }}" value="{{ shown.item.response }}" maxlength="500" autocomplete="off" aria-label="{% translate 'Your answer' %}">
      {% else %}
        {% for option in shown.options %}
        <div class="form-check">
          <input class="form-check-input" type="{% if shown.is_multiple %}checkbox{% else %}radio{% endif %}" name="q_{{ shown.item.position }}" id="q{{ shown.item.position }}{{ option.letter }}" value="{{ option.original }}"{% if option.chosen %} checked{% endif %}>
          <label class="form-check-label" for="q{{ shown.item.position }}{{ option.letter }}">{{ option.letter }}. {{ option.text }}</label>
        </div>
        {% endfor %}
      {% endif %}
      <div class="small text-success mt-1" data-testid="saved-{{ shown.item.position }}" data-saved-for="{{ shown.item.position }}">{% if shown.item.response %}{% translate "Saved" %}{% endif %}</div>
    </div>
  </fieldset>
{% endfor %}"""


def _four_kinds_answered(world, *, explanation: str = ""):
    """An attempt at one question of each kind with awkward text, three of them answered."""
    kinds = [
        (QuestionKind.SINGLE, ["甲 & <乙>", "丙", "丁"], "A", []),
        (QuestionKind.MULTIPLE, ["一", "二", "三", "四"], "AC", []),
        (QuestionKind.TRUE_FALSE, ["正确", "错误"], "A", []),
        (QuestionKind.FILL, [], "", ["为人民服务", "为<人民>服务"]),
    ]
    for n, (kind, options, answer, accepted) in enumerate(kinds):
        services.question_create(
            organisation=world.committee,
            topic="党章",
            difficulty=1,
            content=QuestionContent(
                kind=kind,
                stem=f'第{n}题 "引号" <b>',
                options=options,
                answer=answer,
                accepted_answers=accepted,
                explanation=explanation if n % 2 else "",
            ),
        )
    contest = make_contest(world.committee, count=4)
    attempt = services.attempt_start(
        contest=contest, user=world.member, branch_id=world.member.membership.branch_id
    )
    sheet = selectors.attempt_sheet(attempt)
    for shown in sheet[:3]:
        raw = '为人民"服务"<' if shown.is_fill else [shown.options[0].original]
        services.attempt_answer(
            attempt_id=attempt.pk, user=world.member, position=shown.item.position, raw=raw
        )
    return attempt


def test_question_sheet_reads_as_the_template_wrote_it(world):
    attempt = _four_kinds_answered(world)
    sheet = selectors.attempt_sheet(attempt)
    old = Template(OLD_TAKE).render(Context({"sheet": sheet}))
    assert same_html(old, rendering.take_sheet(*selectors.take_questions(attempt)))
    # and again with the questions from the cache
    assert same_html(old, rendering.take_sheet(*selectors.take_questions(attempt)))
    assert "checked" in old and "Saved" not in old  # zh-hans: 已保存


OLD_RESULT = """{% load i18n %}{% for shown in sheet %}
  <div class="card mb-2"><div class="card-body py-2">
    <div class="fw-bold">{{ shown.item.position }}. {{ shown.version.stem }}</div>
    {% for option in shown.options %}<div class="small{% if revealed and option.correct %} text-success fw-bold{% endif %}">{{ option.letter }}. {{ option.text }}{% if option.chosen %} ◀{% endif %}</div>{% endfor %}
    <div class="small">{% translate "Your answer" %}: {{ shown.response_display|default:"—" }}{% if revealed %} · {% translate "Correct answer" %}: {{ shown.answer_display }} · {% if shown.item.is_correct %}✓{% else %}✗{% endif %}{% endif %}</div>
    {% if revealed and shown.version.explanation %}<div class="small text-muted">{% translate "Explanation" %}: {{ shown.version.explanation }}</div>{% endif %}
  </div></div>
{% endfor %}"""


def test_result_sheet_reads_as_the_template_wrote_it(world):
    attempt = services.attempt_finish(
        attempt=_four_kinds_answered(world, explanation="见《党章》<第3条> & 说明")
    )
    sheet = selectors.attempt_sheet(attempt)
    for revealed in (True, False):
        old = Template(OLD_RESULT).render(Context({"sheet": sheet, "revealed": revealed}))
        assert same_html(old, rendering.result_sheet(sheet, revealed)), revealed
    assert "—" in old and "◀" in old  # the unanswered question; a chosen option
    revealed = Template(OLD_RESULT).render(Context({"sheet": sheet, "revealed": True}))
    assert "&lt;第3条&gt; &amp; 说明" in revealed and "✗" in revealed


def test_a_contest_edited_or_unpublished_shows_at_once(as_user, world, played):
    """The contest itself is cached under its table's stamp (assessment/access.py)."""
    contest, _third = played
    client = as_user(world.member)
    assert client.get(league_url(contest)).status_code == 200
    Contest.objects.filter(pk=contest.pk).update(title="改过名的竞赛")
    assert "改过名的竞赛" in client.get(league_url(contest)).content.decode()
    Contest.objects.filter(pk=contest.pk).update(is_published=False)
    assert client.get(league_url(contest)).status_code == 404
