"""split_utf8 / truncate_utf8: never over the limit, never half a character."""
from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.platforms.textlimits import fit_parts, split_utf8, truncate_utf8, utf8_len

texts = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=400)
limits = st.integers(min_value=4, max_value=64)


@given(texts, limits)
def test_split_is_lossless_and_within_limit(text, limit):
    parts = split_utf8(text, limit)
    assert "".join(parts) == text
    assert all(0 < utf8_len(p) <= limit for p in parts)


@given(texts, limits)
def test_truncate_within_limit(text, limit):
    out = truncate_utf8(text, limit)
    assert utf8_len(out) <= limit
    assert out == text or out.endswith("…")


@given(texts, limits, st.integers(min_value=1, max_value=5))
def test_fit_parts(text, limit, max_parts):
    parts = fit_parts(text, limit, max_parts)
    assert len(parts) <= max_parts and all(utf8_len(p) <= limit for p in parts)


def test_prefers_line_breaks():
    text = "第一行内容\n第二行内容\n第三行"
    assert split_utf8(text, 34) == ["第一行内容\n第二行内容\n", "第三行"]
    assert split_utf8("abcd efgh", 6) == ["abcd ", "efgh"]  # a space in the second half
    assert split_utf8("ab cdefgh", 6) == ["ab cde", "fgh"]


def test_never_cuts_a_character():
    assert split_utf8("😀😀😀", 5) == ["😀", "😀", "😀"]
    assert truncate_utf8("进度进度进度", 10) == "进度…"


def test_limit_too_small():
    with pytest.raises(ValueError):
        split_utf8("x", 3)
