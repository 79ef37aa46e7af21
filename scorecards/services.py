"""Writes of the scorecards app: indicator sets, inspections, innovations, the build,
review and confirmation, commendations and the quarterly report."""

from __future__ import annotations

import contextlib
import datetime
import hashlib
import json
import logging
import os
import time
from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Avg, F, FloatField, Max, Q, Window
from django.db.models.functions import Cast, Rank
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from portal.models import Organisation, Position, User
from scorecards.defaults import default_indicator_rows
from scorecards.metrics import METRICS, Evidence, MetricResult
from scorecards.models import (
    DIMENSION_FIELDS,
    BuildChunk,
    Commendation,
    Dimension,
    EvaluationReport,
    Indicator,
    IndicatorSet,
    Innovation,
    Inspection,
    InspectionPhoto,
    InspectionScore,
    Scorecard,
    ScorecardBuild,
    ScorecardLine,
)
from scorecards.quarters import Quarter

TWO_PLACES = Decimal("0.01")

logger = logging.getLogger(__name__)


def chunk_size() -> int:
    configured = os.environ.get("SCORECARD_CHUNK_SIZE") or str(
        getattr(settings, "SCORECARD_CHUNK_SIZE", 50)
    )
    return max(1, int(configured))


def _chunk_pause() -> float:
    """Seconds to wait after each chunk: a test hook to kill a worker between chunks."""
    return float(os.environ.get("SCORECARD_CHUNK_PAUSE") or 0)


# --- indicator sets ---------------------------------------------------------------------------


@transaction.atomic
def indicator_set_create_default(*, committee: Organisation, period: Quarter) -> IndicatorSet:
    """The starting set (defaults.py) for ``committee`` from ``period``, in the site language."""
    existing = IndicatorSet.objects.filter(
        committee=committee, year=period.year, quarter=period.quarter
    ).order_by("-version")
    if (found := existing.first()) is not None:
        return found
    with translation.override(settings.LANGUAGE_CODE):
        indicator_set = IndicatorSet.objects.create(
            committee=committee,
            year=period.year,
            quarter=period.quarter,
            name=_("考学评学 indicators"),
        )
        Indicator.objects.bulk_create(
            Indicator(
                indicator_set=indicator_set,
                **{
                    **row,
                    "name": _(str(row["name"])),
                    "description": _(str(row["description"])),
                },
            )
            for row in default_indicator_rows()
        )
    return indicator_set


@transaction.atomic
def indicator_set_for_edit(*, committee: Organisation, period: Quarter) -> IndicatorSet:
    """The set the committee edits for ``period``: copied first if it is in use or older.

    Copy-on-edit keeps every scorecard's rules: a set that scored anything is frozen, and a
    set inherited from an earlier quarter or a parent committee keeps serving those.
    """
    current = IndicatorSet.objects.in_force(committee, period)
    if current is None:
        return indicator_set_create_default(committee=committee, period=period)
    current = IndicatorSet.objects.select_for_update().get(pk=current.pk)
    own_quarter = current.committee_id == committee.pk and current.period == period
    if own_quarter and not current.is_frozen:
        return current
    version = (
        IndicatorSet.objects.filter(
            committee=committee, year=period.year, quarter=period.quarter
        ).aggregate(v=Max("version"))["v"]
        or 0
    ) + 1
    copy = IndicatorSet.objects.create(
        committee=committee,
        year=period.year,
        quarter=period.quarter,
        version=version,
        name=current.name,
    )
    Indicator.objects.bulk_create(
        Indicator(
            indicator_set=copy,
            code=i.code,
            name=i.name,
            dimension=i.dimension,
            kind=i.kind,
            metric=i.metric,
            weight=i.weight,
            max_points=i.max_points,
            description=i.description,
            position=i.position,
        )
        for i in current.indicators.all()
    )
    return copy


def _check_indicator(kind: str, metric_code: str) -> None:
    if kind == Indicator.Kind.COMPUTED and metric_code not in METRICS:
        raise ValidationError({"metric": _("Choose one of the registered metrics.")})


