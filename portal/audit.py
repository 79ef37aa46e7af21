"""The audit trail (django-auditlog): who changed which record, when, and what changed.

Models are registered with ``auditlog.register`` (positions and memberships here; meeting
records, reviews and scorecards in their apps). The committee reads the entries of the
records inside its tree on ``/audit/``; administrators read all of them in the admin
(*Log entries*).
"""

from __future__ import annotations

import datetime
from typing import Any

from auditlog.models import LogEntry
from auditlog.registry import auditlog
from django import forms
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import Q, QuerySet, Subquery
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _

from portal.models import Membership, Organisation, Position
from portal.scoping import Scope, scope_for

auditlog.register(Position)
auditlog.register(Membership)

# Which organisation field places a record in the tree, in order of preference.
_ORG_FIELD_NAMES = ("organisation", "branch", "committee", "issuer")


def organisation_path(model: type[models.Model], depth: int = 3) -> str | None:
    """The lookup from ``model`` to the Organisation that places it in the tree
    ("organisation", "report__branch" …), or None if it has none within ``depth`` hops."""
    relations = [
        f for f in model._meta.concrete_fields if f.is_relation and f.related_model is not None
    ]
    direct = [f for f in relations if f.related_model is Organisation]
    direct.sort(key=lambda f: _ORG_FIELD_NAMES.index(f.name) if f.name in _ORG_FIELD_NAMES else 99)
    # A required link places every row; an optional one (an assignment to a branch *or* a
    # person) only some, so a required path through a parent comes first.
    required = [f for f in direct if not f.null]
    if required:
        return required[0].name
    if depth > 1:
        for f in relations:
            if f.null or f.related_model is model:
                continue
            below = organisation_path(f.related_model, depth - 1)  # type: ignore[arg-type]
            if below:
                return f"{f.name}__{below}"
    return direct[0].name if direct else None


def audited_models() -> list[type[models.Model]]:
    return sorted(
        (m for m in auditlog.get_models() if organisation_path(m)),
        key=lambda m: str(m._meta.verbose_name),
    )


def entries_for(scope: Scope) -> QuerySet[LogEntry]:
    """Audit entries of records inside the scope's subtrees (all of them for a superuser).

    One subquery per audited model finds its records in scope; a record deleted outright
    is no longer in any tree, so its entries show only in the admin.
    """
    condition = Q(pk__in=[])
    content_types = ContentType.objects.get_for_models(*audited_models())
    for model, content_type in content_types.items():
        path = organisation_path(model)
        in_scope = model._default_manager.filter(scope.organisations_q(prefix=f"{path}__")).values(
            "pk"
        )
        condition |= Q(content_type=content_type, object_id__in=Subquery(in_scope))
    return (
        LogEntry.objects.filter(condition)
        .select_related("actor", "content_type")
        .order_by("-timestamp", "-pk")
    )


