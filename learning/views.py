"""Thin views: access helper → form → service → redirect."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST
from openpyxl import Workbook

from learning import access, rows, selectors, services
from learning.forms import (
    ActivityForm,
    AdoptionForm,
    AssignmentForm,
    BranchPlanForm,
    BranchPlanItemForm,
    CentreGroupSessionForm,
    CommentForm,
    FilterForm,
    MaterialForm,
    OutcomeForm,
    ReflectionForm,
    ReflectionReviewForm,
    ResearchReportForm,
    ReviewForm,
    SpeechForm,
    StudyLogForm,
    StudyPlanForm,
    year_or_current,
)
from learning.models import (
    CentreGroupTask,
    Material,
    Reflection,
    ResearchReport,
    ReviewStatus,
    StudyLog,
    StudyPlan,
    Topic,
)
from learning.originality import segments
from portal import fragments
from portal.access import membership_for_user
from portal.models import Membership, Organisation, User
from portal.paging import Counted, paginate
from portal.scoping import scope_for
from portal.uploads import suffix_of
from portal.views import xlsx_response


class AuthedRequest(HttpRequest):
    """Every view here is behind login_required: the user is a real account."""

    user: User  # type: ignore[assignment]


def _xlsx(title: str, headers: list[str], rows: Iterable[Iterable[Any]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = title[:31]
    sheet.append(headers)
    for row in rows:
        sheet.append(
            [str(v) if v is not None and not isinstance(v, int | float) else v for v in row]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _apply(form: Any, action: Callable[[], Any]) -> Any:
    """Run a service; its ValidationError lands next to the form's fields. None on error."""
    try:
        return action()
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            for name, errors in exc.error_dict.items():
                form.add_error(name if name in form.fields else None, errors)
        else:
            form.add_error(None, exc)
        return None


def _fail(request: AuthedRequest, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


def _directed_organisations(user: Any) -> QuerySet[Organisation]:
    scope = scope_for(user)
    if scope.is_superuser:
        return Organisation.objects.exclude(kind=Organisation.Kind.GROUP)
    condition = Q(pk__in=[])
    for path in sorted(scope.oversee_paths | scope.manage_paths):
        condition |= Q(path__startswith=path)
    return Organisation.objects.filter(condition)


def _visible_materials(user: Any) -> QuerySet[Material]:
    return Material.objects.visible_to(user).order_by("-created_at")


def _own_activities(user: Any) -> Any:
    return selectors.activity_list(user).filter(participants=user)


# --- the member's study page -------------------------------------------------------------


@login_required
def home(request: AuthedRequest) -> HttpResponse:
    year = year_or_current(request.GET.get("year"))
    scope = scope_for(request.user)
    user = request.user
    context: dict[str, Any] = {"year": year, "scope": scope}
    # Everything below is kept in the cache under the study tables' stamps
    # (portal/fragments.py) and read only when the cached body is missing; the log form's
    # CSRF token stays outside the cached parts.
    if scope.is_member:
        study = context["study"] = fragments.lazy(lambda: selectors.my_study(user, year))
        context["assignment_rows"] = fragments.lazy(lambda: rows.assignment_rows(study.assignments))
        context["reflection_rows"] = fragments.lazy(
            lambda: rows.own_reflection_rows(study.reflections)
        )
        context["log_form"] = fragments.lazy(
            lambda: StudyLogForm(materials=_visible_materials(user))
        )
    if scope.manage_paths or scope.is_superuser:

        def waiting() -> dict[str, int]:
            plans = selectors.study_plan_list(user, year).filter(status=ReviewStatus.SUBMITTED)
            return {
                "plans": selectors.plan_count(
                    user, plans, key=f"list|{year}|{ReviewStatus.SUBMITTED}"
                ),
                "reflections": selectors.waiting_reflection_count(user, own=True),
                "logs": selectors.flagged_logs(user).count(),
            }

        context["waiting"] = fragments.lazy(waiting)
    context["body_key"] = fragments.body_key(request, selectors.HOME_TABLES)
    return render(request, "learning/home.html", context)


# --- personal plans ----------------------------------------------------------------------


@login_required
def study_plan_create(request: AuthedRequest) -> HttpResponse:
    if not scope_for(request.user).is_member:
        raise Http404(_("Only Party members keep study plans."))
    form = StudyPlanForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        plan = _apply(
            form, lambda: services.study_plan_save(user=request.user, **form.cleaned_data)
        )
        if plan is not None:
            messages.success(
                request, _("Your study plan is saved as a draft. Submit it when ready.")
            )
            return redirect("learning:plan", pk=plan.pk)
    return render(
        request, "learning/form.html", {"form": form, "title": _("New personal study plan")}
    )


@login_required
def study_plan_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    plan = access.study_plan_for_user(request.user, pk, edit=True)
    initial = {f: getattr(plan, f) for f in ("year", "goals", "topics", "methods", "target_hours")}
    form = StudyPlanForm(request.POST or None, initial=initial)
    form.fields["year"].disabled = True
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "year"}
        saved = _apply(
            form,
            lambda: services.study_plan_save(user=request.user, plan=plan, year=plan.year, **data),
        )
        if saved is not None:
            return redirect("learning:plan", pk=plan.pk)
    return render(
        request, "learning/form.html", {"form": form, "title": _("Edit personal study plan")}
    )


