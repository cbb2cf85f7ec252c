"""Resolve the date words teachers write against the message's own send time.

Hand-written on purpose: the Chinese date libraries we tried (and those listed on PyPI)
either ignore week arithmetic ("上周三", "下下周二" come back as today or as the *next*
Wednesday), read bare "周五" as the coming Friday instead of the Friday of the send week,
or guess years from the machine clock. The schema's conventions are precise (weeks run
Monday–Sunday, "下下周" shifts two weeks, "月底" is the month's last day, "M月起" is the 1st,
a year-less date takes the year nearest to the send time), so a small table of regexes
with explicit arithmetic is both shorter and testable.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from handlers.text.dates import add_months, end_of_month
from handlers.text.numerals import cn_to_int
from handlers.text.weekdays import WEEKDAY_OF

_CN_DAY = r"(?:\d{1,2}|[一二两三四五六七八九十]{1,3})"
_WEEKDAY = {**WEEKDAY_OF, "末": -1}  # 周末: the week's weekend
_WEEK_SHIFT = {
    "上上": -2,
    "上": -1,
    "上个": -1,
    "本": 0,
    "这": 0,
    "这个": 0,
    "下": 1,
    "下个": 1,
    "下下": 2,
    "": 0,
    None: 0,
}
_REL_DAY = {
    "刚刚": 0,
    "刚才": 0,
    "今天": 0,
    "今日": 0,
    "今早": 0,
    "今晨": 0,
    "今晚": 0,
    "今儿": 0,
    "明儿": 1,  # northern speech: 今儿/明儿/昨儿/前儿/后儿 are 今天/明天/昨天/前天/后天
    "昨儿": -1,
    "前儿": -2,
    "后儿": 2,
    "本日": 0,
    "昨天": -1,
    "昨日": -1,
    "昨晚": -1,
    "前天": -2,
    "大前天": -3,
    "明天": 1,
    "明日": 1,
    "明早": 1,
    "明晚": 1,
    "后天": 2,
    "大后天": 3,
}
_YEAR_WORD = {"今年": 0, "明年": 1, "去年": -1, "后年": 2, "前年": -2}

# Hour a time of day begins: an activity "今天下午" is still ahead of a message sent before it.
TIME_OF_DAY_START = {
    "早上": 7,
    "早晨": 7,
    "今早": 7,
    "今晨": 7,
    "上午": 8,
    "中午": 11,
    "下午": 13,
    "前晌": 8,  # northern speech: morning / afternoon
    "后晌": 13,
    "傍晚": 17,
    "晚上": 18,
    "今晚": 18,
}

_WEEK = r"(?:周|星期|礼拜)"
_RANGE_SEP = r"(?:至|到|~|-|—|－|–)"

# Every branch starts with one of these characters.
_DATE_FIRST = r"\d一二两三四五六七八九十今明去后本这当下上月周星礼昨前大早中傍晚刚"
# One alternation, longest forms first; each branch names its groups with a prefix.
_DATE_RX = re.compile(
    # Cheap gate: testing one class per position is far faster than trying fourteen
    # branches everywhere.
    r"(?=[" + _DATE_FIRST + r"])(?:"
    # 2026年9月1日, 2026-09-01, 2026.9.1, 2026/9/1
    r"(?P<ymd>(?P<y1>20\d\d)(?:年|[-./])(?P<m1>\d{1,2})(?:月|[-./])(?P<d1>\d{1,2})(?:日|号)?)"
    # (明年)9月15日, 十一月二十日, 11月20号
    r"|(?P<md>(?P<yw2>今年|明年|去年|后年)?(?P<m2>\d{1,2}|十[一二]?|[一二三四五六七八九])月份?(?P<d2>"
    + _CN_DAY
    + r")(?:日|号))"
    # 11.20 / 11/20 (not money, not a version, not part of a longer number)
    r"|(?P<dot>(?<![\d.a-zA-Z])(?P<m3>1[0-2]|0?[1-9])[./](?P<d3>[12]\d|3[01]|0?[1-9])(?![\d.%万元亿倍分米的个小]))"
    # 本月25号, 下个月5日
    r"|(?P<mday>(?P<mw>本月|这个月|这月|当月|下月|下个月|上月|上个月)(?P<d4>"
    + _CN_DAY
    + r")(?:日|号))"
    # 月底 / 本月底 / 下月底 / 月末
    r"|(?P<eom>(?P<mw5>本|这个|下|下个|上|上个)?月(?:底|末))"
    # 下月起, 下个月初开始: the 1st of that month, like "M月起"
    r"|(?P<rmstart>(?P<mw6>本|这个|下|下个|次)月(?:初)?(?:起|开始))"
    # (明年)2月起, 9月份开始, 从3月
    r"|(?P<mstart>(?:(?P<y6>20\d\d)年)?(?P<yw6>今年|明年|去年|后年)?(?P<m6>\d{1,2}|十[一二]?|[一二三四五六七八九])月份?(?:初)?(?:起|开始))"
    # 下周起每周三: a recurring series starts on its first occurrence
    r"|(?P<series>(?P<ws7>上上|下下|上个|下个|这个|上|下|本|这)?(?:周|星期|礼拜)(?:起|开始)[,]?每(?:周|星期|礼拜)(?P<wd7>[一二三四五六日天1-7]))"
    # 上周三, 下下周二, 本周五, 周五, 星期天, 礼拜六, 周末
    r"|(?P<wk>(?P<ws8>上上|下下|上个|下个|这个|上|下|本|这)?(?:每)?"
    + _WEEK
    + r"(?P<wd8>[一二三四五六日天末1-7]))"
    # 今天 明天 前天 …
    r"|(?P<rel>刚刚|刚才|大前天|大后天|今天|今日|今早|今晨|今晚|今儿|明儿|昨儿|前儿|后儿|本日|昨天|昨日|昨晚|前天|明天|明日|明早|明晚|后天)"
    # 三天后
    r"|(?P<after>(?P<n9>" + _CN_DAY + r")(?:天|日)后)"
    # 25号 / 25日 alone (not 5号楼, not 22日前 — deadlines are flagged below)
    r"|(?P<day>(?<![\d月])(?P<d10>[12]\d|3[01]|0?[1-9])(?:日|号)(?![楼线门厅室车馆院]))"
    # a month with no day: 10月 (gives no date, only a note)
    r"|(?P<month>(?P<yw11>今年|明年|去年)?(?<![\d年.])(?P<m11>1[0-2]|[1-9]|十[一二]?|[一二三四五六七八九])月份?(?![\d日号底末起]))"
    # time of day alone: 上午 / 下午 mean the send day
    r"|(?P<tod_only>早上|早晨|上午|中午|下午|傍晚|晚上|前晌|后晌))"
)

# Where a date may start: a first character followed by one that comes second in some
# branch (numerals, 月/日/天/号/./ after a number; 年/天/早 after 今/明/去/后; 周/月/个/午… after
# 本/这/下/上; 底/末 after 月; 期/拜 after 星/礼 …; every date has two characters at least).
# Unlike _DATE_RX this starts with a character class, which the engine scans for at C
# speed: _date_matches tries the alternation only at these places.
_DATE_START = re.compile(
    r"[" + _DATE_FIRST + r"](?=[\d月./天日号一二两三四五六七八九十年早晨晚儿"
    r"上下个周星礼每午底末起开期拜前后刚才晌])"
)


def _date_matches(text: str) -> Iterator[re.Match[str]]:
    """The matches of _DATE_RX.finditer(text), found faster (see _DATE_START)."""
    pos = 0
    while (start := _DATE_START.search(text, pos)) is not None:
        m = _DATE_RX.match(text, start.start())
        if m is None:
            pos = start.start() + 1
        else:
            yield m
            pos = m.end()  # never empty: finditer would go on from here too


# A second date after a range separator: 9月15日至16日, 下周一到周三, 11月2日-11月4日
_RANGE_END = re.compile(
    r"^"
    + _RANGE_SEP
    + r"(?P<ny>明年|次年|第二年)?(?:(?P<m>\d{1,2})月)?(?P<d>"
    + _CN_DAY
    + r")(?:日|号)"
    r"|^" + _RANGE_SEP + r"(?:下周|本周|这周)?" + _WEEK + r"(?P<wd>[一二三四五六日天])"
)
_TRAIL_TOD = re.compile(r"^(?:的)?(?:个)?(?P<tod2>早上|早晨|上午|中午|下午|傍晚|晚上|前晌|后晌)")
# 3点, 四点半, 9:30, 16时 — only read right after a day or a time of day.
_CLOCK = re.compile(
    r"^(?P<h>\d{1,2}|[一二两三四五六七八九十]{1,3})(?:[:](?P<m>\d{2})|点(?:(?P<half>半)|"
    r"(?P<m2>\d{1,2})分?)?|时)"
)
_DEADLINE_AFTER = re.compile(
    r"^(?:上午|下午|中午|晚上)?(?:\d{1,2}(?::\d\d|点|时))?(?:前(?![往来去进行夕])|之前|以前|截止|为止)"
)
# (a month-end hit starts at 月: "截至11月底" leaves the month's number before it)
_DEADLINE_BEFORE = re.compile(
    r"(?:截止|截至|最迟|不晚于)[到至于]?(?:\d{1,2}|[一二三四五六七八九十]{1,3})?$"
)
_POSTPONE_BEFORE = re.compile(r"(?:推迟|延期|延后|顺延|改期|改|调整|挪|换)(?:到|至|为|在|于)?$")
_START_AFTER = re.compile(r"^(?:的)?(?:上午|下午)?(?:起|开始|出发)")


@dataclass(frozen=True)
class DateHit:
    start: int
    end: int
    day: date | None  # None: a phrase that names no single day (周末, 10月)
    form: str  # which branch matched: ymd md dot mday eom mstart series wk rel …
    range_end: date | None = None  # explicit second day of a range
    time_of_day: str | None = None
    clock: time | None = None  # 下午四点半 → 16:30
    deadline: bool = False  # "…前" / "截止…": not the day of the activity
    postponed_to: bool = False  # "推迟到…": the new day of a moved activity
    starts: bool = False  # "…起" / "…开始": first day of a period

    @property
    def vague(self) -> bool:
        return self.day is None


def _valid(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _nearest_year(today: date, month: int, day: int) -> date | None:
    """The year that puts month/day nearest to today: 12月 read in January is last year."""
    best: date | None = None
    for y in (today.year - 1, today.year, today.year + 1):
        cand = _valid(y, month, day)
        if cand and (best is None or abs((cand - today).days) < abs((best - today).days)):
            best = cand
    return best


def _month_num(s: str) -> int | None:
    n = cn_to_int(s)
    return n if n is not None and 1 <= n <= 12 else None


def week_day(today: date, shift: int, weekday: int) -> date:
    """Weekday (0=Mon) of the week `shift` weeks from today's Monday-to-Sunday week."""
    monday = today - timedelta(days=today.weekday())
    return monday + timedelta(weeks=shift, days=weekday)


