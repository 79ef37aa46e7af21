"""The quarterly evaluation report as .xlsx (openpyxl, native charts) and .docx (python-docx,
charts drawn by matplotlib as PNG with a CJK font so Chinese reads)."""

from __future__ import annotations

import io
import logging
from pathlib import Path
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.chart import BarChart, LineChart, RadarChart, Reference
from openpyxl.styles import Alignment, Font, PatternFill

from scorecards.models import DIMENSION_FIELDS, Dimension
from scorecards.selectors import ReportData, TableRow

logger = logging.getLogger(__name__)

CJK_FONT_FILES = [
    Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),
    Path("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc"),
    Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"),
    Path("/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf"),
]
EAST_ASIA_FONT = "SimSun"  # what Word on a Chinese desktop has; Noto CJK elsewhere
HEADER_FILL = PatternFill("solid", fgColor="C00000")


def _header(sheet: Any, row: int, values: list[str]) -> None:
    for column, value in enumerate(values, start=1):
        cell = sheet.cell(row=row, column=column, value=value)
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)


def _dimension_labels() -> list[str]:
    return [str(d.label) for d in Dimension]


def table_xlsx(rows: list[TableRow]) -> bytes:
    """The committee's table as a sheet: the same columns as the page."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = _("Scorecards")
    _header(
        sheet,
        1,
        [
            _("Rank"),
            _("Branch"),
            *_dimension_labels(),
            _("Total"),
            _("Maximum"),
            _("Change from last quarter"),
            _("State"),
        ],
    )
    for n, row in enumerate(rows, start=2):
        s = row.scorecard
        sheet.append(
            [
                row.rank,
                s.branch.name,
                *[float(getattr(s, DIMENSION_FIELDS[d])) for d in Dimension],
                float(s.total),
                float(s.max_total),
                float(s.change) if s.change is not None else None,
                s.get_state_display(),
            ]
        )
        del n
    sheet.column_dimensions["B"].width = 30
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def report_xlsx(data: ReportData) -> bytes:
    workbook = Workbook()
    summary = workbook.active
    assert summary is not None
    summary.title = _("Summary")
    summary["A1"] = _("%(committee)s quarterly study evaluation report, %(quarter)s") % {
        "committee": data.committee.name,
        "quarter": data.period.label,
    }
    summary["A1"].font = Font(bold=True, size=14)
    facts = [
        (_("Branches"), data.branch_total),
        (_("Branches scored"), len(data.rows)),
        (_("Confirmed scorecards"), data.confirmed),
        (_("Average total"), round(data.average, 2)),
        (_("Strongest branch"), data.strongest.branch.name if data.strongest else "—"),
        (_("Weakest branch"), data.weakest.branch.name if data.weakest else "—"),
        (_("Written at"), timezone.localtime().strftime("%Y-%m-%d %H:%M")),
    ]
    for n, (label, value) in enumerate(facts, start=3):
        summary.cell(row=n, column=1, value=label).font = Font(bold=True)
        summary.cell(row=n, column=2, value=value)
    summary.column_dimensions["A"].width = 22
    summary.column_dimensions["B"].width = 36

    # Distribution and trend tables with their charts.
    top = len(facts) + 5
    _header(summary, top, [_("Share of maximum"), _("Branches")])
    for n, (label, count) in enumerate(data.distribution, start=top + 1):
        summary.cell(row=n, column=1, value=label)
        summary.cell(row=n, column=2, value=count)
    bar = BarChart()
    bar.title = _("Distribution of totals")
    bar.y_axis.title = _("Branches")
    bar.add_data(
        Reference(summary, min_col=2, min_row=top, max_row=top + len(data.distribution)),
        titles_from_data=True,
    )
    bar.set_categories(
        Reference(summary, min_col=1, min_row=top + 1, max_row=top + len(data.distribution))
    )
    summary.add_chart(bar, "D3")

    trend_top = top + len(data.distribution) + 3
    _header(summary, trend_top, [_("Quarter"), _("Average share of maximum (%)")])
    for n, (label, value) in enumerate(data.trend, start=trend_top + 1):
        summary.cell(row=n, column=1, value=label)
        summary.cell(row=n, column=2, value=value)
    line = LineChart()
    line.title = _("Trend over quarters")
    line.add_data(
        Reference(summary, min_col=2, min_row=trend_top, max_row=trend_top + len(data.trend)),
        titles_from_data=True,
    )
    line.set_categories(
        Reference(summary, min_col=1, min_row=trend_top + 1, max_row=trend_top + len(data.trend))
    )
    summary.add_chart(line, "D20")

    radar_top = trend_top + len(data.trend) + 3
    if data.strongest and data.weakest:
        _header(
            summary,
            radar_top,
            [_("Dimension"), data.strongest.branch.name, data.weakest.branch.name],
        )
        strongest, weakest = data.radar(data.strongest), data.radar(data.weakest)
        for n, label in enumerate(_dimension_labels()):
            summary.cell(row=radar_top + 1 + n, column=1, value=label)
            summary.cell(row=radar_top + 1 + n, column=2, value=strongest[n])
            summary.cell(row=radar_top + 1 + n, column=3, value=weakest[n])
        radar = RadarChart()
        radar.title = _("Strongest and weakest branch (share of each dimension)")
        radar.add_data(
            Reference(summary, min_col=2, max_col=3, min_row=radar_top, max_row=radar_top + 4),
            titles_from_data=True,
        )
        radar.set_categories(
            Reference(summary, min_col=1, min_row=radar_top + 1, max_row=radar_top + 4)
        )
        summary.add_chart(radar, "D37")

    table = workbook.create_sheet(_("Branches"))
    _header(
        table,
        1,
        [_("Rank"), _("Branch"), *_dimension_labels(), _("Total"), _("Change"), _("State")],
    )
    for rank, s in data.rows:
        table.append(
            [
                rank,
                s.branch.name,
                *[float(getattr(s, DIMENSION_FIELDS[d])) for d in Dimension],
                float(s.total),
                float(s.change) if s.change is not None else None,
                s.get_state_display(),
            ]
        )
    table.column_dimensions["B"].width = 30
    table.freeze_panes = "C2"

    problems = workbook.create_sheet(_("Problems found"))
    _header(problems, 1, [_("Branch"), _("Date"), _("Method"), _("Problems found")])
    for inspection in data.problems:
        problems.append(
            [
                inspection.branch.name,
                inspection.visited_on,
                inspection.get_method_display(),
                inspection.problems,
            ]
        )
    problems.column_dimensions["A"].width = 28
    problems.column_dimensions["D"].width = 80

    awards = workbook.create_sheet(_("Commendations"))
    _header(awards, 1, [_("Commendation"), _("Recipient"), _("Reason"), _("Status")])
    for c in data.commendations:
        awards.append(
            [
                c.get_kind_display(),
                c.organisation.name if c.organisation else str(c.user),
                c.reason,
                c.get_status_display(),
            ]
        )
    awards.column_dimensions["B"].width = 28
    awards.column_dimensions["C"].width = 50
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- charts as images ---------------------------------------------------------------------------


def _cjk_font() -> Any:
    """A FontProperties with a CJK font if one is installed, else None (text may show boxes)."""
    from matplotlib import font_manager

    for path in CJK_FONT_FILES:
        if path.exists():
            font_manager.fontManager.addfont(str(path))
            return font_manager.FontProperties(fname=str(path))
    logger.warning("no CJK font found: report charts fall back to the default font")
    return None


def _png(figure: Any) -> io.BytesIO:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=150, bbox_inches="tight")
    buffer.seek(0)
    return buffer


def report_charts(data: ReportData) -> list[tuple[str, io.BytesIO]]:
    """(caption, PNG) for the distribution, the strongest/weakest radar and the trend."""
    import matplotlib

    matplotlib.use("Agg")
    import math

    import matplotlib.pyplot as plt

    font = _cjk_font()
    kwargs = {"fontproperties": font} if font else {}
    charts: list[tuple[str, io.BytesIO]] = []

    figure, axes = plt.subplots(figsize=(6, 3))
    labels = [label for label, _count in data.distribution]
    axes.bar(labels, [count for _label, count in data.distribution], color="#c00000")
    axes.set_ylabel(_("Branches"), **kwargs)
    axes.set_title(_("Distribution of totals"), **kwargs)
    charts.append((_("Distribution of totals"), _png(figure)))
    plt.close(figure)

    if data.strongest and data.weakest:
        names = _dimension_labels()
        angles = [n * 2 * math.pi / len(names) for n in range(len(names))]
        figure = plt.figure(figsize=(5, 5))
        axes = figure.add_subplot(polar=True)
        for card, colour in ((data.strongest, "#c00000"), (data.weakest, "#1f4e79")):
            values = data.radar(card)
            axes.plot(
                [*angles, angles[0]], [*values, values[0]], color=colour, label=card.branch.name
            )
            axes.fill([*angles, angles[0]], [*values, values[0]], color=colour, alpha=0.15)
        axes.set_xticks(angles)
        axes.set_xticklabels(names, **kwargs)
        axes.set_ylim(0, 100)
        legend = axes.legend(loc="upper right", bbox_to_anchor=(1.3, 1.1), prop=font)
        del legend
        caption = _("Strongest and weakest branch (share of each dimension)")
        axes.set_title(caption, pad=24, **kwargs)
        charts.append((caption, _png(figure)))
        plt.close(figure)

    figure, axes = plt.subplots(figsize=(6, 3))
    axes.plot(
        [label for label, _v in data.trend],
        [v for _l, v in data.trend],
        marker="o",
        color="#c00000",
    )
    axes.set_ylim(0, 100)
    axes.set_ylabel(_("Average share of maximum (%)"), **kwargs)
    axes.set_title(_("Trend over quarters"), **kwargs)
    for tick in axes.get_xticklabels():
        if font:
            tick.set_fontproperties(font)
    charts.append((_("Trend over quarters"), _png(figure)))
    plt.close(figure)
    return charts


def _east_asian(run: Any, name: str = EAST_ASIA_FONT) -> None:
    from docx.oxml.ns import qn

    run.font.name = name
    properties = run._element.get_or_add_rPr()
    fonts = properties.find(qn("w:rFonts"))
    if fonts is None:
        fonts = properties.makeelement(qn("w:rFonts"), {})
        properties.append(fonts)
    fonts.set(qn("w:eastAsia"), name)


def report_docx(data: ReportData) -> bytes:
    from docx import Document
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    document = Document()
    # Every style's East-Asian font, so Chinese renders in Word and WPS alike.
    for style in document.styles:
        element = getattr(style, "element", None)
        if element is None or not hasattr(style, "font"):
            continue
        style.font.name = EAST_ASIA_FONT
        properties = element.get_or_add_rPr()
        fonts = properties.find(qn("w:rFonts"))
        if fonts is None:
            fonts = properties.makeelement(qn("w:rFonts"), {})
            properties.append(fonts)
        fonts.set(qn("w:eastAsia"), EAST_ASIA_FONT)
    document.styles["Normal"].font.size = Pt(11)

    title = document.add_heading(level=0)
    _east_asian(
        title.add_run(
            _("%(committee)s quarterly study evaluation report, %(quarter)s")
            % {"committee": data.committee.name, "quarter": data.period.label}
        )
    )

    document.add_heading(_("Summary"), level=1)
    summary = _(
        "%(scored)d of %(total)d branches were scored this quarter (%(confirmed)d confirmed); "
        "the average total was %(average).1f."
    ) % {
        "scored": len(data.rows),
        "total": data.branch_total,
        "confirmed": data.confirmed,
        "average": data.average,
    }
    if data.strongest and data.weakest:
        summary += " " + _(
            "Highest: %(best)s (%(best_total)s); lowest: %(worst)s (%(worst_total)s)."
        ) % {
            "best": data.strongest.branch.name,
            "best_total": data.strongest.total,
            "worst": data.weakest.branch.name,
            "worst_total": data.weakest.total,
        }
    _east_asian(document.add_paragraph().add_run(summary))

    document.add_heading(_("Scores of all branches"), level=1)
    headers = [_("Rank"), _("Branch"), *_dimension_labels(), _("Total"), _("Change")]
    table = document.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, headers, strict=True):
        cell.text = ""
        run = cell.paragraphs[0].add_run(text)
        run.bold = True
        _east_asian(run)
    for rank, s in data.rows:
        cells = table.add_row().cells
        values = [
            str(rank),
            s.branch.name,
            *[str(getattr(s, DIMENSION_FIELDS[d])) for d in Dimension],
            str(s.total),
            f"{s.change:+}" if s.change is not None else "—",
        ]
        for cell, text in zip(cells, values, strict=True):
            _east_asian(cell.paragraphs[0].add_run(text))

    document.add_heading(_("Charts"), level=1)
    for caption, png in report_charts(data):
        document.add_picture(png, width=Cm(14))
        _east_asian(document.add_paragraph().add_run(caption))

    document.add_heading(_("Problems found in inspections"), level=1)
    if not data.problems:
        _east_asian(document.add_paragraph().add_run(_("No problems were recorded.")))
    for inspection in data.problems:
        paragraph = document.add_paragraph(style="List Bullet")
        _east_asian(
            paragraph.add_run(
                f"{inspection.branch.name}（{inspection.visited_on:%Y-%m-%d}，"
                f"{inspection.get_method_display()}）：{inspection.problems}"
            )
        )

    document.add_heading(_("Proposed commendations"), level=1)
    if not data.commendations:
        _east_asian(document.add_paragraph().add_run(_("None this quarter.")))
    for c in data.commendations:
        paragraph = document.add_paragraph(style="List Bullet")
        recipient = c.organisation.name if c.organisation else str(c.user)
        _east_asian(
            paragraph.add_run(
                f"{c.get_kind_display()}：{recipient}（{c.reason}，{c.get_status_display()}）"
            )
        )
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
