"""Thin views: access helper → form → service → redirect."""

from __future__ import annotations

import datetime
from typing import Any
from urllib.parse import quote

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from meetings import access, conf, exports, ical, importer, selectors, services
from meetings.forms import (
    AmendForm,
    AttachmentForm,
    AttendanceForm,
    ImportForm,
    LedgerForm,
    LifeEntryForm,
    MeetingFilterForm,
    MeetingForm,
    ReviewForm,
    SelfAssessmentForm,
    TalkForm,
    YearForm,
    default_start,
)
from meetings.models import (
    Attendance,
    DemocraticReview,
    LifeMeetingEntry,
    Meeting,
    ReviewRating,
    Talk,
)
from portal import fragments
from portal.models import Organisation, User
from portal.paging import LazyList, paginate
from portal.scoping import scope_for
from portal.selectors import filter_organisations
from portal.views import xlsx_response


def _error_messages(exc: ValidationError) -> list[str]:
    return [str(m) for m in exc.messages]


def _people_of(organisation: Organisation) -> Any:
    """Those who can host, record or lecture: the branch's members (a group's: its branch)."""
    branch_path = (
        organisation.path[: -organisation.steplen] if organisation.is_group else organisation.path
    )
    return User.objects.filter(membership__branch__path__startswith=branch_path).order_by("name")


def _managed_people(user: Any) -> Any:
    return User.objects.filter(
        scope_for(user).members_q(manage=True, prefix="membership__")
    ).order_by("name")


def _year(request: HttpRequest) -> int:
    return YearForm(request.GET).year_or(timezone.localdate().year)


# --- dashboard and list ------------------------------------------------------------------


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """The secretary's 'due this month / this quarter' per managed branch, and upcoming
    meetings for a member."""
    # Kept in the cache for the minute under the records' stamps (portal/fragments.py).
    now = fragments.minute()
    today = timezone.localdate(now)
    scope = scope_for(request.user)

    def due() -> list[tuple[Organisation, list[selectors.DueItem]]]:
        return selectors.due_for_cached(list(selectors.managed_branches(request.user)), today)

    def upcoming() -> list[Meeting]:
        since = now - datetime.timedelta(hours=3)
        return list(selectors.upcoming_for(request.user, since=since)[:10])

    def overseen() -> list[Organisation]:
        paths = sorted(scope.oversee_paths)
        return list(Organisation.objects.filter(path__in=paths).order_by("path"))

    return render(
        request,
        "meetings/dashboard.html",
        {
            "due": fragments.lazy(due),
            "upcoming": fragments.lazy(upcoming),
            "overseen": fragments.lazy(overseen),
            "today": today,
            "body_key": fragments.body_key(request, selectors.DASHBOARD_TABLES, at=now),
        },
    )


@login_required
def meeting_list(request: HttpRequest) -> HttpResponse:
    def filtered() -> tuple[MeetingFilterForm, Any]:
        form = MeetingFilterForm(
            request.GET or None,
            organisations=Organisation.objects.visible_to(request.user),
            offered=filter_organisations(request.user, request.GET.get("organisation")),
        )
        return form, form.filter(selectors.meeting_list(request.user))

    if request.GET.get("export") == "xlsx":
        meetings = filtered()[1]
        return xlsx_response(
            exports.meetings_xlsx(meetings), f"会议记录-{timezone.localdate():%Y%m%d}.xlsx"
        )
    # The filter and the rows are kept in the cache under the records' stamps
    # (portal/fragments.py): built only when the cached body is missing.
    built = fragments.lazy(filtered)
    scope = scope_for(request.user)
    return render(
        request,
        "meetings/meeting_list.html",
        {
            "form": fragments.lazy(lambda: built[0]),
            "page": fragments.lazy(lambda: paginate(request, built[1])),
            "can_create": scope.manages,
            "body_key": fragments.body_key(request, selectors.LIST_TABLES),
        },
    )


