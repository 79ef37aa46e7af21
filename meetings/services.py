"""Writes about meetings and organisational life. Views, forms, imports and the admin call
these; they carry the rules (an archived record changes only by an amendment, 补记, quorum,
the one-third cap on 优秀, check-in tokens)."""

from __future__ import annotations

import datetime
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.core import signing
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from meetings import conf
from meetings.models import (
    AgendaItem,
    Amendment,
    Attachment,
    Attendance,
    DemocraticReview,
    Grade,
    LifeMeetingEntry,
    Meeting,
    ReviewRating,
    Talk,
)
from portal.models import Membership, Organisation, Position, User
from portal.scoping import BRANCH_OFFICER_TITLES

BRANCH_WIDE_KINDS = frozenset(
    {
        Meeting.Kind.BRANCH_ASSEMBLY,
        Meeting.Kind.PARTY_LECTURE,
        Meeting.Kind.THEMED_PARTY_DAY,
        Meeting.Kind.ORGANISATIONAL_LIFE,
        Meeting.Kind.DEMOCRATIC_REVIEW,
    }
)


# --- who is expected ---------------------------------------------------------------------


def expected_attendees(
    *, organisation: Organisation, kind: str, on: datetime.date
) -> list[tuple[int, bool]]:
    """(user id, has a vote) of those expected (应到) at a meeting of ``kind`` on ``on``.

    A branch's assemblies, lectures, party days and life meetings: its members (a
    probationary member attends without a vote). A 支委会: the branch officers in post on
    that day. A 党小组会: the group's members. A committee's own meeting: those holding a
    post in it on that day.
    """
    if kind == Meeting.Kind.COMMITTEE_MEETING or organisation.oversees_subtree:
        titles = (
            BRANCH_OFFICER_TITLES
            if organisation.kind == Organisation.Kind.BRANCH
            else {t.value for t in Position.Title}
        )
        ids = (
            Position.objects.current(on=on)
            .filter(organisation=organisation, title__in=titles)
            .values_list("user_id", flat=True)
            .distinct()
        )
        return [(pk, True) for pk in sorted(set(ids))]
    memberships = (
        Membership.objects.filter(group=organisation)
        if organisation.kind == Organisation.Kind.GROUP
        else Membership.objects.filter(branch=organisation)
    )
    return [
        (pk, status == Membership.Status.FULL)
        for pk, status in memberships.order_by("user__name").values_list("user_id", "status")
    ]


@dataclass(frozen=True)
class Quorum:
    voting: int
    present: int

    @property
    def met(self) -> bool:
        """More than half of those with a vote are present."""
        return self.voting > 0 and self.present * 2 > self.voting

    @property
    def needed(self) -> int:
        return self.voting // 2 + 1


def quorum_of(attendances: Iterable[Attendance]) -> Quorum:
    voters = [a for a in attendances if not a.is_guest and a.has_vote]
    return Quorum(
        voting=len(voters),
        present=sum(1 for a in voters if a.status == Attendance.Status.PRESENT),
    )


# --- the record --------------------------------------------------------------------------


def _refuse_if_archived(meeting: Meeting) -> None:
    if meeting.status == Meeting.Status.ARCHIVED:
        raise ValidationError(
            _("This record is archived and read-only; correct it with an amendment.")
        )


def _check_kind(organisation: Organisation, kind: str) -> None:
    if kind == Meeting.Kind.GROUP_MEETING and organisation.kind != Organisation.Kind.GROUP:
        raise ValidationError(
            {"organisation": _("A Party group meeting belongs to a Party group.")}
        )
    if kind != Meeting.Kind.GROUP_MEETING and organisation.kind == Organisation.Kind.GROUP:
        raise ValidationError(
            {
                "kind": _(
                    "A Party group holds Party group meetings only; record the others for the branch."
                )
            }
        )


def _set_agenda(meeting: Meeting, agenda: Iterable[str]) -> None:
    meeting.agenda_items.all().delete()
    AgendaItem.objects.bulk_create(
        [
            AgendaItem(meeting=meeting, position=n, title=title.strip()[:200])
            for n, title in enumerate(agenda, start=1)
            if title.strip()
        ]
    )


