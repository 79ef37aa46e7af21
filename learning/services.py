"""Writes for the learning app: every rule about study records lives here."""

from __future__ import annotations

import datetime
import html
import io
import re
from typing import Any

import nh3
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from learning import originality
from learning.models import (
    Activity,
    Assignment,
    BranchPlan,
    BranchPlanItem,
    CentreGroupSession,
    CentreGroupSpeech,
    CentreGroupTask,
    Comment,
    Material,
    MaterialRead,
    Reflection,
    ReflectionBand,
    ReflectionVersion,
    ReportOutcome,
    ResearchReport,
    ReviewStatus,
    StudyLog,
    StudyPlan,
    Topic,
)
from portal.models import Membership, Organisation, User

# A day has only so many hours for study; more than this is not believable.
DAILY_CAP_MINUTES = 8 * 60
# A week's logs above PACE_FACTOR × the personal plan's weekly pace (never less than
# PACE_FLOOR_MINUTES) wait for the secretary instead of counting.
PACE_FACTOR = 3
PACE_FLOOR_MINUTES = 6 * 60

RICH_TEXT_TAGS = {
    "p",
    "br",
    "strong",
    "b",
    "em",
    "i",
    "u",
    "ul",
    "ol",
    "li",
    "h3",
    "h4",
    "blockquote",
}


def sanitise_html(value: str) -> str:
    """Only harmless formatting survives: no scripts, no attributes, no links."""
    return nh3.clean(value or "", tags=RICH_TEXT_TAGS, attributes={}).strip()


def html_to_text(value: str) -> str:
    value = re.sub(r"(?i)<br\s*/?>|</p>|</li>|</h[34]>|</blockquote>", "\n", value or "")
    return html.unescape(nh3.clean(value, tags=set())).strip()


def _membership(user: User) -> Membership:
    membership = Membership.objects.select_related("branch").filter(user=user).first()
    if membership is None:
        raise ValidationError(_("Only Party members keep study records."))
    return membership


# --- personal plans ----------------------------------------------------------------------


@transaction.atomic
def study_plan_save(
    *,
    user: User,
    year: int,
    goals: str,
    topics: str,
    methods: str,
    target_hours: int,
    plan: StudyPlan | None = None,
) -> StudyPlan:
    if plan is None:
        membership = _membership(user)
        if StudyPlan.objects.filter(user=user, year=year).exists():
            raise ValidationError({"year": _("You already have a study plan for this year.")})
        plan = StudyPlan(user=user, organisation=membership.branch, year=year)
    elif not plan.is_editable:
        raise ValidationError(_("A submitted or approved plan cannot be changed."))
    plan.goals, plan.topics, plan.methods, plan.target_hours = goals, topics, methods, target_hours
    if plan.status == ReviewStatus.RETURNED:
        plan.status = ReviewStatus.DRAFT
    plan.save()
    return plan


@transaction.atomic
def study_plan_submit(*, plan: StudyPlan) -> StudyPlan:
    if not plan.is_editable:
        raise ValidationError(_("This plan has already been submitted."))
    plan.status = ReviewStatus.SUBMITTED
    plan.submitted_at = timezone.now()
    plan.save(update_fields=["status", "submitted_at"])
    return plan


def _check_review(approve: bool, comment: str) -> None:
    if not approve and not comment.strip():
        raise ValidationError({"comment": _("Say what should be changed when returning it.")})


@transaction.atomic
def study_plan_review(*, plan: StudyPlan, by: User, approve: bool, comment: str) -> StudyPlan:
    if plan.status != ReviewStatus.SUBMITTED:
        raise ValidationError(_("Only a submitted plan can be reviewed."))
    _check_review(approve, comment)
    plan.status = ReviewStatus.APPROVED if approve else ReviewStatus.RETURNED
    plan.review_comment = comment.strip()
    plan.reviewed_by = by
    plan.reviewed_at = timezone.now()
    plan.save(update_fields=["status", "review_comment", "reviewed_by", "reviewed_at"])
    return plan


# --- study logs --------------------------------------------------------------------------


