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
from django.db import models
from django.db.models import Q, QuerySet, Subquery
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
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
    for entry in page:
        entry.change_rows = change_rows(entry.changes_dict)
    return render(request, "portal/audit_log.html", {"form": form, "page": page})


def change_rows(changes: Any) -> list[tuple[str, str, str]]:
    """(field, before, after) for display. auditlog stores [old, new] per field, and a
    description dict for many-to-many changes; a field may even be called "items", so the
    template must not look the dict up itself."""
    rows = []
    for field, change in (changes or {}).items():
        if isinstance(change, list | tuple) and len(change) == 2:
            rows.append((str(field), str(change[0]), str(change[1])))
        else:
            rows.append((str(field), "", str(change)))
    return rows
