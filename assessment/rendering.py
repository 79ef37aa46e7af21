"""Long repeated page parts written in Python: the same markup as a template loop, built
without the template engine's per-variable work (at province scale a league page, the item
analysis of 400 questions and the question sheet each spent most of their time there).

Every value is escaped (``escape``) and numbers are shown as the templates show them
(``localize``, ``floatformat``), so the pages read exactly as before.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

from django.template.defaultfilters import floatformat
from django.utils.formats import number_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from assessment.models import QuestionKind, QuestionVersion
from assessment.selectors import CachedBranchRow, ItemRow, MemberRow, ShownItem, TakeQuestion
from portal.rendering import escape, numbers, url_for_each


def _truncated(text: str, length: int) -> str:
    """``text|truncatechars:length``; short text (most stems) skips the Truncator."""
    normalised = unicodedata.normalize("NFC", text)
    if len(normalised) <= length:
        return normalised
    return Truncator(text).chars(length)


def _decimal_text(text: str) -> str:
    """Decimal text ("57.1") as ``{{ value }}`` shows that Decimal."""
    return escape(number_format(text))


def branch_rows(rows: Iterable[CachedBranchRow], first_rank: int) -> SafeString:
    """The branch league rows of one page; ``first_rank`` is the first row's place."""
    _n = numbers()
    out = []
    for rank, (name, members, participants, participation, average) in enumerate(
        rows, start=first_rank
    ):
        shown = f"{_decimal_text(average)}%" if average is not None else "—"
        out.append(
            f"<tr><td>{_n(rank)}</td><td>{escape(name)}</td><td>{_n(participants)}/"
            f"{_n(members)} ({_decimal_text(participation)}%)</td><td>{shown}</td></tr>"
        )
    return mark_safe("\n".join(out))  # noqa: S308 - every value above is escaped


def member_rows(rows: Iterable[MemberRow], first_rank: int) -> SafeString:
    """The member league rows of one page."""
    _n = numbers()
    out = []
    for rank, (name, branch, percent, passed) in enumerate(rows, start=first_rank):
        tick = " ✓" if passed else ""
        out.append(
            f"<tr><td>{_n(rank)}</td><td>{escape(name)}</td>"
            f"<td>{escape(branch)}</td><td>{_n(percent)}%{tick}</td></tr>"
        )
    if not out:
        out.append(
            f'<tr><td colspan="4" class="text-muted">{escape(_("Nobody has finished yet."))}'
            "</td></tr>"
        )
    return mark_safe("\n".join(out))  # noqa: S308 - every value above is escaped


def analysis_rows(rows: Iterable[ItemRow]) -> SafeString:
    """The item analysis cards (one per question version)."""
    _n = numbers()
    question_url = url_for_each("assessment:question")
    review = (
        f' · <span class="text-warning-emphasis fw-bold">{escape(_("Review this question"))}</span>'
    )
    seen_label, answered_label = escape(_("Seen")), escape(_("Answered"))
    facility_label, discrimination_label = escape(_("Facility")), escape(_("Discrimination"))
    kinds: dict[str, str] = {}
    out = []
    for row in rows:
        version: QuestionVersion = row.version
        kind = kinds.get(version.kind)
        if kind is None:
            kind = kinds[version.kind] = escape(version.get_kind_display())
        flagged = row.needs_review
        url = question_url(version.question_id)
        discrimination = (
            escape(floatformat(row.discrimination, 2)) if row.discrimination is not None else "—"
        )
        out.append(
            f'<div class="card mb-2{" border-warning" if flagged else ""}" data-testid="item-row">\n'
            '  <div class="card-body py-2">\n'
            f'    <div class="small text-muted">{kind} · {escape(row.topic)} · '
            f"v{_n(version.number)}{review if flagged else ''}</div>\n"
            f'    <div><a href="{escape(url)}">'
            f"{escape(_truncated(version.stem, 90))}</a></div>\n"
            f'    <div class="small">{seen_label} {_n(row.seen)} · {answered_label} '
            f"{_n(row.answered)} · {facility_label} {escape(floatformat(row.facility, 2))} · "
            f"{discrimination_label} {discrimination}</div>\n"
        )
        if row.option_counts:
            options = "".join(
                f'<span class="me-2{" fw-bold text-success" if correct else ""}">'
                f"{escape(letter)}: {_n(n)}</span>"
                for letter, _text, n, correct in row.option_counts
            )
            out.append(f'    <div class="small">{options}</div>\n')
        out.append("  </div>\n</div>\n")
    return mark_safe("".join(out))  # noqa: S308 - every value above is escaped


