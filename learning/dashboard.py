"""Home-page cards: a member's study against their plan; what waits for a secretary's review."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from learning.models import ReviewStatus, StudyLog, StudyPlan
from learning.selectors import (
    COUNTED,
    flagged_logs,
    plan_count,
    study_plan_list,
    waiting_reflection_count,
)
from portal.dashboard import Card

# What the cards read (portal/dashboard.py keys the cached cards by their stamps).
TABLES = ("learning_studyplan", "learning_studylog", "learning_reflection")


def cards(user: Any, scope: Any, now: datetime.datetime) -> list[Card]:
    year = timezone.localdate(now).year
    result = []
    if scope.is_member:
        # One plan a year: no ordering (the default one joins the member and the branch).
        plan = StudyPlan.objects.filter(user=user, year=year).order_by("pk").first()
        minutes = StudyLog.objects.filter(
            user=user, studied_on__year=year, status__in=COUNTED
        ).aggregate(m=Coalesce(Sum("minutes"), 0))["m"]
        target = plan.target_hours * 60 if plan else 0
        result.append(
            Card(
                "learning/_card_study.html",
                {
                    "plan": plan,
                    "hours": round(minutes / 60, 1),
                    "percent": min(100, round(100 * minutes / target)) if target else 0,
                },
                order=20,
            )
        )
    if scope.manages and not scope.is_superuser:
        waiting = {
            "plans": plan_count(
                user,
                study_plan_list(user, year)
                .filter(status=ReviewStatus.SUBMITTED)
                .exclude(user=user),
                key=f"waiting|{year}",
            ),
            "reflections": waiting_reflection_count(user, own=False),
            "logs": flagged_logs(user).count(),
        }
        result.append(Card("learning/_card_reviews.html", waiting, order=15))
    return result
