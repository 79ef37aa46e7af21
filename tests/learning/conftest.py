"""Study records for the personas in tests/conftest.py's ``world``."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest
import time_machine

from learning import services
from learning.models import (
    Activity,
    BranchPlan,
    CentreGroupSession,
    Material,
    Reflection,
    ResearchReport,
    StudyForm,
    StudyLog,
    StudyPlan,
    Topic,
)
from portal.models import User

TODAY = datetime.date(2026, 6, 15)


@pytest.fixture(autouse=True)
def frozen_day():
    """Every learning test runs on 15 June 2026, 10:00 Beijing time."""
    with time_machine.travel(datetime.datetime(2026, 6, 15, 2, 0, tzinfo=datetime.UTC), tick=False):
        yield


def write_reflection(
    author: User, title: str = "学习体会", body: str = "<p>学习党的二十大精神的体会。</p>", **kw
) -> Reflection:
    return services.reflection_save(author=author, title=title, body=body, **kw)


def submitted_reflection(
    author: User, body: str = "<p>学习党的二十大精神的体会。</p>", **kw
) -> Reflection:
    return services.reflection_submit(reflection=write_reflection(author, body=body, **kw))


@dataclass
class Records:
    topic: Topic
    material: Material
    plan: StudyPlan
    log: StudyLog
    reflection: Reflection
    branch_plan: BranchPlan
    report: ResearchReport
    activity: Activity
    session: CentreGroupSession


@pytest.fixture
def records(world) -> Records:
    """One of everything, in ``world.branch`` (or its committee)."""
    topic = Topic.objects.create(name="党的二十大精神")
    material = services.material_create(
        by=world.secretary,
        organisation=world.branch,
        kind=Material.Kind.DOCUMENT,
        title="党的二十大报告",
        text="高举中国特色社会主义伟大旗帜，为全面建设社会主义现代化国家而团结奋斗。",
        topics=[topic],
    )
    services.material_assign(
        material=material,
        organisation=world.branch,
        requirement="required",
        due_on=TODAY + datetime.timedelta(days=30),
        by=world.secretary,
    )
    plan = services.study_plan_save(
        user=world.member,
        year=2026,
        goals="系统学习",
        topics="二十大精神",
        methods="自学",
        target_hours=60,
    )
    log = services.study_log_create(
        user=world.member, studied_on=TODAY, minutes=60, method=StudyForm.SELF, material=material
    )
    reflection = submitted_reflection(world.member, material=material, topic=topic)
    branch_plan = services.branch_plan_save(
        by=world.secretary, organisation=world.branch, year=2026, title="2026年度学习计划"
    )
    services.branch_plan_item_add(
        plan=branch_plan, period_kind="month", period=7, topic="党章", form="collective", hours=4
    )
    report = services.research_report_create(
        by=world.member,
        organisation=world.branch,
        title="关于普惠金融的调研",
        topic="普惠金融",
        authors=[world.member],
        text="调研正文",
    )
    activity = services.activity_create(
        by=world.secretary,
        organisation=world.branch,
        kind="reading_club",
        title="读书会",
        starts_on=TODAY,
        ends_on=TODAY + datetime.timedelta(days=7),
    )
    session = services.centre_group_session_create(
        organisation=world.committee,
        held_on=TODAY,
        kind="keynote",
        topic="中心组专题学习",
        attendees=[world.committee_user],
    )
    return Records(topic, material, plan, log, reflection, branch_plan, report, activity, session)