@login_required
def study_plan_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    plan = access.study_plan_for_user(request.user, pk)
    return _plan_page(request, plan, ReviewForm())


def _plan_page(
    request: AuthedRequest, plan: Any, review_form: ReviewForm, status: int = 200
) -> HttpResponse:
    scope = scope_for(request.user)
    counted = (
        StudyLog.objects.filter(user_id=plan.user_id, studied_on__year=plan.year)
        .counted()
        .total_minutes()
    )
    can_review = plan.status == ReviewStatus.SUBMITTED and scope.can_manage_organisation(
        plan.organisation
    )
    return render(
        request,
        "learning/plan_detail.html",
        {
            "plan": plan,
            "counted_hours": round(counted / 60, 1),
            "progress": min(100, round(100 * counted / (plan.target_hours * 60))),
            "is_owner": plan.user_id == request.user.pk,
            "review_form": review_form if can_review else None,
        },
        status=status,
    )


@login_required
@require_POST
def study_plan_submit(request: AuthedRequest, pk: int) -> HttpResponse:
    plan = access.study_plan_for_user(request.user, pk, edit=True)
    try:
        services.study_plan_submit(plan=plan)
        messages.success(request, _("Plan submitted to the branch secretary."))
    except ValidationError as exc:
        _fail(request, exc)
    return redirect("learning:plan", pk=plan.pk)


@login_required
@require_POST
def study_plan_review(request: AuthedRequest, pk: int) -> HttpResponse:
    plan = access.study_plan_for_user(request.user, pk, review=True)
    form = ReviewForm(request.POST)
    if form.is_valid():
        done = _apply(
            form,
            lambda: services.study_plan_review(
                plan=plan,
                by=request.user,
                approve=form.cleaned_data["decision"] == "approve",
                comment=form.cleaned_data["comment"],
            ),
        )
        if done is not None:
            messages.success(request, pgettext("learning", "Review saved."))
            return redirect("learning:plan", pk=plan.pk)
    return _plan_page(request, plan, form, status=400)


@login_required
def study_plan_list(request: AuthedRequest) -> HttpResponse:
    scope = scope_for(request.user)
    if not (scope.manages or scope.oversees):
        raise Http404(pgettext("learning", "No such page."))
    form = FilterForm(request.GET or None, statuses=ReviewStatus.choices)
    year = timezone.localdate().year
    status = q = ""
    if form.is_valid():
        year = form.cleaned_data["year"] or year
        status, q = form.cleaned_data["status"], form.cleaned_data["q"]

    def filtered() -> QuerySet[StudyPlan]:
        plans = selectors.study_plan_list(request.user, year)
        if status:
            plans = plans.filter(status=status)
        if q:
            plans = plans.filter(user__name__icontains=q)
        return plans

    if request.GET.get("export") == "xlsx":
        return xlsx_response(
            _xlsx(
                pgettext("learning", "Personal study plans"),
                [
                    pgettext("learning", "Member"),
                    pgettext("learning", "Branch"),
                    pgettext("learning", "Year"),
                    pgettext("learning", "Target hours"),
                    pgettext("learning", "Hours studied"),
                    pgettext("learning", "Status"),
                ],
                (
                    (
                        p.user.name,
                        p.organisation.name,
                        p.year,
                        p.target_hours,
                        round(p.counted / 60, 1),  # type: ignore[attr-defined]
                        p.get_status_display(),
                    )
                    for p in filtered()
                ),
            ),
            f"个人学习计划-{year}.xlsx",
        )

    def page_of_plans() -> Any:
        plans = filtered()
        listed: Any = plans
        if not q:  # a search by name is counted each time
            count = selectors.plan_count(request.user, plans, key=f"list|{year}|{status}")
            listed = Counted(plans, count)
        return paginate(request, listed)

    # The filter, the rows and the pages are kept in the cache under the plans' and logs'
    # stamps (portal/fragments.py): read only when the cached body is missing.
    page = fragments.lazy(page_of_plans)
    return render(
        request,
        "learning/plan_list.html",
        {
            "form": form,
            "page": page,
            "rows": fragments.lazy(lambda: rows.plan_rows(page)),
            "year": year,
            "body_key": fragments.body_key(request, selectors.PLAN_LIST_TABLES),
        },
    )


# --- study logs --------------------------------------------------------------------------


