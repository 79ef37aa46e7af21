"""``get_FOO_display()`` without rebuilding the field's choices on every call.

Django's ``Model._get_FIELD_display`` builds ``dict(make_hashable(field.flatchoices))``
each time it is called, and hashing each (value, lazy label) pair translates the label:
about 40 µs a call, 4 ms for a list page of 50 meetings showing kind and status. A model
built on :class:`ChoiceDisplay` (an abstract model) looks the label up in a dict built
once per field (labels stay lazy, so the active language still applies).
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.encoding import force_str

_LABELS: dict[Any, dict[Any, Any]] = {}


def choice_labels(field: Any) -> dict[Any, Any]:
    """{stored value: lazy label} of ``field``'s choices, built once."""
    labels = _LABELS.get(field)
    if labels is None:
        labels = _LABELS[field] = dict(field.flatchoices)
    return labels


class ChoiceDisplay(models.Model):
    class Meta:
        abstract = True

    def _get_FIELD_display(self, field: Any) -> Any:
        value = getattr(self, field.attname)
        return force_str(choice_labels(field).get(value, value), strings_only=True)
