"""Thin views: access helper → form → service → redirect."""

from __future__ import annotations

import io
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from portal import fragments
from portal.models import Membership, Organisation
from portal.paging import paginate
from portal.scoping import scope_for
from portal.views import AuthenticatedRequest, xlsx_response
from scorecards import access, selectors, services
from scorecards.contributions import member_contribution
from scorecards.forms import (
    IndicatorForm,
    InnovationForm,
    InnovationScoreForm,
    InspectionForm,
    TableFilterForm,
)
from scorecards.metrics import METRICS
from scorecards.models import (
    Commendation,
    EvaluationReport,
    Indicator,
    IndicatorSet,
    Innovation,
    Scorecard,
    ScorecardBuild,
)
from scorecards.quarters import Quarter


def _period(request: HttpRequest) -> Quarter:
    return Quarter.parse(request.GET.get("quarter") or request.POST.get("quarter"))


def _quarter_choices(period: Quarter) -> list[Quarter]:
    current = Quarter.current()
    return (
        list(reversed(current.back(8)))
        if period in current.back(8)
        else [period, *reversed(current.back(8))]
    )


def _committee_context(
    request: HttpRequest, committee: Organisation, period: Quarter
) -> dict[str, Any]:
    """The committee and quarter switchers' context; read only if the page draws them (the
    scorecard table draws them inside its cached body)."""
    return {
        "committee": committee,
        "committees": fragments.lazy(lambda: access.committees_of(request.user)),
        "period": period,
        "quarters": fragments.lazy(lambda: _quarter_choices(period)),
    }


# --- the committee's table -------------------------------------------------------------------


@login_required
def table(request: AuthenticatedRequest) -> HttpResponse:
    scope = scope_for(request.user)
    if not scope.oversees and not request.GET.get("committee"):
        return redirect("scorecards:mine")  # a member's way in is their own page
    committee = access.committee_for_user(request.user, request.GET.get("committee"))
    period = _period(request)
    sort = request.GET.get("sort", "total")

    def filtered() -> tuple[TableFilterForm, Any]:
        form = TableFilterForm(request.GET or None, committee=committee)
        filters: dict[str, Any] = {}
        if form.is_valid():
            filters = {
                "q": form.cleaned_data["q"],
                "state": form.cleaned_data["state"],
                "under": form.cleaned_data["under"],
            }
        return form, selectors.committee_table(committee, period, sort=sort, **filters)

    if request.GET.get("export") == "xlsx":
        from scorecards.reports import table_xlsx

        ranks = selectors.subtree_ranks(committee, period)
        rows = selectors.table_rows(list(filtered()[1]), ranks, period)
        return xlsx_response(table_xlsx(rows), f"{committee.name}-考学评学-{period.code}.xlsx")
    # The build's progress is live: read on every request, drawn outside the cached body.
    build = (
        ScorecardBuild.objects.filter(committee=committee, year=period.year, quarter=period.quarter)
        .order_by("-run")
        .first()
    )
    # The switcher, the filter and the rows are kept in the cache under the scorecards'
    # stamp (portal/fragments.py): built only when the cached body is missing.
    built = fragments.lazy(filtered)
    page = fragments.lazy(lambda: paginate(request, built[1]))
    query = request.GET.copy()
    query.pop("sort", None)
    query.pop("page", None)
    return render(
        request,
        "scorecards/table.html",
        {
            **_committee_context(request, committee, period),
            "form": fragments.lazy(lambda: built[0]),
            "page": page,
            "rows": fragments.lazy(
                lambda: selectors.table_rows(
                    list(page), selectors.subtree_ranks(committee, period), period
                )
            ),
            "sort": sort,
            "sort_query": query.urlencode(),
            "build": build,
            "body_key": fragments.body_key(request, selectors.TABLE_TABLES),
        },
    )


@login_required
@require_POST
def build_start(request: AuthenticatedRequest) -> HttpResponse:
    committee = access.committee_for_user(request.user, request.POST.get("committee"))
    period = _period(request)
    build = services.scorecard_build_request(committee=committee, period=period, user=request.user)
    services.scorecard_build_enqueue(build)
    messages.info(request, _("The scorecards are being built; this page shows the progress."))
    return redirect(f"{reverse('scorecards:table')}?committee={committee.pk}&quarter={period.code}")