@transaction.atomic
def indicator_save(
    *,
    committee: Organisation,
    period: Quarter,
    code: str,
    name: str,
    dimension: str,
    kind: str,
    metric_code: str,
    weight: Decimal,
    max_points: Decimal,
    description: str = "",
    position: int = 0,
) -> Indicator:
    """Add or change the indicator ``code`` in the set for ``period`` (copying a frozen set)."""
    _check_indicator(kind, metric_code)
    indicator_set = indicator_set_for_edit(committee=committee, period=period)
    indicator, _created = Indicator.objects.update_or_create(
        indicator_set=indicator_set,
        code=code,
        defaults={
            "name": name,
            "dimension": dimension,
            "kind": kind,
            "metric": metric_code if kind == Indicator.Kind.COMPUTED else "",
            "weight": weight,
            "max_points": max_points,
            "description": description,
            "position": position,
        },
    )
    return indicator


@transaction.atomic
def indicator_delete(*, committee: Organisation, period: Quarter, code: str) -> IndicatorSet:
    indicator_set = indicator_set_for_edit(committee=committee, period=period)
    indicator_set.indicators.filter(code=code).delete()
    return indicator_set


# --- inspections and innovations ----------------------------------------------------------------


@transaction.atomic
def inspection_record(
    *,
    inspector: User,
    branch: Organisation,
    method: str,
    visited_on: Any,
    findings: str,
    problems: str = "",
    scores: dict[str, Decimal] | None = None,
    photos: list[Any] | None = None,
    committee: Organisation,
) -> Inspection:
    """Record a visit with its method, findings, photos and scores of inspection indicators.

    Scores are checked against the indicator set in force for the visit's quarter; a
    score above an indicator's maximum is refused and nothing is saved.
    """
    indicator_set = IndicatorSet.objects.in_force(committee, Quarter.of(visited_on))
    indicators = {
        i.code: i
        for i in (
            indicator_set.indicators.filter(kind=Indicator.Kind.INSPECTED) if indicator_set else []
        )
    }
    for code, points in (scores or {}).items():
        indicator = indicators.get(code)
        if indicator is None:
            raise ValidationError({"scores": _("Unknown inspection indicator.")})
        if points < 0 or points > indicator.max_points:
            raise ValidationError(
                {
                    f"score_{code}": _("Give between 0 and %(max)s points.")
                    % {"max": indicator.max_points}
                }
            )
    inspection = Inspection.objects.create(
        branch=branch,
        inspector=inspector,
        method=method,
        visited_on=visited_on,
        findings=findings,
        problems=problems,
    )
    InspectionScore.objects.bulk_create(
        InspectionScore(
            inspection=inspection,
            indicator=indicators[code],
            indicator_code=code,
            points=points,
            max_points=indicators[code].max_points,
        )
        for code, points in (scores or {}).items()
    )
    for photo in photos or []:
        InspectionPhoto.objects.create(inspection=inspection, image=photo)
    return inspection


@transaction.atomic
def innovation_file(
    *, user: User, branch: Organisation, kind: str, title: str, description: str, period: Quarter
) -> Innovation:
    return Innovation.objects.create(
        branch=branch,
        kind=kind,
        title=title,
        description=description,
        filed_by=user,
        year=period.year,
        quarter=period.quarter,
    )


@transaction.atomic
def innovation_score(
    *, innovation: Innovation, user: User, score: int, comment: str = ""
) -> Innovation:
    if not 0 <= score <= 100:
        raise ValidationError({"score": _("Give a score between 0 and 100.")})
    innovation.status = Innovation.Status.SCORED
    innovation.score = score
    innovation.comment = comment
    innovation.scored_by = user
    innovation.scored_at = timezone.now()
    innovation.save(update_fields=["status", "score", "comment", "scored_by", "scored_at"])
    return innovation


# --- scoring ----------------------------------------------------------------------------------


@dataclass
class ComputedLine:
    indicator: Indicator
    value: Decimal
    points: Decimal
    max_points: Decimal
    evidence: list[dict[str, str]]
    note: str = ""


@dataclass
class ComputedCard:
    branch_id: int
    lines: list[ComputedLine]
    dimensions: dict[str, Decimal]
    total: Decimal
    max_total: Decimal
    fingerprint: str


