"""Where one message holds several reports, and what a reply quotes.

Pure text functions over the normalised message (see `normalize.py`); the parser decides
with them which parts to read as records (`ReportParser.parse`):

- `strip_quote`: the quoted part of a reply (WeCom's 「某某:…」 over a dashed line, "回复
  @某某:", a leading @mention) is not the reply's own text;
- `list_parts`: a numbered, ①②③, 一、二、 or 接龙 list, or one line per activity, as a
  header, its items and the lines after them;
- `clause_starts`: offsets where a new clause begins with its own day ("…送教,周四又…"),
  the places where a one-paragraph message may hold a second report.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# WeCom desktop/mobile quote: the quoted message (often in 「」) on top, then a dashed line.
_DASH_LINE = re.compile(r"\n[ \t]*(?:[-—–_=~·.][ \t]*){4,}\n")
_QUOTE_HEAD = re.compile(
    r"^\s*(?:「[^」]*」|\"[^\"]*\"|“[^”]*”|[^\n:]{1,16}:[^\n]*)\s*$", re.DOTALL
)
# "回复 @张炜:" / "回复张炜:" / "引用 张炜 的消息:" at the start of a reply.
_REPLY_TO = re.compile(r"^\s*(?:回复|答复|引用)\s*@?[^\s:,]{1,16}?\s*(?:的消息|的发言)?\s*[::]\s*")
# A leading @mention (the addressed person is not a participant): "@张炜 收到".
_MENTION = re.compile(r"^\s*(?:@[^\s@,:]{1,16}\s*)+")


def strip_quote(text: str) -> tuple[str, bool]:
    """(the reply's own text, whether a quote or an address was removed)."""
    m = _DASH_LINE.search(text)
    if m and _QUOTE_HEAD.match(text[: m.start()]):
        return text[m.end() :].strip(), True
    m = _REPLY_TO.match(text)
    if m:
        return text[m.end() :].strip(), True
    m = _MENTION.match(text)
    if m and m.end() < len(text):
        return text[m.end() :].strip(), True
    return text, False


# A list item's number or bullet: 1. 1、 1) (1) ① 一、 第一, - • ·
_ITEM = re.compile(
    r"^[ \t]*(?:(?P<n>\d{1,2})[ \t]*(?:[.、):](?!\d)|[ \t](?=\D))|[(]\d{1,2}[)]|[\u2460-\u2473\u2776-\u277f]"
    r"|[一二三四五六七八九十]{1,2}[、.]|第[一二三四五六七八九十\d]{1,2}[,、:]|[-•·*▪◆●■>][ \t]*)[ \t]*"
)
# A form line: a short label and its value ("时间:11月24日", "节数:1节").
_FORM = re.compile(r"^[ \t]*[\u4e00-\u9fff]{1,5}[ \t]*[:][ \t]*\S")


_INLINE_MARK = re.compile(
    r"(?:(?<=[\s:;,。])|^)(?:(?P<n>[1-9])[.、)]|(?P<c>[\u2460-\u2468]))(?=\D)"
)


def _inline_items(text: str) -> str:
    """ "实小本周工作:1.周二… 2.周四…" typed on one line: items numbered 1, 2, 3 … (or
    ①②③) in order within a line start lines of their own."""
    out: list[str] = []
    for line in text.split("\n"):
        marks = list(_INLINE_MARK.finditer(line))
        nums = [int(m.group("n")) if m.group("n") else ord(m.group("c")) - 0x245F for m in marks]
        if len(marks) >= 2 and nums == list(range(1, len(nums) + 1)):
            cuts = [m.start() for m in marks]
            parts = [line[: cuts[0]]] + [
                line[a:b] for a, b in zip(cuts, [*cuts[1:], len(line)], strict=True)
            ]
            out.extend(p.strip() for p in parts if p.strip())
        else:
            out.append(line)
    return "\n".join(out)


def is_form(text: str) -> bool:
    """Two or more form lines: one event told field by field."""
    return sum(1 for ln in text.split("\n") if _FORM.match(_ITEM.sub("", ln, count=1))) >= 2


@dataclass(frozen=True)
class ListParts:
    header: str
    items: tuple[str, ...]
    footer: tuple[str, ...]
    numbered: bool


def list_parts(text: str) -> ListParts | None:
    """A list in the message, or None. Numbered lists need two items; unnumbered lines
    count as items only when there are two or more after the header and none is a form
    line (a form tells one event: 时间:… 地点:… 授课:…)."""
    text = _inline_items(text)
    lines = [ln for ln in text.split("\n") if ln.strip()]
    if len(lines) < 2:
        return None
    marks = [_ITEM.match(ln) for ln in lines]
    numbered = [i for i, m in enumerate(marks) if m and m.end() < len(lines[i])]
    if len(numbered) >= 2 and is_form(text):
        return None  # "1. 时间:… 2. 地点:…": numbered steps of one form
    if len(numbered) >= 2:
        first, last = numbered[0], numbered[-1]
        items: list[str] = []
        for i in range(first, last + 1):
            m = marks[i]
            if m and i in numbered:
                items.append(lines[i][m.end() :].strip())
            elif items:  # a continuation line belongs to the item above
                items[-1] += "\n" + lines[i].strip()
        return ListParts(
            "\n".join(lines[:first]).strip(),
            tuple(items),
            tuple(ln.strip() for ln in lines[last + 1 :]),
            True,
        )
    if any(_FORM.match(ln) for ln in lines):
        return None
    header = lines[0] if _is_header(lines[0]) else ""
    body = lines[1:] if header else lines
    if len(body) < 2:
        return None
    return ListParts(header, tuple(ln.strip() for ln in body), (), False)


_HEADER_END = re.compile(
    r"[:]\s*$|(?:登记|安排|小结|总结|汇总|情况|记录|接龙|工作|报名|统计|动态|简报)\s*[:]?\s*$"
)


def _is_header(line: str) -> bool:
    s = line.strip()
    return (
        bool(_HEADER_END.search(s))
        or s.startswith("#")
        or (s.startswith("【") and s.endswith("】"))
    )


# Where a clause may start a second report: after , ; 。 ! (or a line break), optionally
# after a connective, a day that is its own.
_CLAUSE_SEP = re.compile(
    r"[,;。!:\n ]\s*(?:然后|接着|另外|此外|同时|之后|随后|而|并且|并|另|"
    r"[一二三四五六七八九十]是|其[一二三四五]|首先|其次|再次|最后)?\s*[,:]?\s*$"
)
# A short label and its colon right before a clause's date ("同步课堂:周二…;送教:周四…")
_LABEL = re.compile(r"(?<=[,;。!\n ])[\u4e00-\u9fff]{1,6}[:]\s*$")
# Characters that bind a following date into the phrase before it (定于12月3日, 从周一,
# 原定周二改到周三, 12月3日至5日): no new clause starts there.
_BINDS = re.compile(r"[于在从至到是为的起自和与、及或改定~\-\d]$")


def clause_starts(text: str, days: list[tuple[int, bool]]) -> list[int]:
    """Offsets where a one-paragraph message may begin its next report: at each date
    (start, whether it is only a time of day) that opens a clause, after a separator or,
    in voice-input run-ons without punctuation, right at the date."""
    out = []
    for s, tod_only in days:
        if s <= 0:
            continue
        if _CLAUSE_SEP.search(text, max(0, s - 6), s):
            cut = max(text.rfind(c, 0, s) for c in ",;。!:\n ") + 1
            label = _LABEL.search(text, 0, cut)
            if label and label.start() > 0:
                cut = label.start()  # "…;送教:周四齐小英语2节": a label heads what follows it
            if cut > 0:
                out.append(cut)
        elif (
            tod_only
            and not _BINDS.search(text, max(0, s - 1), s)
            and re.match(r"上午|下午|晚上|中午", text[s : s + 2])
        ):
            out.append(s)  # "…上了一节示范课下午回实小参加了集体备课"
        elif not tod_only and not _BINDS.search(text, max(0, s - 1), s):
            # "…上了一节数学周三在二小参加了集体备课"; "…一学期;孙慧霞3月起…": a subject
            # right before the date goes with it, back to the separator
            sep = max(text.rfind(c, max(0, s - 12), s) for c in ",;。!\n")
            out.append(sep + 1 if sep >= 0 else s)
    for m in THEN.finditer(text):  # "…,然后又去城关小学听评课"
        out.append(m.end(1))
    return sorted(set(out))


THEN = re.compile(
    r"([,;。])\s*(?:然后|接着|之后|随后|紧接着|后来|再|结束后|课后|会后)又?(?=去|到|赴|回)"
)


# "送教了两次,周二…,周四…" / "周一新民小学、周三城北小学,两次送教都是我上的": a count of
# events and, before or after it, as many clauses each opening with its own day. The count
# says the clauses are that many events: the shared clause is said of each day.
_DAY_OPEN = re.compile(
    r"^(?:(?:上上|下下|上|下|本|这)?(?:周|星期|礼拜)[一二三四五六日天]|\d{1,2}月\d{1,2}[日号]|\d{1,2}[日号])"
)
_TIMES = re.compile(r"了?(?P<n>[两二三四234])次")
_TIMES_N = {"两": 2, "二": 2, "三": 3, "四": 4, "2": 2, "3": 3, "4": 4}
_WEEK_ONLY = re.compile(r"(?P<w>上上|下下|上|下|本|这)(?:周|星期|礼拜)(?![一二三四五六日天])")
_ALL_OF = re.compile(r"(?:都|均|全都)(?=是|为|由|在|很|上)")


def count_apart(text: str) -> str | None:
    """The message with the shared clause repeated in each day's clause, or None when it
    is not that shape (the count must equal the number of day clauses, 2–4)."""
    if "\n" in text:
        return None
    clauses = [c for c in re.split(r"[,;:、。]", text.rstrip("。!")) if c]
    if not 3 <= len(clauses) <= 5:
        return None
    for at in (0, len(clauses) - 1):
        shared = clauses[at]
        days = clauses[1:] if at == 0 else clauses[:-1]
        m = _TIMES.search(shared)
        if (
            m is None
            or _TIMES_N[m.group("n")] != len(days)
            or not all(_DAY_OPEN.match(d) for d in days)
            or _DAY_OPEN.match(shared)
        ):
            continue
        lead = shared[: m.start()] + shared[m.end() :]
        week = _WEEK_ONLY.search(lead)
        prefix = ""
        if week:
            lead = lead[: week.start()] + lead[week.end() :]
            prefix = week.group("w") if week.group("w") in ("上", "下", "上上", "下下") else ""
        lead = _ALL_OF.sub("", lead)
        out = []
        for d in days:
            if prefix and d[0] in "周星礼":
                d = prefix + d
            day = _DAY_OPEN.match(d)
            assert day is not None
            out.append(d[: day.end()] + lead + "," + d[day.end() :] if at == 0 else d + "," + lead)
        return ";".join(out)
    return None


# "今天解小两件事:…;…", "二小今天接待了两批客人:上午…,下午…": a lead that counts the events
# it introduces, then as many parts
_COUNTED_LEAD = re.compile(
    r"^(?P<head>[^:\n]{0,16}?(?P<n>[两二三四234])(?:件事|件|项工作|项活动|项|个活动|场活动|场|批客人|批))"
    r"[^:\n]{0,4}?:(?P<body>[^\n]+)$"
)


def counted_parts(text: str) -> tuple[str, list[str]] | None:
    """(the lead, its parts) when a lead counting N events is followed by exactly N parts
    split at ; (or at , when the body holds no ;), else None."""
    if ":" not in text:
        return None
    m = _COUNTED_LEAD.match(text.strip())
    if m is None:
        return None
    body = m.group("body").rstrip("。!")
    sep = ";" if ";" in body else ","
    parts = [p for p in body.split(sep) if p.strip()]
    if len(parts) != _TIMES_N[m.group("n")]:
        return None
    return m.group("head"), parts
