"""考学 and 述学评学 pages: access helper → form → service → redirect."""

from __future__ import annotations

import json
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from assessment import bankio, rendering, selectors, services
from assessment.access import (
    attempt_for_user,
    contest_for_user,
    period_for_user,
    question_for_user,
    report_for_user,
    rubric_for_user,
    runs,
)
from assessment.forms import (
    BankImportForm,
    ContestForm,
    DrawRuleForm,
    PeriodForm,
    QuestionFilterForm,
    QuestionForm,
    RatingForm,
    ReportForm,
    RubricForm,
    ThresholdForm,
    organisations_run_by,
)
from assessment.models import (
    Attempt,
    AttemptItem,
    DrawRule,
    Question,
    Rubric,
    ShuxueRating,
    ShuxueReport,
)
from portal import fragments
from portal.models import User
from portal.paging import paginate
from portal.scoping import scope_for
from portal.views import xlsx_response


def _me(request: HttpRequest) -> User:
    """The logged-in user (every view here is behind ``login_required``)."""
    return cast(User, request.user)


def _runs_anything(user: Any) -> bool:
    scope = scope_for(user)
    return scope.oversees or scope.manages


def _errors(exc: ValidationError) -> list[str]:
    return [str(m) for m in exc.messages]


def _apply_errors(form: Any, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc)


# --- overview ------------------------------------------------------------------------------


@login_required
def index(request: HttpRequest) -> HttpResponse:
    user = request.user
    now = timezone.now()
    to_take = list(
        selectors.contests_to_take(user).filter(closes_at__gt=now).order_by("closes_at")[:20]
    )
    finished = list(
        selectors.contests_to_take(user).filter(closes_at__lte=now).order_by("-closes_at")[:10]
    )
    my_attempts = {
        a.contest_id: a
        for a in Attempt.objects.filter(
            user=_me(request), contest__in=[*to_take, *finished]
        ).order_by("number")
    }
    return render(
        request,
        "assessment/index.html",
        {
            "to_take": to_take,
            "finished": finished,
            "my_attempts": my_attempts,
            "runs_anything": _runs_anything(user),
            "now": now,
        },
    )


# --- question bank ---------------------------------------------------------------------


def _bank_for(user: Any) -> Any:
    return Question.objects.filter(organisation__in=organisations_run_by(user)).for_list()


@login_required
def question_list(request: HttpRequest) -> HttpResponse:
    if not _runs_anything(request.user):
        raise Http404
    form = QuestionFilterForm(request.GET or None)
    questions = form.filter(_bank_for(request.user).filter(is_active=True))
    if request.GET.get("export") == "xlsx":
        return xlsx_response(
            bankio.bank_export(questions), f"题库-{timezone.localdate():%Y%m%d}.xlsx"
        )
    return render(
        request,
        "assessment/question_list.html",
        {"form": form, "page": paginate(request, questions)},
    )


@login_required
def question_create(request: HttpRequest) -> HttpResponse:
    if not _runs_anything(request.user):
        raise Http404
    form = QuestionForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            question = services.question_create(
                organisation=form.cleaned_data["organisation"],
                topic=form.cleaned_data["topic"],
                difficulty=form.cleaned_data["difficulty"],
                content=form.content(),
                author=request.user,  # type: ignore[arg-type]
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("The question was added to the bank."))
            return redirect("assessment:question", pk=question.pk)
    return render(request, "assessment/question_form.html", {"form": form})


@login_required
def question_detail(request: HttpRequest, pk: int) -> HttpResponse:
    question = question_for_user(request.user, pk)
    versions = question.versions.select_related("created_by").order_by("-number")
    return render(
        request, "assessment/question_detail.html", {"question": question, "versions": versions}
    )