def _inspection_results(
    branch_ids: list[int], period: Quarter, codes: list[str]
) -> dict[str, dict[int, MetricResult]]:
    """{code: {branch: result}}: the average share of the maximum inspectors gave (2 queries)."""
    if not codes:
        return {}
    scores = InspectionScore.objects.filter(
        inspection__branch_id__in=branch_ids,
        inspection__visited_on__range=(period.start, period.end),
        indicator_code__in=codes,
    )
    averages = scores.values("inspection__branch_id", "indicator_code").annotate(
        share=Avg(Cast("points", FloatField()) / Cast("max_points", FloatField()))
    )
    evidence: dict[tuple[int, str], list[Evidence]] = defaultdict(list)
    for branch_id, code, pk, method, day, points, max_points in scores.order_by(
        "inspection__visited_on"
    ).values_list(
        "inspection__branch_id",
        "indicator_code",
        "inspection_id",
        "inspection__method",
        "inspection__visited_on",
        "points",
        "max_points",
    ):
        method_label = Inspection.Method(method).label
        evidence[(branch_id, code)].append(
            Evidence(
                f"{day:%Y-%m-%d} {method_label}: {points}/{max_points}",
                reverse("scorecards:inspection", args=[pk]),
            )
        )
    results: dict[str, dict[int, MetricResult]] = defaultdict(dict)
    for row in averages:
        key = (row["inspection__branch_id"], row["indicator_code"])
        results[row["indicator_code"]][row["inspection__branch_id"]] = MetricResult(
            float(row["share"] or 0), evidence[key][:30]
        )
    return results


def scorecards_compute(
    *, indicator_set: IndicatorSet, branch_ids: list[int], period: Quarter
) -> dict[int, ComputedCard]:
    """Score ``branch_ids`` for ``period`` by ``indicator_set``: a fixed number of queries
    per metric used, whatever the number of branches."""
    indicators = list(indicator_set.indicators.all())
    by_metric: dict[str, dict[int, MetricResult]] = {}
    missing: set[str] = set()
    for indicator in indicators:
        if indicator.kind != Indicator.Kind.COMPUTED or indicator.metric in by_metric:
            continue
        registered = METRICS.get(indicator.metric)
        if registered is None:
            missing.add(indicator.metric)
            by_metric[indicator.metric] = {}
            continue
        by_metric[indicator.metric] = registered.function(branch_ids, period)
    inspected = _inspection_results(
        branch_ids,
        period,
        [i.code for i in indicators if i.kind == Indicator.Kind.INSPECTED],
    )
    cards: dict[int, ComputedCard] = {}
    for branch_id in branch_ids:
        lines: list[ComputedLine] = []
        dimensions = {d.value: Decimal(0) for d in Dimension}
        for indicator in indicators:
            if indicator.kind == Indicator.Kind.COMPUTED:
                result = by_metric[indicator.metric].get(branch_id)
                note = (
                    gettext_noop("This metric is not available.")
                    if indicator.metric in missing
                    else ""
                )
            else:
                result = inspected.get(indicator.code, {}).get(branch_id)
                note = "" if result else gettext_noop("Not inspected this quarter.")
            result = result or MetricResult(0.0)
            value = Decimal(str(round(result.value, 4)))
            full = indicator.full_points
            points = (value * full).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)
            dimensions[indicator.dimension] += points
            lines.append(
                ComputedLine(
                    indicator,
                    value,
                    points,
                    full,
                    [e.as_json() for e in result.evidence],
                    result.note or note,
                )
            )
        total = sum(dimensions.values(), Decimal(0))
        digest = hashlib.sha256(
            json.dumps(
                [indicator_set.pk, [(line.indicator.code, str(line.points)) for line in lines]]
            ).encode()
        ).hexdigest()
        cards[branch_id] = ComputedCard(
            branch_id,
            lines,
            dimensions,
            total,
            sum((line.max_points for line in lines), Decimal(0)),
            digest,
        )
    return cards


def _previous_totals(branch_ids: list[int], period: Quarter) -> dict[int, Decimal]:
    """Last quarter's total per branch: its confirmed scorecard, else its newest."""
    before = period.previous()
    rows = (
        Scorecard.objects.filter(branch_id__in=branch_ids, year=before.year, quarter=before.quarter)
        .order_by("branch_id", "version")
        .values_list("branch_id", "state", "total")
    )
    totals: dict[int, Decimal] = {}
    confirmed: set[int] = set()
    for branch_id, state, total in rows:
        if branch_id in confirmed:
            continue
        totals[branch_id] = total
        if state == Scorecard.State.CONFIRMED:
            confirmed.add(branch_id)
    return totals


