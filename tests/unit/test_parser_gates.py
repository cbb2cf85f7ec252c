"""A *_GATE lookahead (the characters every match starts with) only speeds a regex up:
with and without it the matches are the same, at every position."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from handlers.reports import dates, numbers, parser

CORPUS = Path(__file__).resolve().parents[1] / "data" / "corpus"

GATED = [
    (numbers, "_COUNT_NOUN", "_COUNT_GATE"),
    (numbers, "_COUNT_REN", "_COUNT_GATE"),
    (numbers, "_LESSON", "_LESSON_GATE"),
    (dates, "_PERIOD_RX", "_PERIOD_GATE"),
    (parser, "_CANCEL", "_CANCEL_GATE"),
    (parser, "_TOTALS", "_TOTALS_GATE"),
    (parser, "_UNKNOWN_SUFFIX", "_UNKNOWN_SUFFIX_GATE"),
]


def _texts() -> list[str]:
    return [
        json.loads(line)["text"]
        for name in ("train.jsonl", "heldout.jsonl")
        for line in (CORPUS / name).read_text("utf-8").splitlines()
        if line.strip()
    ]


def _same(gated: re.Pattern[str], plain: re.Pattern[str], text: str) -> None:
    def found(rx: re.Pattern[str]) -> list:
        return [(m.span(), m.groupdict()) for m in rx.finditer(text)]

    assert found(gated) == found(plain), text
    for i in range(len(text) + 1):
        a, b = gated.match(text, i), plain.match(text, i)
        assert (a and (a.span(), a.groupdict())) == (b and (b.span(), b.groupdict())), (text, i)


@pytest.mark.parametrize(("module", "name", "gate"), GATED)
def test_gate_changes_no_match_on_the_corpus(module, name: str, gate: str) -> None:
    gated = getattr(module, name)
    prefix = getattr(module, gate)
    assert gated.pattern.startswith(prefix)
    plain = re.compile(gated.pattern.removeprefix(prefix))
    for text in _texts():
        _same(gated, plain, text)


# characters that start or continue the gated patterns, and some that never do
_ALPHABET = (
    "0123456789一二两三四五六七八九十百千零〇各近约超逾将大共合总达计上余多位名个人次节堂"
    "老师学生参加听课去来到没不无缺取暂停作未了第每这那场期轮批累先有我本校们自县"
    "教进中完实小学附职院幼儿园心验部年级个月周天半全当至持直星期礼拜份底末,。 a"
)


@settings(max_examples=200, deadline=None)
@given(text=st.text(alphabet=_ALPHABET, max_size=24))
def test_gate_changes_no_match_on_random_text(text: str) -> None:
    for module, name, gate in GATED:
        gated = getattr(module, name)
        _same(gated, re.compile(gated.pattern.removeprefix(getattr(module, gate))), text)


# A *_HINT is what every match of its pattern contains: where it is missing the pattern is
# not run at all.
HINTED = [
    (numbers, "_COUNT_NOUN", "_NOUN_HINT"),
    (numbers, "_COUNT_REN", "_REN_HINT"),
    (numbers, "_LESSON", "_LESSON_HINT"),
]


@pytest.mark.parametrize(("module", "name", "hint"), HINTED)
def test_hint_is_in_every_match(module, name: str, hint: str) -> None:
    rx, h = getattr(module, name), getattr(module, hint)
    for text in _texts():
        for m in rx.finditer(text):
            assert h.search(m.group()), m.group()


@settings(max_examples=300, deadline=None)
@given(text=st.text(alphabet=_ALPHABET, max_size=24))
def test_hint_is_in_every_match_of_random_text(text: str) -> None:
    for module, name, hint in HINTED:
        if not getattr(module, hint).search(text):
            assert getattr(module, name).search(text) is None, text


@settings(max_examples=300, deadline=None)
@given(text=st.text(alphabet="我校本们学人自县市区省国乡镇x", max_size=12))
def test_self_words_as_first_written(text: str) -> None:
    # the lookbehind for 自 now comes after 我, so that every branch starts with a character
    first = re.compile(r"我校|本校|我们学校|我们|本人|(?<![自])我(?![县市区省国乡镇])")
    assert [m.span() for m in parser._SELF.finditer(text)] == [
        m.span() for m in first.finditer(text)
    ]


_DATE_ALPHABET = (
    "0123456789一二两三四五六七八九十百今明去后本这当下上次月周星期礼拜昨前大早中傍晚刚才天日号年份"
    "底末起开始初每个至到~-—./,午晨儿整往返小学前截止"
)


def _same_dates(text: str) -> None:
    def seen(ms) -> list:
        return [(m.span(), m.lastgroup, m.groups()) for m in ms]

    assert seen(dates._date_matches(text)) == seen(dates._DATE_RX.finditer(text)), text


def test_date_starts_change_no_date_on_the_corpus() -> None:
    for text in _texts():
        _same_dates(text)


@settings(max_examples=500, deadline=None)
@given(text=st.text(alphabet=_DATE_ALPHABET, max_size=16))
def test_date_starts_change_no_date_on_random_text(text: str) -> None:
    _same_dates(text)