@transaction.atomic
def study_log_create(
    *,
    user: User,
    studied_on: datetime.date,
    minutes: int,
    method: str,
    material: Material | None = None,
    topic: Topic | None = None,
    note: str = "",
) -> StudyLog:
    """Log study time: capped per day; a week far above the plan's pace is flagged."""
    membership = _membership(user)
    if studied_on > timezone.localdate():
        raise ValidationError({"studied_on": _("Study cannot be logged for a future day.")})
    if minutes <= 0:
        raise ValidationError({"minutes": _("Enter the minutes studied.")})
    # Lock the member's row so two requests at once cannot both pass the cap.
    User.objects.select_for_update().filter(pk=user.pk).first()
    mine = StudyLog.objects.filter(user=user).exclude(status=StudyLog.Status.REJECTED)
    day_total = mine.filter(studied_on=studied_on).aggregate(t=Sum("minutes"))["t"] or 0
    if day_total + minutes > DAILY_CAP_MINUTES:
        raise ValidationError(
            {
                "minutes": _(
                    "At most %(cap)d minutes of study can be logged for one day; "
                    "%(logged)d are already logged for that day."
                )
                % {"cap": DAILY_CAP_MINUTES, "logged": day_total}
            }
        )
    plan = StudyPlan.objects.filter(user=user, year=studied_on.year).first()
    weekly_pace = (plan.target_hours * 60 / 52) if plan else 0
    allowance = max(PACE_FACTOR * weekly_pace, PACE_FLOOR_MINUTES)
    # The busiest 7-day window that contains this log (logs may be back-dated).
    per_day = dict(
        mine.filter(
            studied_on__gte=studied_on - datetime.timedelta(days=6),
            studied_on__lte=studied_on + datetime.timedelta(days=6),
        )
        .values_list("studied_on")
        .annotate(t=Sum("minutes"))
    )
    week_total = max(
        sum(per_day.get(start + datetime.timedelta(days=i), 0) for i in range(7))
        for start in (studied_on - datetime.timedelta(days=k) for k in range(7))
    )
    status, reason = StudyLog.Status.COUNTED, ""
    if week_total + minutes > allowance:
        status = StudyLog.Status.FLAGGED
        reason = _(
            "%(total)d minutes in 7 days, above %(allowance)d (3 × the plan's weekly pace)"
        ) % {"total": week_total + minutes, "allowance": allowance}
    return StudyLog.objects.create(
        user=user,
        organisation=membership.branch,
        studied_on=studied_on,
        minutes=minutes,
        method=method,
        material=material,
        topic=topic,
        note=note,
        status=status,
        flag_reason=reason[:200],
    )


@transaction.atomic
def study_log_decide(*, log: StudyLog, by: User, confirm: bool) -> StudyLog:
    if log.status != StudyLog.Status.FLAGGED:
        raise ValidationError(_("Only a flagged log waits for a decision."))
    log.status = StudyLog.Status.CONFIRMED if confirm else StudyLog.Status.REJECTED
    log.decided_by = by
    log.save(update_fields=["status", "decided_by"])
    return log


# --- materials ---------------------------------------------------------------------------


@transaction.atomic
def material_create(
    *,
    by: User,
    organisation: Organisation,
    kind: str,
    title: str,
    author: str = "",
    url: str = "",
    text: str = "",
    file: UploadedFile | None = None,
    topics: list[Topic] | None = None,
) -> Material:
    material = Material(
        organisation=organisation,
        kind=kind,
        title=title,
        author=author,
        url=url,
        text=text,
        created_by=by,
    )
    if file is not None:
        material.file = file
    material.save()
    if topics:
        material.topics.set(topics)
    return material


@transaction.atomic
def material_assign(
    *,
    material: Material,
    organisation: Organisation,
    requirement: str,
    due_on: datetime.date,
    by: User,
) -> Assignment:
    if due_on < timezone.localdate():
        raise ValidationError({"due_on": _("The deadline cannot be in the past.")})
    assignment, _created = Assignment.objects.update_or_create(
        material=material,
        organisation=organisation,
        defaults={"requirement": requirement, "due_on": due_on, "assigned_by": by},
    )
    return assignment


@transaction.atomic
def material_mark_read(*, material: Material, user: User) -> MaterialRead:
    read, _created = MaterialRead.objects.get_or_create(material=material, user=user)
    return read


@transaction.atomic
def comment_add(
    *,
    author: User,
    text: str,
    reflection: Reflection | None = None,
    material: Material | None = None,
) -> Comment:
    if not text.strip():
        raise ValidationError({"text": _("Write something first.")})
    return Comment.objects.create(
        author=author, text=text.strip(), reflection=reflection, material=material
    )


