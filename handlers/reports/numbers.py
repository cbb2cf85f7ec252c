"""Numerals and the two counts a report carries: participants (people) and lessons (节/堂).

Numbers are read only where a counter follows them. Converting a whole message with a
numeral library would turn 城关二小 into 城关2小 and 一农场 into 1农场; here a numeral is
just a regex group that is converted after it has been recognised as a count.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from handlers.text.numerals import cn_to_int

# One numeral: Arabic, or Chinese up to the thousands (十二, 二十三, 一百二十, 两).
NUM = r"(?:\d{1,5}|[零〇一二两三四五六七八九十百千]{1,6})"


# --- participants -----------------------------------------------------------------------

_PEOPLE = (
    r"(?:老师|教师|学生|家长|校长|同学|班主任|教研员|专家|名师|骨干|代表|学员|师生"
    r"|孩子|幼儿|志愿者|教职工|少先队员|队员|选手|评委|学子|人次|人)"
)
# Words that may sit between the counter and the noun: 4名学生代表, 2名青年教师, 十二位数学老师.
_MODIFIER = r"(?:(?![班校所组级节课次册本场])[\u4e00-\u9fff]){0,4}?"
_APPROX_BEFORE = r"(?P<pre>近|约|超过|逾|将近|大约|共|合计|总计|总共|共计|达|计|上)?"
_APPROX_AFTER = r"(?P<post>余|多|来|几)?"

# Every count starts with an approximation word or a numeral. Testing that one character
# first (a lookahead, changing no match) lets the engine pass over every other position at
# once instead of trying the whole pattern there.
_COUNT_GATE = r"(?=[\d近约超逾将大共合总达计上零〇一二两三四五六七八九十百千])"
# "十二位老师", "近200名家长", "100余名学生", "4名学生代表", "三十多位老师"
_COUNT_NOUN = re.compile(
    _COUNT_GATE
    + _APPROX_BEFORE
    + r"(?<![\d第每这那])(?P<n>"
    + NUM
    + r")"
    + _APPROX_AFTER
    + r"(?:位|名|个)"
    + _MODIFIER
    + _PEOPLE
)
# "共18人", "听课教师15人", "超过200人次" — the bare 人 counter.
_COUNT_REN = re.compile(
    _COUNT_GATE
    + _APPROX_BEFORE
    + r"(?<![\d第])(?P<n>"
    + NUM
    + r")"
    + _APPROX_AFTER
    + r"(?:人次|人)(?!员|数)"
)
# What every count above holds: the numeral's last character right before its counter (or
# with 余/多/来/几 between). These start with a character class, which the engine scans for
# at C speed, so the full patterns only run on text that can hold a count.
_NOUN_HINT = re.compile(r"[\d零〇一二两三四五六七八九十百千][余多来几]?[位名个]")
_REN_HINT = re.compile(r"[\d零〇一二两三四五六七八九十百千][余多来几]?人")
# 三十多, 十余: a Chinese numeral ending in 十/百 followed by 多/余 is a round number anyway.
_AUDIENCE_AFTER = re.compile(
    r"^[^,。;!?\n]{0,8}?(?:听课|参加|参与|观摩|参训|参赛|到场|出席|聆听|观看|评课|收看|听了|参会)"
)
_AUDIENCE_BEFORE = re.compile(
    r"(?:听课|参加|参与|观摩|参训|参赛|到场|出席|参会|评课)[^,。;!?\n]{0,6}$"
)
_PERFORMER_BEFORE = re.compile(r"(?:派|选派|派出|安排|组织|推荐|抽调)[^,。;!?\n]{0,4}$")
# Asked for, or counted per school, not a headcount: "请各校推荐2名", "每校推荐2名选手",
# "各校选派3名教师" (but "各成员校班主任代表30余人参会" is the audience).
_REQUEST_BEFORE = re.compile(
    r"(?:(?<!邀)请[^,。;!?\n]{0,10}|每[校所班组人个位名][^,。;!?\n]{0,6}"
    r"|各[^,。;!?\n]{0,8}?(?:推荐|选派|派出|派|报送|报名|推选|选送|各)[^,。;!?\n]{0,3})$"
)
# A group taking part without a number: the numbered ones are then only a subgroup.
_UNNUMBERED_GROUP = re.compile(
    r"(?:全体|全校|所有|其他|其余|其它)[\u4e00-\u9fff]{0,6}?(?:老师|教师|班主任|师生|学生|"
    r"家长|成员)(?:也|都|一起|共同|均)?(?:参加|听课|参与|观摩|参会|到场|出席|观看|收看)"
    # …or the whole staff as the audience ("与全体教师分享"), or the
    # teachers of the schools, uncounted, taking part ("两校老师还进行评课")
    r"|(?:与|向|为|给)(?:全体|全校|所有)[\u4e00-\u9fff]{0,4}?(?:老师|教师|师生|学生)"
    r"|[两二三四五六七八九十各]校(?:的)?(?:老师|教师|师生)(?:还|也|都|一起|共同)?"
    r"(?:进行|参加|参与|开展|听课|评课)"
)
_TOTAL = re.compile(r"(?:共|合计|总计|总共|共计)")
_SUBGROUP_AFTER = re.compile(
    r"^(?:和|与|及|以及|、)[^,。;!?\n\d一二两三四五六七八九十]{0,10}?(?:老师|教师|学生|家长)"
)
_SUBGROUP_BEFORE = re.compile(r"(?:老师|教师|学生|家长)(?:和|与|及|以及|、)[^,。;!?\n\d]{0,8}$")


@dataclass(frozen=True)
class Headcount:
    value: int
    start: int
    end: int
    role: str  # "audience" | "total" | "names" | "performer" | "plain"
    subgroup: bool = False


def _value(m: re.Match[str]) -> int | None:
    n = cn_to_int(m.group("n"))
    if n is None or n <= 0:
        return None
    return n


_HEAD_FIELD = re.compile(
    r"(?:听课人数|参加人数|参与人数|参训人数|参会人数|听课教师|人数)\s*[:]\s*(?P<n>"
    + NUM
    + r")(?:余|多)?\s*(?:人|名|位)?"
)


def headcounts(text: str, name_ends: frozenset[int] = frozenset()) -> list[Headcount]:
    """Every stated number of people, classified by what it counts.

    ``name_ends`` are text offsets where a recognised person name ends; a count right after
    a name list ("张炜、马欣瑞两位老师") only restates how many were named.
    """
    found: list[Headcount] = []
    taken: set[int] = set()
    for rx, hint in ((_COUNT_NOUN, _NOUN_HINT), (_COUNT_REN, _REN_HINT)):
        if not hint.search(text):
            continue
        for m in rx.finditer(text):
            if m.start("n") in taken:
                continue
            value = _value(m)
            if value is None:
                continue
            taken.add(m.start("n"))
            before = text[max(0, m.start() - 12) : m.start()]
            if _REQUEST_BEFORE.search(before):
                continue  # "请各校各推荐2名教师参加": asked for, not counted
            after = text[m.end() : m.end() + 14]
            pre = m.group("pre") or ""
            if pre and _TOTAL.fullmatch(pre):
                role = "total"
            elif m.start() in name_ends:
                role = "names"
            elif _AUDIENCE_AFTER.search(after) or _AUDIENCE_BEFORE.search(before):
                role = "audience"
            elif _PERFORMER_BEFORE.search(before):
                role = "performer"
            else:
                role = "plain"
            # "家长和江滨小学的老师30余人": a bare 人 after a list counts the whole list
            sub = bool(
                _SUBGROUP_AFTER.search(after)
                or (rx is _COUNT_NOUN and _SUBGROUP_BEFORE.search(before))
            )
            found.append(Headcount(value, m.start(), m.end(), role, sub))
    for m in _HEAD_FIELD.finditer(text):  # "听课人数:14"
        value = _value(m)
        if value is not None and m.start("n") not in taken:
            taken.add(m.start("n"))
            found.append(Headcount(value, m.start(), m.end(), "audience"))
    found.sort(key=lambda h: h.start)
    groups = [
        g
        for g in _UNNUMBERED_GROUP.finditer(text)
        if not any(g.start() - 2 <= h.start <= g.end() + 2 for h in found)
    ]
    if groups:  # "3位新教师各上一节,全体教师听课": the counts are of a subgroup
        found = [
            h if h.role == "total" else Headcount(h.value, h.start, h.end, h.role, True)
            for h in found
        ]
    return found


def participants(counts: list[Headcount]) -> int | None:
    """Pick the participant number from the headcounts, per the schema conventions."""
    if not counts:
        return None
    totals = [h for h in counts if h.role == "total"]
    if totals:
        return max(h.value for h in totals)
    audience = [h for h in counts if h.role == "audience"]
    pool = audience or [h for h in counts if h.role == "plain"]
    if pool:
        if any(h.subgroup for h in pool):
            return None  # one group is counted while others take part unnumbered
        return sum(h.value for h in pool) if len(pool) > 1 else pool[0].value
    # the named or performing teachers are a subgroup too when the whole staff takes part
    # unnumbered ("两位老师与全体教师分享", "5名老师上课,两校老师还进行了评课")
    names = [h for h in counts if h.role == "names"]
    if names:
        return None if names[0].subgroup else names[0].value
    performers = [h for h in counts if h.role == "performer"]
    return performers[0].value if performers and not performers[0].subgroup else None


# --- lessons ----------------------------------------------------------------------------

# N节 / N堂 that count lessons: not ordinals (第二节), not 节目/节日/节约, not 欢聚一堂.
_LESSON_GATE = r"(?=[\d各零〇一二两三四五六七八九十百千])"  # as _COUNT_GATE: 各 or a numeral
_LESSON = re.compile(
    _LESSON_GATE
    + r"(?<![第\d零〇一二两三四五六七八九十百千每这那哪])(?P<each>各(?:上|讲|执教|听)?了?)?(?P<n>"
    + NUM
    + r")(?:节|堂)(?![目日约气奏能拍选点庆])"
)
_LESSON_HINT = re.compile(r"[\d零〇一二两三四五六七八九十百千][节堂]")  # as _NOUN_HINT
_IDIOM_TANG = re.compile(r"(?:聚|济济|满)一堂$")
_LESSON_TOTAL_BEFORE = re.compile(r"(?:共|合计|总计|总共|共计)[\u4e00-\u9fff]{0,3}$")
_ITEM_SPLIT = re.compile(r"[、和与及]")
_CLAUSE_START = re.compile(r"[,。;!?:\n ]")
_NUM_GROUP = re.compile(r"(" + NUM + r")(?:校|所|位|名|个|门)")


# A form field: "节数:2", "课时:1".
_LESSON_FIELD = re.compile(
    r"(?:上课节数|节数|课时数|课时|节次)\s*[:]\s*(?P<n>" + NUM + r")(?![\d节堂])"
)
_SUBJECT_WORD = re.compile(
    r"语文|数学|英语|科学|音乐|美术|体育|道法|道德与法治|信息技术|信息科技|书法|劳动|心理|历史|地理|物理|化学|生物"
)


def lessons(text: str) -> int | None:
    """Sum of lesson counts; a stated total (共…N节) wins; 各一节 multiplies by the list;
    a count followed by its breakdown ("两节课,一节语文一节数学") is counted once."""
    parts: list[tuple[int, int, int, bool]] = []  # value, start, end, whether it is 各…
    totals: list[int] = []
    for m in _LESSON_FIELD.finditer(text):
        n = cn_to_int(m.group("n"))
        if n and n <= 200:
            parts.append((n, m.start(), m.end(), False))
    for m in _LESSON.finditer(text) if _LESSON_HINT.search(text) else ():
        n = cn_to_int(m.group("n"))
        if n is None or n <= 0 or n > 200:
            continue
        if text[m.end() - 1] == "堂" and _IDIOM_TANG.search(text[max(0, m.start() - 2) : m.end()]):
            continue
        before = text[max(0, m.start() - 30) : m.start()]
        if "其中" in re.split(r"[。;!?\n]", before)[-1]:
            continue  # a breakdown of a count already taken
        if m.group("each"):
            clause = _CLAUSE_START.split(before)[-1]
            g = _NUM_GROUP.search(clause)
            if g and cn_to_int(g.group(1)):
                n *= cn_to_int(g.group(1)) or 1
            else:
                items = [p for p in _ITEM_SPLIT.split(clause) if p]
                if len(items) == 1:  # "语文数学各一节": subjects written side by side
                    items = _SUBJECT_WORD.findall(clause) or items
                n *= max(1, len(items))
        if _LESSON_TOTAL_BEFORE.search(before):
            totals.append(n)
        else:
            parts.append((n, m.start(), m.end(), bool(m.group("each"))))
    if totals:
        return max(totals)
    kept: list[tuple[int, int, int, bool]] = []
    i = 0
    while i < len(parts):
        kept.append(parts[i])
        # the parts right after this one that add up to it are its breakdown
        total, j = 0, i + 1
        while (
            j < len(parts)
            and parts[j][1] - parts[j - 1][2] <= 12
            and not re.search(r"[。;!?\n]", text[parts[j - 1][2] : parts[j][1]])
        ):
            total += parts[j][0]
            j += 1
            if total >= parts[i][0]:
                break
        # a breakdown has two parts or more ("一节语文一节数学"), or is one 各 ("语文数学各一节")
        i = j if total == parts[i][0] and (j > i + 2 or parts[i + 1][3]) else i + 1
    return sum(p[0] for p in kept) if kept else None
