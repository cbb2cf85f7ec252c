"""Chinese numerals: 二十三 → 23, 两 → 2, 一百零五 → 105.

Hand-written: the numeral libraries convert whole texts (城关二小 would become 城关2小); here a
numeral is converted only after a regex has recognised it as a count, a day or an hour.
"""

from __future__ import annotations

DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "俩": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
UNITS = {"十": 10, "百": 100, "千": 1000}
SMALL_NUMERALS = "一二三四五六七八九十"  # 1 … 10 in order (school numbers: 第一 … 第十)


def cn_to_int(s: str) -> int | None:
    """二十三 → 23, 十二 → 12, 两 → 2, 一百零五 → 105, 123 → 123; None if not a numeral."""
    if not s:
        return None
    if s.isascii():
        return int(s) if s.isdigit() else None
    total = 0
    current = None  # digit waiting for its unit
    last_unit = 10_000
    for ch in s:
        if ch in "零〇" and len(s) > 1:
            continue  # 一百零五: a placeholder between units
        if ch in DIGITS:
            if current is not None:  # two digits in a row: 一二 is not a number we read
                return None
            current = DIGITS[ch]
        elif ch in UNITS:
            unit = UNITS[ch]
            if unit >= last_unit:  # 十十, 十百: units must fall
                return None
            total += (1 if current is None else current) * unit
            current, last_unit = None, unit
        else:
            return None
    if current is not None:
        total += current
    return total


def cn_int(s: str) -> int:
    """Like `cn_to_int` (surrounding blanks ignored) but a ValueError when `s` is no numeral."""
    n = cn_to_int(s.strip())
    if n is None:
        raise ValueError(s)
    return n
