"""Pure date logic: Chinese meeting rules → rule dicts → dates, with the holiday policy.

    parse_meeting_rule("每月最后一个周五 15:00 联盟总结会", today)
      -> ParsedRule(rule={"freq": "monthly_nth", "n": -1, "weekday": 4, "time": "15:00"},
                    title="联盟总结会", holiday_policy="previous", warnings=[])

Rule dicts (stored in MeetingRule.rule):
  {"freq": "weekly", "weekday": 0-6, "time": "HH:MM"}
  {"freq": "biweekly", "weekday": 0-6, "anchor": "YYYY-MM-DD", "time": ...}
  {"freq": "monthly_day", "day": 1..31 or -1 (last day), "time": ...}
  {"freq": "monthly_nth", "n": 1..5 or -1 (last), "weekday": 0-6, "time": ...}
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Container, Mapping
from dataclasses import dataclass, field
from typing import Any

from handlers.text.dates import days_in_month, md, next_month
from handlers.text.numerals import cn_int
from handlers.text.weekdays import WEEKDAY_CN as _WD_CN
from handlers.text.weekdays import WEEKDAY_OF as _WD
from handlers.text.weekdays import weekday_cn
from handlers.workdays import FALLBACK_WARNING, SOURCE_FALLBACK, WorkCalendar

POLICIES = ("previous", "next", "skip")
POLICY_CN = {"previous": "遇节假日提前", "next": "遇节假日顺延", "skip": "遇节假日取消"}
FREQS = ("weekly", "biweekly", "monthly_day", "monthly_nth", "once")

_NUM = r"(?:\d{1,2}|[零〇一二两三四五六七八九十]{1,3})"
_WDX = r"(?:周|星期|礼拜)([一二三四五六日天1-7])"


def _normalize(text: str) -> str:
    t = text.translate(
        {ord(c): ord(a) for c, a in zip("０１２３４５６７８９：", "0123456789:", strict=True)}
    )
    return t.replace("\u3000", " ").strip()


@dataclass(frozen=True)
class ParsedRule:
    rule: dict
    title: str
    holiday_policy: str
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Occurrence:
    date: dt.date  # the day the meeting actually takes place
    nominal: dt.date  # the day the rule gives
    time: str
    note: str | None = None  # "因国庆节调整至 9月30日"

    @property
    def moved(self) -> bool:
        return self.date != self.nominal


_POLICY_RE = re.compile(
    r"[,，;；(（]?\s*(?:如|若)?(?:遇|逢)?(?:法定)?(?:节假日|假日|假期|休息日|节日)"
    r"(?:则|就)?(提前|前移|顺延|推迟|延后|后移|取消|跳过|不开|停开)[^,，;；)）]*[)）]?"
)
_POLICY_WORD = {
    "提前": "previous",
    "前移": "previous",
    "顺延": "next",
    "推迟": "next",
    "延后": "next",
    "后移": "next",
    "取消": "skip",
    "跳过": "skip",
    "不开": "skip",
    "停开": "skip",
}

_TIME_RE = re.compile(
    r"(上午|早上|早晨|中午|下午|晚上|傍晚)?\s*(" + _NUM + r")\s*"
    r"(?::\s*(\d{2})|[点时]\s*(?:(半)|(" + _NUM + r")\s*分?|整)?)"
)

_FREQ_PATTERNS: list[tuple[re.Pattern, str]] = [
    (
        re.compile(r"每(?:个)?月(?:的)?(?:第([一二三四五1-5])|(最后一|倒数第一))(?:个)?" + _WDX),
        "nth",
    ),
    (
        re.compile(
            r"每(?:个)?月(?:的)?(?:第([一二三四五1-5])|(最后一))(?:周|个星期)(?:的)?" + _WDX
        ),
        "nth_week",
    ),
    (re.compile(r"每(?:个)?月(?:的)?(最后一天|月底|月末)"), "last_day"),
    (re.compile(r"每(?:个)?月(?:的)?(" + _NUM + r")\s*[日号]"), "day"),
    (re.compile(r"(?:每两周|每隔一周|每隔两周|隔周|双周)(?:的)?" + _WDX), "biweekly"),
    (re.compile(r"每(?:个)?(?:周|星期|礼拜)([一二三四五六日天1-7])"), "weekly"),
]


def _parse_time(text: str) -> tuple[str, str]:
    """The 'HH:MM' in the text, and the text without it."""
    for m in _TIME_RE.finditer(text):
        if m.group(3) is None and "点" not in m.group(0) and "时" not in m.group(0):
            continue
        ampm, h_s, mm_colon, half, mm_cn = m.groups()
        h = cn_int(h_s)
        minute = int(mm_colon) if mm_colon else 30 if half else cn_int(mm_cn) if mm_cn else 0
        if ampm in ("下午", "晚上", "傍晚") and h < 12 or ampm == "中午" and h < 3:
            h += 12
        if not (0 <= h <= 23 and 0 <= minute <= 59):
            raise ValueError(f"时间“{m.group(0).strip()}”不对,请写成 15:00 或 下午3点。")
        return f"{h:02d}:{minute:02d}", text[: m.start()] + " " + text[m.end() :]
    raise ValueError("请写明会议时间,例如 15:00 或 下午3点。")


def parse_meeting_rule(text: str, today: dt.date) -> ParsedRule:
    """A Chinese rule → ParsedRule; ValueError with a Chinese message when it is not one."""
    t = _normalize(text)
    if not t:
        raise ValueError("请写明会议规则,例如:每月最后一个周五 15:00 联盟总结会")
    warnings: list[str] = []
    policy = "previous"
    pm = _POLICY_RE.search(t)
    if pm:
        policy = _POLICY_WORD[pm.group(1)]
        t = t[: pm.start()] + " " + t[pm.end() :]
    rule: dict | None = None
    for pat, kind in _FREQ_PATTERNS:
        m = pat.search(t)
        if not m:
            continue
        if kind in ("nth", "nth_week"):
            n = -1 if m.group(2) else cn_int(m.group(1))
            if n == 5:
                warnings.append("不是每个月都有第五个该星期几,没有的月份不开会。")
            rule = {"freq": "monthly_nth", "n": n, "weekday": _WD[m.group(3)]}
            if kind == "nth_week":
                label = "最后一个" if n == -1 else f"第{_WD_CN[n - 1]}个"
                warnings.append(f"“{m.group(0)}”按当月{label}周{_WD_CN[_WD[m.group(3)]]}理解。")
        elif kind == "last_day":
            rule = {"freq": "monthly_day", "day": -1}
        elif kind == "day":
            day = cn_int(m.group(1))
            if not 1 <= day <= 31:
                raise ValueError(f"每月 {day} 日不存在,请写 1 到 31 日。")
            if day > 28:
                warnings.append(f"没有 {day} 日的月份按当月最后一天开会。")
            rule = {"freq": "monthly_day", "day": day}
        elif kind == "biweekly":
            wd = _WD[m.group(1)]
            anchor = today + dt.timedelta(days=(wd - today.weekday()) % 7)
            rule = {"freq": "biweekly", "weekday": wd, "anchor": anchor.isoformat()}
            warnings.append(f"隔周从 {md(anchor)} 开始计算。")
        else:
            rule = {"freq": "weekly", "weekday": _WD[m.group(1)]}
        t = t[: m.start()] + " " + t[m.end() :]
        break
    if rule is None:
        once, t = _one_off_day(t, today)
        if once is not None:
            rule = {"freq": "once", "date": once.isoformat()}
    if rule is None:
        raise ValueError(
            "没有看懂会议规则。可以这样写:每月最后一个周五 15:00 联盟总结会、"
            "每月第一个周一 08:30 协调会、每周三 16:00 教研会、每月15日 9:00 例会、"
            "每两周周四 15:00 集体备课;只开一次的会写日期:12月18日 15:00 期末质量分析会。"
        )
    hhmm, t = _parse_time(t)
    rule["time"] = hhmm
    if rule.get("weekday") in (5, 6):
        warnings.append("周六、周日通常是休息日,除调休上班日外会按节假日规则调整。")
    title = re.sub(r"^[\s,，、:：;；的召开开举行]+|[\s,，、。;；!！]+$", "", t)
    title = re.sub(r"\s+", " ", title).strip() or "例会"
    return ParsedRule(rule, title, policy, warnings)


_ONCE_PATTERNS = (
    re.compile(r"(?:(\d{4})\s*年\s*)?(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]?"),
    re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})"),
    re.compile(r"(?<![\d:])()(\d{1,2})[./](\d{1,2})(?![\d:])"),
)
_RELATIVE_DAYS = {"今天": 0, "明天": 1, "后天": 2}


def _one_off_day(text: str, today: dt.date) -> tuple[dt.date | None, str]:
    """A meeting held once: '12月18日', '2026-12-18', '12.18', '明天' → (day, rest of text).
    A day without a year that has passed this year is next year's; a past day is an error."""
    for word, days in _RELATIVE_DAYS.items():
        if word in text:
            return today + dt.timedelta(days=days), text.replace(word, " ", 1)
    for pat in _ONCE_PATTERNS:
        m = pat.search(text)
        if not m:
            continue
        y, mo, d = m.group(1), int(m.group(2)), int(m.group(3))
        try:
            day = dt.date(int(y) if y else today.year, mo, d)
        except ValueError:
            raise ValueError(f"“{m.group(0).strip()}”不是有效日期。") from None
        if day < today:
            if y:
                raise ValueError(f"{md(day)}已经过去了,请写以后的日期。")
            day = day.replace(year=today.year + 1)
        return day, text[: m.start()] + " " + text[m.end() :]
    return None, text


