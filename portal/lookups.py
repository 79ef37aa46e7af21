"""``field__any_of=<a one-column queryset>``: the same rows as ``field__in=…``, written so
that PostgreSQL can use the field's index inside an OR.

``IN (SELECT …)`` inside an OR becomes a hashed subplan that PostgreSQL checks row by
row, so "my branch's meetings, or those I attended, from this date on" walked every
meeting of the province since that date (18 ms, growing with the data).
``= ANY(ARRAY(SELECT …))`` is run once and is an indexed condition, so the OR becomes a
bitmap OR of index scans (0.9 ms). Other databases get ``IN (SELECT …)``, the same rows.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Field, ForeignObject, Lookup
from django.db.models.sql.query import Query


class AnyOf(Lookup):  # type: ignore[type-arg]
    lookup_name = "any_of"

    def get_prep_lookup(self) -> Any:
        # As IN does: the subquery's ordering (a model's default one included) is only cost.
        if isinstance(self.rhs, Query):
            self.rhs.clear_ordering(clear_default=True)
        return self.rhs

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        params = [*lhs_params, *rhs_params]
        if connection.vendor == "postgresql":
            return f"{lhs} = ANY(ARRAY{rhs})", params
        return f"{lhs} IN {rhs}", params


# Foreign keys look their lookups up only as far as ForeignObject: register on both.
Field.register_lookup(AnyOf)
ForeignObject.register_lookup(AnyOf)
