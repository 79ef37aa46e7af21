"""Study logs: a daily cap, and a log far above the plan's pace waits for the secretary."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from learning import services
from learning.models import StudyLog
from learning.selectors import branch_study_figures, my_study

DAY = datetime.date(2026, 6, 15)


def _log(member, minutes, day=DAY):
    return services.study_log_create(user=member, studied_on=day, minutes=minutes, method="self")


def test_a_day_is_capped_at_eight_hours(world):
    _log(world.member, 300)
    with pytest.raises(ValidationError) as error:
        _log(world.member, 200)
    assert "minutes" in error.value.error_dict
    assert StudyLog.objects.count() == 1


def test_over_cap_through_the_form_shows_the_error_and_saves_nothing(as_user, world):
    response = as_user(world.member).post(
        reverse("learning:logs"), {"studied_on": "2026-06-15", "minutes": 600, "method": "self"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["minutes"]
    assert not StudyLog.objects.exists()


def test_future_day_is_refused(world):
    with pytest.raises(ValidationError):
        _log(world.member, 30, DAY + datetime.timedelta(days=1))


def test_week_far_above_plan_pace_is_flagged_and_not_counted(world):
    services.study_plan_save(
        user=world.member, year=2026, goals="g", topics="t", methods="", target_hours=52
    )
    # Pace 60 min a week; allowance is max(3 × 60, 360) = 360 minutes in 7 days.
    for offset in range(3):
        assert _log(world.member, 120, DAY - datetime.timedelta(days=offset)).status == "counted"
    flagged = _log(world.member, 60, DAY - datetime.timedelta(days=3))
    assert flagged.status == StudyLog.Status.FLAGGED
    assert my_study(world.member, 2026).counted_minutes == 360
    assert my_study(world.member, 2026).flagged_minutes == 60


def test_secretary_confirms_a_flagged_log_and_it_counts(as_user, world):
    for offset in range(4):
        _log(world.member, 100, DAY - datetime.timedelta(days=offset))
    flagged = StudyLog.objects.get(status=StudyLog.Status.FLAGGED)
    page = as_user(world.secretary).get(reverse("learning:flagged_logs"))
    assert flagged in page.context["page"].object_list
    as_user(world.secretary).post(
        reverse("learning:log_decide", args=[flagged.pk]), {"decision": "confirm"}
    )
    flagged.refresh_from_db()
    assert flagged.status == StudyLog.Status.CONFIRMED
    assert my_study(world.member, 2026).counted_minutes == 400


def test_rejected_log_never_counts(world):
    for offset in range(4):
        _log(world.member, 100, DAY - datetime.timedelta(days=offset))
    flagged = StudyLog.objects.get(status=StudyLog.Status.FLAGGED)
    services.study_log_decide(log=flagged, by=world.secretary, confirm=False)
    figures = branch_study_figures(
        [world.branch.pk], datetime.date(2026, 1, 1), datetime.date(2026, 12, 31)
    )
    assert figures[world.branch.pk].study_minutes == 300


def test_outsider_and_member_cannot_decide(as_user, world):
    for offset in range(4):
        _log(world.member, 100, DAY - datetime.timedelta(days=offset))
    flagged = StudyLog.objects.get(status=StudyLog.Status.FLAGGED)
    for user in (world.outsider, world.member, world.other_secretary):
        response = as_user(user).post(
            reverse("learning:log_decide", args=[flagged.pk]), {"decision": "confirm"}
        )
        assert response.status_code == 404
    flagged.refresh_from_db()
    assert flagged.status == StudyLog.Status.FLAGGED