# --- reflections -------------------------------------------------------------------------


def _uploaded_text(file: Any) -> str:
    """Plain text from an uploaded .txt or .docx, for the originality check."""
    name = (getattr(file, "name", "") or "").lower()
    try:
        file.seek(0)
        data = file.read()
        file.seek(0)
    except (OSError, ValueError):
        return ""
    if name.endswith(".txt"):
        return data.decode("utf-8", errors="replace") if isinstance(data, bytes) else str(data)
    if name.endswith(".docx"):
        import docx

        try:
            document = docx.Document(io.BytesIO(data))
        except Exception:  # noqa: BLE001 - a broken upload still gets filed, unchecked
            return ""
        return "\n".join(p.text for p in document.paragraphs)
    return ""


@transaction.atomic
def reflection_save(
    *,
    author: User,
    title: str,
    body: str = "",
    file: UploadedFile | None = None,
    material: Material | None = None,
    topic: Topic | None = None,
    activity: Activity | None = None,
    reflection: Reflection | None = None,
) -> Reflection:
    """Create or edit a draft; editing a returned reflection first keeps the returned version."""
    clean = sanitise_html(body)
    text = html_to_text(clean)
    if file is not None:
        text = (text + "\n" + _uploaded_text(file)).strip()
    if not text and file is None and not (reflection and reflection.file):
        raise ValidationError({"body": _("Write the reflection or upload a file.")})
    if reflection is None:
        membership = _membership(author)
        reflection = Reflection(author=author, organisation=membership.branch)
    elif not reflection.is_editable:
        raise ValidationError(_("A submitted or accepted reflection cannot be changed."))
    elif reflection.status == Reflection.Status.RETURNED:
        ReflectionVersion.objects.create(
            reflection=reflection,
            number=reflection.version,
            title=reflection.title,
            body=reflection.body,
            file=reflection.file.name if reflection.file else "",
            grade=reflection.grade,
            review_comment=reflection.review_comment,
            reviewed_by=reflection.reviewed_by,
            reviewed_at=reflection.reviewed_at,
        )
        reflection.version += 1
        reflection.status = Reflection.Status.DRAFT
        reflection.grade = ""
        reflection.review_comment = ""
        reflection.reviewed_by = None
        reflection.reviewed_at = None
    reflection.title = title
    reflection.body = clean
    reflection.body_text = text
    reflection.material = material
    reflection.topic = topic
    reflection.activity = activity
    if file is not None:
        reflection.file = file
    reflection.save()
    return reflection


def reflection_check_originality(*, reflection: Reflection) -> Reflection:
    """Store the reflection's LSH band keys and flag it if it largely copies another text."""
    text = reflection.body_text
    sig = originality.signature(originality.shingles(originality.normalise(text)[0]))
    keys = originality.band_keys(sig) if sig else []
    ReflectionBand.objects.filter(reflection=reflection).delete()
    ReflectionBand.objects.bulk_create(ReflectionBand(reflection=reflection, key=k) for k in keys)
    matches: list[originality.Match] = []
    if keys:
        ids = originality.candidates(keys, exclude_pk=reflection.pk)
        for other in Reflection.objects.filter(pk__in=ids).only("pk", "title", "body_text"):
            share, spans = originality.compare(text, other.body_text)
            if share >= originality.FLAG_CONTAINMENT:
                matches.append(originality.Match("reflection", other.pk, other.title, share, spans))
    if reflection.material_id and text:
        material = Material.objects.only("pk", "title", "text").get(pk=reflection.material_id)
        if material.text:
            share, spans = originality.compare(text, material.text)
            if share >= originality.FLAG_CONTAINMENT:
                matches.append(
                    originality.Match("material", material.pk, material.title, share, spans)
                )
    matches.sort(key=lambda m: -m.containment)
    reflection.originality_matches = [m.as_json() for m in matches]
    reflection.originality_score = matches[0].containment if matches else 0.0
    reflection.originality_flagged = bool(matches)
    reflection.save(
        update_fields=["originality_matches", "originality_score", "originality_flagged"]
    )
    return reflection


@transaction.atomic
def reflection_submit(*, reflection: Reflection) -> Reflection:
    if reflection.status != Reflection.Status.DRAFT:
        raise ValidationError(_("Only a draft can be submitted."))
    reflection.status = Reflection.Status.SUBMITTED
    reflection.submitted_at = timezone.now()
    reflection.save(update_fields=["status", "submitted_at"])
    return reflection_check_originality(reflection=reflection)