@login_required
def question_edit(request: HttpRequest, pk: int) -> HttpResponse:
    question = question_for_user(request.user, pk)
    form = QuestionForm(
        request.POST or None,
        user=request.user,
        editing=True,
        initial=QuestionForm.initial_for(question),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.question_update(
                question=question,
                topic=form.cleaned_data["topic"],
                difficulty=form.cleaned_data["difficulty"],
                content=form.content(),
                author=request.user,  # type: ignore[arg-type]
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Saved as a new version; past attempts keep theirs."))
            return redirect("assessment:question", pk=question.pk)
    return render(request, "assessment/question_form.html", {"form": form, "question": question})


@login_required
@require_POST
def question_retire(request: HttpRequest, pk: int) -> HttpResponse:
    question = question_for_user(request.user, pk)
    services.question_set_active(question=question, active=not question.is_active)
    return redirect("assessment:question", pk=question.pk)


@login_required
def bank_import(request: HttpRequest) -> HttpResponse:
    if not _runs_anything(request.user):
        raise Http404
    form = BankImportForm(request.POST or None, request.FILES or None, user=request.user)
    errors: list[Any] = []
    if request.method == "POST" and form.is_valid():
        try:
            count = bankio.bank_import(
                file=form.cleaned_data["file"],
                organisation=form.cleaned_data["organisation"],
                author=request.user,  # type: ignore[arg-type]
            )
        except bankio.BankImportError as exc:
            errors = exc.errors
        else:
            messages.success(request, _("Imported %(n)d questions.") % {"n": count})
            return redirect("assessment:questions")
    return render(request, "assessment/bank_import.html", {"form": form, "errors": errors})


# --- contests ----------------------------------------------------------------------------


@login_required
def contest_list(request: HttpRequest) -> HttpResponse:
    if not _runs_anything(request.user):
        return redirect("assessment:index")
    contests = selectors.contests_run_by(request.user).order_by("-opens_at", "pk")
    return render(request, "assessment/contest_list.html", {"page": paginate(request, contests)})


@login_required
def contest_create(request: HttpRequest) -> HttpResponse:
    if not _runs_anything(request.user):
        raise Http404
    form = ContestForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        organisation = data.pop("organisation")
        try:
            contest = services.contest_create(
                organisation=organisation,
                author=request.user,  # type: ignore[arg-type]
                **data,
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Contest created: now add its draw rules."))
            return redirect("assessment:contest", pk=contest.pk)
    return render(request, "assessment/contest_form.html", {"form": form})


@login_required
def contest_edit(request: HttpRequest, pk: int) -> HttpResponse:
    contest = contest_for_user(request.user, pk, manage=True)
    form = ContestForm(request.POST or None, instance=contest, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.contest_update(contest=contest, **form.cleaned_data)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("The contest was saved."))
            return redirect("assessment:contest", pk=contest.pk)
    return render(request, "assessment/contest_form.html", {"form": form, "contest": contest})


@login_required
def contest_detail(request: HttpRequest, pk: int) -> HttpResponse:
    contest = contest_for_user(request.user, pk)
    scope = scope_for(request.user)
    manages = runs(scope, contest.organisation)
    attempts = list(selectors.member_attempts(contest, request.user))
    open_attempt = next((a for a in attempts if a.is_open), None)
    context: dict[str, Any] = {
        "contest": contest,
        "manages": manages,
        "attempts": attempts,
        "open_attempt": open_attempt,
        "attempts_left": max(0, contest.attempts_allowed - len(attempts)),
        "can_take": contest.is_open() and scope.is_member,
        "rules": list(contest.rules.all()),
    }
    if manages:
        context["rule_form"] = DrawRuleForm()
        context["attempt_count"] = contest.attempts.count()
    return render(request, "assessment/contest_detail.html", context)


@login_required
@require_POST
def rule_add(request: HttpRequest, pk: int) -> HttpResponse:
    contest = contest_for_user(request.user, pk, manage=True)
    form = DrawRuleForm(request.POST)
    if form.is_valid():
        try:
            services.draw_rule_add(contest=contest, **form.cleaned_data)
        except ValidationError as exc:
            for message in _errors(exc):
                messages.error(request, message)
        else:
            messages.success(request, _("Draw rule added."))
    else:
        for field_errors in form.errors.values():
            for error in field_errors:
                messages.error(request, str(error))
    return redirect("assessment:contest", pk=contest.pk)


@login_required
@require_POST
def rule_remove(request: HttpRequest, pk: int, rule_pk: int) -> HttpResponse:
    contest = contest_for_user(request.user, pk, manage=True)
    rule = get_object_or_404(DrawRule, pk=rule_pk, contest=contest)
    try:
        services.draw_rule_remove(rule=rule)
    except ValidationError as exc:
        for message in _errors(exc):
            messages.error(request, message)
    return redirect("assessment:contest", pk=contest.pk)


@login_required
@require_POST
def contest_publish(request: HttpRequest, pk: int) -> HttpResponse:
    contest = contest_for_user(request.user, pk, manage=True)
    try:
        services.contest_publish(contest=contest)
    except ValidationError as exc:
        for message in _errors(exc):
            messages.error(request, message)
    else:
        messages.success(request, _("The contest is published to its members."))
    return redirect("assessment:contest", pk=contest.pk)


@login_required
@require_POST
def contest_close(request: HttpRequest, pk: int) -> HttpResponse:
    contest = contest_for_user(request.user, pk, manage=True)
    services.contest_close_now(contest=contest)
    messages.success(request, _("The contest is closed."))
    return redirect("assessment:contest", pk=contest.pk)


@login_required
@require_POST
def attempt_start(request: HttpRequest, pk: int) -> HttpResponse:
    contest = contest_for_user(request.user, pk)
    scope = scope_for(request.user)
    if scope.own_branch_id is None:
        raise Http404
    try:
        attempt = services.attempt_start(
            contest=contest,
            user=request.user,  # type: ignore[arg-type]
            branch_id=scope.own_branch_id,
        )
    except ValidationError as exc:
        for message in _errors(exc):
            messages.error(request, message)
        return redirect("assessment:contest", pk=contest.pk)
    return redirect("assessment:attempt", pk=attempt.pk)


# The branch league is shown a page at a time (1,000 branches at province scale).
BRANCH_PAGE_SIZE = 50


@login_required
def league(request: HttpRequest, pk: int) -> HttpResponse:
    contest = contest_for_user(request.user, pk)
    manages = runs(scope_for(request.user), contest.organisation)
    if request.GET.get("export") == "xlsx" and manages:
        return xlsx_response(_league_xlsx(contest), f"{contest.title}-排行榜.xlsx")
    # The rendered tables are kept in the cache under the counting attempts' fingerprint
    # (one indexed query, read on every request: attempts are not stamped) and the stamps
    # of what else they show; the rows are read and rendered only when that is missing.
    counted = selectors.counted_fingerprint(contest)

    def body() -> dict[str, Any]:
        tables = selectors.league_tables(contest, counted)
        page = paginate(request, tables.member_order)
        page.object_list = selectors.league_members(list(page.object_list))
        branch_page = Paginator(tables.branches, BRANCH_PAGE_SIZE).get_page(
            request.GET.get("branch_page")
        )
        rank_offset = page.start_index() - 1 if page.paginator.count else 0
        return {
            "page": page,
            "member_rows": rendering.member_rows(page.object_list, rank_offset + 1),
            "branch_page": branch_page,
            "branch_rows": rendering.branch_rows(
                branch_page.object_list, branch_page.start_index()
            ),
        }

    built = fragments.lazy(body)
    return render(
        request,
        "assessment/league.html",
        {
            "contest": contest,
            "manages": manages,
            "page": fragments.lazy(lambda: built["page"]),
            "member_rows": fragments.lazy(lambda: built["member_rows"]),
            "branch_page": fragments.lazy(lambda: built["branch_page"]),
            "branch_rows": fragments.lazy(lambda: built["branch_rows"]),
            "league_key": selectors.league_page_key(
                contest, counted[1], request.get_full_path(), get_language() or ""
            ),
        },
    )


def _league_xlsx(contest: Any) -> bytes:
    import io

    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "个人排名"
    sheet.append(["名次", "姓名", "所在支部", "得分率(%)", "得分", "满分", "是否及格"])
    for rank, a in enumerate(selectors.member_league(contest), start=1):
        sheet.append(
            [
                rank,
                a.user.name,
                a.branch.name,
                a.percent,
                a.score,
                a.max_score,
                "是" if a.passed else "否",
            ]
        )
    branches = workbook.create_sheet("支部排名")
    branches.append(["名次", "党支部", "党员数", "参赛人数", "参与率(%)", "平均得分率(%)"])
    for rank, row in enumerate(selectors.branch_league(contest), start=1):
        branches.append(
            [rank, row.branch.name, row.members, row.participants, row.participation, row.average]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@login_required
def analysis(request: HttpRequest, pk: int) -> HttpResponse:
    contest = contest_for_user(request.user, pk, manage=True)
    rows = selectors.item_analysis(contest)
    return render(
        request,
        "assessment/analysis.html",
        {"contest": contest, "rows": rows, "rendered_rows": rendering.analysis_rows(rows)},
    )


@login_required
def answers_export(request: HttpRequest, pk: int) -> HttpResponse:
    contest = contest_for_user(request.user, pk, manage=True)
    return xlsx_response(
        selectors.answers_export(contest),
        f"{contest.title}-作答明细-{timezone.localdate():%Y%m%d}.xlsx",
    )


# --- taking a contest --------------------------------------------------------------------


@login_required
def attempt_detail(request: HttpRequest, pk: int) -> HttpResponse:
    attempt = attempt_for_user(request.user, pk)
    own = attempt.user_id == request.user.pk
    if attempt.is_open and timezone.now() >= attempt.deadline:
        attempt = services.attempt_finish(attempt=attempt, timed_out=True)
        attempt = attempt_for_user(request.user, pk)
    if attempt.is_open and own:
        questions, responses = selectors.take_questions(attempt)
        return render(
            request,
            "assessment/attempt_take.html",
            {
                "attempt": attempt,
                "contest": attempt.contest,
                "questions": questions,
                "sheet_html": rendering.take_sheet(questions, responses),
                "answered": sum(1 for response in responses.values() if response),
                "timer": {
                    "seconds_left": attempt.seconds_left(),
                    "answer_url": reverse("assessment:attempt_answer", args=[attempt.pk]),
                },
            },
        )
    sheet = selectors.attempt_sheet(attempt)
    revealed = selectors.answers_revealed(attempt) or not own
    return render(
        request,
        "assessment/attempt_result.html",
        {
            "attempt": attempt,
            "contest": attempt.contest,
            "sheet": sheet,
            "sheet_html": rendering.result_sheet(sheet, revealed),
            "own": own,
            "revealed": revealed,
        },
    )


def _is_json(request: HttpRequest) -> bool:
    return request.content_type == "application/json"


@login_required
@require_POST
def attempt_answer(request: HttpRequest, pk: int) -> HttpResponse:
    """Save one answer (the page's script calls this as each answer is given)."""
    try:
        payload = json.loads(request.body or b"{}") if _is_json(request) else request.POST
        position = int(str(payload.get("position")))
        raw = payload.get("response") if _is_json(request) else request.POST.getlist("response")
    except (ValueError, TypeError, AttributeError):
        return JsonResponse(
            {"saved": False, "error": _("The answer could not be read.")}, status=400
        )
    try:
        item = services.attempt_answer(
            attempt_id=pk,
            user=request.user,  # type: ignore[arg-type]
            position=position,
            raw=raw,
        )
    except (Attempt.DoesNotExist, AttemptItem.DoesNotExist) as exc:
        raise Http404 from exc
    except services.AttemptClosed as exc:
        return JsonResponse({"saved": False, "closed": True, "error": str(exc)}, status=409)
    except ValidationError as exc:
        return JsonResponse({"saved": False, "error": " ".join(exc.messages)}, status=400)
    return JsonResponse({"saved": True, "position": item.position})


@login_required
@require_POST
def attempt_save(request: HttpRequest, pk: int) -> HttpResponse:
    """The plain form post: save every answer on the page, then submit if asked."""
    attempt = attempt_for_user(request.user, pk)
    if attempt.user_id != request.user.pk:
        raise Http404
    answers = {
        int(key.split("_", 1)[1]): request.POST.getlist(key)
        for key in request.POST
        if key.startswith("q_") and key.split("_", 1)[1].isdigit() and len(key) < 10
    }
    closed = False
    problems: list[int] = []
    try:
        problems = services.attempt_answers_save(
            attempt_id=attempt.pk,
            user=_me(request),
            answers=answers,
        )
    except services.AttemptClosed:
        closed = True
    if closed:
        messages.warning(
            request, _("Time is up: this attempt has been closed with the answers saved.")
        )
        return redirect("assessment:attempt", pk=attempt.pk)
    if problems:
        messages.error(
            request,
            _("Questions %(numbers)s could not be saved; check them.")
            % {"numbers": "、".join(str(p) for p in problems)},
        )
    if "submit" in request.POST and not problems:
        attempt = services.attempt_finish(attempt=attempt)
        messages.success(request, _("Your answers are submitted."))
    else:
        messages.info(request, _("Your answers are saved."))
    return redirect("assessment:attempt", pk=attempt.pk)


# --- 述学评学 ------------------------------------------------------------------------------


@login_required
def shuxue_index(request: HttpRequest) -> HttpResponse:
    periods = selectors.periods_for(request.user).order_by("-year", "-opens_on")
    rubrics = None
    if _runs_anything(request.user):
        rubrics = Rubric.objects.filter(
            organisation__in=organisations_run_by(request.user)
        ).select_related("organisation")
    return render(
        request,
        "assessment/shuxue_index.html",
        {
            "page": paginate(request, periods),
            "rubrics": rubrics,
            "runs_anything": _runs_anything(request.user),
        },
    )


@login_required
def rubric_create(request: HttpRequest) -> HttpResponse:
    if not _runs_anything(request.user):
        raise Http404
    form = RubricForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.rubric_create(
                organisation=form.cleaned_data["organisation"],
                name=form.cleaned_data["name"],
                description=form.cleaned_data["description"],
                criteria_text=form.cleaned_data["criteria"],
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("The rubric was saved."))
            return redirect("assessment:shuxue")
    return render(request, "assessment/rubric_form.html", {"form": form})


@login_required
def rubric_edit(request: HttpRequest, pk: int) -> HttpResponse:
    rubric = rubric_for_user(request.user, pk)
    form = RubricForm(
        request.POST or None,
        user=request.user,
        editing=True,
        initial={
            "name": rubric.name,
            "description": rubric.description,
            "criteria": services.rubric_as_text(rubric),
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.rubric_update(
                rubric=rubric,
                name=form.cleaned_data["name"],
                description=form.cleaned_data["description"],
                criteria_text=form.cleaned_data["criteria"],
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("The rubric was saved."))
            return redirect("assessment:shuxue")
    return render(request, "assessment/rubric_form.html", {"form": form, "rubric": rubric})


@login_required
def period_create(request: HttpRequest) -> HttpResponse:
    if not _runs_anything(request.user):
        raise Http404
    form = PeriodForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        organisation = data.pop("organisation")
        try:
            period = services.period_create(organisation=organisation, **data)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("The 述学 period was created."))
            return redirect("assessment:period", pk=period.pk)
    return render(request, "assessment/period_form.html", {"form": form})


@login_required
def period_detail(request: HttpRequest, pk: int) -> HttpResponse:
    period = period_for_user(request.user, pk)
    scope = scope_for(request.user)
    manages = runs(scope, period.organisation)
    threshold_form = ThresholdForm(
        request.POST or None,
        initial={
            "excellent_from": period.excellent_from,
            "good_from": period.good_from,
            "pass_from": period.pass_from,
        },
    )
    if request.method == "POST":
        if not manages:
            raise Http404
        if threshold_form.is_valid():
            services.period_set_thresholds(period=period, **threshold_form.cleaned_data)
            messages.success(request, _("Thresholds saved; every report was graded again."))
            return redirect("assessment:period", pk=period.pk)
    reports = selectors.period_reports(period, request.user).order_by("branch__path", "user__name")
    own = ShuxueReport.objects.filter(period=period, user=_me(request)).first()
    return render(
        request,
        "assessment/period_detail.html",
        {
            "period": period,
            "manages": manages,
            "threshold_form": threshold_form,
            "page": paginate(request, reports),
            "own": own,
            "is_open": period.opens_on <= timezone.localdate() <= period.closes_on,
            "may_file": scope.is_member,
        },
    )


@login_required
def report_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The member writes (and submits) their own 述学 report for the period."""
    period = period_for_user(request.user, pk)
    scope = scope_for(request.user)
    if scope.own_branch_id is None:
        raise Http404
    report = ShuxueReport.objects.filter(period=period, user=_me(request)).first()
    if report is not None and report.status == ShuxueReport.Status.SUBMITTED:
        return redirect("assessment:report", pk=report.pk)
    initial = {"title": report.title, "content": report.content} if report else {}
    form = ReportForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            report = services.report_save(
                period=period,
                user=request.user,  # type: ignore[arg-type]
                branch_id=scope.own_branch_id,
                title=form.cleaned_data["title"],
                content=form.cleaned_data["content"],
                submit="submit" in request.POST,
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Your 述学 report is saved."))
            return redirect("assessment:report", pk=report.pk)
    return render(request, "assessment/report_form.html", {"form": form, "period": period})


@login_required
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = report_for_user(request.user, pk)
    scope = scope_for(request.user)
    role = services.rater_role(
        report=report,
        user=request.user,  # type: ignore[arg-type]
        scope=scope,
    )
    criteria = list(report.period.rubric.criteria.prefetch_related("levels"))
    form = RatingForm(request.POST or None, criteria=criteria) if role else None
    if request.method == "POST":
        if role is None or form is None:
            raise Http404
        if form.is_valid():
            try:
                services.rating_submit(
                    report=report,
                    rater=request.user,  # type: ignore[arg-type]
                    role=role,
                    choices=form.choices(),
                )
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                messages.success(request, _("Your rating is saved."))
                return redirect("assessment:report", pk=report.pk)
    ratings = selectors.report_ratings(report)
    sees_ratings = report.user_id == request.user.pk or runs(scope, report.branch)
    return render(
        request,
        "assessment/report_detail.html",
        {
            "report": report,
            "role": role,
            "role_label": ShuxueRating.Role(role).label if role else "",
            "form": form,
            "ratings": ratings if sees_ratings else [],
            "sees_ratings": sees_ratings,
            "criteria": criteria,
        },
    )