@login_required
def study_log_list(request: AuthedRequest) -> HttpResponse:
    if not scope_for(request.user).is_member:
        raise Http404(_("Only Party members keep study logs."))
    form = StudyLogForm(request.POST or None, materials=_visible_materials(request.user))
    if request.method == "POST" and form.is_valid():
        log = _apply(
            form, lambda: services.study_log_create(user=request.user, **form.cleaned_data)
        )
        if log is not None:
            if log.status == StudyLog.Status.FLAGGED:
                messages.warning(
                    request,
                    _(
                        "Logged. This is far above your plan's pace, so it counts once your branch secretary confirms it."
                    ),
                )
            else:
                messages.success(request, pgettext("learning", "Study logged."))
            return redirect("learning:logs")
    logs = StudyLog.objects.filter(user=request.user).select_related("material", "topic")
    return render(
        request, "learning/log_list.html", {"form": form, "page": paginate(request, logs)}
    )


@login_required
def flagged_log_list(request: AuthedRequest) -> HttpResponse:
    if not scope_for(request.user).manages:
        raise Http404(pgettext("learning", "No such page."))
    return render(
        request,
        "learning/flagged_logs.html",
        {"page": paginate(request, selectors.flagged_logs(request.user))},
    )


@login_required
@require_POST
def study_log_decide(request: AuthedRequest, pk: int) -> HttpResponse:
    log = access.study_log_for_user(request.user, pk)
    try:
        services.study_log_decide(
            log=log, by=request.user, confirm=request.POST.get("decision") == "confirm"
        )
        messages.success(request, pgettext("learning", "Decision saved."))
    except ValidationError as exc:
        _fail(request, exc)
    return redirect("learning:flagged_logs")


# --- reflections -------------------------------------------------------------------------


REFLECTION_STATUSES = Reflection.Status.choices
REFLECTION_ROW_FIELDS = (
    "title",
    "status",
    "grade",
    "is_exemplar",
    "originality_flagged",
    "created_at",
    "author__name",
    "organisation__name",
)


@login_required
def reflection_list(request: AuthedRequest) -> HttpResponse:
    form = FilterForm(request.GET or None, statuses=REFLECTION_STATUSES)

    def filtered() -> QuerySet[Reflection]:
        reflections = selectors.reflection_list(request.user)
        if form.is_valid():
            if form.cleaned_data["status"]:
                reflections = reflections.filter(status=form.cleaned_data["status"])
            if form.cleaned_data["q"]:
                q = form.cleaned_data["q"]
                reflections = reflections.filter(
                    Q(title__icontains=q) | Q(author__name__icontains=q)
                )
            if form.cleaned_data["year"]:
                reflections = reflections.filter(created_at__year=form.cleaned_data["year"])
        if request.GET.get("flagged"):
            reflections = reflections.filter(originality_flagged=True)
        return reflections

    if request.GET.get("export") == "xlsx":
        return xlsx_response(
            _xlsx(
                pgettext("learning", "Study reflections"),
                [
                    pgettext("learning", "Title"),
                    pgettext("learning", "Author"),
                    pgettext("learning", "Branch"),
                    pgettext("learning", "Status"),
                    pgettext("learning", "Grade"),
                    pgettext("learning", "Possible copying"),
                    pgettext("learning", "Submitted at"),
                ],
                (
                    (
                        r.title,
                        r.author.name,
                        r.organisation.name,
                        r.get_status_display(),
                        r.get_grade_display(),
                        pgettext("learning", "Yes") if r.originality_flagged else "",
                        timezone.localtime(r.submitted_at).strftime("%Y-%m-%d")
                        if r.submitted_at
                        else "",
                    )
                    for r in filtered()
                ),
            ),
            f"学习体会-{timezone.localdate():%Y%m%d}.xlsx",
        )

    def page_of_reflections() -> Any:
        # The page shows titles, flags and names: the bodies, the matches and the
        # materials' texts stay in the database (a page of them made PostgreSQL plan a
        # parallel scan).
        listed = (
            filtered()
            .select_related(None)
            .select_related("author", "organisation")
            .only(*REFLECTION_ROW_FIELDS)
        )
        return paginate(request, listed)

    # The filter, the rows and the pages are kept in the cache under the reflections'
    # stamps (portal/fragments.py): read only when the cached body is missing.
    page = fragments.lazy(page_of_reflections)
    return render(
        request,
        "learning/reflection_list.html",
        {
            "form": form,
            "page": page,
            "rows": fragments.lazy(lambda: rows.reflection_rows(page)),
            "body_key": fragments.body_key(request, selectors.REFLECTION_LIST_TABLES),
        },
    )


@login_required
def exemplar_list(request: AuthedRequest) -> HttpResponse:
    return render(
        request,
        "learning/exemplar_list.html",
        {"page": paginate(request, selectors.exemplars(request.user))},
    )


@login_required
def reflection_create(request: AuthedRequest) -> HttpResponse:
    if not scope_for(request.user).is_member:
        raise Http404(_("Only Party members write reflections."))
    initial = {}
    if request.GET.get("material"):
        initial["material"] = request.GET["material"]
    form = ReflectionForm(
        request.POST or None,
        request.FILES or None,
        initial=initial,
        materials=_visible_materials(request.user),
        activities=_own_activities(request.user),
    )
    if request.method == "POST" and form.is_valid():
        reflection = _apply(
            form, lambda: services.reflection_save(author=request.user, **form.cleaned_data)
        )
        if reflection is not None:
            messages.success(request, _("Saved as a draft. Submit it when ready."))
            return redirect("learning:reflection", pk=reflection.pk)
    return render(
        request,
        "learning/reflection_form.html",
        {"form": form, "title": _("Write a study reflection")},
    )