def _card_fields(card: ComputedCard) -> dict[str, Any]:
    fields: dict[str, Any] = {
        DIMENSION_FIELDS[Dimension(d)]: points for d, points in card.dimensions.items()
    }
    fields.update(total=card.total, max_total=card.max_total, fingerprint=card.fingerprint)
    return fields


def scorecards_store(
    *,
    indicator_set: IndicatorSet,
    cards: dict[int, ComputedCard],
    period: Quarter,
    build: ScorecardBuild | None = None,
) -> dict[str, int]:
    """Write computed cards: a branch's draft is updated in place; a reviewed or confirmed
    scorecard is never touched, and a result that differs from it becomes a new draft
    beside it. Run twice with the same records, it writes nothing new."""
    branch_ids = list(cards)
    existing: dict[int, list[Scorecard]] = defaultdict(list)
    for version in (
        Scorecard.objects.filter(branch_id__in=branch_ids, year=period.year, quarter=period.quarter)
        .select_for_update()
        .order_by("branch_id", "version")
        .only("pk", "branch_id", "version", "state", "fingerprint", "indicator_set_id")
    ):
        existing[version.branch_id].append(version)
    previous = _previous_totals(branch_ids, period)
    now = timezone.now()
    to_create: list[Scorecard] = []
    to_update: list[Scorecard] = []
    created = updated = unchanged = 0
    for branch_id, card in cards.items():
        versions = existing.get(branch_id, [])
        draft = next((v for v in versions if v.state == Scorecard.State.DRAFT), None)
        newest = versions[-1] if versions else None
        fields = _card_fields(card)
        if draft is not None:
            if draft.fingerprint == card.fingerprint:
                unchanged += 1
                continue
            for name, value in fields.items():
                setattr(draft, name, value)
            draft.indicator_set = indicator_set
            draft.previous_total = previous.get(branch_id)
            draft.computed_at = now
            draft.build = build
            to_update.append(draft)
            updated += 1
            continue
        if newest is not None and newest.fingerprint == card.fingerprint:
            unchanged += 1  # the reviewed or confirmed scorecard already says this
            continue
        to_create.append(
            Scorecard(
                branch_id=branch_id,
                year=period.year,
                quarter=period.quarter,
                version=(newest.version + 1) if newest else 1,
                indicator_set=indicator_set,
                build=build,
                previous_total=previous.get(branch_id),
                computed_at=now,
                **fields,
            )
        )
        created += 1
    if to_update:
        ScorecardLine.objects.filter(scorecard__in=to_update).delete()
        Scorecard.objects.bulk_update(
            to_update,
            [
                *DIMENSION_FIELDS.values(),
                "total",
                "max_total",
                "fingerprint",
                "indicator_set",
                "previous_total",
                "computed_at",
                "build",
            ],
        )
    Scorecard.objects.bulk_create(to_create)
    if to_create and to_create[0].pk is None:  # backends that do not return ids
        ids = dict(
            Scorecard.objects.filter(
                branch_id__in=[c.branch_id for c in to_create],
                year=period.year,
                quarter=period.quarter,
                state=Scorecard.State.DRAFT,
            ).values_list("branch_id", "pk")
        )
        for c in to_create:
            c.pk = ids[c.branch_id]
    lines = [
        ScorecardLine(
            scorecard_id=scorecard.pk,
            indicator=line.indicator,
            value=line.value,
            points=line.points,
            max_points=line.max_points,
            evidence=line.evidence,
            note=line.note,
        )
        for scorecard in [*to_update, *to_create]
        for line in cards[scorecard.branch_id].lines
    ]
    ScorecardLine.objects.bulk_create(lines, batch_size=1000)
    if to_create or to_update:
        IndicatorSet.objects.filter(pk=indicator_set.pk, is_frozen=False).update(is_frozen=True)
    return {"created": created, "updated": updated, "unchanged": unchanged}


def scorecards_rank(*, committee: Organisation, period: Quarter) -> int:
    """Rank the newest scorecards of the committee's subtree by total, in the database.

    Confirmed scorecards keep the rank they were confirmed with.
    """
    ranked = list(
        Scorecard.objects.for_quarter(period)
        .newest_versions()
        .in_subtree(committee)
        .annotate(place=Window(Rank(), order_by=F("total").desc()))
        .values_list("pk", "place", "state")
    )
    among = len(ranked)
    rows = [
        Scorecard(pk=pk, rank=place, ranked_among=among)
        for pk, place, state in ranked
        if state != Scorecard.State.CONFIRMED
    ]
    Scorecard.objects.bulk_update(rows, ["rank", "ranked_among"], batch_size=1000)
    return among