def _shift_month(today: date, word: str | None) -> tuple[int, int]:
    delta = 1 if word and word.startswith("下") else -1 if word and word.startswith("上") else 0
    m0 = today.month - 1 + delta
    return today.year + m0 // 12, m0 % 12 + 1


def _resolve(m: re.Match[str], today: date) -> tuple[date | None, str]:
    # Each branch of _DATE_RX is one named group around its own groups, so the group that
    # closed last names the branch (cheaper than building the dict of all forty groups).
    form = m.lastgroup
    g = m.group
    if form == "ymd":
        return _valid(int(g("y1")), int(g("m1")), int(g("d1"))), "ymd"
    if form == "md":
        month, day = _month_num(g("m2")), cn_to_int(g("d2"))
        if month is None or day is None:
            return None, "md"
        if g("yw2"):
            return _valid(today.year + _YEAR_WORD[g("yw2")], month, day), "md"
        return _nearest_year(today, month, day), "md"
    if form == "dot":
        return _nearest_year(today, int(g("m3")), int(g("d3"))), "dot"
    if form == "mday":
        y, mo = _shift_month(today, g("mw"))
        day = cn_to_int(g("d4"))
        return (_valid(y, mo, day) if day else None), "mday"
    if form == "eom":
        y, mo = _shift_month(today, g("mw5"))
        return end_of_month(y, mo), "eom"
    if form == "rmstart":
        y, mo = _shift_month(today, "下" if g("mw6") == "次" else g("mw6"))
        return date(y, mo, 1), "mstart"
    if form == "mstart":
        month = _month_num(g("m6"))
        if month is None:
            return None, "mstart"
        if g("y6"):
            return _valid(int(g("y6")), month, 1), "mstart"
        if g("yw6"):
            return _valid(today.year + _YEAR_WORD[g("yw6")], month, 1), "mstart"
        return _nearest_year(today, month, 1), "mstart"
    if form == "series":
        return week_day(today, _WEEK_SHIFT[g("ws7") or ""], _WEEKDAY[g("wd7")]), "series"
    if form == "wk":
        wd = _WEEKDAY[g("wd8")]
        if wd < 0:  # 周末: a weekend names no single day
            return None, "wk"
        return week_day(today, _WEEK_SHIFT[g("ws8") or ""], wd), "wk"
    if form == "rel":
        return today + timedelta(days=_REL_DAY[g("rel")]), "rel"
    if form == "after":
        n = cn_to_int(g("n9"))
        return (today + timedelta(days=n) if n is not None and n < 400 else None), "after"
    if form == "day":
        return _nearest_year_month(today, int(g("d10"))), "day"
    if form == "month":
        return None, "month"
    if form == "tod_only":
        return today, "tod"
    return None, "none"