@login_required
def reflection_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    reflection = access.reflection_for_user(request.user, pk, edit=True)
    if not reflection.is_editable:
        messages.error(request, _("A submitted or accepted reflection cannot be changed."))
        return redirect("learning:reflection", pk=pk)
    form = ReflectionForm(
        request.POST or None,
        request.FILES or None,
        initial={
            "title": reflection.title,
            "body": reflection.body,
            "material": reflection.material_id,
            "topic": reflection.topic_id,
            "activity": reflection.activity_id,
        },
        materials=_visible_materials(request.user),
        activities=_own_activities(request.user),
    )
    if request.method == "POST" and form.is_valid():
        saved = _apply(
            form,
            lambda: services.reflection_save(
                author=request.user, reflection=reflection, **form.cleaned_data
            ),
        )
        if saved is not None:
            messages.success(request, _("Saved. Submit it when ready."))
            return redirect("learning:reflection", pk=pk)
    return render(
        request,
        "learning/reflection_form.html",
        {
            "form": form,
            "title": pgettext("learning", "Rewrite the reflection"),
            "reflection": reflection,
        },
    )


@login_required
def reflection_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    reflection = access.reflection_for_user(request.user, pk)
    return _reflection_page(request, reflection, ReflectionReviewForm())


def _reflection_page(
    request: AuthedRequest,
    reflection: Reflection,
    review_form: ReflectionReviewForm,
    status: int = 200,
) -> HttpResponse:
    scope = scope_for(request.user)
    is_reviewer = scope.can_manage_organisation(reflection.organisation)
    highlights = []
    if is_reviewer and reflection.originality_flagged:
        for match in reflection.originality_matches:
            highlights.append({**match, "segments": segments(reflection.body_text, match["spans"])})
    return render(
        request,
        "learning/reflection_detail.html",
        {
            "reflection": reflection,
            "is_owner": reflection.author_id == request.user.pk,
            "is_reviewer": is_reviewer,
            "review_form": review_form
            if is_reviewer and reflection.status == Reflection.Status.SUBMITTED
            else None,
            "highlights": highlights,
            "versions": reflection.versions.select_related("reviewed_by").all(),
            "comments": reflection.comments.select_related("author").all(),
            "comment_form": CommentForm(),
        },
        status=status,
    )


@login_required
@require_POST
def reflection_submit(request: AuthedRequest, pk: int) -> HttpResponse:
    reflection = access.reflection_for_user(request.user, pk, edit=True)
    try:
        services.reflection_submit(reflection=reflection)
        messages.success(request, _("Submitted to the branch secretary for review."))
    except ValidationError as exc:
        _fail(request, exc)
    return redirect("learning:reflection", pk=pk)


@login_required
@require_POST
def reflection_review(request: AuthedRequest, pk: int) -> HttpResponse:
    reflection = access.reflection_for_user(request.user, pk, review=True)
    form = ReflectionReviewForm(request.POST)
    if form.is_valid():
        done = _apply(
            form,
            lambda: services.reflection_review(
                reflection=reflection,
                by=request.user,
                accept=form.cleaned_data["decision"] == "accept",
                grade=form.cleaned_data["grade"],
                comment=form.cleaned_data["comment"],
            ),
        )
        if done is not None:
            messages.success(request, pgettext("learning", "Review saved."))
            return redirect("learning:reflection", pk=pk)
    return _reflection_page(request, reflection, form, status=400)


@login_required
@require_POST
def reflection_exemplar(request: AuthedRequest, pk: int) -> HttpResponse:
    reflection = access.reflection_for_user(request.user, pk, review=True)
    try:
        services.reflection_set_exemplar(
            reflection=reflection, exemplar=request.POST.get("exemplar") == "1"
        )
        messages.success(request, pgettext("learning", "Saved."))
    except ValidationError as exc:
        _fail(request, exc)
    return redirect("learning:reflection", pk=pk)


@login_required
@require_POST
def reflection_comment(request: AuthedRequest, pk: int) -> HttpResponse:
    reflection = access.reflection_for_user(request.user, pk)
    form = CommentForm(request.POST)
    if form.is_valid():
        services.comment_add(
            author=request.user, reflection=reflection, text=form.cleaned_data["text"]
        )
    else:
        messages.error(request, pgettext("learning", "Write something first."))
    return redirect("learning:reflection", pk=pk)


# --- materials ---------------------------------------------------------------------------


