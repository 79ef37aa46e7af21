"""Question bank .xlsx import and export: all or nothing, bad rows by number, round trip."""

import io

import pytest
from openpyxl import Workbook, load_workbook

from assessment.bankio import COLUMNS, BankImportError, bank_export, bank_import
from assessment.models import Question, QuestionKind


def sheet(*rows, header=COLUMNS) -> io.BytesIO:
    wb = Workbook()
    ws = wb.active
    ws.append(list(header))
    for row in rows:
        ws.append(list(row))
    buffer = io.BytesIO()
    wb.save(buffer)
    buffer.seek(0)
    return buffer


def row(kind, stem, options, answer, difficulty="中", topic="党章", explanation=""):
    opts = list(options) + [""] * (6 - len(options))
    return [kind, stem, *opts, answer, explanation, difficulty, topic]


GOOD = [
    row("单选题", "党的最高理想和最终目标是", ["实现共产主义", "全面小康"], "A"),
    row("多选题", "“四个意识”包括", ["政治意识", "大局意识", "核心意识", "看齐意识"], "A、B、C、D"),
    row("判断题", "党员必须履行义务", [], "正确", "易"),
    row("填空题", "党的根本宗旨是____", [], "全心全意为人民服务|为人民服务", "难"),
]


def test_good_sheet_imports_every_kind(world):
    count = bank_import(file=sheet(*GOOD), organisation=world.committee, author=None)
    assert count == 4
    kinds = {q.current.kind: q.current for q in Question.objects.select_related("current")}
    assert kinds[QuestionKind.MULTIPLE].answer == "ABCD"
    assert kinds[QuestionKind.TRUE_FALSE].answer == "A"
    assert kinds[QuestionKind.FILL].accepted_answers == ["全心全意为人民服务", "为人民服务"]


def test_bad_rows_are_reported_by_number_and_nothing_is_imported(world):
    bad = [
        GOOD[0],
        row("问答题", "什么是党", ["甲", "乙"], "A"),  # row 3: unknown kind
        row("单选题", "题", ["甲", "乙"], "E"),  # row 4: no option E
        row("判断题", "题", [], "也许"),  # row 5: not 正确/错误
        row("单选题", "题", ["甲", "乙"], "A", difficulty="超难", topic=""),  # row 6
    ]
    with pytest.raises(BankImportError) as excinfo:
        bank_import(file=sheet(*bad), organisation=world.committee, author=None)
    rows = sorted({e.row for e in excinfo.value.errors})
    assert rows == [3, 4, 5, 6]
    assert len([e for e in excinfo.value.errors if e.row == 6]) == 2
    assert Question.objects.count() == 0


def test_missing_column_is_reported(world):
    with pytest.raises(BankImportError) as excinfo:
        bank_import(file=sheet(header=("题型", "题干")), organisation=world.committee, author=None)
    assert "答案" in str(excinfo.value.errors[0])


def test_not_a_workbook_is_reported(world):
    with pytest.raises(BankImportError):
        bank_import(file=io.BytesIO(b"not a zip"), organisation=world.committee, author=None)


def test_export_imports_back(world):
    bank_import(file=sheet(*GOOD), organisation=world.committee, author=None)
    data = bank_export(Question.objects.order_by("pk"))
    exported = load_workbook(io.BytesIO(data)).active
    assert [c.value for c in exported[1]][: len(COLUMNS)] == list(COLUMNS)
    count = bank_import(file=io.BytesIO(data), organisation=world.sibling_branch, author=None)
    assert count == 4
    first = Question.objects.filter(organisation=world.committee).order_by("pk")
    second = Question.objects.filter(organisation=world.sibling_branch).order_by("pk")
    assert [
        (q.current.kind, q.current.stem, q.current.answer, q.current.accepted_answers)
        for q in first
    ] == [
        (q.current.kind, q.current.stem, q.current.answer, q.current.accepted_answers)
        for q in second
    ]
