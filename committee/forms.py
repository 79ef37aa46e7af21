"""Forms only validate and normalise; the rules live in services."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import URLValidator
from django.db.models import Q
from django.forms.utils import flatatt
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from committee.models import Assignment, Post, Task
from portal.models import Membership, Organisation, User
from portal.uploads import content_matches, suffix_of
from portal.widgets import FastSelect

MAX_EVIDENCE_BYTES = 20 * 1024 * 1024
# Evidence is checked by content, so only kinds whose content can be recognised.
EVIDENCE_SUFFIXES = {
    ".pdf",
    ".docx",
    ".doc",
    ".wps",
    ".xlsx",
    ".xls",
    ".pptx",
    ".txt",
    ".jpg",
    ".jpeg",
    ".png",
    ".gif",
    ".webp",
}
MAX_PHOTO_BYTES = 8 * 1024 * 1024
MAX_PHOTOS = 9
# What Pillow may find inside an upload, and the type the photo is then served as.
IMAGE_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "GIF": "image/gif", "WEBP": "image/webp"}


class DateInput(forms.DateInput):
    input_type = "date"


class TaskForm(forms.Form):
    issuer = forms.ModelChoiceField(
        label=_("Issued by"), queryset=Organisation.objects.none(), empty_label=None
    )
    title = forms.CharField(label=_("Task"), max_length=200)
    description = forms.CharField(
        label=_("Requirements"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    evidence_expected = forms.CharField(
        label=_("Evidence expected"),
        max_length=300,
        help_text=_("For example: the meeting record, the sign-in sheet and two photos."),
    )
    due_on = forms.DateField(label=_("Deadline"), widget=DateInput)
    all_branches = forms.BooleanField(
        label=_("Every Party branch below the issuing organisation"), required=False
    )
    organisations = forms.ModelMultipleChoiceField(
        label=_("Organisations responsible"),
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    people = forms.CharField(
        label=_("People"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Mobile numbers or login names of members, separated by commas or new lines."),
    )

    def __init__(
        self, *args: Any, issuers: Any = None, organisations: Any = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        for name, queryset in (("issuer", issuers), ("organisations", organisations)):
            field = self.fields[name]
            assert isinstance(field, forms.ModelChoiceField)
            if queryset is not None:
                field.queryset = queryset

    def clean_due_on(self) -> Any:
        due_on = self.cleaned_data["due_on"]
        if due_on < timezone.localdate():
            raise ValidationError(_("The deadline cannot be in the past."))
        return due_on

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        issuer: Organisation | None = data.get("issuer")
        if issuer is None:
            return data
        organisations = list(data.get("organisations") or [])
        outside = [o for o in organisations if not o.path.startswith(issuer.path)]
        if outside:
            self.add_error(
                "organisations",
                _("These are not below %(issuer)s: %(names)s.")
                % {"issuer": issuer, "names": "、".join(str(o) for o in outside)},
            )
        if data.get("all_branches"):
            organisations += list(
                Organisation.objects.filter(
                    path__startswith=issuer.path, kind=Organisation.Kind.BRANCH
                )
            )
        data["assignee_organisations"] = organisations
        data["assignee_people"] = self._people(data.get("people", ""), issuer)
        if not organisations and not data["assignee_people"] and not self.errors:
            raise ValidationError(_("Choose at least one organisation or person."))
        return data

    def _people(self, text: str, issuer: Organisation) -> list[User]:
        keys = [k for k in re.split(r"[\s,，、;；]+", text) if k]
        if not keys:
            return []
        found = {
            key: m.user
            for m in Membership.objects.filter(branch__path__startswith=issuer.path)
            .filter(Q(user__phone__in=keys) | Q(user__username__in=keys))
            .select_related("user")
            for key in (m.user.phone, m.user.username)
        }
        unknown = [k for k in keys if k not in found]
        if unknown:
            self.add_error(
                "people",
                _("No member below %(issuer)s has the number or login %(keys)s.")
                % {"issuer": issuer, "keys": "、".join(unknown)},
            )
        return [found[k] for k in keys if k in found]


def _check_link(value: str) -> str:
    value = value.strip()
    if not value:
        return ""
    if value.startswith("/") and not value.startswith("//"):
        return value
    try:
        URLValidator(schemes=["http", "https"])(value)
    except ValidationError as exc:
        raise ValidationError(
            _("Give the address of a page in the portal (starting with /) or a web address.")
        ) from exc
    return value


class ReportForm(forms.Form):
    text = forms.CharField(
        label=_("Progress"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What was done, when, and by whom."),
    )
    link = forms.CharField(
        label=_("Link to a record in the portal"),
        required=False,
        max_length=500,
        help_text=_("For example the meeting record or the study reflection page."),
    )
    file = forms.FileField(label=_("File"), required=False, max_length=200)

    def clean_link(self) -> str:
        return _check_link(self.cleaned_data.get("link", ""))

    def clean_file(self) -> UploadedFile | None:
        upload = self.cleaned_data.get("file")
        if upload and upload.size and upload.size > MAX_EVIDENCE_BYTES:
            raise ValidationError(_("The file is larger than 20 MB."))
        if upload and suffix_of(upload.name) not in EVIDENCE_SUFFIXES:
            raise ValidationError(_("Upload a PDF, Word, Excel, text or image file as evidence."))
        if upload and not content_matches(upload):
            raise ValidationError(
                _("The file's content does not match its name; upload the real file.")
            )
        return upload

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.errors and not (data.get("text") or data.get("link") or data.get("file")):
            raise ValidationError(_("Give some evidence: text, a link or a file."))
        return data


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("accept", _("Accept")), ("return", _("Return"))], widget=forms.HiddenInput
    )
    comment = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("decision") == "return" and not data.get("comment", "").strip():
            self.add_error("comment", _("Say what is missing when returning a report."))
        return data


class PrerenderedSelect(FastSelect):
    """A :class:`FastSelect` whose options can be given as ready HTML (kept in the cache).

    ``options_html`` holds the ``<option>`` elements after the empty one, none selected,
    as :func:`options_html` writes them; the chosen value is marked on the way out.
    Without it the widget renders its choices as :class:`FastSelect` does.
    """

    options_html: str | None = None

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        if self.options_html is None:
            return super().render(name, value, attrs, renderer)
        final = self.build_attrs(self.attrs, attrs)
        final["name"] = name
        selected = {"" if v is None else str(v) for v in self.format_value(value)}
        empty = [(v, label) for v, label in self.choices if v == ""][:1]
        html = self.options_html
        for chosen in selected - {""}:
            mark = f'<option value="{escape(chosen)}">'
            html = html.replace(mark, f'<option value="{escape(chosen)}" selected>', 1)
        parts = [f"<select{flatatt(final)}>"]
        parts += [
            f'<option value=""{" selected" if "" in selected else ""}>{escape(label)}</option>'
            for _v, label in empty
        ]
        if html:
            parts.append(html)
        parts.append("</select>")
        return mark_safe("\n".join(parts))  # noqa: S308 - escaped here or in options_html


def options_html(choices: list[tuple[Any, str]]) -> str:
    """``<option>`` elements for ``choices`` (none selected), as :class:`FastSelect` writes them."""
    return "\n".join(
        f'<option value="{escape(str(value))}">{escape(label)}</option>' for value, label in choices
    )


class AssignmentFilterForm(forms.Form):
    task = forms.ModelChoiceField(
        label=_("Task"),
        queryset=Task.objects.none(),
        required=False,
        empty_label=_("All tasks"),
        # Hundreds of tasks at province scale: options written without a template each,
        # and by the view from the cache (set_task_options).
        widget=PrerenderedSelect,
    )
    organisation = forms.CharField(label=_("Assignee contains"), required=False, max_length=100)
    state = forms.ChoiceField(
        label=_("State"), required=False, choices=[("", _("All states")), *Assignment.State.choices]
    )
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)

    def __init__(self, *args: Any, tasks: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if tasks is not None:
            field = self.fields["task"]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = tasks

    def set_task_options(self, html: str) -> None:
        """Render the task options from ready HTML (:func:`options_html`, cached) instead of
        reading the queryset; a submitted task is still validated against the queryset."""
        field = self.fields["task"]
        assert isinstance(field, forms.ModelChoiceField)
        assert isinstance(field.widget, PrerenderedSelect)
        field.widget.choices = [("", field.empty_label)]
        field.widget.options_html = html

    def applied(self) -> tuple[Any, ...]:
        """The filters :meth:`filter` applies, as plain values (for cache keys)."""
        if not self.is_valid():
            return ()
        data = self.cleaned_data
        task = data["task"].pk if data["task"] is not None else None
        return (task, data["organisation"], data["state"], bool(data["overdue"]))

    def filter(self, rows: Any) -> Any:
        if not self.is_valid():
            return rows
        data = self.cleaned_data
        if data["task"] is not None:
            rows = rows.filter(task=data["task"])
        if data["organisation"]:
            rows = rows.filter(
                Q(organisation__name__icontains=data["organisation"])
                | Q(assignee__name__icontains=data["organisation"])
            )
        if data["state"]:
            rows = rows.filter(state=data["state"])
        if data["overdue"]:
            rows = rows.overdue()
        return rows


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleImageField(forms.FileField):
    """Several photos, each opened with Pillow: a file is accepted for what it is, not its name."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault(
            "widget",
            MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/gif,image/webp"}),
        )
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[tuple[UploadedFile, str]]:
        uploads = data if isinstance(data, list | tuple) else ([data] if data else [])
        if not uploads:
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return []
        if len(uploads) > MAX_PHOTOS:
            raise ValidationError(_("At most %(n)d photos.") % {"n": MAX_PHOTOS})
        return [check_image(super(MultipleImageField, self).clean(u, initial)) for u in uploads]


