"""Benchmarks of the 考学评学 scorecards at province scale (``manage.py benchmark``): the
quarter's build, the quarterly report and the committee's table (the same services as the
Celery tasks)."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from bench.pages import time_page
from portal.bench import Timer, benchmark, province_committee


@benchmark("scorecard table, 1,000 branches, province committee (page)", target="< 300 ms")
def table_page() -> dict[str, Any]:
    _root, user = province_committee()
    return time_page(user, "/scorecards/")


@benchmark("scorecards: build all for a quarter (1,000 branches)", target="< 60 s")
def scorecards_build() -> dict[str, Any]:
    from scorecards.quarters import Quarter
    from scorecards.services import scorecard_build_request, scorecard_build_run

    root, _user = province_committee()
    period = Quarter.current().previous()
    figures: dict[str, Any] = {"quarter": period.code}
    for run in (1, 2):
        with CaptureQueriesContext(connection) as queries, Timer() as timer:
            build = scorecard_build_request(committee=root, period=period)
            build = scorecard_build_run(build_id=build.pk)
        label = "first" if run == 1 else "again"
        figures[f"{label} s"] = round(timer.seconds, 1)
        figures[f"{label} queries"] = len(queries)
        figures["status"] = build.status
    figures["peak MB"] = round(timer.peak_mb)
    return figures


@benchmark("scorecards: quarterly evaluation report (data + .xlsx + .docx)", target="< 120 s")
def quarterly_report() -> dict[str, Any]:
    from scorecards.quarters import Quarter
    from scorecards.reports import report_docx, report_xlsx
    from scorecards.selectors import report_data

    root, _user = province_committee()
    period = Quarter.current().previous()
    with translation.override(settings.LANGUAGE_CODE):
        with CaptureQueriesContext(connection) as queries, Timer() as data_timer:
            data = report_data(root, period)
        with Timer() as xlsx_timer:
            xlsx = report_xlsx(data)
        with Timer() as docx_timer:
            docx = report_docx(data)
    return {
        "quarter": period.code,
        "data s": round(data_timer.seconds, 1),
        "queries": len(queries),
        "xlsx s": round(xlsx_timer.seconds, 1),
        "docx s": round(docx_timer.seconds, 1),
        "total s": round(data_timer.seconds + xlsx_timer.seconds + docx_timer.seconds, 1),
        "xlsx KB": len(xlsx) // 1024,
        "docx KB": len(docx) // 1024,
        "peak MB": round(docx_timer.peak_mb),
        "at": datetime.datetime.now().isoformat(timespec="seconds"),
    }