@transaction.atomic
def meeting_create(
    *,
    organisation: Organisation,
    kind: str,
    topic: str,
    starts_at: datetime.datetime,
    by: User | None,
    ends_at: datetime.datetime | None = None,
    place: str = "",
    host: User | None = None,
    recorder: User | None = None,
    lecturer: User | None = None,
    lecture_title: str = "",
    minutes: str = "",
    resolutions: str = "",
    agenda: Iterable[str] = (),
) -> Meeting:
    """A draft record, its expected attendees filled in from the organisation on the day."""
    _check_kind(organisation, kind)
    meeting = Meeting(
        organisation=organisation,
        kind=kind,
        topic=topic,
        starts_at=starts_at,
        ends_at=ends_at,
        held_on=timezone.localdate(starts_at),
        place=place,
        host=host,
        recorder=recorder,
        lecturer=lecturer,
        lecture_title=lecture_title,
        minutes=minutes,
        resolutions=resolutions,
        created_by=by,
    )
    meeting.full_clean(exclude=["held_on", "created_by", "host", "recorder", "lecturer"])
    meeting.save()
    _set_agenda(meeting, agenda)
    Attendance.objects.bulk_create(
        [
            Attendance(meeting=meeting, user_id=pk, has_vote=vote)
            for pk, vote in expected_attendees(
                organisation=organisation, kind=kind, on=meeting.held_on
            )
        ]
    )
    return meeting


@transaction.atomic
def meeting_update(
    *, meeting: Meeting, by: User, agenda: Iterable[str] | None = None, **fields: Any
) -> Meeting:
    """Change a draft or submitted record. Refuses an archived one."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    _refuse_if_archived(meeting)
    allowed = {f.removesuffix("_id") for f in Meeting.RECORD_FIELDS}
    unknown = set(fields) - allowed
    if unknown:
        raise TypeError(f"not record fields: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(meeting, name, value)
    meeting.held_on = timezone.localdate(meeting.starts_at)
    meeting.full_clean(exclude=["held_on", "created_by", "host", "recorder", "lecturer"])
    meeting.save()
    if agenda is not None:
        _set_agenda(meeting, agenda)
    return meeting


def _apply_attendance(
    meeting: Meeting, marks: Mapping[int, tuple[str, str]], guests: Iterable[User] = ()
) -> dict[str, Any]:
    """Set statuses by user id; returns {user name: {"from", "to"}} of what changed."""
    changed: dict[str, Any] = {}
    rows = {a.user_id: a for a in meeting.attendances.select_related("user")}
    updates = []
    for user_id, (status, reason) in marks.items():
        row = rows.get(user_id)
        if row is None:
            continue
        reason = reason.strip() if status != Attendance.Status.PRESENT else ""
        if status == Attendance.Status.LEAVE and not reason:
            raise ValidationError(
                _("%(name)s is on leave: give the reason.") % {"name": row.user.name}
            )
        if (row.status, row.reason) != (status, reason):
            changed[row.user.name] = {
                "from": f"{row.get_status_display()} {row.reason}".strip(),
                "to": f"{Attendance.Status(status).label} {reason}".strip(),
            }
            row.status, row.reason = status, reason
            updates.append(row)
    Attendance.objects.bulk_update(updates, ["status", "reason"])
    new_guests = [
        Attendance(
            meeting=meeting,
            user=g,
            is_guest=True,
            has_vote=False,
            status=Attendance.Status.PRESENT,
        )
        for g in guests
        if g.pk not in rows
    ]
    Attendance.objects.bulk_create(new_guests)
    return changed


@transaction.atomic
def meeting_mark_attendance(
    *,
    meeting: Meeting,
    by: User,
    marks: Mapping[int, tuple[str, str]],
    guests: Iterable[User] = (),
) -> None:
    """Mark present / on leave (with reason) / absent, and add 列席 guests."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    _refuse_if_archived(meeting)
    _apply_attendance(meeting, marks, guests)