def take_sheet(questions: Iterable[TakeQuestion], responses: dict[int, str]) -> SafeString:
    """The questions of an open attempt as form fields, each with the member's saved answer
    (the contest question page)."""
    _n = numbers()
    saved = escape(_("Saved"))
    your_answer = escape(_("Your answer"))
    kinds: dict[str, str] = {}
    out = []
    for question in questions:
        response = responses.get(question.position, "")
        pos = _n(question.position)
        kind = kinds.get(question.kind)
        if kind is None:
            kind = kinds[question.kind] = escape(QuestionKind(question.kind).label)
        out.append(
            f'  <fieldset class="card mb-3" data-position="{pos}" data-testid="question-{pos}">\n'
            '    <div class="card-body">\n'
            f'      <legend class="fs-6 fw-bold"><span data-testid="question-number">{pos}</span>.'
            f' <span class="badge text-bg-light">{kind}</span> '
            f'<span data-testid="question-stem">{escape(question.stem)}</span></legend>\n'
        )
        if question.kind == QuestionKind.FILL:
            out.append(
                f'        <input type="text" class="form-control" name="q_{pos}" '
                f'value="{escape(response)}" maxlength="500" autocomplete="off" '
                f'aria-label="{your_answer}">\n'
            )
        else:
            kind_attr = "checkbox" if question.kind == QuestionKind.MULTIPLE else "radio"
            for letter, original, text in question.options:
                ident = f"q{pos}{escape(letter)}"
                checked = " checked" if original in response else ""
                out.append(
                    '        <div class="form-check">\n'
                    f'          <input class="form-check-input" type="{kind_attr}" '
                    f'name="q_{pos}" id="{ident}" value="{escape(original)}"{checked}>\n'
                    f'          <label class="form-check-label" for="{ident}">'
                    f"{escape(letter)}. {escape(text)}</label>\n"
                    "        </div>\n"
                )
        out.append(
            f'      <div class="small text-success mt-1" data-testid="saved-{pos}" '
            f'data-saved-for="{pos}">{saved if response else ""}</div>\n'
            "    </div>\n  </fieldset>\n"
        )
    return mark_safe("".join(out))  # noqa: S308 - every value above is escaped


def result_sheet(sheet: Iterable[ShownItem], revealed: bool) -> SafeString:
    """The questions of a finished attempt with the answers given and, once ``revealed``,
    the correct ones (the attempt's result page)."""
    _n = numbers()
    your_answer, correct_answer = escape(_("Your answer")), escape(_("Correct answer"))
    explanation = escape(_("Explanation"))
    out = []
    for shown in sheet:
        item, version = shown.item, shown.version
        out.append(
            '  <div class="card mb-2"><div class="card-body py-2">\n'
            f'    <div class="fw-bold">{_n(item.position)}. {escape(version.stem)}</div>\n    '
        )
        for option in shown.options:
            marked = " text-success fw-bold" if revealed and option.correct else ""
            chosen = " ◀" if option.chosen else ""
            out.append(
                f'<div class="small{marked}">{escape(option.letter)}. '
                f"{escape(option.text)}{chosen}</div>"
            )
        response = shown.response_display
        out.append(
            f'\n    <div class="small">{your_answer}: {escape(response) if response else "—"}'
        )
        if revealed:
            out.append(
                f" · {correct_answer}: {escape(shown.answer_display)} · "
                f"{'✓' if item.is_correct else '✗'}"
            )
        out.append("</div>\n")
        if revealed and version.explanation:
            out.append(
                f'    <div class="small text-muted">{explanation}: '
                f"{escape(version.explanation)}</div>\n"
            )
        out.append("  </div></div>\n")
    return mark_safe("".join(out))  # noqa: S308 - every value above is escaped