# --- the record ------------------------------------------------------------------------------


@login_required
def meeting_create(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request.user)
    if not scope.manages:
        raise Http404(_("No such page."))
    organisations = Organisation.objects.filter(scope.organisations_q(manage=True)).order_by("path")
    people = _managed_people(request.user)
    initial: dict[str, Any] = {"starts_at": default_start()}
    if request.GET.get("kind") in Meeting.Kind.values:
        initial["kind"] = request.GET["kind"]
    branches = [o for o in organisations if o.is_branch]
    if len(branches) == 1:
        initial["organisation"] = branches[0].pk
    form = MeetingForm(
        request.POST or None, organisations=organisations, people=people, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_create(
                organisation=form.cleaned_data["organisation"],
                kind=form.cleaned_data["kind"],
                by=request.user,  # type: ignore[arg-type]
                **form.record_values(),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Draft saved. Now mark the attendance."))
            return redirect("meetings:attendance", pk=meeting.pk)
    return render(request, "meetings/meeting_form.html", {"form": form, "meeting": None})


@login_required
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = access.meeting_for_user(request.user, pk)
    scope = scope_for(request.user)
    attendances = list(meeting.attendances.all())
    expected = [a for a in attendances if not a.is_guest]
    context = {
        "meeting": meeting,
        "can_manage": scope.can_manage_organisation(meeting.organisation),
        "expected": expected,
        "guests": [a for a in attendances if a.is_guest],
        "present_count": sum(1 for a in expected if a.status == "present"),
        "quorum": services.quorum_of(attendances) if meeting.needs_quorum else None,
        "attachment_form": AttachmentForm(),
        "late_after_days": conf.late_after_days(),
    }
    return render(request, "meetings/meeting_detail.html", context)


@login_required
def meeting_edit(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = access.meeting_for_user(request.user, pk, edit=True)
    if meeting.is_archived:
        messages.error(
            request, _("This record is archived and read-only; correct it with an amendment.")
        )
        return redirect("meetings:amend", pk=pk)
    form = MeetingForm(
        request.POST or None,
        instance=meeting,
        people=_people_of(meeting.organisation),
        creating=False,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_update(meeting=meeting, by=request.user, **form.record_values())  # type: ignore[arg-type]
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Record saved."))
            return redirect("meetings:detail", pk=pk)
    return render(request, "meetings/meeting_form.html", {"form": form, "meeting": meeting})


@login_required
def meeting_attendance(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = access.meeting_for_user(request.user, pk, edit=True)
    if meeting.is_archived:
        messages.error(
            request, _("This record is archived and read-only; correct it with an amendment.")
        )
        return redirect("meetings:detail", pk=pk)
    if request.method == "POST" and "all_present" in request.POST:
        try:
            services.meeting_mark_attendance(
                meeting=meeting,
                by=request.user,  # type: ignore[arg-type]
                marks={
                    a.user_id: (Attendance.Status.PRESENT, "")
                    for a in meeting.attendances.all()
                    if not a.is_guest
                },
            )
        except ValidationError as exc:
            for message in _error_messages(exc):
                messages.error(request, message)
        return redirect("meetings:attendance", pk=pk)
    form = AttendanceForm(
        request.POST or None,
        attendances=list(meeting.attendances.all()),
        people=_people_of(meeting.organisation).exclude(
            pk__in=[a.user_id for a in meeting.attendances.all()]
        ),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_mark_attendance(
                meeting=meeting,
                by=request.user,  # type: ignore[arg-type]
                marks=form.marks(),
                guests=form.cleaned_data["guests"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Attendance saved."))
            return redirect("meetings:detail", pk=pk)
    return render(request, "meetings/attendance_form.html", {"form": form, "meeting": meeting})


def _transition(request: HttpRequest, pk: int, service: Any, done: str) -> HttpResponse:
    meeting = access.meeting_for_user(request.user, pk, edit=True)
    try:
        service(meeting=meeting, by=request.user)
    except ValidationError as exc:
        for message in _error_messages(exc):
            messages.error(request, message)
    else:
        messages.success(request, done)
    return redirect("meetings:detail", pk=pk)


@login_required
@require_POST
def meeting_submit(request: HttpRequest, pk: int) -> HttpResponse:
    return _transition(request, pk, services.meeting_submit, _("Record submitted."))


@login_required
@require_POST
def meeting_archive(request: HttpRequest, pk: int) -> HttpResponse:
    return _transition(request, pk, services.meeting_archive, _("Record archived."))


@login_required
@require_POST
def meeting_return(request: HttpRequest, pk: int) -> HttpResponse:
    return _transition(
        request, pk, services.meeting_return_to_draft, _("Record returned to draft.")
    )


@login_required
def meeting_amend(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = access.meeting_for_user(request.user, pk, edit=True)
    if not meeting.is_archived:
        return redirect("meetings:edit", pk=pk)
    form = AmendForm(
        request.POST or None,
        instance=meeting,
        people=_people_of(meeting.organisation),
        creating=False,
    )
    attendance = AttendanceForm(
        request.POST or None,
        attendances=list(meeting.attendances.all()),
        prefix="att",
    )
    if request.method == "POST" and form.is_valid() and attendance.is_valid():
        values = form.record_values()
        agenda = values.pop("agenda")
        try:
            services.meeting_amend(
                meeting=meeting,
                by=request.user,  # type: ignore[arg-type]
                reason=form.cleaned_data["reason"],
                marks=attendance.marks(),
                agenda=agenda,
                **values,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Amendment recorded; the earlier version is kept."))
            return redirect("meetings:detail", pk=pk)
    return render(
        request,
        "meetings/amend_form.html",
        {"form": form, "attendance": attendance, "meeting": meeting},
    )


# --- attachments -----------------------------------------------------------------------------


@login_required
@require_POST
def attachment_upload(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = access.meeting_for_user(request.user, pk, edit=True)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.attachment_add(
                meeting=meeting,
                by=request.user,  # type: ignore[arg-type]
                category=form.cleaned_data["category"],
                upload=form.cleaned_data["file"],
            )
        except ValidationError as exc:
            for message in _error_messages(exc):
                messages.error(request, message)
        else:
            messages.success(request, _("Attachment uploaded."))
            return redirect("meetings:detail", pk=pk)
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
    return redirect("meetings:detail", pk=pk)


@login_required
def attachment_download(request: HttpRequest, pk: int, attachment_pk: int) -> FileResponse:
    attachment = access.attachment_for_user(request.user, pk, attachment_pk)
    try:
        handle = attachment.file.open("rb")
    except OSError as exc:
        raise Http404(_("No such attachment.")) from exc
    return FileResponse(
        handle,
        as_attachment=not attachment.is_image,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )


@login_required
@require_POST
def attachment_delete(request: HttpRequest, pk: int, attachment_pk: int) -> HttpResponse:
    access.meeting_for_user(request.user, pk, edit=True)
    attachment = access.attachment_for_user(request.user, pk, attachment_pk)
    try:
        services.attachment_delete(attachment=attachment, by=request.user)  # type: ignore[arg-type]
    except ValidationError as exc:
        for message in _error_messages(exc):
            messages.error(request, message)
    return redirect("meetings:detail", pk=pk)


# --- self check-in ----------------------------------------------------------------------------


@never_cache
@login_required
def checkin_display(request: HttpRequest, pk: int) -> HttpResponse:
    """The QR code the secretary shows; the page reloads itself with a fresh code."""
    meeting = access.meeting_for_user(request.user, pk, edit=True)
    if meeting.is_archived:
        raise Http404(_("No such meeting."))
    token = services.checkin_token(meeting)
    url = request.build_absolute_uri(reverse("meetings:checkin", args=[meeting.pk, token]))
    svg = segno.make(url, error="m").svg_inline(scale=6, title=meeting.topic)
    return render(
        request,
        "meetings/checkin_display.html",
        {
            "meeting": meeting,
            "svg": svg,
            "url": url,
            "refresh": max(10, conf.checkin_token_seconds() // 2),
            "present": sum(1 for a in meeting.attendances.all() if a.status == "present"),
        },
    )


@never_cache
@login_required
def checkin(request: HttpRequest, pk: int, token: str) -> HttpResponse:
    """A member who scanned the code confirms and is marked present."""
    meeting = access.meeting_for_user(request.user, pk)
    error = ""
    try:
        if services.checkin_meeting_id(token) != meeting.pk:
            raise ValidationError(_("This check-in code is for another meeting."))
    except ValidationError as exc:
        error = " ".join(_error_messages(exc))
    if request.method == "POST" and not error:
        try:
            services.meeting_check_in(meeting=meeting, user=request.user, token=token)  # type: ignore[arg-type]
        except ValidationError as exc:
            error = " ".join(_error_messages(exc))
        else:
            return render(request, "meetings/checkin_done.html", {"meeting": meeting})
    status = 400 if error else 200
    return render(
        request, "meetings/checkin.html", {"meeting": meeting, "error": error}, status=status
    )


# --- organisational life ------------------------------------------------------------------------


@login_required
def life_entries(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = access.meeting_for_user(request.user, pk)
    if meeting.kind != Meeting.Kind.ORGANISATIONAL_LIFE:
        raise Http404(_("No such page."))
    can_manage = scope_for(request.user).can_manage_organisation(meeting.organisation)
    form = None
    if can_manage and not meeting.is_archived:
        form = LifeEntryForm(request.POST or None, people=_people_of(meeting.organisation))
        if request.method == "POST" and form.is_valid():
            try:
                services.life_entry_save(
                    meeting=meeting,
                    by=request.user,  # type: ignore[arg-type]
                    **form.cleaned_data,
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Entry saved."))
                return redirect("meetings:life", pk=pk)
    elif request.method == "POST":
        raise Http404(_("No such page."))
    entries = LifeMeetingEntry.objects.filter(meeting=meeting).select_related("member")
    if not can_manage:
        entries = entries.filter(member_id=request.user.pk)
    return render(
        request,
        "meetings/life_entries.html",
        {"meeting": meeting, "entries": entries, "form": form},
    )


# --- calendars -----------------------------------------------------------------------------------


@login_required
def branch_calendar(request: HttpRequest, pk: int) -> HttpResponse:
    branch = access.branch_for_user(request.user, pk)
    year = _year(request)
    scope = scope_for(request.user)
    can_manage = scope.can_manage_organisation(branch) or any(
        branch.path.startswith(p) for p in scope.oversee_paths
    )
    if not can_manage:
        raise Http404(_("No such branch."))
    return render(
        request,
        "meetings/calendar.html",
        {
            "branch": branch,
            "year": year,
            "rows": selectors.branch_calendar(branch, year),
            "months": range(1, 13),
            "dual_life": selectors.dual_life(branch, year),
            "talks": selectors.talk_coverage(branch, year),
        },
    )


@login_required
def committee_calendar(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = access.overseen_for_user(request.user, pk)
    year = _year(request)
    sort = request.GET.get("sort", "")
    if sort not in {"", "name", *Meeting.Kind.values}:
        sort = ""
    today = timezone.localdate()
    fingerprint = selectors.overview_fingerprint(year, today)
    kinds = [(k, Meeting.Kind(k).label) for k in selectors.GRID_KINDS]

    # Cached, the page needs only the fingerprint: the chart and the table of 1,000
    # branches are kept under it, and the summaries are computed (or unpickled) only
    # when one of them is not.
    summaries = LazyList(
        lambda: selectors.committee_overview_cached(
            organisation, year, sort=sort, today=today, fingerprint=fingerprint
        )[0]
    )

    chart_key = (
        f"meetings:overview-chart:{organisation.pk}:{organisation.path}:{fingerprint}:"
        f"{translation.get_language()}"
    )
    chart = cache.get(chart_key)
    if chart is None:
        # The chart shows the twenty branches that missed most; the table shows them all.
        worst = sorted((s for s in summaries if s.missed_total), key=lambda s: -s.missed_total)
        worst = worst[:20]
        chart = {
            "labels": [s.branch.name for s in worst],
            "series": [
                {"label": str(label), "values": [s.missed_for(kind) for s in worst]}
                for kind, label in kinds
            ],
        }
        cache.set(chart_key, chart, selectors.OVERVIEW_CACHE_SECONDS)
    return render(
        request,
        "meetings/committee_calendar.html",
        {
            "organisation": organisation,
            "year": year,
            "summaries": summaries,
            "kinds": kinds,
            "sort": sort,
            "chart": chart,
            "chart_height": 80 + 22 * len(chart["labels"]),
            # The table of 1,000 branches is cached with the overview (see the template).
            "fingerprint": fingerprint,
            "cache_seconds": selectors.OVERVIEW_CACHE_SECONDS,
        },
    )


# --- the ledger (台账) ---------------------------------------------------------------------------


@login_required
def ledger(request: HttpRequest, pk: int) -> HttpResponse:
    branch = access.branch_for_user(request.user, pk)
    scope = scope_for(request.user)
    if not (
        scope.can_manage_organisation(branch)
        or any(branch.path.startswith(p) for p in scope.oversee_paths)
    ):
        raise Http404(_("No such branch."))
    today = timezone.localdate()
    form = LedgerForm(
        request.GET if "start" in request.GET else None,
        initial={"start": datetime.date(today.year, 1, 1), "end": today},
    )
    fmt = request.GET.get("format")
    if form.is_bound and form.is_valid() and fmt in ("docx", "xlsx"):
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
        meetings = exports.ledger_meetings(branch, start, end)
        name = f"{branch.name}-台账-{start:%Y%m%d}-{end:%Y%m%d}"
        if fmt == "docx":
            response = HttpResponse(
                exports.ledger_docx(branch, start, end, meetings),
                content_type=(
                    "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
                ),
            )
            response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}.docx"
            return response
        return xlsx_response(exports.ledger_xlsx(branch, start, end, meetings), f"{name}.xlsx")
    return render(request, "meetings/ledger.html", {"branch": branch, "form": form})


# --- democratic review ------------------------------------------------------------------------------


@login_required
def review(request: HttpRequest, pk: int) -> HttpResponse:
    """民主评议党员 of a branch for a year: open it, then rate."""
    branch = access.branch_for_user(request.user, pk, manage=True)
    year = _year(request)
    existing = DemocraticReview.objects.filter(organisation=branch, year=year).first()
    if existing is None:
        if request.method == "POST":
            existing = services.review_open(organisation=branch, year=year, by=request.user)  # type: ignore[arg-type]
            return redirect(f"{reverse('meetings:review', args=[pk])}?year={year}")
        return render(
            request, "meetings/review.html", {"branch": branch, "year": year, "form": None}
        )
    ratings = list(existing.ratings.select_related("member").order_by("member__name"))
    form = ReviewForm(request.POST if request.method == "POST" else None, ratings=ratings)
    if request.method == "POST" and form.is_valid():
        try:
            services.review_ratings_save(review=existing, by=request.user, ratings=form.values())  # type: ignore[arg-type]
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Ratings saved."))
            return redirect(f"{reverse('meetings:review', args=[pk])}?year={year}")
    return render(
        request,
        "meetings/review.html",
        {
            "branch": branch,
            "year": year,
            "form": form,
            "review": existing,
            "cap": len(ratings) // 3,
        },
    )


@login_required
def self_assessment(request: HttpRequest) -> HttpResponse:
    """A member's 自评 in their branch's 民主评议 for the year."""
    scope = scope_for(request.user)
    year = _year(request)
    rating = (
        ReviewRating.objects.select_related("review__organisation")
        .filter(
            member_id=request.user.pk,
            review__organisation_id=scope.own_branch_id or 0,
            review__year=year,
        )
        .first()
    )
    form = None
    if rating is not None:
        form = SelfAssessmentForm(
            request.POST or None,
            initial={"self_assessment": rating.self_assessment, "self_grade": rating.self_grade},
        )
        if request.method == "POST" and form.is_valid():
            try:
                services.review_self_assess(
                    review=rating.review,
                    member=request.user,  # type: ignore[arg-type]
                    **form.cleaned_data,
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Self-assessment saved."))
                return redirect(f"{reverse('meetings:self_assessment')}?year={year}")
    return render(
        request,
        "meetings/self_assessment.html",
        {"rating": rating, "form": form, "year": year},
    )


# --- talks ---------------------------------------------------------------------------------------


@login_required
def talk_list(request: HttpRequest) -> HttpResponse:
    talks = Talk.objects.visible_to(request.user).select_related(
        "organisation", "initiator", "partner"
    )
    return render(request, "meetings/talk_list.html", {"page": paginate(request, talks)})


@login_required
def talk_create(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request.user)
    if scope.own_branch_id is None:
        raise Http404(_("No such page."))
    branch = Organisation.objects.get(pk=scope.own_branch_id)
    people = _people_of(branch)
    form = TalkForm(request.POST or None, people=people, initial={"initiator": request.user.pk})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if request.user.pk not in (data["initiator"].pk, data["partner"].pk) and not (
            scope.can_manage_organisation(branch)
        ):
            form.add_error("initiator", _("Record a talk you took part in."))
        else:
            try:
                talk = services.talk_create(organisation=branch, by=request.user, **data)  # type: ignore[arg-type]
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Talk recorded."))
                return redirect("meetings:talk", pk=talk.pk)
    return render(request, "meetings/talk_form.html", {"form": form, "branch": branch})


@login_required
def talk_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return render(
        request, "meetings/talk_detail.html", {"talk": access.talk_for_user(request.user, pk)}
    )


# --- calendar feed ------------------------------------------------------------------------------


@login_required
def ical_page(request: HttpRequest) -> HttpResponse:
    url = request.build_absolute_uri(
        reverse("meetings:ical_feed", args=[ical.feed_token(request.user)])
    )
    return render(request, "meetings/ical.html", {"url": url})


def ical_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The member's meetings as iCalendar; the signed token is the only credential, since
    calendar apps cannot log in."""
    user = ical.user_for_token(token)
    if user is None:
        raise Http404(_("No such calendar."))
    response = HttpResponse(
        ical.calendar_for(user, host=request.get_host()),
        content_type="text/calendar; charset=utf-8",
    )
    response["Content-Disposition"] = 'inline; filename="meetings.ics"'
    return response


# --- import ------------------------------------------------------------------------------------------


@login_required
def meeting_import(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request.user)
    if not scope.manages:
        raise Http404(_("No such page."))
    form = ImportForm(request.POST or None, request.FILES or None)
    errors: list[Any] = []
    if request.method == "POST" and form.is_valid():
        try:
            created = importer.meetings_import(file=form.cleaned_data["file"], by=request.user)  # type: ignore[arg-type]
        except importer.MeetingImportError as exc:
            errors = exc.errors
        else:
            messages.success(request, _("Imported %(n)d meetings.") % {"n": len(created)})
            return redirect("meetings:list")
    if request.GET.get("template") == "xlsx":
        return xlsx_response(importer.template_xlsx(), "会议记录导入模板.xlsx")
    return render(request, "meetings/import.html", {"form": form, "errors": errors})