def validate_rule(rule: dict) -> dict:
    """Check a stored/config rule dict; returns it or raises ValueError."""
    freq = rule.get("freq")
    if freq not in FREQS:
        raise ValueError(f"未知的会议频率 {freq!r}")
    if not re.fullmatch(r"\d{2}:\d{2}", str(rule.get("time", ""))):
        raise ValueError("会议时间应为 HH:MM")
    if freq == "once":
        try:
            dt.date.fromisoformat(str(rule.get("date")))
        except ValueError:
            raise ValueError("单次会议的日期应为 YYYY-MM-DD") from None
    return rule


def describe_rule(rule: dict) -> str:
    freq = rule.get("freq")
    wd = _WD_CN[rule["weekday"]] if "weekday" in rule else ""
    if freq == "once":
        day = dt.date.fromisoformat(rule["date"])
        return f"{day.year}年{md(day)}(周{_WD_CN[day.weekday()]}){rule['time']},只开一次"
    if freq == "weekly":
        s = f"每周{wd}"
    elif freq == "biweekly":
        s = f"每两周周{wd}"
    elif freq == "monthly_day":
        s = "每月最后一天" if rule["day"] == -1 else f"每月{rule['day']}日"
    else:
        s = "每月最后一个" if rule["n"] == -1 else f"每月第{_WD_CN[rule['n'] - 1]}个"
        s += f"周{wd}"
    return f"{s} {rule['time']}"