@transaction.atomic
def meeting_submit(
    *,
    meeting: Meeting,
    by: User,
    now: datetime.datetime | None = None,
    check_quorum: bool = True,
) -> Meeting:
    """Draft → submitted. The filing time is kept; long after the meeting it is 补记.

    Resolutions of a 支部党员大会 or 支委会 need more than half of the voting members
    present. ``check_quorum=False`` is for imports of past records whose attendance was
    kept on paper only.
    """
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.status != Meeting.Status.DRAFT:
        raise ValidationError(_("Only a draft can be submitted."))
    now = now or timezone.now()
    if meeting.starts_at > now:
        raise ValidationError(_("A meeting that has not yet been held cannot be submitted."))
    if check_quorum and meeting.needs_quorum and meeting.resolutions.strip():
        quorum = quorum_of(meeting.attendances.all())
        if not quorum.met:
            raise ValidationError(
                _(
                    "Resolutions need more than half of the %(voting)d voting members "
                    "present, but only %(present)d were: mark the attendance or record the "
                    "meeting without resolutions."
                )
                % {"voting": quorum.voting, "present": quorum.present}
            )
    meeting.status = Meeting.Status.SUBMITTED
    meeting.filed_at = now
    meeting.is_late = (timezone.localdate(now) - meeting.held_on).days > conf.late_after_days()
    meeting.save(update_fields=["status", "filed_at", "is_late"])
    return meeting


@transaction.atomic
def meeting_archive(*, meeting: Meeting, by: User) -> Meeting:
    """Submitted → archived: from now on read-only, changed only by amendments."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.status != Meeting.Status.SUBMITTED:
        raise ValidationError(_("Only a submitted record can be archived."))
    meeting.status = Meeting.Status.ARCHIVED
    meeting.archived_at = timezone.now()
    meeting.save(update_fields=["status", "archived_at"])
    return meeting


@transaction.atomic
def meeting_return_to_draft(*, meeting: Meeting, by: User) -> Meeting:
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.status != Meeting.Status.SUBMITTED:
        raise ValidationError(_("Only a submitted record can be returned to draft."))
    meeting.status = Meeting.Status.DRAFT
    meeting.save(update_fields=["status"])
    return meeting


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    return value


def meeting_snapshot(meeting: Meeting) -> dict[str, Any]:
    """The whole record as plain JSON: kept by an amendment as the earlier version."""
    data: dict[str, Any] = {f: _jsonable(getattr(meeting, f)) for f in Meeting.RECORD_FIELDS}
    data["version"] = meeting.version
    data["agenda"] = list(meeting.agenda_items.values_list("title", flat=True))
    data["attendance"] = [
        {"user_id": a.user_id, "name": a.user.name, "status": a.status, "reason": a.reason}
        for a in meeting.attendances.select_related("user")
    ]
    return data


@transaction.atomic
def meeting_amend(
    *,
    meeting: Meeting,
    by: User,
    reason: str,
    marks: Mapping[int, tuple[str, str]] | None = None,
    agenda: Iterable[str] | None = None,
    **fields: Any,
) -> Amendment:
    """Correct an archived record, keeping the earlier version and who changed what, why."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.status != Meeting.Status.ARCHIVED:
        raise ValidationError(_("Only an archived record is amended; edit a draft directly."))
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the record is being corrected.")})
    previous = meeting_snapshot(meeting)
    changes: dict[str, Any] = {}
    allowed = {f.removesuffix("_id") for f in Meeting.RECORD_FIELDS}
    for name, value in fields.items():
        if name not in allowed:
            raise TypeError(f"not a record field: {name}")
        old = getattr(meeting, name)
        if old != value:
            changes[name] = {"from": str(old or ""), "to": str(value or "")}
            setattr(meeting, name, value)
    if agenda is not None:
        new_agenda = [a.strip() for a in agenda if a.strip()]
        if new_agenda != previous["agenda"]:
            changes["agenda"] = {"from": previous["agenda"], "to": new_agenda}
            _set_agenda(meeting, new_agenda)
    if marks:
        attendance_changes = _apply_attendance(meeting, marks)
        if attendance_changes:
            changes["attendance"] = attendance_changes
    if not changes:
        raise ValidationError(_("Nothing was changed, so there is nothing to amend."))
    meeting.held_on = timezone.localdate(meeting.starts_at)
    meeting.version += 1
    meeting.full_clean(exclude=["held_on", "created_by", "host", "recorder", "lecturer"])
    meeting.save()
    return Amendment.objects.create(
        meeting=meeting,
        version=meeting.version,
        amended_by=by,
        reason=reason,
        changes=changes,
        previous=previous,
    )