def _nearest_year_month(today: date, day: int) -> date | None:
    """A bare "25号": this month's, unless last or next month's is clearly nearer."""
    best: date | None = None
    for delta in (-1, 0, 1):
        m0 = today.month - 1 + delta
        cand = _valid(today.year + m0 // 12, m0 % 12 + 1, day)
        if cand and (best is None or abs((cand - today).days) < abs((best - today).days)):
            best = cand
    return best


def find_dates(text: str, today: date) -> list[DateHit]:
    """All date phrases in `text`, resolved against `today` (the send day, local)."""
    hits: list[DateHit] = []
    consumed = 0  # a range or a trailing time of day belongs to the hit before it
    for m in _date_matches(text):
        if m.start() < consumed:
            continue
        day, form = _resolve(m, today)
        start, end = m.span()
        tod = m.group("tod_only") if form == "tod" else None
        if form == "rel" and m.group("rel") in TIME_OF_DAY_START:
            tod = m.group("rel")  # 今晚, 今早
        if form == "md" and (day is None):
            continue
        if form == "wk" and "每" in text[max(0, start - 1) : start + 1]:
            day = None  # "每周二": a recurring weekday, not one day (a series starts elsewhere)
        rest = text[end : end + 16]
        t = _TRAIL_TOD.match(rest)
        if t:
            tod = t.group("tod2")
            end += t.end()
            rest = text[end : end + 16]
        clock = None
        c = (
            _CLOCK.match(rest)
            if (t or form in ("rel", "wk", "tod", "md", "dot", "mday", "ymd"))
            else None
        )
        if c:
            clock = _clock(c, tod)
            if clock is not None:
                end += c.end()
                rest = text[end : end + 16]
        range_end: date | None = None
        r = _RANGE_END.match(rest)
        if r and day is not None:
            if r.group("d"):
                mo = int(r.group("m")) if r.group("m") else day.month
                d2 = cn_to_int(r.group("d"))
                cand = _valid(day.year + (1 if r.group("ny") else 0), mo, d2) if d2 else None
                if cand and cand < day:
                    cand = _valid(day.year + 1, mo, d2 or 1)
                range_end = cand
            elif r.group("wd") and form in ("wk", "series"):
                range_end = day + timedelta(days=_WEEKDAY[r.group("wd")] - day.weekday())
                if range_end < day:
                    range_end = None
            end = end + r.end()
            rest = text[end : end + 16]
        before = text[max(0, start - 6) : start]
        deadline = bool(_DEADLINE_AFTER.match(rest) or _DEADLINE_BEFORE.search(before))
        postponed = bool(_POSTPONE_BEFORE.search(before))
        starts = form in ("mstart", "series") or bool(_START_AFTER.match(rest))
        consumed = end
        hits.append(
            DateHit(start, end, day, form, range_end, tod, clock, deadline, postponed, starts)
        )
    return _week_series(text, today, hits)


_WEEK_FROM = re.compile(r"(?P<ws>上上|下下|上个|下个|这个|上|下|本|这)(?:周|星期|礼拜)(?:起|开始)")


def _week_series(text: str, today: date, hits: list[DateHit]) -> list[DateHit]:
    """ "下周起,齐小每周三…": a series whose start week and weekday are apart in the
    clause takes the weekday in that week."""
    for m in _WEEK_FROM.finditer(text):
        for i, h in enumerate(hits):
            if (
                h.form == "wk"
                and h.start > m.end()
                and h.start - m.end() <= 16
                and "每" in text[h.start - 1 : h.start + 1]
                and not re.search(r"[。;!?\n]", text[m.end() : h.start])
            ):
                wd = re.search(_WEEK + r"([一二三四五六日天1-7])", text[h.start : h.end])
                if wd and _WEEKDAY.get(wd.group(1), -1) >= 0:
                    day = week_day(today, _WEEK_SHIFT[m.group("ws")], _WEEKDAY[wd.group(1)])
                    hits[i] = DateHit(
                        h.start,
                        h.end,
                        day,
                        "series",
                        h.range_end,
                        h.time_of_day,
                        h.clock,
                        h.deadline,
                        h.postponed_to,
                        True,
                    )
                break
    return hits


def _clock(m: re.Match[str], tod: str | None) -> time | None:
    hour = cn_to_int(m.group("h"))
    minute = 30 if m.group("half") else int(m.group("m") or m.group("m2") or 0)
    if hour is None or hour > 23 or minute > 59:
        return None
    if tod in ("下午", "傍晚", "晚上", "今晚") and hour < 12:
        hour += 12
    return time(hour, minute)


def later_today(tod: str | None, sent: datetime, clock: time | None = None) -> bool:
    """True when a time (or time of day) on the send day is still ahead of the message."""
    if clock is not None:
        return sent.time() < clock
    if not tod or tod not in TIME_OF_DAY_START:
        return False
    return sent.time() < time(TIME_OF_DAY_START[tod])


# --- exchange periods ------------------------------------------------------------------

# The lookahead only lets the engine skip positions where no branch can start (its first
# characters); it changes no match.
_PERIOD_GATE = r"(?=[\d一二两三四五六七八九十半全当至到持直])"
_PERIOD_RX = re.compile(
    _PERIOD_GATE + r"(?:"
    r"(?P<year>一|1|两|2)个?学年"
    r"|(?P<term>一|1|两|2)个?学期"
    r"|(?P<months>\d{1,2}|[一二两三四五六七八九十]{1,3}|半)个月"
    r"|(?P<weeks>\d{1,2}|[一二两三四五六七八九十]{1,3})(?:个)?(?:周|星期|礼拜)(?![一二三四五六日天末])"
    r"|(?<![\d月号第])(?P<days>\d{1,3}|[一二两三四五六七八九十]{1,3})天(?!后)"
    r"|(?P<oneday>全天|一整天|当天往返)"
    r"|(?<!\d)(?P<years>一|1|两|2|半)年(?!级|[0-9])"
    r"|(?:至|到|持续到|直到)(?P<until_y>明年|今年)?(?P<until_m>\d{1,2}|十[一二]?|[一二三四五六七八九])月(?:份)?(?P<until_mx>底|末|结束|止)?(?!\d|[一二三四五六七八九十]+[日号]))"
)


def period_end(text: str, start: date) -> date | None:
    """Last day of an exchange that starts on `start`, from a stated duration."""
    for m in _PERIOD_RX.finditer(text):
        g = m.groupdict()
        if g["year"]:
            n = cn_to_int(g["year"]) or 1
            if 8 <= start.month <= 12:
                return date(start.year + n, 7, 31)
            return add_months(start, 12 * n) - timedelta(days=1)
        if g["term"]:
            n = cn_to_int(g["term"]) or 1
            if n == 1:
                return _term_end(start)
            spring = start.month < 8 and start <= date(start.year, 7, 15)
            return date(start.year, 7, 15) if spring else date(start.year + 1, 7, 31)
        if g["months"]:
            n = 6 if g["months"] == "半" else cn_to_int(g["months"])
            if n:
                return add_months(start, n) - timedelta(days=1)
        if g["weeks"]:
            n = cn_to_int(g["weeks"])
            if n:
                return start + timedelta(days=7 * n - 1)
        if g["days"]:
            n = cn_to_int(g["days"])
            if n and n < 400:
                return start + timedelta(days=n - 1)
        if g["oneday"]:
            return start
        if g["years"]:
            n = 6 if g["years"] == "半" else 12 * (cn_to_int(g["years"]) or 1)
            return add_months(start, n) - timedelta(days=1)
        if g["until_m"]:
            month = _month_num(g["until_m"])
            if month is None:
                continue
            y = start.year + (1 if g["until_y"] == "明年" else 0)
            if not g["until_y"] and month < start.month:
                y += 1
            return end_of_month(y, month)
    return None


def _term_end(start: date) -> date:
    """A semester from September ends 1-31; from February or March it ends 7-15."""
    if start.month >= 8 or start > date(start.year, 7, 15):
        return date(start.year + 1, 1, 31)  # (late July: the autumn term it runs into)
    if start.month == 1:
        return date(start.year, 1, 31)
    return date(start.year, 7, 15)
