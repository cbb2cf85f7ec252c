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


@given(texts, st.integers(min_value=4, max_value=200))
def test_shorten_at_line_within_limit(text, limit):
    from bot.platforms.textlimits import shorten_at_line

    out = shorten_at_line(text, limit)
    assert utf8_len(out) <= limit
    assert out == text or out.endswith(("…", "行未显示)"))


def test_long_answers_are_cut_between_lines_with_a_note_or_numbered():
    from bot.platforms.textlimits import shorten_at_line

    text = "\n".join(f"第{i}行:" + "进度" * 20 for i in range(60))
    short = shorten_at_line(text, 2048)
    kept = short.splitlines()[:-1]
    assert all(line in text.splitlines() for line in kept)  # whole lines only
    assert short.splitlines()[-1] == f"(内容较长,后面 {60 - len(kept)} 行未显示)"
    parts = fit_parts(text, 2000, 5)
    assert [p.splitlines()[0] for p in parts] == [
        f"({i}/{len(parts)})" for i in range(1, len(parts) + 1)
    ]
    assert "\n".join(p.split("\n", 1)[1] for p in parts) == text