def check_image(upload: UploadedFile) -> tuple[UploadedFile, str]:
    """(upload, content type) if the bytes are a photo Pillow can read; else a clear error."""
    from PIL import Image

    name = upload.name or ""
    if upload.size and upload.size > MAX_PHOTO_BYTES:
        raise ValidationError(_("%(name)s is larger than 8 MB.") % {"name": name})
    try:
        upload.seek(0)
        with Image.open(upload) as image:
            kind = image.format or ""
            image.verify()
    except Exception as exc:
        raise ValidationError(
            _("%(name)s is not a photo (JPEG, PNG, GIF or WebP).") % {"name": name}
        ) from exc
    finally:
        upload.seek(0)
    if kind not in IMAGE_TYPES:
        raise ValidationError(
            _("%(name)s is not a photo (JPEG, PNG, GIF or WebP).") % {"name": name}
        )
    return upload, IMAGE_TYPES[kind]


class PostForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Posted by"), queryset=Organisation.objects.none(), empty_label=None
    )
    kind = forms.ChoiceField(
        label=pgettext_lazy("post", "Kind"),
        choices=[
            (Post.Kind.EXPERIENCE, Post.Kind.EXPERIENCE.label),
            (Post.Kind.EXEMPLAR, Post.Kind.EXEMPLAR.label),
        ],
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(
        label=_("Text"),
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_(
            "Plain text, or simple formatting (bold, lists, links); anything else is removed."
        ),
    )
    photos = MultipleImageField(
        label=_("Photos"), required=False, help_text=_("Up to 9 photos, 8 MB each.")
    )
    remove_photos = forms.MultipleChoiceField(
        label=_("Remove photos"), required=False, choices=[], widget=forms.CheckboxSelectMultiple
    )

    def __init__(
        self, *args: Any, organisations: Any = None, existing_photos: Any = (), **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        assert isinstance(field, forms.ModelChoiceField)
        if organisations is not None:
            field.queryset = organisations
        remove = self.fields["remove_photos"]
        assert isinstance(remove, forms.MultipleChoiceField)
        remove.choices = [(str(p.pk), p.image.name.rsplit("/", 1)[-1]) for p in existing_photos]
        if not remove.choices:
            del self.fields["remove_photos"]

    def clean_body(self) -> str:
        from committee.services import body_sanitise

        body = self.cleaned_data["body"]
        if not re.sub(r"<[^>]*>|\s", "", body_sanitise(body)):
            raise ValidationError(_("The text is empty once formatting is removed."))
        return body


class PostReviewForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("publish", _("Publish")), ("return", _("Return"))], widget=forms.HiddenInput
    )
    comment = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("decision") == "return" and not data.get("comment", "").strip():
            self.add_error("comment", _("Say what to change when returning a post."))
        return data
