import datetime

from scorecards.quarters import Quarter


def test_quarter_of_a_day_and_its_bounds():
    q = Quarter.of(datetime.date(2026, 11, 28))
    assert q == Quarter(2026, 4)
    assert q.start == datetime.date(2026, 10, 1)
    assert q.end == datetime.date(2026, 12, 31)
    assert q.months == [10, 11, 12]


def test_previous_and_next_cross_the_year():
    assert Quarter(2026, 1).previous() == Quarter(2025, 4)
    assert Quarter(2025, 4).next() == Quarter(2026, 1)
    assert Quarter(2026, 2).back(3) == [Quarter(2025, 4), Quarter(2026, 1), Quarter(2026, 2)]


def test_parse_accepts_codes_and_falls_back_on_nonsense():
    fallback = Quarter(2020, 1)
    assert Quarter.parse("2026-Q3", fallback) == Quarter(2026, 3)
    assert Quarter.parse("2026-3", fallback) == Quarter(2026, 3)
    for bad in ["", "x", "2026-Q9", "99999-Q1", "2026-Q"]:
        assert Quarter.parse(bad, fallback) == fallback
