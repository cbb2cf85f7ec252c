"""Period words → date ranges (handlers.periods)."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.config import TermSettings
from handlers.periods import join_range_args, parse_period, school_year_of, term_of

D = dt.date
TODAY = D(2026, 11, 20)

CASES = [
    ("本月", D(2026, 11, 1), D(2026, 11, 30)),
    ("上月", D(2026, 10, 1), D(2026, 10, 31)),
    ("本学期", D(2026, 9, 1), D(2027, 1, 31)),
    ("上学期", D(2026, 2, 1), D(2026, 7, 31)),
    ("本学年", D(2026, 9, 1), D(2027, 8, 31)),
    ("上学年", D(2025, 9, 1), D(2026, 8, 31)),
    ("本年", D(2026, 1, 1), D(2026, 12, 31)),
    ("今年", D(2026, 1, 1), D(2026, 12, 31)),
    ("去年", D(2025, 1, 1), D(2025, 12, 31)),
    ("2026", D(2026, 1, 1), D(2026, 12, 31)),
    ("2025年", D(2025, 1, 1), D(2025, 12, 31)),
    ("2026-10", D(2026, 10, 1), D(2026, 10, 31)),
    ("2026年2月", D(2026, 2, 1), D(2026, 2, 28)),
    ("10月", D(2026, 10, 1), D(2026, 10, 31)),
    ("2026-09-01~2026-11-30", D(2026, 9, 1), D(2026, 11, 30)),
    ("2026-09-01至2026-11-30", D(2026, 9, 1), D(2026, 11, 30)),
    ("2026年9月1日到2026年11月30日", D(2026, 9, 1), D(2026, 11, 30)),
    ("2025-2026学年", D(2025, 9, 1), D(2026, 8, 31)),
]


@pytest.mark.parametrize("text,start,end", CASES)
def test_period_words(text, start, end):
    p = parse_period(text, TODAY)
    assert (p.start, p.end) == (start, end)
    assert p.label


@pytest.mark.parametrize("text", ["城关小学", "送教", "第2页", ""])
def test_not_a_period(text):
    assert parse_period(text, TODAY) is None


@pytest.mark.parametrize(
    "text", ["13月", "2026-13", "2026-11-30~2026-09-01", "2026-13-01~2026-12-01"]
)
def test_impossible_period(text):
    with pytest.raises(ValueError):
        parse_period(text, TODAY)


def test_terms_around_the_year():
    assert term_of(D(2027, 1, 15)).start == D(2026, 9, 1)
    assert term_of(D(2027, 3, 1)).start == D(2027, 2, 1)
    assert term_of(D(2027, 8, 15)).end == D(2027, 7, 31)  # summer counts with spring
    assert parse_period("上学期", D(2027, 3, 1)).start == D(2026, 9, 1)
    assert school_year_of(D(2027, 8, 31)).start == D(2026, 9, 1)


def test_terms_configurable():
    t = TermSettings(
        autumn_start="08-25", spring_start="02-20", spring_end="07-10", school_year_start="08-25"
    )
    p = parse_period("本学期", D(2026, 8, 30), t)
    assert (p.start, p.end) == (D(2026, 8, 25), D(2027, 2, 19))
    assert parse_period("本学年", D(2026, 8, 30), t).start == D(2026, 8, 25)
    assert parse_period("本学期", D(2026, 3, 1), t).end == D(2026, 7, 10)


def test_join_range_args():
    assert join_range_args(["2026-09-01", "~", "2026-11-30", "城关"]) == [
        "2026-09-01~2026-11-30",
        "城关",
    ]
    assert join_range_args(["2026-09-01至", "2026-11-30"]) == ["2026-09-01至2026-11-30"]
    assert join_range_args(["本月"]) == ["本月"]