@login_required
@require_GET
def build_status(request: AuthenticatedRequest, pk: int) -> JsonResponse:
    build = ScorecardBuild.objects.select_related("committee").filter(pk=pk).first()
    if build is None or not access.oversees(scope_for(request.user), build.committee):
        raise Http404(_("No such build."))
    return JsonResponse(
        {
            "status": build.status,
            "status_label": build.get_status_display(),
            "progress": build.progress,
            "branches_done": build.branches_done,
            "branch_total": build.branch_total,
            "finished": build.is_finished,
        }
    )


# --- one scorecard ----------------------------------------------------------------------------


@login_required
def scorecard_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    scorecard = access.scorecard_for_user(request.user, pk)
    scope = scope_for(request.user)
    page = selectors.scorecard_page(scorecard)
    return render(
        request,
        "scorecards/scorecard_detail.html",
        {
            "page": page,
            "scorecard": scorecard,
            "can_decide": access.oversees(scope, scorecard.branch),
            "is_newest": page.versions[0].pk == scorecard.pk,
        },
    )


def _transition(request: AuthenticatedRequest, pk: int, action: Any, done: str) -> HttpResponse:
    scorecard = access.scorecard_for_user(request.user, pk, decide=True)
    try:
        action(scorecard=scorecard, user=request.user)
    except services.TransitionError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, done)
    return redirect("scorecards:scorecard", pk=scorecard.pk)


