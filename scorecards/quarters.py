"""Quarters: the period every scorecard, build and report is about."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _


@dataclass(frozen=True, order=True)
class Quarter:
    year: int
    quarter: int

    def __post_init__(self) -> None:
        if not 1 <= self.quarter <= 4:
            raise ValueError(f"quarter must be 1..4, not {self.quarter}")

    @classmethod
    def of(cls, day: datetime.date) -> Quarter:
        return cls(day.year, (day.month - 1) // 3 + 1)

    @classmethod
    def current(cls) -> Quarter:
        return cls.of(timezone.localdate())

    @classmethod
    def parse(cls, text: str | None, default: Quarter | None = None) -> Quarter:
        """'2026-Q4' (or '2026-4'); anything else gives ``default`` (the current quarter)."""
        fallback = default or cls.current()
        if not text:
            return fallback
        try:
            year_text, _sep, quarter_text = text.upper().partition("-")
            quarter = cls(int(year_text), int(quarter_text.lstrip("Q")))
        except ValueError:
            return fallback
        if not 2000 <= quarter.year <= 2100:
            return fallback
        return quarter

    @property
    def start(self) -> datetime.date:
        return datetime.date(self.year, 3 * self.quarter - 2, 1)

    @property
    def end(self) -> datetime.date:
        return self.next().start - datetime.timedelta(days=1)

    @property
    def months(self) -> list[int]:
        return [3 * self.quarter - 2, 3 * self.quarter - 1, 3 * self.quarter]

    @property
    def year_start(self) -> datetime.date:
        return datetime.date(self.year, 1, 1)

    @property
    def code(self) -> str:
        return f"{self.year}-Q{self.quarter}"

    @property
    def label(self) -> str:
        return _("Q%(quarter)d %(year)d") % {"year": self.year, "quarter": self.quarter}

    @property
    def index(self) -> int:
        return self.year * 4 + self.quarter - 1

    def next(self) -> Quarter:
        return Quarter(self.year + self.quarter // 4, self.quarter % 4 + 1)

    def previous(self) -> Quarter:
        return Quarter(self.year - (self.quarter == 1), (self.quarter - 2) % 4 + 1)

    def back(self, n: int) -> list[Quarter]:
        """This quarter and the ``n - 1`` before it, oldest first."""
        quarters = [self]
        for _i in range(n - 1):
            quarters.append(quarters[-1].previous())
        return list(reversed(quarters))

    def __str__(self) -> str:
        return self.code
