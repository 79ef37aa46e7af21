"""The question bank as the .xlsx sheet branches pass around.

Columns: 题型, 题干, 选项A … 选项F, 答案, 解析, 难度, 专题 (and optionally 来源).
Import is all or nothing: every bad row is reported with its row number and reason, and
if any row is bad nothing is written. The export writes the same format, so an exported
bank imports back.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import IO, Any

from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from assessment.models import LETTERS, Difficulty, Question, QuestionKind, QuestionVersion
from assessment.services import QuestionContent, _normalised_content, check_content
from portal.models import Organisation, User
from portal.spreadsheets import RowError, SheetImportError
from portal.spreadsheets import read_sheet as read_spreadsheet
from portal.spreadsheets import text as _text

OPTION_COLUMNS = tuple(f"选项{letter}" for letter in LETTERS)
COLUMNS = ("题型", "题干", *OPTION_COLUMNS, "答案", "解析", "难度", "专题")
OPTIONAL_COLUMNS = ("来源",)

KINDS = {
    "单选": QuestionKind.SINGLE,
    "单选题": QuestionKind.SINGLE,
    "单项选择题": QuestionKind.SINGLE,
    "多选": QuestionKind.MULTIPLE,
    "多选题": QuestionKind.MULTIPLE,
    "多项选择题": QuestionKind.MULTIPLE,
    "判断": QuestionKind.TRUE_FALSE,
    "判断题": QuestionKind.TRUE_FALSE,
    "填空": QuestionKind.FILL,
    "填空题": QuestionKind.FILL,
}
KIND_NAMES = {
    QuestionKind.SINGLE: "单选题",
    QuestionKind.MULTIPLE: "多选题",
    QuestionKind.TRUE_FALSE: "判断题",
    QuestionKind.FILL: "填空题",
}
DIFFICULTIES = {
    "易": Difficulty.EASY,
    "简单": Difficulty.EASY,
    "容易": Difficulty.EASY,
    "1": Difficulty.EASY,
    "中": Difficulty.MEDIUM,
    "中等": Difficulty.MEDIUM,
    "一般": Difficulty.MEDIUM,
    "2": Difficulty.MEDIUM,
    "难": Difficulty.HARD,
    "困难": Difficulty.HARD,
    "较难": Difficulty.HARD,
    "3": Difficulty.HARD,
}
DIFFICULTY_NAMES = {Difficulty.EASY: "易", Difficulty.MEDIUM: "中", Difficulty.HARD: "难"}
TRUE_WORDS = {"正确", "对", "是", "√", "✓", "T", "TRUE", "Y", "A"}
FALSE_WORDS = {"错误", "错", "否", "×", "✗", "X", "F", "FALSE", "N", "B"}
ACCEPTED_SEPARATORS = re.compile(r"[|｜;；]")


class BankImportError(SheetImportError):
    pass


@dataclass
class BankRow:
    row: int
    topic: str
    difficulty: int
    content: QuestionContent


def read_sheet(file: IO[bytes]) -> list[tuple[int, dict[str, Any]]]:
    """The bank's data rows; raises :class:`BankImportError` for a bad file."""
    required = ("题型", "题干", "选项A", "选项B", "答案", "难度", "专题")
    optional = [c for c in (*COLUMNS, *OPTIONAL_COLUMNS) if c not in required]
    return read_spreadsheet(file, required=required, optional=optional, error=BankImportError)


def _answer_letters(kind: str, text: str) -> str:
    if kind == QuestionKind.TRUE_FALSE:
        word = text.upper()
        if word in TRUE_WORDS:
            return "A"
        if word in FALSE_WORDS:
            return "B"
        return ""
    return re.sub(r"[\s,，、;；]", "", text).upper()