# --- the build ----------------------------------------------------------------------------------


def _branches_of(committee: Organisation) -> list[int]:
    return list(
        Organisation.objects.filter(
            path__startswith=committee.path, kind=Organisation.Kind.BRANCH, is_active=True
        )
        .order_by("path")
        .values_list("pk", flat=True)
    )


@transaction.atomic
def scorecard_build_request(
    *, committee: Organisation, period: Quarter, user: User | None = None
) -> ScorecardBuild:
    """The build to run for (committee, quarter): an unfinished one resumes, else a new run.

    The branches are split into chunks here, in the same transaction as the build row, so
    a build exists only with its full list of work.
    """
    # Serialise requests for one committee: lock its organisation row.
    Organisation.objects.select_for_update().filter(pk=committee.pk).first()
    builds = ScorecardBuild.objects.filter(
        committee=committee, year=period.year, quarter=period.quarter
    )
    unfinished = builds.filter(
        status__in=[ScorecardBuild.Status.PENDING, ScorecardBuild.Status.RUNNING]
    ).first()
    if unfinished is not None:
        return unfinished
    indicator_set = IndicatorSet.objects.in_force(committee, period)
    if indicator_set is None:
        indicator_set = indicator_set_create_default(committee=committee, period=period)
    # From now on the set is in use: a change makes a new version, not this run's rules.
    IndicatorSet.objects.filter(pk=indicator_set.pk, is_frozen=False).update(is_frozen=True)
    run = (builds.aggregate(m=Max("run"))["m"] or 0) + 1
    branch_ids = _branches_of(committee)
    build = ScorecardBuild.objects.create(
        committee=committee,
        year=period.year,
        quarter=period.quarter,
        run=run,
        indicator_set=indicator_set,
        branch_total=len(branch_ids),
        requested_by=user,
    )
    size = chunk_size()
    BuildChunk.objects.bulk_create(
        BuildChunk(build=build, index=n, branch_ids=branch_ids[start : start + size])
        for n, start in enumerate(range(0, len(branch_ids), size))
    )
    return build


