"""Forms only validate and normalise; the rules live in services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from assessment.models import (
    LETTERS,
    Contest,
    Difficulty,
    QuestionKind,
    Rubric,
    ShuxuePeriod,
)
from assessment.services import QuestionContent
from portal.models import Organisation
from portal.scoping import scope_for


def organisations_run_by(user: Any) -> QuerySet[Organisation]:
    """The committees, 总支 and branches whose 考学/评学 the user runs."""
    scope = scope_for(user)
    organisations = Organisation.objects.exclude(kind=Organisation.Kind.GROUP)
    if scope.is_superuser:
        return organisations
    condition = Q(pk__in=[])
    for path in sorted(scope.oversee_paths | scope.manage_paths):
        condition |= Q(path__startswith=path)
    return organisations.filter(condition)


class OrganisationChoiceMixin:
    def limit_organisations(self, user: Any) -> None:
        field = self.fields["organisation"]  # type: ignore[attr-defined]
        field.queryset = organisations_run_by(user)


class QuestionForm(OrganisationChoiceMixin, forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Question bank of"), queryset=Organisation.objects.none()
    )
    kind = forms.ChoiceField(label=_("Question type"), choices=QuestionKind.choices)
    topic = forms.CharField(label=pgettext_lazy("question", "Topic"), max_length=100)
    difficulty = forms.TypedChoiceField(
        label=_("Difficulty"), choices=Difficulty.choices, coerce=int, initial=Difficulty.MEDIUM
    )
    stem = forms.CharField(label=_("Question"), widget=forms.Textarea(attrs={"rows": 3}))
    option_a = forms.CharField(label=_("Option A"), required=False, max_length=500)
    option_b = forms.CharField(label=_("Option B"), required=False, max_length=500)
    option_c = forms.CharField(label=_("Option C"), required=False, max_length=500)
    option_d = forms.CharField(label=_("Option D"), required=False, max_length=500)
    option_e = forms.CharField(label=_("Option E"), required=False, max_length=500)
    option_f = forms.CharField(label=_("Option F"), required=False, max_length=500)
    answer = forms.CharField(
        label=_("Answer"),
        required=False,
        max_length=20,
        help_text=_(
            "Choice questions: the correct letters, e.g. B or ACD. True or false: 正确 or 错误. "
            "Fill in the blank: every accepted answer, separated by |."
        ),
    )
    explanation = forms.CharField(
        label=_("Explanation"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    source = forms.CharField(label=_("Source"), required=False, max_length=200)

    def __init__(self, *args: Any, user: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.limit_organisations(user)
        if editing:
            del self.fields["organisation"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = data.get("kind")
        answer = (data.get("answer") or "").strip()
        if kind == QuestionKind.TRUE_FALSE:
            from assessment.bankio import _answer_letters

            letters = _answer_letters(kind, answer)
            if not letters:
                self.add_error("answer", _("Write 正确 or 错误."))
            data["answer_letters"] = letters
        elif kind != QuestionKind.FILL:
            data["answer_letters"] = answer.upper().replace(",", "").replace(" ", "")
        return data

    def content(self) -> QuestionContent:
        data = self.cleaned_data
        kind = data["kind"]
        answer = data.get("answer") or ""
        return QuestionContent(
            kind=kind,
            stem=data["stem"],
            options=[data[f"option_{letter.lower()}"] for letter in LETTERS],
            answer=data.get("answer_letters", ""),
            accepted_answers=answer.replace("｜", "|").split("|")
            if kind == QuestionKind.FILL
            else [],
            explanation=data["explanation"],
            source=data["source"],
        )

    @staticmethod
    def initial_for(question: Any) -> dict[str, Any]:
        version = question.current
        initial: dict[str, Any] = {
            "kind": version.kind,
            "topic": question.topic,
            "difficulty": question.difficulty,
            "stem": version.stem,
            "explanation": version.explanation,
            "source": version.source,
        }
        for letter, text in zip(LETTERS, version.options, strict=False):
            initial[f"option_{letter.lower()}"] = text
        if version.kind == QuestionKind.FILL:
            initial["answer"] = "|".join(version.accepted_answers)
        elif version.kind == QuestionKind.TRUE_FALSE:
            initial["answer"] = "正确" if version.answer == "A" else "错误"
            for letter in LETTERS:
                initial.pop(f"option_{letter.lower()}", None)
        else:
            initial["answer"] = version.answer
        return initial


class QuestionFilterForm(forms.Form):
    q = forms.CharField(label=_("Text contains"), required=False, max_length=100)
    topic = forms.CharField(
        label=pgettext_lazy("question", "Topic"), required=False, max_length=100
    )
    difficulty = forms.TypedChoiceField(
        label=_("Difficulty"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("Any difficulty")), *Difficulty.choices],
    )
    kind = forms.ChoiceField(
        label=_("Question type"),
        required=False,
        choices=[("", _("Any type")), *QuestionKind.choices],
    )

    def filter(self, questions: Any) -> Any:
        if not self.is_valid():
            return questions
        data = self.cleaned_data
        if data["q"]:
            questions = questions.filter(current__stem__icontains=data["q"])
        if data["topic"]:
            questions = questions.filter(topic=data["topic"])
        if data["difficulty"]:
            questions = questions.filter(difficulty=data["difficulty"])
        if data["kind"]:
            questions = questions.filter(current__kind=data["kind"])
        return questions


class BankImportForm(OrganisationChoiceMixin, forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Question bank of"), queryset=Organisation.objects.none()
    )
    file = forms.FileField(
        label=_("Question sheet (.xlsx)"),
        help_text=_("Columns: 题型, 题干, 选项A–选项F, 答案, 解析, 难度, 专题."),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.limit_organisations(user)

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(_("Upload an .xlsx workbook."))
        if upload.size > settings.IMPORT_MAX_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(mb)d MB.") % {"mb": settings.IMPORT_MAX_BYTES // 2**20}
            )
        return upload


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class ContestForm(OrganisationChoiceMixin, forms.ModelForm):
    class Meta:
        model = Contest
        fields = [
            "organisation",
            "title",
            "description",
            "opens_at",
            "closes_at",
            "time_limit_minutes",
            "shuffle_options",
            "attempts_allowed",
            "counting",
            "pass_mark",
            "reveal",
        ]
        widgets = {
            "opens_at": DateTimeLocalInput(),
            "closes_at": DateTimeLocalInput(),
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.limit_organisations(user)
        for name in ("opens_at", "closes_at"):
            field = self.fields[name]
            assert isinstance(field, forms.DateTimeField)
            field.input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
        if self.instance.pk:
            del self.fields["organisation"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        opens, closes = data.get("opens_at"), data.get("closes_at")
        if opens and closes and closes <= opens:
            self.add_error("closes_at", _("The contest must close after it opens."))
        for name, low, high in (
            ("time_limit_minutes", 1, 600),
            ("attempts_allowed", 1, 20),
            ("pass_mark", 0, 100),
        ):
            value = data.get(name)
            if value is not None and not (low <= value <= high):
                self.add_error(
                    name, _("Enter a number from %(low)d to %(high)d.") % {"low": low, "high": high}
                )
        return data

    def _post_clean(self) -> None:
        # The model's constraints are checked by the service and the database.
        pass


class DrawRuleForm(forms.Form):
    topic = forms.CharField(
        label=pgettext_lazy("question", "Topic"),
        required=False,
        max_length=100,
        help_text=_("Leave empty for any topic."),
    )
    difficulty = forms.TypedChoiceField(
        label=_("Difficulty"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("Any difficulty")), *Difficulty.choices],
    )
    count = forms.IntegerField(label=_("Number of questions"), min_value=1, max_value=200)
    points = forms.IntegerField(
        label=_("Points per question"), min_value=1, max_value=100, initial=1
    )


class RubricForm(OrganisationChoiceMixin, forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.none()
    )
    name = forms.CharField(label=_("Name"), max_length=200)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    criteria = forms.CharField(
        label=_("Criteria"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "One criterion a line: its name, “|”, then its levels as name:points, e.g. "
            "学习态度 | 优:25, 良:20, 合格:15, 差:5"
        ),
    )

    def __init__(self, *args: Any, user: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.limit_organisations(user)
        if editing:
            del self.fields["organisation"]


class PeriodForm(OrganisationChoiceMixin, forms.ModelForm):
    class Meta:
        model = ShuxuePeriod
        fields = [
            "organisation",
            "title",
            "year",
            "opens_on",
            "closes_on",
            "rubric",
            "excellent_from",
            "good_from",
            "pass_from",
            "anonymous_peers",
        ]
        widgets = {
            "opens_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "closes_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.limit_organisations(user)
        rubric_field = self.fields["rubric"]
        assert isinstance(rubric_field, forms.ModelChoiceField)
        rubric_field.queryset = Rubric.objects.filter(organisation__in=organisations_run_by(user))
        self.fields["year"].initial = timezone.localdate().year

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        e, g, p = data.get("excellent_from"), data.get("good_from"), data.get("pass_from")
        if None not in (e, g, p) and not (100 >= e > g > p >= 0):  # type: ignore[operator]
            self.add_error(
                "excellent_from",
                _("Thresholds must fall: 优秀 above 良好 above 合格, all between 0 and 100."),
            )
        opens, closes = data.get("opens_on"), data.get("closes_on")
        if opens and closes and closes < opens:
            self.add_error("closes_on", _("The period must close after it opens."))
        return data

    def _post_clean(self) -> None:
        pass


class ThresholdForm(forms.Form):
    excellent_from = forms.IntegerField(label=_("优秀 from (%)"), min_value=1, max_value=100)
    good_from = forms.IntegerField(label=_("良好 from (%)"), min_value=1, max_value=100)
    pass_from = forms.IntegerField(label=_("合格 from (%)"), min_value=0, max_value=100)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        e, g, p = data.get("excellent_from"), data.get("good_from"), data.get("pass_from")
        if None not in (e, g, p) and not (e > g > p):  # type: ignore[operator]
            raise forms.ValidationError(
                _("Thresholds must fall: 优秀 above 良好 above 合格, all between 0 and 100.")
            )
        return data


class ReportForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    content = forms.CharField(label=_("Report"), widget=forms.Textarea(attrs={"rows": 12}))


class RatingForm(forms.Form):
    """A level and a remark for every criterion of the rubric."""

    def __init__(self, *args: Any, criteria: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for criterion in criteria:
            self.fields[f"level_{criterion.pk}"] = forms.TypedChoiceField(
                label=criterion.name,
                coerce=int,
                widget=forms.RadioSelect,
                choices=[(lv.pk, f"{lv.name}（{lv.points}）") for lv in criterion.levels.all()],
            )
            self.fields[f"remark_{criterion.pk}"] = forms.CharField(
                label=_("Remark"), required=False, max_length=500
            )

    def choices(self) -> dict[int, tuple[int, str]]:
        return {
            c.pk: (self.cleaned_data[f"level_{c.pk}"], self.cleaned_data[f"remark_{c.pk}"])
            for c in self.criteria
        }