@login_required
def material_list(request: AuthedRequest) -> HttpResponse:
    form = FilterForm(request.GET or None, statuses=Material.Kind.choices)
    form.fields["status"].label = pgettext("learning", "Kind")

    def page_of_materials() -> Any:
        materials = selectors.material_list(request.user)
        if form.is_valid():
            if form.cleaned_data["status"]:
                materials = materials.filter(kind=form.cleaned_data["status"])
            if form.cleaned_data["q"]:
                materials = materials.filter(title__icontains=form.cleaned_data["q"])
        if request.GET.get("topic", "").isdigit():
            materials = materials.filter(topics__id=int(request.GET["topic"]))
        return paginate(request, materials)

    # The topics, the filter, the rows and the pages are kept in the cache under the
    # materials' and topics' stamps (portal/fragments.py): read only on a miss.
    page = fragments.lazy(page_of_materials)
    scope = scope_for(request.user)
    return render(
        request,
        "learning/material_list.html",
        {
            "form": form,
            "page": page,
            "rows": fragments.lazy(lambda: rows.material_rows(page)),
            "topics": fragments.lazy(lambda: list(Topic.objects.all())),
            "can_file": scope.manages or scope.oversees,
            "body_key": fragments.body_key(request, selectors.MATERIAL_LIST_TABLES),
        },
    )


@login_required
def material_create(request: AuthedRequest) -> HttpResponse:
    organisations = _directed_organisations(request.user)
    if not organisations.exists():
        raise Http404(pgettext("learning", "No such page."))
    form = MaterialForm(request.POST or None, request.FILES or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        topics = list(data.pop("topics"))
        new_topic = data.pop("new_topic").strip()
        if new_topic:
            topics.append(Topic.objects.get_or_create(name=new_topic)[0])
        material = _apply(
            form, lambda: services.material_create(by=request.user, topics=topics, **data)
        )
        if material is not None:
            return redirect("learning:material", pk=material.pk)
    return render(
        request,
        "learning/form.html",
        {"form": form, "title": pgettext("learning", "New study material"), "multipart": True},
    )


@login_required
def material_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    material = access.material_for_user(request.user, pk)
    scope = scope_for(request.user)
    can_direct = access.directs(scope, material.organisation)
    context: dict[str, Any] = {
        "material": material,
        "topics": material.topics.all(),
        "assignments": material.assignments.select_related("organisation"),
        "has_read": material.reads.filter(user=request.user).exists(),
        "comments": material.comments.select_related("author"),
        "comment_form": CommentForm(),
        "can_direct": can_direct,
    }
    if can_direct:
        context["assign_form"] = AssignmentForm(organisations=_directed_organisations(request.user))
        statuses = selectors.read_status(material, request.user)
        if request.GET.get("export") == "xlsx":
            return xlsx_response(
                _xlsx(
                    pgettext("learning", "Read status"),
                    [
                        pgettext("learning", "Member"),
                        pgettext("learning", "Branch"),
                        pgettext("learning", "Read"),
                    ],
                    (
                        (
                            m.user.name,
                            m.branch.name,
                            pgettext("learning", "Read")
                            if m.has_read  # type: ignore[attr-defined]
                            else pgettext("learning", "Not yet"),
                        )
                        for m in statuses
                    ),
                ),
                f"阅读情况-{material.pk}.xlsx",
            )
        context["read_page"] = paginate(request, statuses)
    return render(request, "learning/material_detail.html", context)


@login_required
@require_POST
def material_assign(request: AuthedRequest, pk: int) -> HttpResponse:
    material = access.material_for_user(request.user, pk, manage=True)
    form = AssignmentForm(request.POST, organisations=_directed_organisations(request.user))
    if form.is_valid():
        done = _apply(
            form,
            lambda: services.material_assign(
                material=material, by=request.user, **form.cleaned_data
            ),
        )
        if done is not None:
            messages.success(request, pgettext("learning", "Material assigned."))
            return redirect("learning:material", pk=pk)
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, str(error))
    return redirect("learning:material", pk=pk)


@login_required
@require_POST
def material_read(request: AuthedRequest, pk: int) -> HttpResponse:
    material = access.material_for_user(request.user, pk)
    services.material_mark_read(material=material, user=request.user)
    messages.success(request, pgettext("learning", "Marked as read."))
    return redirect("learning:material", pk=pk)


@login_required
@require_POST
def material_comment(request: AuthedRequest, pk: int) -> HttpResponse:
    material = access.material_for_user(request.user, pk)
    form = CommentForm(request.POST)
    if form.is_valid():
        services.comment_add(author=request.user, material=material, text=form.cleaned_data["text"])
    else:
        messages.error(request, pgettext("learning", "Write something first."))
    return redirect("learning:material", pk=pk)


# --- branch annual plans -----------------------------------------------------------------


@login_required
def branch_plan_list(request: AuthedRequest) -> HttpResponse:
    scope = scope_for(request.user)
    return render(
        request,
        "learning/branch_plan_list.html",
        {
            "page": paginate(request, selectors.branch_plan_list(request.user)),
            "can_file": bool(scope.manage_paths) or scope.is_superuser,
        },
    )


def _managed_branches(user: Any) -> QuerySet[Organisation]:
    scope = scope_for(user)
    return Organisation.objects.filter(
        scope.organisations_q(manage=True), kind=Organisation.Kind.BRANCH
    )