class AuditFilterForm(forms.Form):
    model = forms.ChoiceField(label=_("Record type"), required=False)
    since = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["model"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", _("All")), *self.model_choices()]

    @staticmethod
    def model_choices() -> list[tuple[str, str]]:
        return [(m._meta.label_lower, str(m._meta.verbose_name)) for m in audited_models()]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        since, until = data.get("since"), data.get("until")
        if since and until and until < since:
            self.add_error("until", _("The end date is before the start date."))
        return data

    def filter(self, entries: QuerySet[LogEntry]) -> QuerySet[LogEntry]:
        if not self.is_valid():
            return entries
        data = self.cleaned_data
        if data.get("model"):
            app_label, model_name = data["model"].split(".")
            entries = entries.filter(
                content_type__app_label=app_label, content_type__model=model_name
            )
        tz = timezone.get_current_timezone()
        if data.get("since"):
            start = datetime.datetime.combine(data["since"], datetime.time.min, tzinfo=tz)
            entries = entries.filter(timestamp__gte=start)
        if data.get("until"):
            end = datetime.datetime.combine(
                data["until"] + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz
            )
            entries = entries.filter(timestamp__lt=end)
        return entries


@login_required
def audit_log(request: HttpRequest) -> HttpResponse:
    """The committee's audit trail: changes to records in its tree, newest first."""
    from portal.paging import paginate

    scope = scope_for(request.user)
    if not (scope.oversees or scope.is_superuser):
        raise Http404
    form = AuditFilterForm(request.GET or None)
    page = paginate(request, form.filter(entries_for(scope)))
    entries = list(page)
    for entry, rows in zip(entries, change_rows(entries), strict=True):
        entry.change_rows = rows
        entry.action_label = ACTIONS.get(entry.action, "")
    return render(request, "portal/audit_log.html", {"form": form, "page": page})


ACTIONS = {
    LogEntry.Action.CREATE: _("Created"),
    LogEntry.Action.UPDATE: _("Changed"),
    LogEntry.Action.DELETE: _("Deleted"),
    LogEntry.Action.ACCESS: _("Viewed"),
}
EMPTY = "—"
# The fields that name a record which the trail shows by its name, title or topic.
_NAME_FIELDS = ("name", "title", "topic")


def _field(model: type[models.Model] | None, name: str) -> Any:
    try:
        return model._meta.get_field(name) if model is not None else None
    except FieldDoesNotExist:
        return None


def _pairs(change: Any) -> tuple[Any, Any]:
    """(before, after): auditlog stores [old, new] per field, and a description dict for
    many-to-many changes (a field may even be called "items": never looked up by name)."""
    if isinstance(change, list | tuple) and len(change) == 2:
        return change[0], change[1]
    if isinstance(change, dict) and "objects" in change:
        objects = ", ".join(str(o) for o in change.get("objects") or [])
        if change.get("operation") == "delete":
            return objects, EMPTY
        return EMPTY, objects
    return EMPTY, change


def _shown(field: Any, value: Any, names: dict[Any, dict[str, str]]) -> str:
    """A stored value as a person reads it: choices by their label, yes/no, times in the
    local zone, linked records by name; nothing as a dash."""
    if value is None or value in ("", "None"):
        return EMPTY
    text = str(value)
    if field is None:
        return text
    if field.many_to_many or field.one_to_many:
        # auditlog writes a related manager's repr ("app.Model.None") on create
        return EMPTY if text.endswith(".None") else text
    if field.is_relation and field.related_model is not None:
        return names.get(field.related_model, {}).get(text, f"#{text}")
    if field.choices:
        return str(dict(field.flatchoices).get(text, text))
    kind = field.get_internal_type()
    if kind == "BooleanField":
        return str(_("Yes") if text == "True" else _("No") if text == "False" else text)
    if kind == "DateTimeField":
        moment = parse_datetime(text)
        if moment is None:
            return text
        if timezone.is_naive(moment):
            moment = moment.replace(tzinfo=datetime.UTC)
        return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")
    return text


def change_rows(entries: list[LogEntry]) -> list[list[tuple[str, str, str]]]:
    """Each entry's changes as (field label, before, after). Records that a change links
    to (a member, a branch …) are shown by name, read in one query per kind of record on
    the page, whatever the number of entries; a new record shows only what it was given."""
    parsed = []
    wanted: dict[Any, set[str]] = {}
    for entry in entries:
        model = entry.content_type.model_class() if entry.content_type_id else None
        fields = []
        for name, change in (entry.changes_dict or {}).items():
            field = _field(model, str(name))
            if field is not None and getattr(field, "primary_key", False):
                continue  # the record's own number says nothing to a reader
            before, after = _pairs(change)
            if (
                field is not None
                and field.is_relation
                and field.related_model is not None
                and not (field.many_to_many or field.one_to_many)
            ):
                for value in (before, after):
                    if value not in (None, "", "None", EMPTY):
                        wanted.setdefault(field.related_model, set()).add(str(value))
            fields.append((str(name), field, before, after, entry.action))
        parsed.append(fields)
    names: dict[Any, dict[str, str]] = {}
    for related, pks in wanted.items():
        label = next((f for f in _NAME_FIELDS if _field(related, f) is not None), None)
        if label is None:
            continue
        valid = [pk for pk in pks if pk.isdigit()]
        names[related] = {
            str(pk): str(shown)
            for pk, shown in related._default_manager.filter(pk__in=valid)
            .order_by()
            .values_list("pk", label)
        }
    result = []
    for fields in parsed:
        rows = []
        for name, field, before, after, action in fields:
            label = (
                str(field.verbose_name)
                if field is not None and hasattr(field, "verbose_name")
                else name
            )
            old, new = _shown(field, before, names), _shown(field, after, names)
            if action == LogEntry.Action.CREATE and new == EMPTY:
                continue  # a new record: only what it was given
            rows.append((label, old, new))
        result.append(rows)
    return result
