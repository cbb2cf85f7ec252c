"""Date arithmetic and display shared by periods, the parser and the reminders."""

from __future__ import annotations

import calendar
import datetime as dt
from zoneinfo import ZoneInfo


def md(d: dt.date) -> str:
    """'9月30日'."""
    return f"{d.month}月{d.day}日"


def days_in_month(y: int, m: int) -> int:
    return calendar.monthrange(y, m)[1]


def end_of_month(y: int, m: int) -> dt.date:
    return dt.date(y, m, days_in_month(y, m))


def add_months(d: dt.date, n: int) -> dt.date:
    """The same day `n` months later (clamped to the month's last day)."""
    m0 = d.month - 1 + n
    y, m = d.year + m0 // 12, m0 % 12 + 1
    return dt.date(y, m, min(d.day, days_in_month(y, m)))


def next_month(y: int, m: int) -> tuple[int, int]:
    return (y + 1, 1) if m == 12 else (y, m + 1)


def hhmm(value: str) -> dt.time:
    """'15:00' → time(15, 0)."""
    h, m = value.split(":")
    return dt.time(int(h), int(m))


def local_to_utc(day: dt.date, at: str | dt.time, tz: ZoneInfo) -> dt.datetime:
    """A local day and 'HH:MM' (or time) in `tz` → an aware UTC datetime."""
    t = hhmm(at) if isinstance(at, str) else at
    return dt.datetime.combine(day, t, tzinfo=tz).astimezone(dt.UTC)
