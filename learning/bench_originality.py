"""Benchmark (not a test): time per originality check with N reflections already stored.

    DJANGO_SETTINGS_MODULE=portal.settings_test .venv/bin/python -m learning.bench_originality [N] [checks]

It builds a throw-away test database (in-memory SQLite by default; with DATABASE_URL set,
a ``test_…`` database on that server), stores N reflections (100,000 by default) with their
LSH band keys computed by the real code, then submits ``checks`` new reflections — half of
them copying 60 % of a stored one — through ``reflection_check_originality`` and reports the
time per check. The stored texts are synthetic: random runs of characters drawn with the
frequencies of real Party-study prose, sprinkled with the stock phrases every reflection
shares, so that candidate lookups see realistic noise.
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import time


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings_test")
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import setup_test_environment

    total = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    checks = int(sys.argv[2]) if len(sys.argv) > 2 else 200
    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        run(total, checks)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


SOURCE = (
    "通过学习党的二十大报告我深刻认识到中国式现代化是人口规模巨大的现代化是全体人民共同富裕的现代化"
    "作为一名基层央行的党员我要立足岗位把学习成果转化为推动金融服务实体经济的实际行动在支付结算国库管理"
    "和金融稳定工作中践行为民服务的初心切实提升履职能力结合本科室的工作实际今年重点做好优化窗口办事流程"
    "加强对县域小微企业的走访组织青年同志开展业务练兵让大家在实干中增长才干读了报告后最大的感受是使命光荣"
    "责任重大坚持以人民为中心的发展思想多下基层多听群众意见把征信服务送到田间地头让农户贷款少跑腿"
    "理论武装不能停每天早上半小时固定为自学时间把学习心得和科室同事交流用学习推动预算管理更加规范"
)
STOCK = [
    "习近平新时代中国特色社会主义思想",
    "党的二十大精神",
    "不忘初心牢记使命",
    "学思践悟",
    "学用结合",
]


def synthetic_text(rng: random.Random, length: int = 260) -> str:
    parts: list[str] = []
    size = 0
    while size < length:
        if rng.random() < 0.08:
            piece = rng.choice(STOCK)
        else:
            piece = "".join(rng.choice(SOURCE) for _ in range(rng.randint(6, 18))) + "，"
        parts.append(piece)
        size += len(piece)
    return "".join(parts) + "。"


def run(total: int, checks: int) -> None:
    from django.db import transaction

    from learning import originality
    from learning.models import Reflection, ReflectionBand
    from learning.services import reflection_check_originality
    from portal.models import Membership, Organisation, User
    from portal.services import organisation_create

    rng = random.Random(7)  # noqa: S311 - reproducible synthetic data
    top = organisation_create(name="基准党委", kind=Organisation.Kind.COMMITTEE, parent=None)
    branch = organisation_create(name="基准党支部", kind=Organisation.Kind.BRANCH, parent=top)
    authors = User.objects.bulk_create(
        User(username=f"bench{n}", name=f"党员{n}") for n in range(200)
    )
    Membership.objects.bulk_create(Membership(user=a, branch=branch) for a in authors)

    print(f"storing {total:,} reflections with {originality.BANDS} band keys each …", flush=True)
    started = time.perf_counter()
    stored_texts: list[str] = []
    batch = 2000
    for offset in range(0, total, batch):
        texts = [synthetic_text(rng) for _ in range(min(batch, total - offset))]
        with transaction.atomic():
            rows = Reflection.objects.bulk_create(
                Reflection(
                    author=authors[(offset + i) % len(authors)],
                    organisation=branch,
                    title=f"体会{offset + i}",
                    body=f"<p>{t}</p>",
                    body_text=t,
                    status=Reflection.Status.SUBMITTED,
                )
                for i, t in enumerate(texts)
            )
            bands: list[ReflectionBand] = []
            for reflection, text in zip(rows, texts, strict=True):
                sig = originality.signature(originality.shingles(originality.normalise(text)[0]))
                bands.extend(
                    ReflectionBand(reflection=reflection, key=k) for k in originality.band_keys(sig)
                )
            ReflectionBand.objects.bulk_create(bands, batch_size=10_000)
        if len(stored_texts) < 1000:
            stored_texts.extend(texts[: 1000 - len(stored_texts)])
        if (offset // batch) % 10 == 0:
            print(
                f"  {offset + len(texts):,} stored ({time.perf_counter() - started:.0f} s)",
                flush=True,
            )
    print(
        f"stored in {time.perf_counter() - started:.0f} s; band rows: {ReflectionBand.objects.count():,}"
    )

    timings: list[float] = []
    lookups: list[float] = []
    flagged_copies = flagged_originals = 0
    for n in range(checks):
        copy = n % 2 == 0
        if copy:
            source = rng.choice(stored_texts)
            cut = int(len(source) * 0.6)
            text = source[:cut] + synthetic_text(rng, len(source) - cut)
        else:
            text = synthetic_text(rng)
        reflection = Reflection.objects.create(
            author=authors[n % len(authors)],
            organisation=branch,
            title=f"新体会{n}",
            body=f"<p>{text}</p>",
            body_text=text,
            status=Reflection.Status.SUBMITTED,
        )
        t0 = time.perf_counter()
        with transaction.atomic():
            reflection_check_originality(reflection=reflection)
        timings.append(time.perf_counter() - t0)
        keys = originality.band_keys(
            originality.signature(originality.shingles(originality.normalise(text)[0]))
        )
        t1 = time.perf_counter()
        originality.candidates(keys, exclude_pk=reflection.pk)
        lookups.append(time.perf_counter() - t1)
        if reflection.originality_flagged:
            if copy:
                flagged_copies += 1
            else:
                flagged_originals += 1

    def ms(values: list[float], q: float) -> float:
        return sorted(values)[min(len(values) - 1, int(q * len(values)))] * 1000

    print(
        f"{checks} checks with {total:,} stored: median {statistics.median(timings) * 1000:.1f} ms, "
        f"p95 {ms(timings, 0.95):.1f} ms per check; candidate lookup alone median "
        f"{statistics.median(lookups) * 1000:.1f} ms"
    )
    print(
        f"60 % copies flagged: {flagged_copies}/{checks - checks // 2}; independent flagged: {flagged_originals}/{checks // 2}"
    )


if __name__ == "__main__":
    main()