def _claim_chunk(build: ScorecardBuild) -> bool:
    """Score the next unfinished chunk in one transaction that also marks it done.

    Killed half-way, the transaction rolls back and the chunk stays to do; two workers on
    one build never take the same chunk (``skip_locked``). False when none is left.
    """
    with transaction.atomic():
        chunk = (
            BuildChunk.objects.select_for_update(skip_locked=True)
            .filter(build=build, done_at__isnull=True)
            .order_by("index")
            .first()
        )
        if chunk is None:
            return False
        period = build.period
        indicator_set = build.indicator_set
        cards = scorecards_compute(
            indicator_set=indicator_set, branch_ids=list(chunk.branch_ids), period=period
        )
        scorecards_store(indicator_set=indicator_set, cards=cards, period=period, build=build)
        chunk.done_at = timezone.now()
        chunk.save(update_fields=["done_at"])
        done = BuildChunk.objects.filter(build=build, done_at__isnull=False).values_list(
            "branch_ids", flat=True
        )
        branches_done = sum(len(ids) for ids in done)
        ScorecardBuild.objects.filter(pk=build.pk).update(
            branches_done=branches_done,
            progress=min(99, branches_done * 100 // max(1, build.branch_total)),
        )
    return True


def scorecard_build_run(*, build_id: int) -> ScorecardBuild:
    """Run (or resume) a build to the end: every unfinished chunk, then the ranks."""
    build = ScorecardBuild.objects.select_related("committee", "indicator_set").get(pk=build_id)
    if build.is_finished:
        return build
    ScorecardBuild.objects.filter(pk=build.pk, status=ScorecardBuild.Status.PENDING).update(
        status=ScorecardBuild.Status.RUNNING, started_at=timezone.now()
    )
    pause = _chunk_pause()
    try:
        while _claim_chunk(build):
            if pause:
                time.sleep(pause)
        if BuildChunk.objects.filter(build=build, done_at__isnull=True).exists():
            return build  # another worker is finishing a chunk; it will close the build
        with transaction.atomic():
            locked = ScorecardBuild.objects.select_for_update().get(pk=build.pk)
            if locked.is_finished:
                return locked
            scorecards_rank(committee=build.committee, period=build.period)
            locked.status = ScorecardBuild.Status.DONE
            locked.progress = 100
            locked.branches_done = locked.branch_total
            locked.finished_at = timezone.now()
            locked.save(update_fields=["status", "progress", "branches_done", "finished_at"])
    except Exception as exc:
        ScorecardBuild.objects.filter(pk=build.pk).update(
            status=ScorecardBuild.Status.FAILED, error=f"{exc.__class__.__name__}: {exc}"[:2000]
        )
        raise
    build.refresh_from_db()
    return build


def _enqueue(task: Any, *args: Any) -> None:
    """Hand work to the workers; with the broker down the row waits (still pending) and
    beat's ``scorecards.resume_waiting`` hands it over once the broker is back, so the
    committee's request never fails."""
    from kombu.exceptions import OperationalError

    try:
        task.delay(*args)
    except OperationalError as exc:
        logger.warning("broker unreachable, %s waits for the next resume: %s", task.name, exc)


def scorecard_build_enqueue(build: ScorecardBuild) -> None:
    from scorecards.tasks import build_quarter

    transaction.on_commit(
        lambda: _enqueue(build_quarter, build.committee_id, build.year, build.quarter, build.pk)
    )


# --- review and confirmation --------------------------------------------------------------------


class TransitionError(Exception):
    pass


@transaction.atomic
def scorecard_review(*, scorecard: Scorecard, user: User) -> Scorecard:
    locked = Scorecard.objects.select_for_update().get(pk=scorecard.pk)
    if locked.state != Scorecard.State.DRAFT:
        raise TransitionError(_("Only a draft scorecard can be marked reviewed."))
    locked.state = Scorecard.State.REVIEWED
    locked.reviewed_by = user
    locked.reviewed_at = timezone.now()
    locked.save(update_fields=["state", "reviewed_by", "reviewed_at"])
    return locked


@transaction.atomic
def scorecard_confirm(*, scorecard: Scorecard, user: User) -> Scorecard:
    """Confirm a draft or reviewed scorecard; older unconfirmed versions stay as history.

    Only the newest version can be confirmed, so one quarter has one current result (a
    later confirmation supersedes the earlier one). The versions are locked, as the build
    locks them, so a build cannot slip a new draft in between the check and the change.
    """
    versions = list(
        Scorecard.objects.select_for_update()
        .filter(branch_id=scorecard.branch_id, year=scorecard.year, quarter=scorecard.quarter)
        .order_by("version")
    )
    locked = next(v for v in versions if v.pk == scorecard.pk)
    if locked.state == Scorecard.State.CONFIRMED:
        raise TransitionError(_("This scorecard is already confirmed."))
    if locked.version != versions[-1].version:
        raise TransitionError(_("Only the newest version of a scorecard can be confirmed."))
    now = timezone.now()
    locked.state = Scorecard.State.CONFIRMED
    locked.confirmed_by = user
    locked.confirmed_at = now
    if locked.reviewed_at is None:
        locked.reviewed_by = user
        locked.reviewed_at = now
    locked.save(
        update_fields=["state", "confirmed_by", "confirmed_at", "reviewed_by", "reviewed_at"]
    )
    return locked


# --- 奖学 / 评先选优 ---------------------------------------------------------------------------------


def commendation_quota(count: int) -> int:
    """Model branches proposed per quarter: the top tenth, at least one."""
    return max(1, count // 10) if count else 0


@transaction.atomic
def commendations_propose(*, committee: Organisation, period: Quarter) -> int:
    """Propose 学习型党支部 for the top confirmed scorecards, 'most improved' for the
    largest gain, and contest results for the members with the best counted scores of
    the quarter's contests; proposing twice adds nothing. Returns how many were new."""
    created = _contest_proposals(committee=committee, period=period)
    confirmed = (
        Scorecard.objects.for_quarter(period)
        .in_subtree(committee)
        .filter(state=Scorecard.State.CONFIRMED)
        .select_related("branch")
    )
    by_total = list(confirmed.order_by("-total", "branch__path"))
    if not by_total:
        return created
    quota = commendation_quota(len(by_total))
    proposals: list[Commendation] = []
    with translation.override(settings.LANGUAGE_CODE):
        for card in by_total[:quota]:
            proposals.append(
                Commendation(
                    committee=committee,
                    kind=Commendation.Kind.LEARNING_BRANCH,
                    organisation=card.branch,
                    year=period.year,
                    quarter=period.quarter,
                    source=Commendation.Source.SCORECARD,
                    scorecard=card,
                    reason=_("Scored %(total)s of %(max)s in %(quarter)s")
                    % {"total": card.total, "max": card.max_total, "quarter": period.label},
                )
            )
        improved = [c for c in by_total if c.previous_total is not None and c.change]
        if improved:
            best = max(improved, key=lambda c: c.change or 0)
            if best.change and best.change > 0:
                proposals.append(
                    Commendation(
                        committee=committee,
                        kind=Commendation.Kind.MOST_IMPROVED,
                        organisation=best.branch,
                        year=period.year,
                        quarter=period.quarter,
                        source=Commendation.Source.SCORECARD,
                        scorecard=best,
                        reason=_("Up %(change)s points on last quarter") % {"change": best.change},
                    )
                )
    existing = set(
        Commendation.objects.filter(
            committee=committee, year=period.year, quarter=period.quarter, user__isnull=True
        ).values_list("kind", "organisation_id")
    )
    fresh = [p for p in proposals if (p.kind, p.organisation_id) not in existing]
    Commendation.objects.bulk_create(fresh, ignore_conflicts=True)
    return created + len(fresh)


CONTEST_WINNERS = 3
CONTEST_MIN_PERCENT = 90


def _contest_proposals(*, committee: Organisation, period: Quarter) -> int:
    """The members of the subtree with the best counted results (at least 90%) in the
    contests that closed in the quarter: one grouped query, best first."""
    from assessment.models import Attempt

    best = list(
        Attempt.objects.counted()
        .filter(
            branch__path__startswith=committee.path,
            contest__closes_at__date__range=(period.start, period.end),
            percent__gte=CONTEST_MIN_PERCENT,
        )
        .values("user_id")
        .annotate(best=Max("percent"))
        .order_by("-best", "user_id")
        .values_list("user_id", "best")[:CONTEST_WINNERS]
    )
    existing = set(
        Commendation.objects.filter(
            committee=committee,
            kind=Commendation.Kind.CONTEST_WINNER,
            year=period.year,
            quarter=period.quarter,
        ).values_list("user_id", flat=True)
    )
    with translation.override(settings.LANGUAGE_CODE):
        fresh = [
            Commendation(
                committee=committee,
                kind=Commendation.Kind.CONTEST_WINNER,
                user_id=user_id,
                year=period.year,
                quarter=period.quarter,
                source=Commendation.Source.CONTEST,
                reason=_("Scored %(percent)s%% in the knowledge contests of %(quarter)s")
                % {"percent": percent, "quarter": period.label},
            )
            for user_id, percent in best
            if user_id not in existing
        ]
    Commendation.objects.bulk_create(fresh, ignore_conflicts=True)
    return len(fresh)


@transaction.atomic
def commendation_propose_member(
    *,
    committee: Organisation,
    user: User,
    kind: str,
    year: int,
    quarter: int | None,
    reason: str,
    source: str = Commendation.Source.COMMITTEE,
) -> Commendation:
    commendation, _created = Commendation.objects.get_or_create(
        committee=committee,
        kind=kind,
        user=user,
        year=year,
        quarter=quarter,
        defaults={"reason": reason, "source": source},
    )
    return commendation


@transaction.atomic
def commendation_decide(*, commendation: Commendation, user: User, confirm: bool) -> Commendation:
    locked = Commendation.objects.select_for_update().get(pk=commendation.pk)
    if locked.status != Commendation.Status.PROPOSED:
        raise TransitionError(_("This commendation has already been decided."))
    locked.status = Commendation.Status.CONFIRMED if confirm else Commendation.Status.DECLINED
    locked.decided_by = user
    locked.decided_at = timezone.now()
    locked.save(update_fields=["status", "decided_by", "decided_at"])
    return locked


# --- the quarterly evaluation report ----------------------------------------------------------------


def committee_recipients(committee: Organisation) -> list[int]:
    """Who hears that the report is ready: the committee's current office holders."""
    return list(
        Position.objects.current()
        .filter(organisation=committee)
        .values_list("user_id", flat=True)
        .distinct()
    )


@transaction.atomic
def report_request(
    *, committee: Organisation, period: Quarter, user: User | None
) -> EvaluationReport:
    """Ask for the report of (committee, quarter): the one row, back to waiting."""
    report, created = EvaluationReport.objects.select_for_update().get_or_create(
        committee=committee,
        year=period.year,
        quarter=period.quarter,
        defaults={"requested_by": user},
    )
    if not created and report.status != EvaluationReport.Status.BUILDING:
        report.status = EvaluationReport.Status.PENDING
        report.requested_by = user
        report.requested_at = timezone.now()
        report.error = ""
        report.save(update_fields=["status", "requested_by", "requested_at", "error"])
    from scorecards.tasks import build_report

    transaction.on_commit(lambda: _enqueue(build_report, report.pk))
    return report


REPORT_CLAIM_TIMEOUT = 600


def report_claim(*, report_id: int) -> bool:
    """Claim a waiting report (or one abandoned by a killed worker): one conditional UPDATE."""
    now = timezone.now()
    stale = now - datetime.timedelta(seconds=REPORT_CLAIM_TIMEOUT)
    return (
        EvaluationReport.objects.filter(pk=report_id)
        .filter(
            Q(status=EvaluationReport.Status.PENDING)
            | Q(status=EvaluationReport.Status.BUILDING, claimed_at__lt=stale)
        )
        .update(status=EvaluationReport.Status.BUILDING, claimed_at=now)
        == 1
    )


def report_build(*, report_id: int) -> EvaluationReport | None:
    """Write the report's .xlsx and .docx through the storage API, then mark it ready and
    tell the committee. Nothing is marked ready before both files are stored."""
    if not report_claim(report_id=report_id):
        return None
    report = EvaluationReport.objects.select_related("committee").get(pk=report_id)
    from scorecards.reports import report_docx, report_xlsx
    from scorecards.selectors import report_data

    try:
        with translation.override(settings.LANGUAGE_CODE):
            data = report_data(report.committee, report.period)
            xlsx_bytes = report_xlsx(data)
            docx_bytes = report_docx(data)
        stamp = timezone.now().strftime("%Y%m%d%H%M%S")
        base = f"scorecards/reports/{report.committee_id}/{report.period.code}-{stamp}"
        xlsx_name = default_storage.save(f"{base}.xlsx", ContentFile(xlsx_bytes))
        docx_name = default_storage.save(f"{base}.docx", ContentFile(docx_bytes))
    except Exception as exc:
        EvaluationReport.objects.filter(pk=report_id).update(
            status=EvaluationReport.Status.FAILED, error=f"{exc.__class__.__name__}: {exc}"[:2000]
        )
        raise
    old = [name for name in (report.xlsx.name, report.docx.name) if name]
    with transaction.atomic():
        changed = EvaluationReport.objects.filter(
            pk=report_id, status=EvaluationReport.Status.BUILDING
        ).update(
            status=EvaluationReport.Status.READY,
            xlsx=xlsx_name,
            docx=docx_name,
            ready_at=timezone.now(),
            error="",
        )
        if changed:
            from portal.notifications import Message, notify

            notify(
                recipient_ids=committee_recipients(report.committee),
                kind="scorecards.report_ready",
                subject=f"evaluation-report:{report.pk}",
                period=stamp[2:],  # each writing of the report is news again
                message=Message(
                    gettext_noop("The evaluation report for %(quarter)s is ready"),
                    gettext_noop(
                        "%(committee)s: the quarterly evaluation report can be downloaded."
                    ),
                    {"quarter": report.period.code, "committee": report.committee.name},
                ),
                url=reverse("scorecards:report", args=[report.pk]),
            )
    for name in old:
        with contextlib.suppress(OSError):
            default_storage.delete(name)
    report.refresh_from_db()
    return report


__all__ = [
    "TransitionError",
    "commendation_decide",
    "commendation_propose_member",
    "commendations_propose",
    "indicator_delete",
    "indicator_save",
    "indicator_set_create_default",
    "indicator_set_for_edit",
    "innovation_file",
    "innovation_score",
    "inspection_record",
    "report_build",
    "report_request",
    "scorecard_build_enqueue",
    "scorecard_build_request",
    "scorecard_build_run",
    "scorecard_confirm",
    "scorecard_review",
    "scorecards_compute",
    "scorecards_rank",
    "scorecards_store",
]