def _nominal(rule: dict, start: dt.date, end: dt.date):
    freq = rule["freq"]
    if freq == "once":
        day = dt.date.fromisoformat(rule["date"])
        if start <= day <= end:
            yield day
        return
    if freq in ("weekly", "biweekly"):
        wd = rule["weekday"]
        d = start + dt.timedelta(days=(wd - start.weekday()) % 7)
        if freq == "biweekly":
            anchor = dt.date.fromisoformat(rule["anchor"])
            if (d - anchor).days % 14:
                d += dt.timedelta(days=7)
        step = 7 if freq == "weekly" else 14
        while d <= end:
            yield d
            d += dt.timedelta(days=step)
        return
    y, m = start.year, start.month
    while dt.date(y, m, 1) <= end:
        last = days_in_month(y, m)
        d = None
        if freq == "monthly_day":
            day = rule["day"]
            d = dt.date(y, m, last if day == -1 else min(day, last))
        else:
            wd, n = rule["weekday"], rule["n"]
            if n == -1:
                d = dt.date(y, m, last)
                d -= dt.timedelta(days=(d.weekday() - wd) % 7)
            else:
                first = dt.date(y, m, 1)
                d = first + dt.timedelta(days=(wd - first.weekday()) % 7 + 7 * (n - 1))
                if d.month != m:
                    d = None
        if d is not None and start <= d <= end:
            yield d
        y, m = next_month(y, m)