@login_required
def branch_plan_create(request: AuthedRequest) -> HttpResponse:
    branches = _managed_branches(request.user)
    if not branches.exists():
        raise Http404(pgettext("learning", "No such page."))
    form = BranchPlanForm(request.POST or None, organisations=branches)
    if request.method == "POST" and form.is_valid():
        plan = _apply(form, lambda: services.branch_plan_save(by=request.user, **form.cleaned_data))
        if plan is not None:
            return redirect("learning:branch_plan", pk=plan.pk)
    return render(
        request, "learning/form.html", {"form": form, "title": _("New branch annual study plan")}
    )


@login_required
def branch_plan_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    plan = access.branch_plan_for_user(request.user, pk)
    scope = scope_for(request.user)
    can_edit = scope.can_manage_organisation(plan.organisation) and plan.status in (
        ReviewStatus.DRAFT,
        ReviewStatus.RETURNED,
    )
    item_form = BranchPlanItemForm(request.POST or None) if can_edit else None
    if request.method == "POST":
        if item_form is None:
            raise Http404(pgettext("learning", "No such plan."))
        if item_form.is_valid():
            item = _apply(
                item_form,
                lambda: services.branch_plan_item_add(plan=plan, **item_form.cleaned_data),
            )
            if item is not None:
                return redirect("learning:branch_plan", pk=pk)
    can_review = plan.status == ReviewStatus.SUBMITTED and access.oversees(scope, plan.organisation)
    return render(
        request,
        "learning/branch_plan_detail.html",
        {
            "plan": plan,
            "items": plan.items.all(),
            "item_form": item_form,
            "can_edit": can_edit,
            "review_form": ReviewForm() if can_review else None,
        },
    )


@login_required
@require_POST
def branch_plan_submit(request: AuthedRequest, pk: int) -> HttpResponse:
    plan = access.branch_plan_for_user(request.user, pk, edit=True)
    try:
        services.branch_plan_submit(plan=plan)
        messages.success(request, _("Plan submitted to the Party committee."))
    except ValidationError as exc:
        _fail(request, exc)
    return redirect("learning:branch_plan", pk=pk)


@login_required
@require_POST
def branch_plan_review(request: AuthedRequest, pk: int) -> HttpResponse:
    plan = access.branch_plan_for_user(request.user, pk, review=True)
    form = ReviewForm(request.POST)
    if form.is_valid():
        done = _apply(
            form,
            lambda: services.branch_plan_review(
                plan=plan,
                by=request.user,
                approve=form.cleaned_data["decision"] == "approve",
                comment=form.cleaned_data["comment"],
            ),
        )
        if done is not None:
            messages.success(request, pgettext("learning", "Review saved."))
            return redirect("learning:branch_plan", pk=pk)
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, str(error))
    return redirect("learning:branch_plan", pk=pk)


# --- research reports --------------------------------------------------------------------


@login_required
def report_list(request: AuthedRequest) -> HttpResponse:
    form = FilterForm(request.GET or None, statuses=ResearchReport.Status.choices)
    reports = selectors.research_report_list(request.user)
    if form.is_valid():
        if form.cleaned_data["status"]:
            reports = reports.filter(status=form.cleaned_data["status"])
        if form.cleaned_data["q"]:
            reports = reports.filter(title__icontains=form.cleaned_data["q"])
    if request.GET.get("export") == "xlsx":
        return xlsx_response(
            _xlsx(
                pgettext("learning", "Research reports"),
                [
                    pgettext("learning", "Title"),
                    pgettext("learning", "Topic"),
                    pgettext("learning", "Organisation"),
                    pgettext("learning", "Authors"),
                    pgettext("learning", "Status"),
                    pgettext("learning", "Adopted by"),
                    pgettext("learning", "In decision"),
                ],
                (
                    (
                        r.title,
                        r.topic,
                        r.organisation.name,
                        "、".join(a.name for a in r.authors.all()),
                        r.get_status_display(),
                        r.adopted_by,
                        r.adoption_decision,
                    )
                    for r in reports
                ),
            ),
            f"调研报告-{timezone.localdate():%Y%m%d}.xlsx",
        )
    return render(
        request, "learning/report_list.html", {"form": form, "page": paginate(request, reports)}
    )


def _report_organisations(user: Any) -> QuerySet[Organisation]:
    scope = scope_for(user)
    own = Q(pk=scope.own_branch_id) if scope.own_branch_id else Q(pk__in=[])
    return Organisation.objects.filter(own | Q(pk__in=_directed_organisations(user).values("pk")))


