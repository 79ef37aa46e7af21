"""Demo records for the committee tools on the demo tree of ``portal/demo.py``.

Idempotent: a task is found by its issuer and title, a post by its demo source key, so
calling ``seed_demo()`` again changes nothing.
"""

from __future__ import annotations

import datetime
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from committee import services
from committee.models import Assignment, Post, Task
from portal.models import Organisation, User

DEMO_SOURCE = "committee.demo"


def _photo(name: str, colour: tuple[int, int, int]) -> tuple[SimpleUploadedFile, str]:
    """A small generated photo, so the demo needs no image files shipped."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (480, 320), colour)
    draw = ImageDraw.Draw(image)
    draw.rectangle((40, 40, 440, 280), outline=(255, 255, 255), width=6)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png"), "image/png"


def _task(
    issuer: Organisation,
    by: User,
    title: str,
    *,
    evidence: str,
    due_on: datetime.date,
    description: str,
    organisations: list[Organisation],
    people: list[User],
) -> Task:
    existing = Task.objects.filter(issuer=issuer, title=title).first()
    if existing is not None:
        return existing
    return services.task_create(
        issuer=issuer,
        created_by=by,
        title=title,
        description=description,
        evidence_expected=evidence,
        due_on=due_on,
        organisations=organisations,
        people=people,
    )


@transaction.atomic
def seed_demo() -> dict[str, int]:
    """Two tasks (one on time, one overdue) and three posts for the demo committee."""
    orgs = {o.code: o for o in Organisation.objects.filter(code__startswith="DEMO-")}
    if "DEMO-C" not in orgs:
        from portal.demo import seed_demo as seed_portal

        seed_portal()
        orgs = {o.code: o for o in Organisation.objects.filter(code__startswith="DEMO-")}
    users = {
        u.username: u
        for u in User.objects.filter(
            username__in=["committee", "secretary", "member", "xuanchuanbu"]
        )
    }
    committee, secretary, member = users["committee"], users["secretary"], users["member"]
    top = orgs["DEMO-C"]
    branches = [orgs[c] for c in ("DEMO-B1", "DEMO-B2", "DEMO-B3", "DEMO-B4")]
    today = timezone.localdate()

    created_tasks = Task.objects.filter(issuer=top).count()
    reading = _task(
        top,
        committee,
        "各支部围绕《习近平新时代中国特色社会主义思想学习纲要》开展一次读书会",
        evidence="读书会会议记录、签到表和两张现场照片",
        due_on=today + datetime.timedelta(days=30),
        description="以党小组为单位交流读书体会，支部书记作总结发言。",
        organisations=branches,
        people=[],
    )
    plan = _task(
        top,
        committee,
        "报送本支部年度学习教育培训计划",
        evidence="经支委会研究通过的年度学习教育培训计划",
        due_on=today - datetime.timedelta(days=5),
        description="计划应列明每月学习专题、学习形式和学时要求。",
        organisations=branches[1:],
        people=[member],
    )
    created_tasks = Task.objects.filter(issuer=top).count() - created_tasks
    if created_tasks:
        first = Assignment.objects.get(task=reading, organisation=branches[0])
        services.assignment_report(
            assignment=first,
            actor=committee,
            text="10月18日开展读书会，应到12人，实到11人，1人请假。",
        )
        services.assignment_review(assignment=first, actor=committee, accept=True)
        second = Assignment.objects.get(task=reading, organisation=branches[1])
        services.assignment_report(
            assignment=second,
            actor=secretary,
            text="已组织第一党小组交流，第二党小组安排在下周。",
            link="/organisations/",
        )
        returned = Assignment.objects.get(task=plan, organisation=branches[1])
        services.assignment_report(
            assignment=returned, actor=secretary, text="年度计划初稿已报送。"
        )
        services.assignment_review(
            assignment=returned,
            actor=committee,
            accept=False,
            comment="请补充每月学习专题和学时要求后重新报送。",
        )

    posts = [
        (
            "post-1",
            branches[0],
            Post.Kind.EXPERIENCE,
            "“三个一”工作法推动支部学习走深走实",
            "支部坚持每月一次集中学习、每季一次专题研讨、每年一次读书会，"
            "把学习与业务工作结合起来。\n\n支委会带头领学，党小组交流讨论，形成了比学赶超的氛围。",
            True,
            (40, 90, 160),
        ),
        (
            "post-2",
            branches[1],
            Post.Kind.EXEMPLAR,
            "先进典型：扎根基层三十年的国库“守门人”",
            "他三十年如一日坚守国库会计岗位，经手资金无一差错，带出的徒弟多人成为业务骨干。",
            False,
            (170, 40, 40),
        ),
        (
            "post-3",
            branches[1],
            Post.Kind.EXPERIENCE,
            "主题党日走进社区，金融知识宣传进万家",
            "支部结合主题党日活动，组织党员走进社区开展金融知识宣传，发放资料三百余份。",
            None,
            (40, 140, 80),
        ),
    ]
    created_posts = 0
    for ref, organisation, kind, title, body, featured, colour in posts:
        if Post.objects.filter(source=DEMO_SOURCE, source_ref=ref).exists():
            continue
        author = committee if organisation == branches[0] else secretary
        post = services.post_submit(
            organisation=organisation,
            author=author,
            kind=kind,
            title=title,
            body=body,
            photos=[_photo(f"{ref}.png", colour)],
        )
        Post.objects.filter(pk=post.pk).update(source=DEMO_SOURCE, source_ref=ref)
        if featured is not None:
            services.post_review(post=post, actor=committee, publish=True)
            if featured:
                services.post_feature(post=post, actor=committee, featured=True)
        created_posts += 1
    return {"tasks": created_tasks, "posts": created_posts}
