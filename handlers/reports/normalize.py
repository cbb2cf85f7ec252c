"""Text clean-up before parsing: traditional → simplified, full width → half width, noise out.

Everything downstream (gazetteer, vocabulary, dates) is written against simplified text with
ASCII digits and punctuation, so this is the only place that has to know about phone input:
full-width digits from a Chinese IME, emoji, WeChat ``[微笑]`` codes, zero-width characters and
messages typed with a traditional-character keyboard.
"""

from __future__ import annotations

import re

import opencc

# Long enough for any real report; a 10,000-character paste is a forwarded document, and
# cutting it keeps the worst case of every later pass bounded.
MAX_CHARS = 4000

_T2S = opencc.OpenCC("t2s")  # ~3 ms to build, ~2 µs per message: cheap enough to do always

# Full-width ASCII (U+FF01–FF5E) → ASCII; the ideographic space → space. Chinese
# punctuation that has no ASCII twin (。、《》“”) is left alone on purpose: 、 separates list
# items and 《》 delimit titles. 〈〉 are the single angle brackets some traditional-script
# writers use for titles.
_WIDTH = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
_WIDTH.update(
    {
        0x3000: 0x20,
        0x3008: 0x300A,
        0x3009: 0x300B,
        0x2014: 0x2D,
        0x2013: 0x2D,
        0x301C: 0x7E,
        0xFF5E: 0x7E,
        0x2028: 0x0A,
        0x2029: 0x0A,
        0x0D: 0x0A,
        0x09: 0x20,
    }
)

# Every step below first asks whether the text holds anything it would change: most
# messages have no full-width characters, arrows, emoji or runs of spaces, and a search for
# one character class runs at C speed, several times faster than the step itself
# (translate() looks every character up; the emoji and arrow patterns start with branches).
_WIDE = re.compile("[" + "".join(re.escape(chr(cp)) for cp in sorted(_WIDTH)) + "]")

# C0/C1 controls (but not \n), zero-width characters, BOM and lone surrogates (which the
# OpenCC binding cannot encode). Removed outright.
_CONTROL = re.compile(
    "[\x00-\x09\x0b-\x1f\x7f-\x9f\u200b-\u200c\u200e\u200f\u2060\ufeff\ud800-\udfff]"
)
# Emoji, pictographs, dingbats, variation selectors, ZWJ, keycaps, tags, and WeChat/WeCom
# text emoticons such as [微笑] [强]. Replaced by a space so they still separate words.
_EMOJI = re.compile(
    "[\U0001f000-\U0001faff\u2600-\u27bf\u2b00-\u2bff\u2190-\u21ff\u2300-\u23ff"
    "\ufe00-\ufe0f\u200d\u20e3\U000e0000-\U000e007f\u3030\u303d\u3297\u3299]+"
    r"|\[[\u4e00-\u9fff]{1,4}\]"
)
_EMOJI_HINT = re.compile(  # the first character of every _EMOJI match
    "[\U0001f000-\U0001faff\u2600-\u27bf\u2b00-\u2bff\u2190-\u21ff\u2300-\u23ff"
    "\ufe00-\ufe0f\u200d\u20e3\U000e0000-\U000e007f\u3030\u303d\u3297\u3299[]"
)
# "马欣瑞→齐小": an arrow between a person or school and a school says where they went.
_ARROW = re.compile(r"\s*(?:→|->|=>|⇒|➡|➔|—>|-->)\s*")
_ARROW_HINT = re.compile("[→⇒➡➔>]")  # in every arrow
_SPACES = re.compile(r"[ \u00a0]+")
_NEWLINES = re.compile(r" *\n[\n ]*")


# Characters that are valid in simplified Chinese too (names: 於 is a surname, 乾 starts
# 乾元/乾县) but that t2s still maps (於 → 于, 乾 → 干 outside its phrase table).
_VALID_SIMPLIFIED = frozenset("乾於")


def to_simplified(text: str) -> str:
    """Traditional → simplified, leaving simplified text exactly as written: a message
    whose only "traditional" characters are ones simplified Chinese also uses (於老师,
    乾元小学) is not converted at all."""
    try:
        out = _T2S.convert(text)
    except Exception:  # pragma: no cover - OpenCC only fails on unencodable input, removed above
        return text
    if out == text:
        return text
    if len(out) == len(text) and all(
        a == b or a in _VALID_SIMPLIFIED for a, b in zip(text, out, strict=True)
    ):
        return text
    return out


# a bracketed short label and its value: 【地点】淤上乡小
_BRACKET_FIELD = re.compile(r"【([^】\n]{1,4})】\s*([^【|｜\n]+?)\s*(?:[|｜]\s*|(?=【)|$)")


def _bracket_fields(text: str) -> str:
    """ "【活动】同课异构|【地点】淤上乡小|【人数】9": a line of two or more bracketed labels
    with their values is form lines, one field a line (活动:同课异构 / 地点:淤上乡小 …); a
    line with one bracketed header (【实小本周送教】) stays as it is."""
    out: list[str] = []
    for line in text.split("\n"):
        fields = list(_BRACKET_FIELD.finditer(line))
        if len(fields) >= 2 and "".join(m.group() for m in fields) == line.strip():
            out.extend(f"{m.group(1)}:{m.group(2)}" for m in fields)
        else:
            out.append(line)
    return "\n".join(out)


def normalize(text: object) -> str:
    """Return simplified, half-width, emoji-free text; never raises."""
    if not isinstance(text, str):
        return ""
    text = text[:MAX_CHARS]
    if _WIDE.search(text):
        text = text.translate(_WIDTH)
    if _ARROW_HINT.search(text):
        text = _ARROW.sub("到", text)
    text = _CONTROL.sub("", text)
    if _EMOJI_HINT.search(text):
        text = _EMOJI.sub(" ", text)
    text = to_simplified(text)
    if "】" in text:
        text = _bracket_fields(text)
    if "\n" in text:
        text = _NEWLINES.sub("\n", text)
    if " " in text or "\u00a0" in text:
        text = _SPACES.sub(" ", text)
    return text.strip()
