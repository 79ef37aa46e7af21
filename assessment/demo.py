"""Demo 考学 and 述学评学 records on top of the portal's demo organisation.

Idempotent: the bank is found by its questions' text, the contest and the 述学 period by
their titles, so running it again changes nothing. Needs ``portal.demo.seed_demo()`` first.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from assessment import services
from assessment.models import (
    Attempt,
    Contest,
    Difficulty,
    Question,
    QuestionKind,
    Rubric,
    ShuxuePeriod,
    ShuxueReport,
)
from assessment.services import QuestionContent
from portal.models import Membership, Organisation, User

E, M, H = Difficulty.EASY, Difficulty.MEDIUM, Difficulty.HARD
S, MU, TF, F = (
    QuestionKind.SINGLE,
    QuestionKind.MULTIPLE,
    QuestionKind.TRUE_FALSE,
    QuestionKind.FILL,
)

CHARTER = "党章党规"
HISTORY = "党史"
CONGRESS = "党的二十大精神"
LIFE = "组织生活制度"
THEORY = "党的创新理论"
CHARTER_SOURCE = "《中国共产党章程》"
BRANCH_RULES = "《中国共产党支部工作条例（试行）》"
REPORT_20 = "党的二十大报告"

# (topic, difficulty, kind, stem, options, answer, explanation, source)
QUESTIONS: list[tuple[str, int, str, str, list[str], str, str, str]] = [
    (
        CHARTER,
        E,
        S,
        "中国共产党的最高理想和最终目标是（　）。",
        ["实现共产主义", "全面建成小康社会", "基本实现社会主义现代化", "实现中华民族伟大复兴"],
        "A",
        "党章总纲：党的最高理想和最终目标是实现共产主义。",
        CHARTER_SOURCE,
    ),
    (
        CHARTER,
        E,
        S,
        "中国共产党的根本宗旨是（　）。",
        ["全心全意为人民服务", "实现共产主义", "以经济建设为中心", "坚持改革开放"],
        "A",
        "党章总纲：党除了工人阶级和最广大人民群众的利益，没有自己特殊的利益。",
        CHARTER_SOURCE,
    ),
    (
        CHARTER,
        M,
        S,
        "党的思想路线是一切从实际出发，理论联系实际，（　），在实践中检验真理和发展真理。",
        ["实事求是", "解放思想", "与时俱进", "求真务实"],
        "A",
        "",
        CHARTER_SOURCE,
    ),
    (
        CHARTER,
        M,
        S,
        "党的最大政治优势是（　）。",
        ["密切联系群众", "理论联系实际", "批评和自我批评", "民主集中制"],
        "A",
        "党章总纲：党的最大政治优势是密切联系群众，党执政后的最大危险是脱离群众。",
        CHARTER_SOURCE,
    ),
    (
        CHARTER,
        E,
        S,
        "党的根本组织原则是（　）。",
        ["民主集中制", "集体领导", "少数服从多数", "党管干部"],
        "A",
        "",
        CHARTER_SOURCE,
    ),
    (
        CHARTER,
        E,
        S,
        "预备党员的预备期为（　）。",
        ["半年", "一年", "两年", "三年"],
        "B",
        "党章第七条：预备党员的预备期为一年。",
        CHARTER_SOURCE,
    ),
    (
        CHARTER,
        H,
        S,
        "党员如果没有正当理由，连续（　）个月不参加党的组织生活，或不交纳党费，或不做党所分配的工作，就被认为是自行脱党。",
        ["三", "六", "九", "十二"],
        "B",
        "党章第九条。",
        CHARTER_SOURCE,
    ),
    (
        CHARTER,
        M,
        S,
        "企业、农村、机关、学校等基层单位，凡是有正式党员（　）人以上的，都应当成立党的基层组织。",
        ["三", "五", "七", "十"],
        "A",
        "党章第三十条。",
        CHARTER_SOURCE,
    ),
    (
        CHARTER,
        M,
        TF,
        "预备党员享有表决权、选举权和被选举权。",
        [],
        "B",
        "党章第七条：预备党员的权利，除了没有表决权、选举权和被选举权以外，也同正式党员一样。",
        CHARTER_SOURCE,
    ),
    (
        CHARTER,
        E,
        TF,
        "党员有权在党的会议上和党报党刊上，参加关于党的政策问题的讨论。",
        [],
        "A",
        "党章第四条规定的党员权利。",
        CHARTER_SOURCE,
    ),
    (
        CHARTER,
        M,
        MU,
        "党的纪律主要包括（　）。",
        ["政治纪律", "组织纪律", "廉洁纪律", "群众纪律"],
        "ABCD",
        "还包括工作纪律和生活纪律，合称“六大纪律”。",
        "《中国共产党纪律处分条例》",
    ),
    (CHARTER, E, F, "中国共产党的根本宗旨是____。", [], "全心全意为人民服务", "", CHARTER_SOURCE),
    (CHARTER, M, F, "____是我们党执政兴国的第一要务。", [], "发展", "", CHARTER_SOURCE),
    (
        HISTORY,
        E,
        S,
        "中国共产党第一次全国代表大会于（　）年召开。",
        ["1919", "1921", "1927", "1949"],
        "B",
        "1921年7月，中共一大在上海召开，后转移到浙江嘉兴南湖。",
        "《中国共产党简史》",
    ),
    (
        HISTORY,
        M,
        S,
        "确立毛泽东在党中央和红军的领导地位的会议是（　）。",
        ["古田会议", "遵义会议", "洛川会议", "瓦窑堡会议"],
        "B",
        "1935年1月遵义会议。",
        "《中国共产党简史》",
    ),
    (
        HISTORY,
        M,
        S,
        "实现党和国家工作中心战略转移、开启改革开放新时期的会议是（　）。",
        ["党的十一届三中全会", "党的十二大", "党的十三大", "党的十四大"],
        "A",
        "1978年12月。",
        "《中国共产党简史》",
    ),
    (HISTORY, E, F, "中国共产党成立于____年。", [], "1921|1921年", "", "《中国共产党简史》"),
    (
        CONGRESS,
        E,
        S,
        "党的二十大于（　）年召开。",
        ["2017", "2021", "2022", "2023"],
        "C",
        "",
        REPORT_20,
    ),
    (
        CONGRESS,
        M,
        S,
        "从现在起，党的中心任务是团结带领全国各族人民全面建成社会主义现代化强国、实现第二个百年奋斗目标，以（　）全面推进中华民族伟大复兴。",
        ["中国式现代化", "高质量发展", "全面深化改革", "新发展理念"],
        "A",
        "",
        REPORT_20,
    ),
    (
        CONGRESS,
        M,
        S,
        "全面建设社会主义现代化国家的首要任务是（　）。",
        ["高质量发展", "科技自立自强", "共同富裕", "乡村振兴"],
        "A",
        "",
        REPORT_20,
    ),
    (
        CONGRESS,
        H,
        MU,
        "新发展理念包括（　）。",
        ["创新", "协调", "绿色", "开放", "共享", "安全"],
        "ABCDE",
        "",
        REPORT_20,
    ),
    (
        CONGRESS,
        M,
        TF,
        "中国式现代化是人口规模巨大的现代化。",
        [],
        "A",
        "中国式现代化的五个方面的中国特色之一。",
        REPORT_20,
    ),
    (
        THEORY,
        E,
        MU,
        "“四个意识”是指（　）。",
        ["政治意识", "大局意识", "核心意识", "看齐意识"],
        "ABCD",
        "",
        CHARTER_SOURCE,
    ),
    (
        THEORY,
        M,
        MU,
        "“四个自信”是指（　）。",
        ["中国特色社会主义道路自信", "理论自信", "制度自信", "文化自信", "历史自信"],
        "ABCD",
        "",
        CHARTER_SOURCE,
    ),
    (
        THEORY,
        M,
        MU,
        "“五位一体”总体布局包括（　）。",
        ["经济建设", "政治建设", "文化建设", "社会建设", "生态文明建设", "党的建设"],
        "ABCDE",
        "",
        CHARTER_SOURCE,
    ),
    (
        THEORY,
        M,
        S,
        "中国特色社会主义最本质的特征是（　）。",
        ["中国共产党领导", "人民当家作主", "全面依法治国", "公有制为主体"],
        "A",
        "",
        CHARTER_SOURCE,
    ),
    (
        THEORY,
        H,
        S,
        "我国社会主要矛盾已经转化为人民日益增长的（　）需要和不平衡不充分的发展之间的矛盾。",
        ["美好生活", "物质文化", "精神文化", "民主法治"],
        "A",
        "",
        CHARTER_SOURCE,
    ),
    (
        THEORY,
        M,
        F,
        "中国共产党人的初心和使命，就是为中国人民谋幸福，为中华民族谋____。",
        [],
        "复兴",
        "",
        REPORT_20,
    ),
    (
        LIFE,
        E,
        MU,
        "“三会一课”中的“三会”是指（　）。",
        ["支部党员大会", "支部委员会会议", "党小组会", "民主生活会"],
        "ABC",
        "“一课”是按时上好党课。",
        BRANCH_RULES,
    ),
    (
        LIFE,
        M,
        S,
        "支部委员会会议一般每（　）召开1次。",
        ["周", "月", "季度", "半年"],
        "B",
        "",
        BRANCH_RULES,
    ),
    (
        LIFE,
        M,
        S,
        "支部党员大会一般每（　）召开1次。",
        ["月", "季度", "半年", "年"],
        "B",
        "",
        BRANCH_RULES,
    ),
    (LIFE, E, TF, "组织生活会一般每年召开1次。", [], "A", "", BRANCH_RULES),
    (LIFE, M, TF, "民主评议党员一般每年开展1次。", [], "A", "", BRANCH_RULES),
]

CONTEST_TITLE = "学党章、学党史、学习二十大精神知识竞赛"
PERIOD_TITLE_FORMAT = "{year}年度述学评学"
RUBRIC_NAME = "党员述学评议标准"
RUBRIC_CRITERIA = (
    "学习态度 | 优:25, 良:20, 合格:15, 差:5\n"
    "学习内容 | 优:25, 良:20, 合格:15, 差:5\n"
    "学用结合 | 优:25, 良:20, 合格:15, 差:5\n"
    "学习成效 | 优:25, 良:20, 合格:15, 差:5"
)


def _bank(committee: Organisation) -> int:
    existing = set(
        Question.objects.filter(organisation=committee).values_list("current__stem", flat=True)
    )
    added = 0
    for topic, difficulty, kind, stem, options, answer, explanation, source in QUESTIONS:
        if stem in existing:
            continue
        services.question_create(
            organisation=committee,
            topic=topic,
            difficulty=difficulty,
            content=QuestionContent(
                kind=kind,
                stem=stem,
                options=options,
                answer=answer if kind != F else "",
                accepted_answers=answer.split("|") if kind == F else [],
                explanation=explanation,
                source=source,
            ),
        )
        added += 1
    return added


def _contest(committee: Organisation) -> Contest:
    contest = Contest.objects.filter(organisation=committee, title=CONTEST_TITLE).first()
    if contest is not None:
        return contest
    now = timezone.now()
    contest = services.contest_create(
        organisation=committee,
        author=None,
        title=CONTEST_TITLE,
        description="全行党员网上知识竞赛：随机抽取10道题，限时20分钟，可答2次，取最高分。",
        opens_at=now - datetime.timedelta(days=1),
        closes_at=now + datetime.timedelta(days=60),
        time_limit_minutes=20,
        shuffle_options=True,
        attempts_allowed=2,
        counting=Contest.Counting.BEST,
        pass_mark=60,
        reveal=Contest.Reveal.AFTER_SUBMIT,
    )
    for topic, count in ((CHARTER, 3), (HISTORY, 2), (CONGRESS, 2), (THEORY, 2), (LIFE, 1)):
        services.draw_rule_add(
            contest=contest, topic=topic, difficulty=None, count=count, points=10
        )
    return services.contest_publish(contest=contest)


def _attempts(contest: Contest) -> int:
    """A few finished attempts by ordinary demo members (not the demo logins)."""
    if contest.attempts.exists():
        return 0
    memberships = list(
        Membership.objects.filter(
            branch__code__in=["DEMO-B1", "DEMO-B2", "DEMO-B3"], user__username__startswith="m1"
        )
        .select_related("user")
        .order_by("user__username")[:12]
    )
    for n, membership in enumerate(memberships):
        attempt = services.attempt_start(
            contest=contest, user=membership.user, branch_id=membership.branch_id
        )
        for item in attempt.items.select_related("version").order_by("position"):
            version = item.version
            right = n % 4 != 0 and item.position <= 10 - n % 5
            if version.kind == QuestionKind.FILL:
                raw: list[str] = [version.accepted_answers[0] if right else "不知道"]
            elif right:
                raw = list(version.answer)
            else:
                raw = ["A" if version.answer != "A" else "B"]
            services.attempt_answer(
                attempt_id=attempt.pk, user=membership.user, position=item.position, raw=raw
            )
        services.attempt_finish(attempt=attempt)
    return len(memberships)


def _shuxue(committee: Organisation) -> None:
    rubric = Rubric.objects.filter(organisation=committee, name=RUBRIC_NAME).first()
    if rubric is None:
        rubric = services.rubric_create(
            organisation=committee,
            name=RUBRIC_NAME,
            description="党委评议、支部评议、党员互评和本人自评均按此标准打分，按中位数合成。",
            criteria_text=RUBRIC_CRITERIA,
        )
    today = timezone.localdate()
    title = PERIOD_TITLE_FORMAT.format(year=today.year)
    period = ShuxuePeriod.objects.filter(organisation=committee, title=title).first()
    if period is None:
        period = services.period_create(
            organisation=committee,
            title=title,
            year=today.year,
            opens_on=today - datetime.timedelta(days=7),
            closes_on=today + datetime.timedelta(days=60),
            rubric=rubric,
            excellent_from=90,
            good_from=80,
            pass_from=60,
            anonymous_peers=True,
        )
    secretary = User.objects.filter(username="secretary").first()
    if secretary is None or ShuxueReport.objects.filter(period=period, user=secretary).exists():
        return
    membership = Membership.objects.filter(user=secretary).first()
    if membership is None:
        return
    services.report_save(
        period=period,
        user=secretary,
        branch_id=membership.branch_id,
        title=f"{today.year}年度个人述学报告",
        content=(
            "一年来，本人认真学习党的二十大精神和党章党规，按照支部年度学习计划参加集中学习"
            "12次，撰写学习体会4篇，结合业务开展调研1次，形成调研报告1篇。"
            "不足之处是学习的系统性还不够，下一步将制定个人学习计划，做到学用结合。"
        ),
        submit=True,
    )


@transaction.atomic
def seed_demo() -> dict[str, int]:
    committee = Organisation.objects.filter(code="DEMO-C").first()
    if committee is None:
        return {"questions": 0, "attempts": 0}
    added = _bank(committee)
    contest = _contest(committee)
    attempts = _attempts(contest)
    _shuxue(committee)
    return {
        "questions": added,
        "attempts": attempts,
        "finished_attempts": Attempt.objects.filter(contest=contest).finished().count(),
    }
