"""Weekday names: 周一 … 周日 (Monday = 0, as `date.weekday()`)."""

from __future__ import annotations

import datetime as dt

WEEKDAY_CN = "一二三四五六日"
# The character after 周/星期/礼拜 → weekday (0 = Monday); 天 is Sunday too, digits 1–7 as written.
WEEKDAY_OF: dict[str, int] = {
    **{c: i for i, c in enumerate(WEEKDAY_CN)},
    "天": 6,
    **{str(i + 1): i for i in range(7)},
}


def weekday_cn(d: dt.date) -> str:
    """'周一' … '周日'."""
    return "周" + WEEKDAY_CN[d.weekday()]