@login_required
@require_POST
def scorecard_review(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _transition(
        request, pk, services.scorecard_review, _("The scorecard is marked reviewed.")
    )


@login_required
@require_POST
def scorecard_confirm(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _transition(request, pk, services.scorecard_confirm, _("The scorecard is confirmed."))


# --- indicators -------------------------------------------------------------------------------


@login_required
def indicators(request: AuthenticatedRequest) -> HttpResponse:
    committee = access.committee_for_user(request.user, request.GET.get("committee"))
    period = _period(request)
    in_force = IndicatorSet.objects.in_force(committee, period)
    rows = list(in_force.indicators.order_by("dimension", "position", "pk")) if in_force else []
    return render(
        request,
        "scorecards/indicators.html",
        {
            **_committee_context(request, committee, period),
            "indicator_set": in_force,
            "indicators": rows,
            "versions": selectors.indicator_set_versions(committee),
            "metrics": METRICS,
            "inherited": in_force is not None and in_force.committee_id != committee.pk,
        },
    )


@login_required
def indicator_edit(request: AuthenticatedRequest) -> HttpResponse:
    committee = access.committee_for_user(
        request.user, request.GET.get("committee") or request.POST.get("committee")
    )
    period = _period(request)
    code = request.GET.get("code", "")
    in_force = IndicatorSet.objects.in_force(committee, period)
    initial: dict[str, Any] = {}
    if code and in_force is not None:
        existing = in_force.indicators.filter(code=code).first()
        if existing is None:
            raise Http404(_("No such indicator."))
        initial = {
            "code": existing.code,
            "name": existing.name,
            "dimension": existing.dimension,
            "kind": existing.kind,
            "metric": existing.metric,
            "weight": existing.weight,
            "max_points": existing.max_points,
            "description": existing.description,
            "position": existing.position,
        }
    form = IndicatorForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            indicator = services.indicator_save(
                committee=committee,
                period=period,
                code=data["code"],
                name=data["name"],
                dimension=data["dimension"],
                kind=data["kind"],
                metric_code=data["metric"],
                weight=data["weight"],
                max_points=data["max_points"],
                description=data["description"],
                position=data["position"],
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(
                request,
                _("Saved in version %(version)d of the indicators for %(quarter)s.")
                % {"version": indicator.indicator_set.version, "quarter": period.label},
            )
            return redirect(
                f"{reverse('scorecards:indicators')}?committee={committee.pk}&quarter={period.code}"
            )
    return render(
        request,
        "scorecards/indicator_form.html",
        {**_committee_context(request, committee, period), "form": form, "code": code},
    )


@login_required
@require_POST
def indicator_remove(request: AuthenticatedRequest) -> HttpResponse:
    committee = access.committee_for_user(request.user, request.POST.get("committee"))
    period = _period(request)
    services.indicator_delete(committee=committee, period=period, code=request.POST.get("code", ""))
    messages.success(request, _("The indicator was removed from this quarter's rules."))
    return redirect(
        f"{reverse('scorecards:indicators')}?committee={committee.pk}&quarter={period.code}"
    )


# --- inspections ------------------------------------------------------------------------------


@login_required
def inspections(request: AuthenticatedRequest) -> HttpResponse:
    committee = access.committee_for_user(request.user, request.GET.get("committee"))
    period = _period(request)
    rows = selectors.inspections_for(committee, period).prefetch_related("scores")
    return render(
        request,
        "scorecards/inspections.html",
        {**_committee_context(request, committee, period), "page": paginate(request, rows)},
    )


@login_required
def inspection_create(request: AuthenticatedRequest) -> HttpResponse:
    committee = access.committee_for_user(
        request.user, request.GET.get("committee") or request.POST.get("committee")
    )
    period = _period(request)
    in_force = IndicatorSet.objects.in_force(committee, period)
    inspected = list(in_force.indicators.filter(kind=Indicator.Kind.INSPECTED)) if in_force else []
    form = InspectionForm(
        request.POST or None,
        request.FILES or None,
        committee=committee,
        indicators=inspected,
        initial={"branch": request.GET.get("branch")},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            inspection = services.inspection_record(
                inspector=request.user,
                branch=data["branch"],
                method=data["method"],
                visited_on=data["visited_on"],
                findings=data["findings"],
                problems=data["problems"],
                scores=form.scores(),
                photos=[data["photo"]] if data.get("photo") else [],
                committee=committee,
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("The inspection was recorded."))
            return redirect("scorecards:inspection", pk=inspection.pk)
    return render(
        request,
        "scorecards/inspection_form.html",
        {**_committee_context(request, committee, period), "form": form},
    )


@login_required
def inspection_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    inspection = access.inspection_for_user(request.user, pk)
    return render(
        request,
        "scorecards/inspection_detail.html",
        {
            "inspection": inspection,
            "scores": inspection.scores.select_related("indicator"),
            "photos": inspection.photos.all(),
        },
    )


@login_required
def inspection_photo(request: AuthenticatedRequest, pk: int, photo_pk: int) -> FileResponse:
    inspection = access.inspection_for_user(request.user, pk)
    photo = inspection.photos.filter(pk=photo_pk).first()
    if photo is None or not photo.image:
        raise Http404(_("No such photo."))
    return FileResponse(photo.image.open("rb"))


# --- innovations ------------------------------------------------------------------------------


@login_required
def innovations(request: AuthenticatedRequest) -> HttpResponse:
    scope = scope_for(request.user)
    rows = (
        Innovation.objects.filter(scope.organisations_q(prefix="branch__"))
        .select_related("branch", "filed_by")
        .order_by("-year", "-quarter", "-filed_at")
    )
    status = request.GET.get("status", "")
    if status in Innovation.Status.values:
        rows = rows.filter(status=status)
    filing_branches = Organisation.objects.filter(
        scope.organisations_q(manage=True), kind=Organisation.Kind.BRANCH
    )
    return render(
        request,
        "scorecards/innovations.html",
        {
            "page": paginate(request, rows),
            "status": status,
            "statuses": Innovation.Status.choices,
            "filing_branches": filing_branches,
        },
    )


@login_required
def innovation_create(request: AuthenticatedRequest, branch_pk: int) -> HttpResponse:
    branch = access.branch_for_filing(request.user, branch_pk)
    form = InnovationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        innovation = services.innovation_file(
            user=request.user,
            branch=branch,
            kind=form.cleaned_data["kind"],
            title=form.cleaned_data["title"],
            description=form.cleaned_data["description"],
            period=Quarter.current(),
        )
        messages.success(request, _("The innovation was filed for the committee to score."))
        return redirect("scorecards:innovation", pk=innovation.pk)
    return render(request, "scorecards/innovation_form.html", {"form": form, "branch": branch})


@login_required
def innovation_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    innovation = access.innovation_for_user(request.user, pk)
    can_score = access.oversees(scope_for(request.user), innovation.branch)
    form = None
    if can_score:
        form = InnovationScoreForm(
            request.POST or None,
            initial={"score": innovation.score, "comment": innovation.comment},
        )
        if request.method == "POST" and form.is_valid():
            services.innovation_score(
                innovation=innovation,
                user=request.user,
                score=form.cleaned_data["score"],
                comment=form.cleaned_data["comment"],
            )
            messages.success(request, _("The score was saved."))
            return redirect("scorecards:innovation", pk=innovation.pk)
    elif request.method == "POST":
        raise Http404(_("No such innovation."))
    return render(
        request, "scorecards/innovation_detail.html", {"innovation": innovation, "form": form}
    )


# --- reports ----------------------------------------------------------------------------------


@login_required
def reports(request: AuthenticatedRequest) -> HttpResponse:
    committee = access.committee_for_user(request.user, request.GET.get("committee"))
    period = _period(request)
    rows = EvaluationReport.objects.filter(committee=committee).order_by("-year", "-quarter")
    return render(
        request,
        "scorecards/reports.html",
        {**_committee_context(request, committee, period), "page": paginate(request, rows)},
    )


@login_required
@require_POST
def report_request(request: AuthenticatedRequest) -> HttpResponse:
    committee = access.committee_for_user(request.user, request.POST.get("committee"))
    period = _period(request)
    report = services.report_request(committee=committee, period=period, user=request.user)
    messages.info(
        request, _("The report is being written; you will get a message when it is ready.")
    )
    return redirect("scorecards:report", pk=report.pk)


@login_required
def report_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    report = access.report_for_user(request.user, pk)
    return render(request, "scorecards/report_detail.html", {"report": report})


@login_required
@require_GET
def report_status(request: AuthenticatedRequest, pk: int) -> JsonResponse:
    report = access.report_for_user(request.user, pk)
    return JsonResponse(
        {
            "status": report.status,
            "status_label": report.get_status_display(),
            "finished": report.status
            in (EvaluationReport.Status.READY, EvaluationReport.Status.FAILED),
        }
    )


@login_required
def report_download(request: AuthenticatedRequest, pk: int, kind: str) -> FileResponse:
    report = access.report_for_user(request.user, pk)
    if report.status != EvaluationReport.Status.READY or kind not in ("xlsx", "docx"):
        raise Http404(_("The report is not ready."))
    name = report.xlsx.name if kind == "xlsx" else report.docx.name
    try:
        handle = default_storage.open(name, "rb")
    except (FileNotFoundError, OSError):
        raise Http404(_("The report is not ready.")) from None
    with handle:
        content = handle.read()
    filename = f"{report.committee.name}-{report.period.code}-考学评学季度报告.{kind}"
    return FileResponse(io.BytesIO(content), as_attachment=True, filename=filename)


# --- commendations -----------------------------------------------------------------------------


@login_required
def commendations(request: AuthenticatedRequest) -> HttpResponse:
    committee = access.committee_for_user(request.user, request.GET.get("committee"))
    period = _period(request)
    try:
        year = int(request.GET.get("year") or period.year)
    except ValueError:
        year = period.year
    return render(
        request,
        "scorecards/commendations.html",
        {
            **_committee_context(request, committee, period),
            "year": year,
            "rows": selectors.commendations_of_committee(committee, year),
        },
    )


@login_required
@require_POST
def commendations_propose(request: AuthenticatedRequest) -> HttpResponse:
    committee = access.committee_for_user(request.user, request.POST.get("committee"))
    period = _period(request)
    created = services.commendations_propose(committee=committee, period=period)
    messages.success(request, _("%(n)d new proposals from confirmed scorecards.") % {"n": created})
    return redirect(
        f"{reverse('scorecards:commendations')}?committee={committee.pk}&quarter={period.code}"
    )


@login_required
@require_POST
def commendation_decide(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    commendation = access.commendation_for_user(request.user, pk)
    try:
        services.commendation_decide(
            commendation=commendation,
            user=request.user,
            confirm=request.POST.get("decision") == "confirm",
        )
    except services.TransitionError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The decision was recorded."))
    return redirect(
        f"{reverse('scorecards:commendations')}?committee={commendation.committee_id}&year={commendation.year}"
    )


# --- a member's own page ------------------------------------------------------------------------


@login_required
def mine(request: AuthenticatedRequest) -> HttpResponse:
    """A member's own contribution to their branch's scorecard, and their commendations."""
    period = _period(request)
    membership = Membership.objects.select_related("branch").filter(user=request.user).first()
    scope = scope_for(request.user)
    branch_cards: list[Scorecard] = []
    contribution = None
    if membership is not None:
        cards = Scorecard.objects.filter(branch=membership.branch).order_by(
            "-year", "-quarter", "-version"
        )
        if not scope.can_manage_organisation(membership.branch) and not access.oversees(
            scope, membership.branch
        ):
            cards = cards.filter(state=Scorecard.State.CONFIRMED)
        branch_cards = list(cards[:8])
        contribution = member_contribution(request.user.pk, period)
    return render(
        request,
        "scorecards/mine.html",
        {
            "period": period,
            "quarters": _quarter_choices(period),
            "membership": membership,
            "branch_cards": branch_cards,
            "contribution": contribution,
            "commendations": selectors.commendations_for(request.user),
            "branch_commendations": selectors.commendations_for(membership.branch)
            if membership
            else Commendation.objects.none(),
        },
    )