@transaction.atomic
def reflection_review(
    *, reflection: Reflection, by: User, accept: bool, grade: str, comment: str
) -> Reflection:
    if reflection.status != Reflection.Status.SUBMITTED:
        raise ValidationError(_("Only a submitted reflection can be reviewed."))
    if accept and not grade:
        raise ValidationError({"grade": _("Give a grade to accept the reflection.")})
    _check_review(accept, comment)
    reflection.status = Reflection.Status.ACCEPTED if accept else Reflection.Status.RETURNED
    reflection.grade = grade
    reflection.review_comment = comment.strip()
    reflection.reviewed_by = by
    reflection.reviewed_at = timezone.now()
    reflection.save(
        update_fields=["status", "grade", "review_comment", "reviewed_by", "reviewed_at"]
    )
    return reflection


@transaction.atomic
def reflection_set_exemplar(*, reflection: Reflection, exemplar: bool) -> Reflection:
    if exemplar and reflection.status != Reflection.Status.ACCEPTED:
        raise ValidationError(_("Only an accepted reflection can be an exemplar."))
    reflection.is_exemplar = exemplar
    reflection.save(update_fields=["is_exemplar"])
    return reflection


# --- branch annual plan ------------------------------------------------------------------


@transaction.atomic
def branch_plan_save(
    *,
    by: User,
    organisation: Organisation,
    year: int,
    title: str,
    notes: str = "",
    plan: BranchPlan | None = None,
) -> BranchPlan:
    if plan is None:
        if BranchPlan.objects.filter(organisation=organisation, year=year).exists():
            raise ValidationError({"year": _("This branch already has a plan for that year.")})
        plan = BranchPlan(organisation=organisation, year=year, filed_by=by)
    elif plan.status not in (ReviewStatus.DRAFT, ReviewStatus.RETURNED):
        raise ValidationError(_("A submitted or approved plan cannot be changed."))
    plan.title, plan.notes = title, notes
    if plan.status == ReviewStatus.RETURNED:
        plan.status = ReviewStatus.DRAFT
    plan.save()
    return plan


@transaction.atomic
def branch_plan_item_add(
    *,
    plan: BranchPlan,
    period_kind: str,
    period: int,
    topic: str,
    form: str,
    hours: Any,
    materials: str = "",
) -> BranchPlanItem:
    if plan.status not in (ReviewStatus.DRAFT, ReviewStatus.RETURNED):
        raise ValidationError(_("A submitted or approved plan cannot be changed."))
    limit = 12 if period_kind == BranchPlanItem.Period.MONTH else 4
    if not 1 <= period <= limit:
        raise ValidationError({"period": _("Enter a month from 1 to 12 or a quarter from 1 to 4.")})
    return BranchPlanItem.objects.create(
        plan=plan,
        period_kind=period_kind,
        period=period,
        topic=topic,
        form=form,
        hours=hours,
        materials=materials,
    )


@transaction.atomic
def branch_plan_submit(*, plan: BranchPlan) -> BranchPlan:
    if plan.status not in (ReviewStatus.DRAFT, ReviewStatus.RETURNED):
        raise ValidationError(_("This plan has already been submitted."))
    if not plan.items.exists():
        raise ValidationError(_("Add at least one topic before submitting the plan."))
    plan.status = ReviewStatus.SUBMITTED
    plan.submitted_at = timezone.now()
    plan.save(update_fields=["status", "submitted_at"])
    return plan


@transaction.atomic
def branch_plan_review(*, plan: BranchPlan, by: User, approve: bool, comment: str) -> BranchPlan:
    if plan.status != ReviewStatus.SUBMITTED:
        raise ValidationError(_("Only a submitted plan can be reviewed."))
    _check_review(approve, comment)
    plan.status = ReviewStatus.APPROVED if approve else ReviewStatus.RETURNED
    plan.review_comment = comment.strip()
    plan.reviewed_by = by
    plan.reviewed_at = timezone.now()
    plan.save(update_fields=["status", "review_comment", "reviewed_by", "reviewed_at"])
    return plan


# --- activities and 中心组学习 ------------------------------------------------------------


