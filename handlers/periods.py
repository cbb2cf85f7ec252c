"""Periods users write after a command: 本学期, 上月, 2026年10月, 2026-09-01~2026-11-30 …

Pure functions over dates. Term boundaries come from `bot.config.TermSettings`
(MM-DD strings): the autumn term runs from `autumn_start` to the day before
`spring_start` of the next year, the spring term from `spring_start` to `spring_end`;
the school year starts on `school_year_start`. The summer gap between `spring_end` and
`autumn_start` belongs to the spring term just ended (its results are still being counted).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from handlers.text.dates import end_of_month

_RANGE_SEP = ("~", "～", "至", "到")


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date  # inclusive
    label: str

    def __contains__(self, d: object) -> bool:
        return isinstance(d, dt.date) and self.start <= d <= self.end

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


@dataclass(frozen=True)
class _Terms:
    autumn_start: str = "09-01"
    spring_start: str = "02-01"
    spring_end: str = "07-31"
    school_year_start: str = "09-01"


def _terms(terms: Any) -> _Terms:
    if terms is None:
        return _Terms()
    return _Terms(terms.autumn_start, terms.spring_start, terms.spring_end, terms.school_year_start)


def _md(year: int, mmdd: str) -> dt.date:
    m, d = (int(x) for x in mmdd.split("-"))
    return dt.date(year, m, d)


def month_period(year: int, month: int) -> Period:
    return Period(dt.date(year, month, 1), end_of_month(year, month), f"{year}年{month}月")


def year_period(year: int) -> Period:
    return Period(dt.date(year, 1, 1), dt.date(year, 12, 31), f"{year}年")


def term_of(day: dt.date, terms: Any = None) -> Period:
    """The term a day belongs to (summer counts with the spring term before it)."""
    t = _terms(terms)
    y = day.year
    autumn = _md(y, t.autumn_start)
    spring = _md(y, t.spring_start)
    if day >= autumn:
        return Period(
            autumn, _md(y + 1, t.spring_start) - dt.timedelta(days=1), f"{y}-{y + 1}学年第一学期"
        )
    if day >= spring:
        return Period(spring, _md(y, t.spring_end), f"{y - 1}-{y}学年第二学期")
    return Period(
        _md(y - 1, t.autumn_start), spring - dt.timedelta(days=1), f"{y - 1}-{y}学年第一学期"
    )


def school_year_of(day: dt.date, terms: Any = None) -> Period:
    t = _terms(terms)
    start = _md(day.year, t.school_year_start)
    if day < start:
        start = _md(day.year - 1, t.school_year_start)
    end = _md(start.year + 1, t.school_year_start) - dt.timedelta(days=1)
    return Period(start, end, f"{start.year}-{start.year + 1}学年")


def _parse_day(text: str, today: dt.date) -> dt.date | None:
    try:
        return _parse_day_unchecked(text, today)
    except ValueError:
        raise ValueError(f"“{text}”不是有效日期") from None


def _parse_day_unchecked(text: str, today: dt.date) -> dt.date | None:
    v = text.strip().replace("/", "-").replace(".", "-")
    m = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", v) or re.fullmatch(
        r"(\d{4})年(\d{1,2})月(\d{1,2})[日号]?", v
    )
    if m:
        return dt.date(int(m[1]), int(m[2]), int(m[3]))
    m = re.fullmatch(r"(\d{1,2})-(\d{1,2})", v) or re.fullmatch(r"(\d{1,2})月(\d{1,2})[日号]?", v)
    if m:
        return dt.date(today.year, int(m[1]), int(m[2]))
    return None


def parse_period(text: str, today: dt.date, terms: Any = None) -> Period | None:
    """A period word → Period; None when `text` is not a period (so callers can try others).

    Raises ValueError for something that looks like a period but is impossible (13月).
    """
    s = text.strip().replace(" ", "").replace("\u3000", "")
    if not s:
        return None
    if s == "本月":
        return month_period(today.year, today.month)
    if s == "上月":
        first = today.replace(day=1) - dt.timedelta(days=1)
        return month_period(first.year, first.month)
    if s in ("本学期", "这学期"):
        return term_of(today, terms)
    if s == "上学期":
        return term_of(term_of(today, terms).start - dt.timedelta(days=1), terms)
    if s in ("本学年", "这学年"):
        return school_year_of(today, terms)
    if s == "上学年":
        return school_year_of(school_year_of(today, terms).start - dt.timedelta(days=1), terms)
    if s in ("本年", "今年", "本年度"):
        return year_period(today.year)
    if s in ("去年", "上年", "上年度"):
        return year_period(today.year - 1)
    m = re.fullmatch(r"(\d{4})(?:年|年度)?", s)
    if m:
        return year_period(int(m[1]))
    m = re.fullmatch(r"(\d{4})-(\d{4})学年", s)
    if m and int(m[2]) == int(m[1]) + 1:
        return school_year_of(_md(int(m[1]), _terms(terms).school_year_start), terms)
    m = re.fullmatch(r"(\d{4})[-/.](\d{1,2})", s) or re.fullmatch(r"(\d{4})年(\d{1,2})月(?:份)?", s)
    if m:
        return _month(int(m[1]), int(m[2]), text)
    m = re.fullmatch(r"(\d{1,2})月(?:份)?", s)
    if m:
        return _month(today.year, int(m[1]), text)
    for sep in _RANGE_SEP:
        if sep in s:
            a, _, b = s.partition(sep)
            start, end = _parse_day(a, today), _parse_day(b, today)
            if start is None or end is None:
                return None
            if end < start:
                raise ValueError(f"“{text}”的结束日期早于开始日期")
            return Period(start, end, f"{start.isoformat()}至{end.isoformat()}")
    return None


def _month(year: int, month: int, text: str) -> Period:
    if not 1 <= month <= 12:
        raise ValueError(f"“{text}”不是有效月份")
    return month_period(year, month)


def join_range_args(args: list[str]) -> list[str]:
    """['2026-09-01', '~', '2026-11-30'] → ['2026-09-01~2026-11-30'] (users type spaces)."""
    out: list[str] = []
    i = 0
    while i < len(args):
        a = args[i]
        if a in _RANGE_SEP and out and i + 1 < len(args):
            out[-1] = out[-1] + "~" + args[i + 1]
            i += 2
            continue
        if out and out[-1][-1:] in _RANGE_SEP or a[:1] in _RANGE_SEP and out:
            out[-1] += a
        else:
            out.append(a)
        i += 1
    return out
