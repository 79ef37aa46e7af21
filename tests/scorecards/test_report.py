"""The quarterly evaluation report: a row with a status, ready only once its files exist."""

import io
import zipfile

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse

from portal.models import Notification
from scorecards.models import EvaluationReport
from scorecards.services import (
    report_build,
    report_request,
    scorecard_build_request,
    scorecard_build_run,
)
from tests.scorecards.conftest import Q3, innovation, inspect, small_set

pytestmark = pytest.mark.django_db


@pytest.fixture
def scored(world, many_branches):
    small_set(world.committee)
    inspect(world.committee, world.branch, world.committee_user, 8)
    from scorecards.models import Inspection

    Inspection.objects.update(problems="学习记录不完整")
    innovation(world.sibling_branch, world.other_secretary, 70)
    scorecard_build_run(build_id=scorecard_build_request(committee=world.committee, period=Q3).pk)
    return world


def test_the_report_is_written_then_marked_ready_and_the_committee_is_told(
    scored, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        report = report_request(committee=scored.committee, period=Q3, user=scored.committee_user)
    report.refresh_from_db()
    assert report.status == "ready"
    assert default_storage.exists(report.xlsx.name) and default_storage.exists(report.docx.name)
    note = Notification.objects.get(recipient=scored.committee_user, kind="scorecards.report_ready")
    assert note.url == reverse("scorecards:report", args=[report.pk])


def test_the_spreadsheet_has_every_branch_and_charts(scored, django_capture_on_commit_callbacks):
    from openpyxl import load_workbook

    with django_capture_on_commit_callbacks(execute=True):
        report = report_request(committee=scored.committee, period=Q3, user=scored.committee_user)
    report.refresh_from_db()
    content = default_storage.open(report.xlsx.name).read()
    workbook = load_workbook(io.BytesIO(content))
    assert len(workbook.worksheets) == 4
    branches = workbook.worksheets[1]
    assert branches.max_row == 13 and branches.cell(row=2, column=2).value == "第一党支部"
    assert "学习记录不完整" in [c.value for c in workbook.worksheets[2]["D"]]
    charts = [n for n in zipfile.ZipFile(io.BytesIO(content)).namelist() if "charts/chart" in n]
    assert len(charts) == 3  # distribution, trend, strongest/weakest radar


def test_the_document_sets_an_east_asian_font_and_has_chart_images(
    scored, django_capture_on_commit_callbacks
):
    from docx import Document

    with django_capture_on_commit_callbacks(execute=True):
        report = report_request(committee=scored.committee, period=Q3, user=scored.committee_user)
    report.refresh_from_db()
    content = default_storage.open(report.docx.name).read()
    document = Document(io.BytesIO(content))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "示范党委" in text and "学习记录不完整" in text
    xml = zipfile.ZipFile(io.BytesIO(content)).read("word/document.xml").decode()
    assert 'w:eastAsia="SimSun"' in xml
    images = [
        n for n in zipfile.ZipFile(io.BytesIO(content)).namelist() if n.startswith("word/media/")
    ]
    assert len(images) == 3
    assert document.tables[0].rows[1].cells[1].text == "第一党支部"


def test_a_failed_write_leaves_the_report_failed_not_ready(scored, monkeypatch):
    report = EvaluationReport.objects.create(committee=scored.committee, year=2026, quarter=3)

    def broken(data):
        raise OSError("disk full")

    monkeypatch.setattr("scorecards.reports.report_docx", broken)
    with pytest.raises(OSError):
        report_build(report_id=report.pk)
    report.refresh_from_db()
    assert report.status == "failed" and "disk full" in report.error
    assert not report.xlsx and not report.docx


def test_a_report_being_written_is_not_claimed_twice(scored):
    report = EvaluationReport.objects.create(committee=scored.committee, year=2026, quarter=3)
    from scorecards.services import report_claim

    assert report_claim(report_id=report.pk) is True
    assert report_claim(report_id=report.pk) is False
    assert report_build(report_id=report.pk) is None  # a second worker leaves it alone


def test_the_database_refuses_a_ready_report_without_files(scored):
    from django.db import IntegrityError

    with pytest.raises(IntegrityError):
        EvaluationReport.objects.create(
            committee=scored.committee, year=2026, quarter=3, status="ready"
        )


def test_pages_download_and_outsider(as_user, scored, django_capture_on_commit_callbacks):
    client = as_user(scored.committee_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("scorecards:report_request"),
            {"committee": scored.committee.pk, "quarter": "2026-Q3"},
        )
    report = EvaluationReport.objects.get()
    assert response["Location"] == reverse("scorecards:report", args=[report.pk])
    assert (
        client.get(reverse("scorecards:reports"), {"committee": scored.committee.pk}).status_code
        == 200
    )
    page = client.get(reverse("scorecards:report", args=[report.pk]))
    assert 'data-testid="download-docx"' in page.content.decode()
    download = client.get(reverse("scorecards:report_download", args=[report.pk, "docx"]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content)[:2] == b"PK"
    assert (
        client.get(reverse("scorecards:report_download", args=[report.pk, "pdf"])).status_code
        == 404
    )
    assert (
        client.get(reverse("scorecards:report_status", args=[report.pk])).json()["status"]
        == "ready"
    )
    outsider = as_user(scored.outsider)
    for name, args in [
        ("scorecards:report", [report.pk]),
        ("scorecards:report_status", [report.pk]),
        ("scorecards:report_download", [report.pk, "xlsx"]),
    ]:
        assert outsider.get(reverse(name, args=args)).status_code == 404
    assert (
        outsider.post(
            reverse("scorecards:report_request"), {"committee": scored.committee.pk}
        ).status_code
        == 404
    )
    assert (
        outsider.get(reverse("scorecards:reports"), {"committee": scored.committee.pk}).status_code
        == 404
    )
