"""Forms only validate and normalise; the rules live in services."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from meetings import services
from meetings.models import Attachment, Attendance, Grade, Meeting, ReviewRating
from portal.forms import narrow_organisations
from portal.models import Organisation, User
from portal.widgets import FastSelect

DATETIME_INPUT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PersonField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.name or obj.username


class MeetingForm(forms.ModelForm):
    """The record's fields. On creation the organisation and kind are chosen too."""

    starts_at = forms.DateTimeField(
        label=_("Starts at"), widget=DATETIME_INPUT, input_formats=DATETIME_FORMATS
    )
    ends_at = forms.DateTimeField(
        label=_("Ends at"), widget=DATETIME_INPUT, input_formats=DATETIME_FORMATS, required=False
    )
    host = PersonField(label=_("Host"), queryset=User.objects.none(), required=False)
    recorder = PersonField(label=_("Recorder"), queryset=User.objects.none(), required=False)
    lecturer = PersonField(
        label=_("Lecturer"),
        queryset=User.objects.none(),
        required=False,
        help_text=_("For a Party lecture."),
    )
    agenda = forms.CharField(
        label=_("Agenda"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One item per line, in order."),
    )

    class Meta:
        model = Meeting
        fields = [
            "organisation",
            "kind",
            "topic",
            "starts_at",
            "ends_at",
            "place",
            "host",
            "recorder",
            "lecturer",
            "lecture_title",
            "agenda",
            "minutes",
            "resolutions",
        ]
        widgets = {
            "minutes": forms.Textarea(attrs={"rows": 5}),
            "resolutions": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(
        self,
        *args: Any,
        organisations: Any = None,
        people: Any = None,
        creating: bool = True,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        if creating:
            field = self.fields["organisation"]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = (
                organisations if organisations is not None else Organisation.objects.none()
            )
        else:
            del self.fields["organisation"]
            del self.fields["kind"]
            if self.instance.pk:
                self.initial["agenda"] = "\n".join(
                    a.title for a in self.instance.agenda_items.all()
                )
                for name in ("starts_at", "ends_at"):
                    value = getattr(self.instance, name)
                    if value is not None:
                        self.initial[name] = timezone.localtime(value)
        for name in ("host", "recorder", "lecturer"):
            field = self.fields[name]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = people if people is not None else User.objects.none()
        if self.read_only:
            for field in self.fields.values():
                field.disabled = True

    # An archived record's form shows it and accepts nothing; AmendForm is the way to
    # change it.
    amends = False

    @property
    def read_only(self) -> bool:
        return bool(self.instance.pk and self.instance.is_archived and not self.amends)

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        if self.read_only:
            raise ValidationError(
                _("This record is archived and read-only; correct it with an amendment.")
            )
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts and ends and ends < starts:
            self.add_error("ends_at", _("The meeting cannot end before it starts."))
        kind = data.get("kind") or getattr(self.instance, "kind", "")
        if kind == Meeting.Kind.PARTY_LECTURE and not (
            data.get("lecturer") and data.get("lecture_title")
        ):
            if not data.get("lecturer"):
                self.add_error("lecturer", _("A Party lecture needs its lecturer."))
            if not data.get("lecture_title"):
                self.add_error("lecture_title", _("A Party lecture needs its title."))
        organisation = data.get("organisation")
        if organisation is not None and kind:
            if kind == Meeting.Kind.GROUP_MEETING and not organisation.is_group:
                self.add_error("organisation", _("A Party group meeting belongs to a Party group."))
            if kind != Meeting.Kind.GROUP_MEETING and organisation.is_group:
                self.add_error("kind", _("A Party group holds Party group meetings only."))
        return data

    def record_values(self) -> dict[str, Any]:
        data = self.cleaned_data
        values = {
            name: data[name]
            for name in (
                "topic",
                "starts_at",
                "ends_at",
                "place",
                "host",
                "recorder",
                "lecturer",
                "lecture_title",
                "minutes",
                "resolutions",
            )
        }
        values["agenda"] = data["agenda"].splitlines()
        return values

    def _post_clean(self) -> None:
        # The service validates and saves the model; the form only checks its own fields.
        pass


class AttendanceForm(forms.Form):
    """One status and reason per expected attendee, plus 列席 guests."""

    guests = forms.ModelMultipleChoiceField(
        label=_("Non-voting attendees (列席)"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 4}),
    )

    def __init__(
        self,
        *args: Any,
        attendances: list[Attendance],
        people: Any = None,
        read_only: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.read_only = read_only
        self.rows = [a for a in attendances if not a.is_guest]
        for row in self.rows:
            self.fields[f"status_{row.user_id}"] = forms.ChoiceField(
                label=row.user.name,
                choices=Attendance.Status.choices,
                initial=row.status,
                widget=forms.RadioSelect(attrs={"class": "attendance-status"}),
            )
            self.fields[f"reason_{row.user_id}"] = forms.CharField(
                label=_("Reason for leave"),
                required=False,
                max_length=200,
                initial=row.reason,
            )
        guests = self.fields["guests"]
        assert isinstance(guests, forms.ModelMultipleChoiceField)
        guests.queryset = people if people is not None else User.objects.none()

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        if self.read_only:
            raise ValidationError(
                _("This record is archived and read-only; correct it with an amendment.")
            )
        for row in self.rows:
            if (
                data.get(f"status_{row.user_id}") == Attendance.Status.LEAVE
                and not (data.get(f"reason_{row.user_id}") or "").strip()
            ):
                self.add_error(f"reason_{row.user_id}", _("Give the reason for leave."))
        return data

    def marks(self) -> dict[int, tuple[str, str]]:
        return {
            row.user_id: (
                self.cleaned_data[f"status_{row.user_id}"],
                self.cleaned_data[f"reason_{row.user_id}"],
            )
            for row in self.rows
        }

    def bound_rows(self) -> list[tuple[Attendance, Any, Any]]:
        return [(r, self[f"status_{r.user_id}"], self[f"reason_{r.user_id}"]) for r in self.rows]


class AmendForm(MeetingForm):
    amends = True

    reason = forms.CharField(
        label=_("Reason for the correction"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required: the record keeps who changed what and why."),
    )

    class Meta(MeetingForm.Meta):
        fields = [*MeetingForm.Meta.fields, "reason"]


class AttachmentForm(forms.Form):
    category = forms.ChoiceField(
        label=pgettext_lazy("attachment", "Category"), choices=Attachment.Category.choices
    )
    file = forms.FileField(
        label=_("File"),
        help_text=_("Photos (.jpg, .png), scans (.pdf) or documents (.docx, .xlsx)."),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        services.attachment_check(upload)
        return upload


class MeetingFilterForm(forms.Form):
    q = forms.CharField(label=_("Topic contains"), required=False, max_length=100)
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("All I can see"),
        widget=FastSelect,
    )
    kind = forms.ChoiceField(
        label=pgettext_lazy("meeting", "Kind"),
        required=False,
        choices=[("", pgettext_lazy("meeting", "All kinds")), *Meeting.Kind.choices],
        widget=FastSelect,
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All statuses")), *Meeting.Status.choices],
        widget=FastSelect,
    )
    year = forms.IntegerField(label=_("Year"), required=False, min_value=1990, max_value=2100)
    month = forms.IntegerField(label=_("Month"), required=False, min_value=1, max_value=12)
    late = forms.BooleanField(label=_("Filed late (补记) only"), required=False)

    def __init__(
        self, *args: Any, organisations: Any = None, offered: Any = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        narrow_organisations(
            self.fields["organisation"],
            organisations if organisations is not None else Organisation.objects.none(),
            offered,
        )

    def filter(self, meetings: Any) -> Any:
        if not self.is_valid():
            return meetings
        data = self.cleaned_data
        if data["q"]:
            meetings = meetings.filter(topic__icontains=data["q"])
        if data["organisation"] is not None:
            meetings = meetings.filter(organisation__path__startswith=data["organisation"].path)
        if data["kind"]:
            meetings = meetings.filter(kind=data["kind"])
        if data["status"]:
            meetings = meetings.filter(status=data["status"])
        if data["year"]:
            meetings = meetings.filter(held_on__year=data["year"])
        if data["month"]:
            meetings = meetings.filter(held_on__month=data["month"])
        if data["late"]:
            meetings = meetings.filter(is_late=True)
        return meetings


class LedgerForm(forms.Form):
    start = forms.DateField(label=_("From"), widget=DATE_INPUT)
    end = forms.DateField(label=_("To"), widget=DATE_INPUT)

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end:
            if end < start:
                self.add_error("end", _("The end of the period is before its start."))
            elif (end - start).days > 366 * 5:
                self.add_error("end", _("Choose a period of at most five years."))
        return data


class LifeEntryForm(forms.Form):
    member = PersonField(label=_("Member"), queryset=User.objects.none())
    party_spirit_analysis = forms.CharField(
        label=_("Party spirit analysis"), widget=forms.Textarea(attrs={"rows": 3})
    )
    self_criticism = forms.CharField(
        label=_("Self-criticism"), widget=forms.Textarea(attrs={"rows": 3})
    )
    criticism_received = forms.CharField(
        label=_("Criticism from others"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    rectification = forms.CharField(
        label=_("Rectification measures"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def __init__(self, *args: Any, people: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["member"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = people if people is not None else User.objects.none()


GRADE_CHOICES = [("", "—"), *Grade.choices]


class ReviewForm(forms.Form):
    """Ratings of every member of the branch; refuses more 优秀 than one third of those rated."""

    def __init__(self, *args: Any, ratings: list[ReviewRating], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.ratings = ratings
        for r in ratings:
            for name, label in (
                ("self_grade", _("Self")),
                ("peer_grade", _("Peers")),
                ("branch_grade", pgettext_lazy("democratic review", "Branch")),
                ("final_grade", _("Final grade")),
            ):
                self.fields[f"{name}_{r.member_id}"] = forms.ChoiceField(
                    label=label, choices=GRADE_CHOICES, required=False, initial=getattr(r, name)
                )

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        finals = [data.get(f"final_grade_{r.member_id}") for r in self.ratings]
        finals = [f for f in finals if f]
        excellent = finals.count(Grade.EXCELLENT)
        cap = services.excellent_cap(len(finals))
        if excellent > cap:
            raise ValidationError(
                _(
                    "优秀 may be given to at most one third of those rated: %(cap)d of "
                    "%(rated)d, not %(excellent)d."
                ),
                params={"cap": cap, "rated": len(finals), "excellent": excellent},
            )
        return data

    def values(self) -> dict[int, dict[str, str]]:
        return {
            r.member_id: {
                name: self.cleaned_data[f"{name}_{r.member_id}"]
                for name in ("self_grade", "peer_grade", "branch_grade", "final_grade")
            }
            for r in self.ratings
        }

    def rows(self) -> list[tuple[ReviewRating, list[Any]]]:
        return [
            (
                r,
                [
                    self[f"{n}_{r.member_id}"]
                    for n in ("self_grade", "peer_grade", "branch_grade", "final_grade")
                ],
            )
            for r in self.ratings
        ]


class TalkForm(forms.Form):
    initiator = PersonField(label=_("Talked"), queryset=User.objects.none())
    partner = PersonField(label=_("With"), queryset=User.objects.none())
    held_on = forms.DateField(label=_("Date"), widget=DATE_INPUT)
    topic = forms.CharField(label=_("Topic"), max_length=200)
    notes = forms.CharField(
        label=_("Notes"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args: Any, people: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("initiator", "partner"):
            field = self.fields[name]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = people if people is not None else User.objects.none()

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        if data.get("initiator") and data.get("initiator") == data.get("partner"):
            self.add_error("partner", _("A talk is between two different people."))
        held_on = data.get("held_on")
        if held_on and held_on > timezone.localdate():
            self.add_error("held_on", _("A talk is recorded after it has taken place."))
        return data


class YearForm(forms.Form):
    year = forms.IntegerField(min_value=1990, max_value=2100, required=False)

    def year_or(self, default: int) -> int:
        if self.is_valid() and self.cleaned_data["year"]:
            return int(self.cleaned_data["year"])
        return default


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Past meetings (.xlsx)"),
        help_text=_(
            "Columns: 组织, 会议类型, 日期, 开始时间, 地点, 主持人, 记录人, 主题, 主要内容, 决议, "
            "and optionally 出席人员 (names separated by 、). "
            "If any row is wrong, nothing is imported and every wrong row is listed."
        ),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if not (upload.name or "").lower().endswith(".xlsx"):
            raise ValidationError(_("Upload an .xlsx workbook."))
        return upload


def default_start() -> datetime.datetime:
    now = timezone.localtime()
    return now.replace(minute=0, second=0, microsecond=0)


class SelfAssessmentForm(forms.Form):
    self_assessment = forms.CharField(
        label=_("Self-assessment"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=5000,
        help_text=_(
            "Your study, work and conduct this year measured against a Party member's standards."
        ),
    )
    self_grade = forms.ChoiceField(label=_("Self rating"), choices=Grade.choices)
