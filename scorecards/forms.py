"""Forms only validate and normalise; the services carry the rules."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.models import Organisation
from portal.widgets import FastSelect
from scorecards.metrics import metric_choices
from scorecards.models import Dimension, Indicator, Innovation, Inspection, Scorecard

MAX_PHOTO_BYTES = 8 * 1024 * 1024


class TableFilterForm(forms.Form):
    q = forms.CharField(label=_("Branch name"), required=False, max_length=50)
    state = forms.ChoiceField(
        label=_("State"),
        required=False,
        choices=[("", _("All")), *Scorecard.State.choices],
        widget=FastSelect,
    )
    under = forms.ModelChoiceField(
        label=_("Under"),
        required=False,
        queryset=Organisation.objects.none(),
        empty_label=_("All"),
        widget=FastSelect,
    )

    def __init__(self, *args: Any, committee: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["under"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Organisation.objects.filter(
            path__startswith=committee.path,
            kind__in=[Organisation.Kind.COMMITTEE, Organisation.Kind.GENERAL_BRANCH],
        ).exclude(pk=committee.pk)


class IndicatorForm(forms.Form):
    code = forms.SlugField(
        label=_("Code"),
        max_length=40,
        help_text=_("Letters, digits and hyphens; stays the same across versions."),
    )
    name = forms.CharField(label=_("Name"), max_length=100)
    dimension = forms.ChoiceField(label=_("Dimension"), choices=Dimension.choices)
    kind = forms.ChoiceField(label=_("Kind"), choices=Indicator.Kind.choices)
    metric = forms.ChoiceField(label=_("Metric"), required=False)
    weight = forms.DecimalField(
        label=_("Weight"), min_value=Decimal(0), max_value=Decimal(5), decimal_places=2, initial=1
    )
    max_points = forms.DecimalField(
        label=_("Maximum points"),
        min_value=Decimal("0.5"),
        max_value=Decimal(100),
        decimal_places=1,
    )
    description = forms.CharField(
        label=_("How it is scored"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    position = forms.IntegerField(label=_("Order"), min_value=0, max_value=999, initial=0)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["metric"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "—"), *metric_choices()]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("kind") == Indicator.Kind.COMPUTED and not data.get("metric"):
            self.add_error("metric", _("A computed indicator needs a metric."))
        return data


class InspectionForm(forms.Form):
    branch = forms.ModelChoiceField(label=_("Branch"), queryset=Organisation.objects.none())
    method = forms.ChoiceField(label=_("Method"), choices=Inspection.Method.choices)
    visited_on = forms.DateField(
        label=_("Visited on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    findings = forms.CharField(label=_("Findings"), widget=forms.Textarea(attrs={"rows": 4}))
    problems = forms.CharField(
        label=_("Problems found"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    photo = forms.ImageField(label=_("Photo"), required=False)

    def __init__(
        self, *args: Any, committee: Organisation, indicators: list[Indicator], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["branch"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Organisation.objects.filter(
            path__startswith=committee.path, kind=Organisation.Kind.BRANCH
        ).order_by("path")
        self.indicators = indicators
        for indicator in indicators:
            self.fields[f"score_{indicator.code}"] = forms.DecimalField(
                label=_("%(name)s (out of %(max)s)")
                % {"name": indicator.name, "max": indicator.max_points},
                required=False,
                min_value=Decimal(0),
                max_value=indicator.max_points,
                decimal_places=1,
            )

    def clean_visited_on(self) -> datetime.date:
        day: datetime.date = self.cleaned_data["visited_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("A visit cannot be in the future."))
        return day

    def clean_photo(self) -> Any:
        photo = self.cleaned_data.get("photo")
        if photo and photo.size > MAX_PHOTO_BYTES:
            raise forms.ValidationError(_("A photo may be at most 8 MB."))
        return photo

    def scores(self) -> dict[str, Decimal]:
        return {
            i.code: self.cleaned_data[f"score_{i.code}"]
            for i in self.indicators
            if self.cleaned_data.get(f"score_{i.code}") is not None
        }


class InnovationForm(forms.ModelForm):
    class Meta:
        model = Innovation
        fields = ["kind", "title", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}


class InnovationScoreForm(forms.Form):
    score = forms.IntegerField(label=_("Score (0–100)"), min_value=0, max_value=100)
    comment = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