@transaction.atomic
def activity_create(
    *,
    by: User,
    organisation: Organisation,
    kind: str,
    title: str,
    starts_on: datetime.date,
    ends_on: datetime.date,
    description: str = "",
) -> Activity:
    if ends_on < starts_on:
        raise ValidationError({"ends_on": _("The end cannot be before the start.")})
    return Activity.objects.create(
        organisation=organisation,
        kind=kind,
        title=title,
        starts_on=starts_on,
        ends_on=ends_on,
        description=description,
        created_by=by,
    )


@transaction.atomic
def activity_join(*, activity: Activity, user: User) -> Activity:
    activity.participants.add(user)
    return activity


@transaction.atomic
def centre_group_task_create(
    *, organisation: Organisation, year: int, topic: str, description: str = ""
) -> CentreGroupTask:
    return CentreGroupTask.objects.create(
        organisation=organisation, year=year, topic=topic, description=description
    )


@transaction.atomic
def centre_group_session_create(
    *,
    organisation: Organisation,
    held_on: datetime.date,
    kind: str,
    topic: str,
    summary: str = "",
    task: CentreGroupTask | None = None,
    attendees: list[User] | None = None,
) -> CentreGroupSession:
    session = CentreGroupSession.objects.create(
        organisation=organisation,
        held_on=held_on,
        kind=kind,
        topic=topic,
        summary=summary,
        task=task,
    )
    if attendees:
        session.attendees.set(attendees)
    return session


@transaction.atomic
def centre_group_speech_add(
    *, session: CentreGroupSession, speaker: User, text: str
) -> CentreGroupSpeech:
    if not text.strip():
        raise ValidationError({"text": _("Enter the speech text.")})
    return CentreGroupSpeech.objects.create(session=session, speaker=speaker, text=text.strip())


# --- research reports --------------------------------------------------------------------


@transaction.atomic
def research_report_create(
    *,
    by: User,
    organisation: Organisation,
    title: str,
    topic: str,
    authors: list[User],
    text: str = "",
    file: UploadedFile | None = None,
) -> ResearchReport:
    if not text.strip() and file is None:
        raise ValidationError({"text": _("Write the report or upload a file.")})
    report = ResearchReport(
        organisation=organisation, title=title, topic=topic, text=text, created_by=by
    )
    if file is not None:
        report.file = file
    report.save()
    report.authors.set(authors or [by])
    return report


@transaction.atomic
def research_report_submit(*, report: ResearchReport) -> ResearchReport:
    if report.status not in (ResearchReport.Status.DRAFT, ResearchReport.Status.RETURNED):
        raise ValidationError(_("This report has already been submitted."))
    report.status = ResearchReport.Status.SUBMITTED
    report.submitted_at = timezone.now()
    report.save(update_fields=["status", "submitted_at"])
    return report


@transaction.atomic
def research_report_review(
    *, report: ResearchReport, by: User, accept: bool, comment: str
) -> ResearchReport:
    if report.status != ResearchReport.Status.SUBMITTED:
        raise ValidationError(_("Only a submitted report can be reviewed."))
    _check_review(accept, comment)
    report.status = ResearchReport.Status.REVIEWED if accept else ResearchReport.Status.RETURNED
    report.review_comment = comment.strip()
    report.reviewed_by = by
    report.reviewed_at = timezone.now()
    report.save(update_fields=["status", "review_comment", "reviewed_by", "reviewed_at"])
    return report


@transaction.atomic
def research_report_adopt(
    *, report: ResearchReport, adopted_by: str, decision: str, adopted_on: datetime.date
) -> ResearchReport:
    if report.status != ResearchReport.Status.REVIEWED:
        raise ValidationError(_("Only a reviewed report can be adopted."))
    report.status = ResearchReport.Status.ADOPTED
    report.adopted_by, report.adoption_decision, report.adopted_on = (
        adopted_by,
        decision,
        adopted_on,
    )
    report.save(update_fields=["status", "adopted_by", "adoption_decision", "adopted_on"])
    return report


@transaction.atomic
def report_outcome_add(
    *, report: ResearchReport, by: User, description: str, recorded_on: datetime.date
) -> ReportOutcome:
    if report.status != ResearchReport.Status.ADOPTED:
        raise ValidationError(_("Outcomes are recorded for adopted reports."))
    return ReportOutcome.objects.create(
        report=report, description=description, recorded_on=recorded_on, recorded_by=by
    )