def occurrences(
    rule: dict, policy: str, start: dt.date, end: dt.date, cal: WorkCalendar
) -> list[Occurrence]:
    """Meeting days in [start, end] after the holiday policy, in order."""
    out: dict[dt.date, Occurrence] = {}
    pad = dt.timedelta(days=21)  # a holiday stretch may move a date across `start`/`end`
    for nominal in _nominal(rule, start - pad, end + pad):
        if rule["freq"] == "once":
            # A day someone chose is kept; a holiday is only pointed out.
            note = (
                None
                if cal.is_workday(nominal)
                else f"注意:这天是{cal.rest_reason(nominal)},仍按原定日期"
            )
            occ = Occurrence(nominal, nominal, rule["time"], note)
        elif cal.is_workday(nominal):
            occ = Occurrence(nominal, nominal, rule["time"])
        elif policy == "skip":
            continue
        else:
            moved = (
                cal.previous_workday(nominal) if policy == "previous" else cal.next_workday(nominal)
            )
            occ = Occurrence(
                moved,
                nominal,
                rule["time"],
                f"因{cal.rest_reason(nominal)}调整至 {md(moved)}(原定 {md(nominal)})",
            )
        if start <= occ.date <= end and occ.date not in out:
            out[occ.date] = occ
    return [out[d] for d in sorted(out)]


def next_occurrences(
    rule: dict, policy: str, after: dt.date, cal: WorkCalendar, count: int = 3
) -> list[Occurrence]:
    found: list[Occurrence] = []
    start = after
    for _ in range(12):  # up to ~3 years
        end = start + dt.timedelta(days=92)
        found += occurrences(rule, policy, start, end, cal)
        if len(found) >= count:
            break
        start = end + dt.timedelta(days=1)
    return found[:count]


# -- what /会议 shows -------------------------------------------------------------------------
def next_meetings(
    rule: dict, holiday_policy: str, after: dt.date, cal: WorkCalendar, count: int = 3
) -> list[dict]:
    """Next occurrences: {"date", "time", "nominal", "note", "label", "calendar"}."""
    occ = next_occurrences(rule, holiday_policy, after, cal, count)
    return [
        {
            "date": o.date,
            "time": o.time,
            "nominal": o.nominal,
            "note": o.note,
            "label": f"{md(o.date)}({weekday_cn(o.date)}){o.time}",
            "calendar": cal.calendar_source(o.date),
        }
        for o in occ
    ]


def preview_meeting_rule(text: str, today: dt.date, cal: WorkCalendar) -> dict:
    """Parse a Chinese meeting rule: {"rule", "title", "holiday_policy", "summary",
    "next": [occurrence…], "warnings": [str]}; ValueError with a Chinese message."""
    p = parse_meeting_rule(text, today)
    nxt = next_meetings(p.rule, p.holiday_policy, today, cal)
    warnings = list(p.warnings)
    if any(o["calendar"] == SOURCE_FALLBACK for o in nxt):
        warnings.append(FALLBACK_WARNING)
    return {
        "rule": p.rule,
        "title": p.title,
        "holiday_policy": p.holiday_policy,
        "summary": describe_rule(p.rule),
        "next": nxt,
        "warnings": warnings,
    }


# -- [[meetings]] entries in the roster or the configuration ------------------------------
class MeetingEntryError(ValueError):
    """A [[meetings]] entry is unusable; `field` names the key at fault."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


def check_meeting_entry(
    entry: Mapping[str, Any], alliances: Container[str], today: dt.date
) -> ParsedRule:
    """Validate one [[meetings]] table (alliance, title, rule, holiday_policy) against the
    known alliance names; its parsed rule, or MeetingEntryError naming the field."""
    if str(entry.get("alliance", "")) not in alliances:
        raise MeetingEntryError("alliance", f"未知联盟“{entry.get('alliance')}”")
    if entry.get("holiday_policy", "previous") not in POLICIES:
        raise MeetingEntryError("holiday_policy", "应为 previous、next 或 skip")
    try:
        return parse_meeting_rule(str(entry.get("rule", "")), today)
    except ValueError as err:
        raise MeetingEntryError("rule", str(err)) from None
