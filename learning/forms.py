"""Forms only validate and normalise; the services carry the rules."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.forms.models import ModelChoiceIterator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from learning.models import (
    Activity,
    BranchPlanItem,
    CentreGroupSession,
    Grade,
    Material,
    Requirement,
    StudyForm,
    Topic,
)
from portal.models import Organisation, User
from portal.uploads import content_matches
from portal.widgets import FastSelect

# An <input type=date> needs ISO dates whatever the language.
DATE = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
UPLOAD_SUFFIXES = (".docx", ".pdf", ".txt", ".doc", ".wps", ".jpg", ".png")
MAX_UPLOAD = 10 * 1024 * 1024


def _check_upload(file: Any) -> Any:
    if file is None:
        return None
    if not file.name.lower().endswith(UPLOAD_SUFFIXES):
        raise forms.ValidationError(
            _("Upload a Word, PDF, text or image file (.docx, .doc, .wps, .pdf, .txt, .jpg, .png).")
        )
    if file.size > MAX_UPLOAD:
        raise forms.ValidationError(_("The file is larger than 10 MB."))
    if not content_matches(file):
        raise forms.ValidationError(
            _("The file's content does not match its name; upload the real file.")
        )
    return file


def _this_year() -> int:
    return timezone.localdate().year


class StudyPlanForm(forms.Form):
    year = forms.IntegerField(
        label=pgettext_lazy("learning", "Year"), min_value=2000, max_value=2100, initial=_this_year
    )
    goals = forms.CharField(
        label=pgettext_lazy("learning", "Goals"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
    )
    topics = forms.CharField(
        label=pgettext_lazy("learning", "Topics"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
    )
    methods = forms.CharField(
        label=pgettext_lazy("learning", "Methods"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=4000,
        required=False,
    )
    target_hours = forms.IntegerField(
        label=pgettext_lazy("learning", "Target hours"), min_value=1, max_value=2000
    )


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=pgettext_lazy("learning", "Decision"),
        choices=[
            ("approve", pgettext_lazy("learning", "Approve")),
            ("return", _("Return with comments")),
        ],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=pgettext_lazy("learning", "Comment"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=4000,
    )


class _ListedChoiceIterator(ModelChoiceIterator):
    """Choices from one plain query. Django's iterates with ``queryset.iterator()``, which on
    PostgreSQL opens a server-side cursor: DECLARE, FETCH and CLOSE round trips for a few
    dozen rows."""

    def __iter__(self) -> Any:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.queryset:
            yield self.choice(obj)


class ListedModelChoiceField(forms.ModelChoiceField):
    iterator = _ListedChoiceIterator


class StudyLogForm(forms.Form):
    studied_on = forms.DateField(
        label=pgettext_lazy("learning", "Date"), widget=DATE, initial=timezone.localdate
    )
    minutes = forms.IntegerField(
        label=pgettext_lazy("learning", "Minutes"), min_value=1, max_value=1440
    )
    # FastSelect: the form is on every member's study page; Django's Select renders each
    # of the materials and topics through a template (half of the page's time).
    method = forms.ChoiceField(
        label=pgettext_lazy("learning", "Method"), choices=StudyForm.choices, widget=FastSelect
    )
    material = ListedModelChoiceField(
        label=pgettext_lazy("learning", "Material"),
        queryset=Material.objects.none(),
        required=False,
        widget=FastSelect,
    )
    topic = ListedModelChoiceField(
        label=pgettext_lazy("learning", "Topic"),
        queryset=Topic.objects.all(),
        required=False,
        widget=FastSelect,
    )
    note = forms.CharField(label=pgettext_lazy("learning", "Note"), max_length=200, required=False)

    def __init__(self, *args: Any, materials: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            # The classes crispy's bootstrap5 pack gives these widgets, so that the study
            # page can render the form without crispy (learning/_log_form_fields.html).
            widget = field.widget
            kind = "form-select" if isinstance(widget, forms.Select) else "form-control"
            widget.attrs["class"] = f"{type(widget).__name__.lower()} {kind}"
        if materials is not None:
            # Shown, the select needs titles only (str(material)); posted, the whole row.
            shown = materials if self.is_bound else materials.only("pk", "title")
            self.fields["material"].queryset = shown  # type: ignore[attr-defined]


class ReflectionForm(forms.Form):
    title = forms.CharField(label=pgettext_lazy("learning", "Title"), max_length=200)
    body = forms.CharField(
        label=pgettext_lazy("learning", "Text"),
        required=False,
        max_length=200_000,
        widget=forms.Textarea(
            attrs={"rows": 10, "class": "rich-text-source", "data-testid": "reflection-body"}
        ),
    )
    file = forms.FileField(label=pgettext_lazy("learning", "Or upload a file"), required=False)
    material = forms.ModelChoiceField(
        label=pgettext_lazy("learning", "Material"),
        queryset=Material.objects.none(),
        required=False,
    )
    topic = forms.ModelChoiceField(
        label=pgettext_lazy("learning", "Topic"), queryset=Topic.objects.all(), required=False
    )
    activity = forms.ModelChoiceField(
        label=pgettext_lazy("learning", "Activity"),
        queryset=Activity.objects.none(),
        required=False,
    )

    def __init__(
        self, *args: Any, materials: Any = None, activities: Any = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        if materials is not None:
            self.fields["material"].queryset = materials  # type: ignore[attr-defined]
        if activities is not None:
            self.fields["activity"].queryset = activities  # type: ignore[attr-defined]

    def clean_file(self) -> Any:
        return _check_upload(self.cleaned_data.get("file"))


class ReflectionReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=pgettext_lazy("learning", "Decision"),
        choices=[
            ("accept", pgettext_lazy("learning", "Accept")),
            ("return", _("Return for rewriting")),
        ],
        widget=forms.RadioSelect,
    )
    grade = forms.ChoiceField(
        label=pgettext_lazy("learning", "Grade"),
        choices=[("", "—"), *Grade.choices],
        required=False,
    )
    comment = forms.CharField(
        label=pgettext_lazy("learning", "Comment"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=4000,
    )


class CommentForm(forms.Form):
    text = forms.CharField(
        label=pgettext_lazy("learning", "Comment"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
    )


class MaterialForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=pgettext_lazy("learning", "Filed by organisation"),
        queryset=Organisation.objects.none(),
    )
    kind = forms.ChoiceField(label=pgettext_lazy("learning", "Kind"), choices=Material.Kind.choices)
    title = forms.CharField(label=pgettext_lazy("learning", "Title"), max_length=200)
    author = forms.CharField(
        label=pgettext_lazy("learning", "Author or issuer"), max_length=100, required=False
    )
    url = forms.URLField(
        label=pgettext_lazy("learning", "Link"), required=False, assume_scheme="https"
    )
    text = forms.CharField(
        label=pgettext_lazy("learning", "Text"),
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
    )
    file = forms.FileField(label=pgettext_lazy("learning", "File"), required=False)
    topics = forms.ModelMultipleChoiceField(
        label=pgettext_lazy("learning", "Topics"),
        queryset=Topic.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    new_topic = forms.CharField(
        label=pgettext_lazy("learning", "New topic"), max_length=60, required=False
    )

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]

    def clean_file(self) -> Any:
        return _check_upload(self.cleaned_data.get("file"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("kind") == Material.Kind.LINK and not data.get("url"):
            self.add_error("url", _("A link needs its address."))
        return data


class AssignmentForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=pgettext_lazy("learning", "Assign to"), queryset=Organisation.objects.none()
    )
    requirement = forms.ChoiceField(
        label=pgettext_lazy("learning", "Requirement"), choices=Requirement.choices
    )
    due_on = forms.DateField(label=pgettext_lazy("learning", "Deadline"), widget=DATE)

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]


class BranchPlanForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=pgettext_lazy("learning", "Branch"), queryset=Organisation.objects.none()
    )
    year = forms.IntegerField(
        label=pgettext_lazy("learning", "Year"), min_value=2000, max_value=2100, initial=_this_year
    )
    title = forms.CharField(label=pgettext_lazy("learning", "Title"), max_length=120)
    notes = forms.CharField(
        label=pgettext_lazy("learning", "Notes"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]


class BranchPlanItemForm(forms.Form):
    period_kind = forms.ChoiceField(
        label=pgettext_lazy("learning", "Period"), choices=BranchPlanItem.Period.choices
    )
    period = forms.IntegerField(
        label=pgettext_lazy("learning", "Month or quarter"), min_value=1, max_value=12
    )
    topic = forms.CharField(label=pgettext_lazy("learning", "Topic"), max_length=120)
    form = forms.ChoiceField(label=pgettext_lazy("learning", "Form"), choices=StudyForm.choices)
    materials = forms.CharField(
        label=pgettext_lazy("learning", "Materials"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
    hours = forms.DecimalField(
        label=pgettext_lazy("learning", "Required hours"),
        min_value=0.5,
        max_value=999,
        decimal_places=1,
    )


class ResearchReportForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=pgettext_lazy("learning", "Organisation"), queryset=Organisation.objects.none()
    )
    title = forms.CharField(label=pgettext_lazy("learning", "Title"), max_length=200)
    topic = forms.CharField(label=pgettext_lazy("learning", "Topic"), max_length=200)
    authors = forms.ModelMultipleChoiceField(
        label=pgettext_lazy("learning", "Authors"), queryset=User.objects.none(), required=False
    )
    text = forms.CharField(
        label=pgettext_lazy("learning", "Text"),
        widget=forms.Textarea(attrs={"rows": 8}),
        required=False,
    )
    file = forms.FileField(label=pgettext_lazy("learning", "File"), required=False)

    def __init__(self, *args: Any, organisations: Any, authors: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]
        self.fields["authors"].queryset = authors  # type: ignore[attr-defined]

    def clean_file(self) -> Any:
        return _check_upload(self.cleaned_data.get("file"))


class AdoptionForm(forms.Form):
    adopted_by = forms.CharField(label=pgettext_lazy("learning", "Adopted by"), max_length=200)
    decision = forms.CharField(label=pgettext_lazy("learning", "In decision"), max_length=300)
    adopted_on = forms.DateField(
        label=pgettext_lazy("learning", "Adopted on"), widget=DATE, initial=timezone.localdate
    )


class OutcomeForm(forms.Form):
    recorded_on = forms.DateField(
        label=pgettext_lazy("learning", "Date"), widget=DATE, initial=timezone.localdate
    )
    description = forms.CharField(
        label=pgettext_lazy("learning", "Outcome"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
    )


class ActivityForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=pgettext_lazy("learning", "Organisation"), queryset=Organisation.objects.none()
    )
    kind = forms.ChoiceField(label=pgettext_lazy("learning", "Kind"), choices=Activity.Kind.choices)
    title = forms.CharField(label=pgettext_lazy("learning", "Title"), max_length=200)
    description = forms.CharField(
        label=pgettext_lazy("learning", "Description"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    starts_on = forms.DateField(label=pgettext_lazy("learning", "Starts on"), widget=DATE)
    ends_on = forms.DateField(label=pgettext_lazy("learning", "Ends on"), widget=DATE)

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]


class CentreGroupSessionForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=pgettext_lazy("learning", "Committee"), queryset=Organisation.objects.none()
    )
    held_on = forms.DateField(
        label=pgettext_lazy("learning", "Held on"), widget=DATE, initial=timezone.localdate
    )
    kind = forms.ChoiceField(
        label=pgettext_lazy("learning", "Kind"), choices=CentreGroupSession.Kind.choices
    )
    topic = forms.CharField(label=pgettext_lazy("learning", "Topic"), max_length=200)
    task_topic = forms.CharField(
        label=pgettext_lazy("learning", "Annual study task"),
        max_length=200,
        required=False,
        help_text=_("The 专题学习任务 this session belongs to; created if new."),
    )
    summary = forms.CharField(
        label=pgettext_lazy("learning", "Summary"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    attendees = forms.ModelMultipleChoiceField(
        label=pgettext_lazy("learning", "Attendees"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, organisations: Any, people: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]
        self.fields["attendees"].queryset = people  # type: ignore[attr-defined]


class SpeechForm(forms.Form):
    speaker = forms.ModelChoiceField(
        label=pgettext_lazy("learning", "Speaker"), queryset=User.objects.none()
    )
    text = forms.CharField(
        label=pgettext_lazy("learning", "Speech text"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=50_000,
    )

    def __init__(self, *args: Any, people: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["speaker"].queryset = people  # type: ignore[attr-defined]


class FilterForm(forms.Form):
    q = forms.CharField(label=pgettext_lazy("learning", "Search"), required=False, max_length=100)
    status = forms.ChoiceField(
        label=pgettext_lazy("learning", "Status"), required=False, choices=[], widget=FastSelect
    )
    year = forms.IntegerField(
        label=pgettext_lazy("learning", "Year"), required=False, min_value=2000, max_value=2100
    )

    def __init__(self, *args: Any, statuses: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", pgettext_lazy("learning", "All")), *statuses]  # type: ignore[attr-defined]


def year_or_current(value: Any) -> int:
    try:
        year = int(value)
    except (TypeError, ValueError):
        return timezone.localdate().year
    return year if 2000 <= year <= 2100 else timezone.localdate().year


__all__ = ["datetime"]