def validate_rows(rows: list[tuple[int, dict[str, Any]]]) -> tuple[list[BankRow], list[RowError]]:
    valid: list[BankRow] = []
    errors: list[RowError] = []
    for number, cells in rows:
        problems: list[str] = []
        kind_text = _text(cells.get("题型"))
        kind = KINDS.get(kind_text)
        if kind is None:
            problems.append(
                _("题型 must be 单选题, 多选题, 判断题 or 填空题, not “%(value)s”.")
                % {"value": kind_text}
            )
        difficulty_text = _text(cells.get("难度")) or "中"
        difficulty = DIFFICULTIES.get(difficulty_text)
        if difficulty is None:
            problems.append(
                _("难度 must be 易, 中 or 难, not “%(value)s”.") % {"value": difficulty_text}
            )
        topic = _text(cells.get("专题"))
        if not topic:
            problems.append(_("专题 is empty."))
        elif len(topic) > 100:
            problems.append(_("专题 is longer than 100 characters."))
        answer_text = _text(cells.get("答案"))
        if kind is not None:
            options = [_text(cells.get(c)) for c in OPTION_COLUMNS]
            content = QuestionContent(
                kind=kind,
                stem=_text(cells.get("题干")),
                options=options,
                answer=_answer_letters(kind, answer_text) if kind != QuestionKind.FILL else "",
                accepted_answers=(
                    [a.strip() for a in ACCEPTED_SEPARATORS.split(answer_text)]
                    if kind == QuestionKind.FILL
                    else []
                ),
                explanation=_text(cells.get("解析")),
                source=_text(cells.get("来源"))[:200],
            )
            content = _normalised_content(content)
            if kind == QuestionKind.TRUE_FALSE and not content.answer:
                problems.append(
                    _("答案 of a 判断题 must be 正确 or 错误, not “%(value)s”.")
                    % {"value": answer_text}
                )
            else:
                problems.extend(check_content(content))
        if problems:
            errors.extend(RowError(number, p) for p in problems)
            continue
        assert kind is not None and difficulty is not None
        valid.append(BankRow(row=number, topic=topic, difficulty=difficulty, content=content))
    if not rows:
        errors.append(RowError(2, _("The sheet has no questions.")))
    return valid, errors


@transaction.atomic
def bank_import(*, file: IO[bytes], organisation: Organisation, author: User | None) -> int:
    """Import every row as a new question, all or nothing. Raises :class:`BankImportError`."""
    rows, errors = validate_rows(read_sheet(file))
    if errors:
        raise BankImportError(errors)
    questions = Question.objects.bulk_create(
        Question(organisation=organisation, topic=r.topic, difficulty=r.difficulty) for r in rows
    )
    if questions and questions[0].pk is None:  # backends without RETURNING
        questions = list(Question.objects.filter(organisation=organisation).order_by("-pk"))[
            : len(rows)
        ][::-1]
    versions = QuestionVersion.objects.bulk_create(
        QuestionVersion(question=q, number=1, created_by=author, **r.content.__dict__)
        for q, r in zip(questions, rows, strict=True)
    )
    for question, version in zip(questions, versions, strict=True):
        question.current = version
    Question.objects.bulk_update(questions, ["current"])
    return len(rows)


def bank_rows(questions: Iterable[Question]) -> Iterable[list[Any]]:
    for q in questions:
        v = q.current
        if v is None:
            continue
        options = list(v.options) + [""] * (len(LETTERS) - len(v.options))
        if v.kind == QuestionKind.TRUE_FALSE:
            options = [""] * len(LETTERS)
            answer = "正确" if v.answer == "A" else "错误"
        elif v.kind == QuestionKind.FILL:
            answer = "|".join(v.accepted_answers)
        else:
            answer = v.answer
        yield [
            KIND_NAMES[QuestionKind(v.kind)],
            v.stem,
            *options,
            answer,
            v.explanation,
            DIFFICULTY_NAMES[Difficulty(q.difficulty)],
            q.topic,
            v.source,
        ]


def bank_export(questions: Any) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "题库"
    sheet.append([*COLUMNS, *OPTIONAL_COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in bank_rows(questions.select_related("current")):
        sheet.append(row)
    sheet.column_dimensions["B"].width = 60
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
