"""Demo study records for the demo organisation (portal/demo.py must have run first).

Idempotent: everything is found by a natural key (title, user and year, …) before it is made.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from learning import services
from learning.models import (
    Activity,
    Assignment,
    BranchPlan,
    CentreGroupSession,
    Material,
    Reflection,
    ResearchReport,
    ReviewStatus,
    StudyForm,
    StudyLog,
    StudyPlan,
    Topic,
)
from portal.models import Organisation, User

TOPICS = [
    "党的二十大精神",
    "习近平新时代中国特色社会主义思想",
    "党章党规",
    "党史学习教育",
    "金融业务知识",
]

MATERIALS = [
    (
        "党的二十大报告（原文）",
        Material.Kind.DOCUMENT,
        "党的二十大精神",
        "高举中国特色社会主义伟大旗帜，为全面建设社会主义现代化国家而团结奋斗。"
        "中国式现代化，是中国共产党领导的社会主义现代化，既有各国现代化的共同特征，更有基于自己国情的中国特色。"
        "中国式现代化是人口规模巨大的现代化，是全体人民共同富裕的现代化，是物质文明和精神文明相协调的现代化，"
        "是人与自然和谐共生的现代化，是走和平发展道路的现代化。",
    ),
    (
        "中国共产党章程",
        Material.Kind.DOCUMENT,
        "党章党规",
        "中国共产党是中国工人阶级的先锋队，同时是中国人民和中华民族的先锋队。",
    ),
    (
        "中国共产党支部工作条例（试行）",
        Material.Kind.DOCUMENT,
        "党章党规",
        "党支部是党的基础组织，是党在社会基层组织中的战斗堡垒。",
    ),
    ("《习近平谈治国理政》第四卷", Material.Kind.BOOK, "习近平新时代中国特色社会主义思想", ""),
    (
        "建设学习型党组织的实践与思考",
        Material.Kind.ARTICLE,
        "金融业务知识",
        "学习型党组织建设要坚持学以致用、学用结合。",
    ),
]

REFLECTIONS = [
    (
        "member",
        "学习党的二十大报告的几点体会",
        "<p>通过集中学习和个人自学，我对中国式现代化的丰富内涵有了更深的理解。</p>"
        "<p>作为货币信贷管理科的一名党员，我要把学习成果转化为服务实体经济的具体行动，"
        "在信贷政策传导、普惠金融推进中践行初心使命。</p>",
        "excellent",
    ),
    (
        "m111",
        "重温党章，筑牢信仰之基",
        "<p>这次重温党章，使我进一步明确了党员的义务和权利。日常工作中要以党章为镜，"
        "对照检查自己在遵守纪律、服务群众方面的不足，立行立改。</p>",
        "good",
    ),
    (
        "m112",
        "支部工作条例学习心得",
        "<p>条例对三会一课、主题党日等组织生活作了明确规定，我们支部要结合实际，"
        "把组织生活开得有内容、有质量。</p>",
        "",
    ),
]


def _user(username: str) -> User | None:
    return User.objects.filter(username=username).first()


@transaction.atomic
def seed_demo() -> dict[str, int]:
    today = timezone.localdate()
    year = today.year
    committee = Organisation.objects.filter(code="DEMO-C").first()
    branch = Organisation.objects.filter(code="DEMO-B2").first()
    secretary, member, committee_user = _user("secretary"), _user("member"), _user("committee")
    if not (committee and branch and secretary and member and committee_user):
        return {"skipped": 1}  # the portal demo has not been seeded

    topics = {name: Topic.objects.get_or_create(name=name)[0] for name in TOPICS}

    materials: dict[str, Material] = {}
    for title, kind, topic, text in MATERIALS:
        material = Material.objects.filter(title=title, organisation=committee).first()
        if material is None:
            material = services.material_create(
                by=committee_user,
                organisation=committee,
                kind=kind,
                title=title,
                text=text,
                topics=[topics[topic]],
            )
        materials[title] = material
        if not Assignment.objects.filter(material=material, organisation=committee).exists():
            Assignment.objects.create(
                material=material,
                organisation=committee,
                requirement="required" if kind == Material.Kind.DOCUMENT else "elective",
                due_on=today + datetime.timedelta(days=45),
                assigned_by=committee_user,
            )
    original = materials["党的二十大报告（原文）"]

    if not BranchPlan.objects.filter(organisation=branch, year=year).exists():
        branch_plan = services.branch_plan_save(
            by=secretary,
            organisation=branch,
            year=year,
            title=f"{branch.name}{year}年度学习教育培训计划",
        )
        for period, topic, form, hours in [
            (1, "党的二十大精神", StudyForm.COLLECTIVE, 4),
            (2, "党章党规", StudyForm.LECTURE, 3),
            (3, "党史学习教育", StudyForm.DISCUSSION, 3),
            (4, "金融业务知识", StudyForm.SELF, 6),
        ]:
            services.branch_plan_item_add(
                plan=branch_plan,
                period_kind="quarter",
                period=period,
                topic=topic,
                form=form,
                hours=hours,
            )
        services.branch_plan_submit(plan=branch_plan)
        services.branch_plan_review(
            plan=branch_plan, by=committee_user, approve=True, comment="计划安排合理，同意。"
        )

    people = [member] + [u for u in (_user(f"m{n}") for n in range(111, 117)) if u is not None]
    for index, person in enumerate(people):
        if not StudyPlan.objects.filter(user=person, year=year).exists():
            plan = services.study_plan_save(
                user=person,
                year=year,
                goals="系统学习党的创新理论，提升履职能力。",
                topics="党的二十大精神；党章党规；金融业务知识",
                methods="集中学习与个人自学相结合，每周自学不少于2小时。",
                target_hours=60 + 10 * (index % 3),
            )
            if index % 3 != 2:
                services.study_plan_submit(plan=plan)
            if index % 3 == 0:
                services.study_plan_review(plan=plan, by=secretary, approve=True, comment="")
        if not StudyLog.objects.filter(user=person).exists():
            for days in range(1, 22, 3):
                StudyLog.objects.create(
                    user=person,
                    organisation=branch,
                    studied_on=today - datetime.timedelta(days=days),
                    minutes=45 + 15 * ((days + index) % 4),
                    method=[StudyForm.SELF, StudyForm.COLLECTIVE, StudyForm.DISCUSSION][days % 3],
                    material=original if days % 2 else None,
                    topic=topics["党的二十大精神"],
                )
        if index < 3:
            services.material_mark_read(material=original, user=person)

    for username, title, body, grade in REFLECTIONS:
        author = _user(username)
        if author is None or Reflection.objects.filter(author=author, title=title).exists():
            continue
        reflection = services.reflection_save(
            author=author, title=title, body=body, material=original
        )
        services.reflection_submit(reflection=reflection)
        if grade:
            services.reflection_review(
                reflection=reflection,
                by=secretary,
                accept=True,
                grade=grade,
                comment="联系实际，体会深刻。",
            )
            if grade == "excellent":
                services.reflection_set_exemplar(reflection=reflection, exemplar=True)

    if not ResearchReport.objects.filter(title="关于县域普惠金融服务情况的调研报告").exists():
        report = services.research_report_create(
            by=member,
            organisation=branch,
            title="关于县域普惠金融服务情况的调研报告",
            topic="普惠金融",
            authors=[member, secretary],
            text="围绕县域小微企业融资难问题，支部组织党员深入三个县开展调研，形成本报告。",
        )
        services.research_report_submit(report=report)

    if not Activity.objects.filter(title="“读原著、学原文、悟原理”读书会").exists():
        activity = services.activity_create(
            by=secretary,
            organisation=branch,
            kind=Activity.Kind.READING_CLUB,
            title="“读原著、学原文、悟原理”读书会",
            starts_on=today - datetime.timedelta(days=10),
            ends_on=today + datetime.timedelta(days=20),
            description="每两周一次，轮流领读、交流体会。",
        )
        activity.participants.add(*people[:4])

    if not CentreGroupSession.objects.filter(
        organisation=committee, topic="学习贯彻党的二十大精神专题学习"
    ).exists():
        task = services.centre_group_task_create(
            organisation=committee, year=year, topic="深入学习贯彻党的二十大精神"
        )
        session = services.centre_group_session_create(
            organisation=committee,
            held_on=today - datetime.timedelta(days=7),
            kind="keynote",
            topic="学习贯彻党的二十大精神专题学习",
            task=task,
            attendees=[committee_user],
        )
        services.centre_group_speech_add(
            session=session, speaker=committee_user, text="围绕中国式现代化的金融实践作中心发言。"
        )

    return {
        "materials": Material.objects.count(),
        "study_plans": StudyPlan.objects.filter(year=year).count(),
        "reflections": Reflection.objects.count(),
        "plan_status": int(
            BranchPlan.objects.filter(
                organisation=branch, year=year, status=ReviewStatus.APPROVED
            ).exists()
        ),
    }