# --- attachments ------------------------------------------------------------------------


def attachment_check(upload: UploadedFile) -> str:
    """The content type of an acceptable upload, or a ValidationError saying why not."""
    limit = conf.attachment_max_bytes()
    if upload.size is not None and upload.size > limit:
        raise ValidationError(
            _("The file is larger than %(mb)d MB.") % {"mb": max(1, limit // 2**20)}
        )
    ext = os.path.splitext(upload.name or "")[1].lower()
    allowed = conf.ALLOWED_ATTACHMENTS.get(ext)
    if allowed is None:
        raise ValidationError(
            _("Only these kinds of file are accepted: %(kinds)s.")
            % {"kinds": ", ".join(sorted(conf.ALLOWED_ATTACHMENTS))}
        )
    content_type, magic = allowed
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if not any(head.startswith(m) for m in magic):
        raise ValidationError(
            _("The file's content does not match its name (%(ext)s).") % {"ext": ext}
        )
    return content_type


@transaction.atomic
def attachment_add(
    *, meeting: Meeting, by: User, category: str, upload: UploadedFile
) -> Attachment:
    """Store an upload through the storage API, refusing archived records and bad files."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    _refuse_if_archived(meeting)
    content_type = attachment_check(upload)
    name = os.path.basename(upload.name or "file")[:200]
    attachment = Attachment(
        meeting=meeting,
        category=category,
        original_name=name,
        size=upload.size or 0,
        content_type=content_type,
        uploaded_by=by,
    )
    attachment.file.save(name, upload, save=False)
    attachment.save()
    return attachment


@transaction.atomic
def attachment_delete(*, attachment: Attachment, by: User) -> None:
    _refuse_if_archived(attachment.meeting)
    attachment.file.delete(save=False)
    attachment.delete()


# --- self check-in --------------------------------------------------------------------------

_CHECKIN_SALT = "meetings.checkin"


def checkin_token(meeting: Meeting) -> str:
    """A signed token for ``meeting``, stamped now; it expires after the configured time,
    so the QR code on the screen is replaced (rotated) before then."""
    return signing.TimestampSigner(salt=_CHECKIN_SALT).sign_object({"m": meeting.pk})


def checkin_meeting_id(token: str) -> int:
    """The meeting a token was issued for; ValidationError if forged or expired."""
    try:
        data = signing.TimestampSigner(salt=_CHECKIN_SALT).unsign_object(
            token, max_age=conf.checkin_token_seconds()
        )
    except signing.SignatureExpired as exc:
        raise ValidationError(_("This check-in code has expired; scan the current one.")) from exc
    except signing.BadSignature as exc:
        raise ValidationError(_("This check-in code is not valid.")) from exc
    return int(data["m"])


@transaction.atomic
def meeting_check_in(*, meeting: Meeting, user: User, token: str) -> Attendance:
    """Mark ``user`` present through a scanned code. Refused when the code has expired,
    belongs to another meeting, or the record is archived; a member of the organisation
    who was not expected is added as present."""
    if checkin_meeting_id(token) != meeting.pk:
        raise ValidationError(_("This check-in code is for another meeting."))
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    _refuse_if_archived(meeting)
    row = Attendance.objects.filter(meeting=meeting, user=user).first()
    if row is None:
        # Someone not on the list when the record was made: a member of the organisation
        # is expected (joined since); anyone else who may see the meeting attends as 列席.
        membership = Membership.objects.filter(user=user).first()
        belongs = membership is not None and meeting.organisation_id in (
            membership.branch_id,
            membership.group_id,
        )
        row = Attendance(
            meeting=meeting,
            user=user,
            is_guest=not belongs,
            has_vote=belongs
            and membership is not None
            and membership.status == Membership.Status.FULL,
        )
    row.status = Attendance.Status.PRESENT
    row.reason = ""
    row.checked_in_at = timezone.now()
    row.save()
    return row


# --- organisational life, democratic review, talks ----------------------------------------


@transaction.atomic
def life_entry_save(
    *,
    meeting: Meeting,
    member: User,
    by: User,
    party_spirit_analysis: str,
    self_criticism: str,
    criticism_received: str = "",
    rectification: str = "",
) -> LifeMeetingEntry:
    if meeting.kind != Meeting.Kind.ORGANISATIONAL_LIFE:
        raise ValidationError(_("Entries belong to an organisational life meeting."))
    _refuse_if_archived(meeting)
    entry, _created = LifeMeetingEntry.objects.update_or_create(
        meeting=meeting,
        member=member,
        defaults={
            "party_spirit_analysis": party_spirit_analysis,
            "self_criticism": self_criticism,
            "criticism_received": criticism_received,
            "rectification": rectification,
        },
    )
    return entry


def excellent_cap(rated: int) -> int:
    """At most one third of those rated may be 优秀."""
    return rated // 3


@transaction.atomic
def review_open(*, organisation: Organisation, year: int, by: User) -> DemocraticReview:
    """The branch's review for ``year``, with a rating row for each of its members."""
    review, _created = DemocraticReview.objects.get_or_create(organisation=organisation, year=year)
    have = set(review.ratings.values_list("member_id", flat=True))
    ReviewRating.objects.bulk_create(
        [
            ReviewRating(review=review, member_id=pk)
            for pk in Membership.objects.filter(branch=organisation).values_list(
                "user_id", flat=True
            )
            if pk not in have
        ]
    )
    return review


@transaction.atomic
def review_ratings_save(
    *, review: DemocraticReview, by: User, ratings: Mapping[int, Mapping[str, str]]
) -> None:
    """Save ratings by member id; refuses when 优秀 would exceed one third of those rated."""
    rows = {r.member_id: r for r in review.ratings.select_for_update()}
    fields = ["self_assessment", "self_grade", "peer_grade", "branch_grade", "final_grade"]
    for member_id, values in ratings.items():
        row = rows.get(member_id)
        if row is None:
            continue
        for name in fields:
            if name in values:
                setattr(row, name, values[name])
    finals = [r.final_grade for r in rows.values() if r.final_grade]
    excellent = finals.count(Grade.EXCELLENT)
    if excellent > excellent_cap(len(finals)):
        raise ValidationError(
            _(
                "优秀 may be given to at most one third of those rated: %(cap)d of %(rated)d, "
                "not %(excellent)d."
            )
            % {"cap": excellent_cap(len(finals)), "rated": len(finals), "excellent": excellent}
        )
    ReviewRating.objects.bulk_update(list(rows.values()), fields)


@transaction.atomic
def review_self_assess(
    *, review: DemocraticReview, member: User, self_assessment: str, self_grade: str
) -> ReviewRating:
    """A member's own 自评: their written self-assessment and the grade they give
    themselves. Only members being rated in the review may write one."""
    rating = ReviewRating.objects.select_for_update().filter(review=review, member=member).first()
    if rating is None:
        raise ValidationError(_("You are not among the members rated in this review."))
    if self_grade and self_grade not in Grade.values:
        raise ValidationError({"self_grade": _("Choose one of the grades.")})
    rating.self_assessment = self_assessment.strip()
    rating.self_grade = self_grade
    rating.save(update_fields=["self_assessment", "self_grade"])
    return rating


@transaction.atomic
def talk_create(
    *,
    organisation: Organisation,
    initiator: User,
    partner: User,
    held_on: datetime.date,
    topic: str,
    notes: str = "",
    by: User,
) -> Talk:
    if initiator.pk == partner.pk:
        raise ValidationError({"partner": _("A talk is between two different people.")})
    if held_on > timezone.localdate():
        raise ValidationError({"held_on": _("A talk is recorded after it has taken place.")})
    in_branch = Membership.objects.filter(
        Q(user=initiator) | Q(user=partner), branch=organisation
    ).count()
    officers = (
        Position.objects.current(on=held_on)
        .filter(Q(user=initiator) | Q(user=partner), organisation=organisation)
        .exists()
    )
    if in_branch < 2 and not officers:
        raise ValidationError(_("Both people must belong to the branch."))
    return Talk.objects.create(
        organisation=organisation,
        initiator=initiator,
        partner=partner,
        held_on=held_on,
        topic=topic,
        notes=notes,
    )
