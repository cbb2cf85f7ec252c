"""The parser's own word cut gives exactly jieba's boundaries (no HMM)."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from handlers.reports import ReportParser
from handlers.reports.segment import _BLOCK, word_ends

CORPUS = Path(__file__).resolve().parents[1] / "data" / "corpus"


def _jieba_ends(parser: ReportParser, block: str) -> tuple[int, ...]:
    pos, ends = 0, [0]
    for word in parser._tk.cut(block, HMM=False):
        pos += len(word)
        ends.append(pos)
    return tuple(ends)


def test_word_ends_match_jieba_on_the_corpus(parser: ReportParser) -> None:
    blocks = {
        m.group()
        for name in ("train.jsonl", "heldout.jsonl")
        for line in (CORPUS / name).read_text("utf-8").splitlines()
        if line.strip()
        for m in _BLOCK.finditer(json.loads(line)["text"])
    }
    assert len(blocks) > 500
    for block in blocks:
        assert word_ends(parser._tk, block) == _jieba_ends(parser, block), block


# Roster names, words that overlap them, ASCII runs (jieba joins single letters and digits)
_PIECES = (
    "福海二小",
    "二小",
    "齐小",
    "解小",
    "了解小组",
    "实小将",
    "真实小故事",
    "送教",
    "同课异构",
    "张炜",
    "abc",
    "a",
    "1",
    "12",
    "x1y",
    "3节",
    "2026",
    "&",
    "_",
    "-",
    "%",
    "#",
    "+",
    ".",
    "小学",
    "中心校",
)
blocks = st.lists(
    st.one_of(
        st.sampled_from(_PIECES),
        st.text(alphabet="的了在到去和一二三小学校中心城关北新民实验送教课aZ09", max_size=4),
    ),
    min_size=1,
    max_size=12,
).map("".join)


@settings(max_examples=300, deadline=None)
@given(text=blocks)
def test_word_ends_match_jieba_on_random_blocks(parser: ReportParser, text: str) -> None:
    for m in _BLOCK.finditer(text):
        assert word_ends(parser._tk, m.group()) == _jieba_ends(parser, m.group())