@login_required
def report_create(request: AuthedRequest) -> HttpResponse:
    organisations = _report_organisations(request.user)
    if not organisations.exists():
        raise Http404(pgettext("learning", "No such page."))
    form = ResearchReportForm(
        request.POST or None,
        request.FILES or None,
        organisations=organisations,
        authors=User.objects.visible_to(request.user).order_by("name"),
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        authors = list(data.pop("authors")) or [request.user]
        report = _apply(
            form, lambda: services.research_report_create(by=request.user, authors=authors, **data)
        )
        if report is not None:
            return redirect("learning:report", pk=report.pk)
    return render(
        request,
        "learning/form.html",
        {"form": form, "title": pgettext("learning", "New research report"), "multipart": True},
    )


@login_required
def report_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    report = access.research_report_for_user(request.user, pk)
    scope = scope_for(request.user)
    reviewer = access.oversees(scope, report.organisation)
    return render(
        request,
        "learning/report_detail.html",
        {
            "report": report,
            "authors": report.authors.all(),
            "outcomes": report.outcomes.select_related("recorded_by"),
            "is_owner": report.created_by_id == request.user.pk,
            "review_form": ReviewForm()
            if reviewer and report.status == ResearchReport.Status.SUBMITTED
            else None,
            "adoption_form": AdoptionForm()
            if reviewer and report.status == ResearchReport.Status.REVIEWED
            else None,
            "outcome_form": OutcomeForm()
            if reviewer and report.status == ResearchReport.Status.ADOPTED
            else None,
        },
    )


@login_required
@require_POST
def report_submit(request: AuthedRequest, pk: int) -> HttpResponse:
    report = access.research_report_for_user(request.user, pk, edit=True)
    try:
        services.research_report_submit(report=report)
        messages.success(request, _("Report submitted to the Party committee."))
    except ValidationError as exc:
        _fail(request, exc)
    return redirect("learning:report", pk=pk)


def _post_action(
    request: AuthedRequest, pk: int, form: Any, action: Callable[[], Any]
) -> HttpResponse:
    if form.is_valid() and _apply(form, action) is not None:
        messages.success(request, pgettext("learning", "Saved."))
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
    return redirect("learning:report", pk=pk)


@login_required
@require_POST
def report_review(request: AuthedRequest, pk: int) -> HttpResponse:
    report = access.research_report_for_user(request.user, pk, review=True)
    form = ReviewForm(request.POST)
    return _post_action(
        request,
        pk,
        form,
        lambda: services.research_report_review(
            report=report,
            by=request.user,
            accept=form.cleaned_data["decision"] == "approve",
            comment=form.cleaned_data["comment"],
        ),
    )


@login_required
@require_POST
def report_adopt(request: AuthedRequest, pk: int) -> HttpResponse:
    report = access.research_report_for_user(request.user, pk, review=True)
    form = AdoptionForm(request.POST)
    return _post_action(
        request,
        pk,
        form,
        lambda: services.research_report_adopt(
            report=report,
            adopted_by=form.cleaned_data["adopted_by"],
            decision=form.cleaned_data["decision"],
            adopted_on=form.cleaned_data["adopted_on"],
        ),
    )


@login_required
@require_POST
def report_outcome(request: AuthedRequest, pk: int) -> HttpResponse:
    report = access.research_report_for_user(request.user, pk, review=True)
    form = OutcomeForm(request.POST)
    return _post_action(
        request,
        pk,
        form,
        lambda: services.report_outcome_add(report=report, by=request.user, **form.cleaned_data),
    )


# --- activities --------------------------------------------------------------------------


@login_required
def activity_list(request: AuthedRequest) -> HttpResponse:
    organisations = _directed_organisations(request.user)
    can_create = organisations.exists()
    form = ActivityForm(request.POST or None, organisations=organisations) if can_create else None
    if request.method == "POST":
        if form is None:
            raise Http404(pgettext("learning", "No such page."))
        if form.is_valid():
            activity = _apply(
                form, lambda: services.activity_create(by=request.user, **form.cleaned_data)
            )
            if activity is not None:
                return redirect("learning:activity", pk=activity.pk)
    return render(
        request,
        "learning/activity_list.html",
        {"page": paginate(request, selectors.activity_list(request.user)), "form": form},
    )


@login_required
def activity_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    activity = access.activity_for_user(request.user, pk)
    scope = scope_for(request.user)
    return render(
        request,
        "learning/activity_detail.html",
        {
            "activity": activity,
            "participants": activity.participants.order_by("name"),
            "joined": activity.participants.filter(pk=request.user.pk).exists(),
            "can_join": access.is_within(scope, activity.organisation),
            "reflections": selectors.reflection_list(request.user).filter(activity=activity),
        },
    )


@login_required
@require_POST
def activity_join(request: AuthedRequest, pk: int) -> HttpResponse:
    activity = access.activity_for_user(request.user, pk)
    if not access.is_within(scope_for(request.user), activity.organisation):
        raise Http404(pgettext("learning", "No such activity."))
    services.activity_join(activity=activity, user=request.user)
    messages.success(request, _("You have joined the activity."))
    return redirect("learning:activity", pk=pk)


# --- 中心组学习 ----------------------------------------------------------------------------


def _committee_nodes(user: Any) -> QuerySet[Organisation]:
    scope = scope_for(user)
    if scope.is_superuser:
        return Organisation.objects.filter(kind=Organisation.Kind.COMMITTEE)
    return Organisation.objects.filter(path__in=sorted(scope.manage_nodes))


def _committee_people(user: Any) -> QuerySet[User]:
    return (
        User.objects.filter(
            positions__organisation__in=_committee_nodes(user), positions__ended_on__isnull=True
        )
        .distinct()
        .order_by("name")
    )


@login_required
def centre_group(request: AuthedRequest) -> HttpResponse:
    scope = scope_for(request.user)
    if not scope.oversees:
        raise Http404(pgettext("learning", "No such page."))
    committees = _committee_nodes(request.user)
    form = None
    if committees.exists():
        form = CentreGroupSessionForm(
            request.POST or None, organisations=committees, people=_committee_people(request.user)
        )
    if request.method == "POST":
        if form is None:
            raise Http404(pgettext("learning", "No such page."))
        if form.is_valid():
            data = dict(form.cleaned_data)
            task_topic = data.pop("task_topic").strip()
            task = None
            if task_topic:
                task = CentreGroupTask.objects.filter(
                    organisation=data["organisation"], year=data["held_on"].year, topic=task_topic
                ).first() or services.centre_group_task_create(
                    organisation=data["organisation"], year=data["held_on"].year, topic=task_topic
                )
            attendees = list(data.pop("attendees"))
            session = _apply(
                form,
                lambda: services.centre_group_session_create(
                    task=task, attendees=attendees, **data
                ),
            )
            if session is not None:
                return redirect("learning:centre_session", pk=session.pk)
    condition = Q(pk__in=[])
    for path in sorted(scope.oversee_paths):
        condition |= Q(organisation__path__startswith=path)
    tasks = CentreGroupTask.objects.filter(Q() if scope.is_superuser else condition).select_related(
        "organisation"
    )
    return render(
        request,
        "learning/centre_group.html",
        {
            "page": paginate(request, selectors.centre_group_sessions(request.user)),
            "tasks": tasks,
            "form": form,
        },
    )


@login_required
def centre_session(request: AuthedRequest, pk: int) -> HttpResponse:
    session = access.centre_group_session_for_user(request.user, pk)
    scope = scope_for(request.user)
    can_manage = scope.can_manage_organisation(session.organisation)
    form = (
        SpeechForm(request.POST or None, people=_committee_people(request.user))
        if can_manage
        else None
    )
    if request.method == "POST":
        if form is None:
            raise Http404(pgettext("learning", "No such session."))
        if form.is_valid():
            done = _apply(
                form, lambda: services.centre_group_speech_add(session=session, **form.cleaned_data)
            )
            if done is not None:
                return redirect("learning:centre_session", pk=pk)
    return render(
        request,
        "learning/centre_session.html",
        {
            "session": session,
            "speeches": session.speeches.select_related("speaker"),
            "attendees": session.attendees.order_by("name"),
            "form": form,
        },
    )


# --- the archive -------------------------------------------------------------------------


def _archive(request: AuthedRequest, user_pk: int) -> selectors.Archive:
    membership: Membership = membership_for_user(request.user, user_pk)
    year = year_or_current(request.GET.get("year"))
    return selectors.archive_for(membership.user, year, membership=membership)


@login_required
def archive(request: AuthedRequest, user_pk: int) -> HttpResponse:
    # Checked on every request, before anything cached.
    access.check_member_visible(request.user, user_pk)
    year = year_or_current(request.GET.get("year"))

    def build() -> selectors.Archive:
        membership: Membership = membership_for_user(request.user, user_pk)
        return selectors.archive_for(membership.user, year, membership=membership, contests=False)

    # The archive is kept in the cache under its tables' stamps (portal/fragments.py) and
    # read only on a miss; the contests are read each time (attempts are written by every
    # answer saved and are not stamped).
    return render(
        request,
        "learning/archive.html",
        {
            "archive": fragments.lazy(build),
            "contests": selectors.archive_contests(user_pk, year),
            "body_key": fragments.body_key(request, selectors.ARCHIVE_TABLES),
        },
    )


@login_required
def archive_docx(request: AuthedRequest, user_pk: int) -> HttpResponse:
    from learning.documents import archive_document

    record = _archive(request, user_pk)
    response = HttpResponse(
        archive_document(record),
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    filename = f"学习档案-{record.member.name}-{record.year}.docx"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


def _stored_file(field: Any, title: str) -> FileResponse:
    """A record's file, downloaded under the record's title (it is stored under a random
    name) and only through the view that checked the user first."""
    if not field:
        raise Http404(_("No file."))
    return FileResponse(
        field.open("rb"), as_attachment=True, filename=f"{title}{suffix_of(field.name)}"
    )


@login_required
def material_file(request: AuthedRequest, pk: int) -> FileResponse:
    material = access.material_for_user(request.user, pk)
    return _stored_file(material.file, material.title)


@login_required
def reflection_file(request: AuthedRequest, pk: int) -> FileResponse:
    reflection = access.reflection_for_user(request.user, pk)
    return _stored_file(reflection.file, reflection.title)


@login_required
def report_file(request: AuthedRequest, pk: int) -> FileResponse:
    report = access.research_report_for_user(request.user, pk)
    return _stored_file(report.file, report.title)
