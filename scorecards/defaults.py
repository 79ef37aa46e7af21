"""The indicator set a committee starts from (every weight and maximum is editable)."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext_noop

from scorecards.models import Dimension, Indicator

C, P, R, N = Dimension.CONDITIONS, Dimension.PROCESS, Dimension.RESULTS, Dimension.INNOVATION
COMPUTED, INSPECTED = Indicator.Kind.COMPUTED, Indicator.Kind.INSPECTED

# (code, name, dimension, kind, metric, max points, how it is scored)
DEFAULT_INDICATORS: list[tuple[str, str, str, str, str, int, str]] = [
    (
        "study-plan",
        gettext_noop("Annual study plan filed and approved"),
        C,
        COMPUTED,
        "learning.study_plan",
        10,
        gettext_noop("Full marks once the branch's plan for the year is approved; half if filed."),
    ),
    (
        "personal-plans",
        gettext_noop("Members' personal study plans filed"),
        C,
        COMPUTED,
        "learning.personal_plans",
        5,
        gettext_noop("Share of members with a personal plan for the year."),
    ),
    (
        "venue-and-rules",
        gettext_noop("Study rules and venue (查、看)"),
        C,
        INSPECTED,
        "",
        10,
        gettext_noop("Average of the inspectors' scores this quarter."),
    ),
    (
        "meeting-compliance",
        gettext_noop("三会一课 held as the rules require"),
        P,
        COMPUTED,
        "meetings.compliance",
        15,
        gettext_noop("Meetings held against the minimum of each kind due this quarter."),
    ),
    (
        "records-on-time",
        gettext_noop("Meeting records filed on time"),
        P,
        COMPUTED,
        "meetings.records_on_time",
        5,
        gettext_noop("Share of the quarter's records filed on time rather than backfilled."),
    ),
    (
        "study-hours",
        gettext_noop("Study hours against plan"),
        P,
        COMPUTED,
        "learning.study_hours",
        10,
        gettext_noop("Hours logged by members against the hours their plans set."),
    ),
    (
        "talks",
        gettext_noop("谈心谈话 coverage"),
        P,
        COMPUTED,
        "meetings.talk_coverage",
        5,
        gettext_noop("Share of members who had a heart-to-heart talk this year."),
    ),
    (
        "lecture-quality",
        gettext_noop("Quality of lectures and meetings (听、访)"),
        P,
        INSPECTED,
        "",
        10,
        gettext_noop("Average of the inspectors' scores this quarter."),
    ),
    (
        "reflections",
        gettext_noop("Study reflections submitted and graded"),
        R,
        COMPUTED,
        "learning.reflections",
        10,
        gettext_noop("Share of members who submitted a reflection, weighted by its grade."),
    ),
    (
        "contests",
        gettext_noop("Knowledge contest participation and scores"),
        R,
        COMPUTED,
        "assessment.contests",
        10,
        gettext_noop("Half for the share of members taking part, half for their average score."),
    ),
    (
        "research-reports",
        gettext_noop("Research reports adopted"),
        R,
        COMPUTED,
        "learning.research_adopted",
        5,
        gettext_noop("Full marks for a research report adopted this quarter; half if submitted."),
    ),
    (
        "innovation",
        gettext_noop("Learning innovations"),
        N,
        COMPUTED,
        "innovation.score",
        5,
        gettext_noop("The committee's best score of the branch's innovations this quarter."),
    ),
]


def default_indicator_rows() -> list[dict[str, object]]:
    return [
        {
            "code": code,
            "name": name,
            "dimension": dimension,
            "kind": kind,
            "metric": metric_code,
            "max_points": Decimal(points),
            "description": description,
            "position": position,
        }
        for position, (code, name, dimension, kind, metric_code, points, description) in enumerate(
            DEFAULT_INDICATORS
        )
    ]
