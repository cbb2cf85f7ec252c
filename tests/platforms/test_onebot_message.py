"""CQ-code string ⇄ segments, with the v11 spec's escaping examples."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from bot.platforms.onebot.message import (
    escape,
    normalize,
    parse_cq,
    plain_text,
    strip_at_self,
    to_cq,
    unescape,
)


def test_spec_text_example():
    text = "- [x] 使用 `&data` 获取地址"
    assert escape(text) == "- &#91;x&#93; 使用 `&amp;data` 获取地址"
    assert unescape(escape(text)) == text


def test_spec_share_example():
    cq = "[CQ:share,title=震惊&#44;小伙睡觉前居然...,url=http://baidu.com/?a=1&amp;b=2]"
    [seg] = parse_cq(cq)
    assert seg == {
        "type": "share",
        "data": {"title": "震惊,小伙睡觉前居然...", "url": "http://baidu.com/?a=1&b=2"},
    }
    assert to_cq([seg]) == cq


def test_unescape_amp_last():
    assert unescape("&amp;#91;") == "&#91;"
    assert unescape("&amp;amp;") == "&amp;"


def test_parse_mixed():
    segs = parse_cq("[CQ:reply,id=5][CQ:at,qq=10001000] 你好[CQ:face,id=178]&#91;x&#93;")
    assert [s["type"] for s in segs] == ["reply", "at", "text", "face", "text"]
    assert segs[1]["data"] == {"qq": "10001000"} and segs[4]["data"]["text"] == "[x]"
    assert parse_cq("[CQ:shake]") == [{"type": "shake", "data": {}}]
    assert parse_cq("半个 [CQ:at,qq=1") == [{"type": "text", "data": {"text": "半个 [CQ:at,qq=1"}}]


def test_at_self_and_plain_text():
    segs, at_me = strip_at_self(
        normalize("[CQ:at,qq=10001000] hello [CQ:at,qq=42][CQ:at,qq=all]"), "10001000"
    )
    assert at_me and plain_text(segs) == "hello @42@全体成员"
    assert strip_at_self(normalize("[CQ:at,qq=1000100] x"), "10001000")[1] is False


text_st = st.text(
    alphabet=st.characters(codec="utf-8", categories=("L", "N", "P", "S", "Zs")), max_size=30
)
seg_st = st.one_of(
    text_st.filter(bool).map(lambda t: {"type": "text", "data": {"text": t}}),
    st.builds(
        lambda k, v: {"type": "face", "data": {k: v}},
        st.text(alphabet="abcdefgh", min_size=1, max_size=5),
        text_st,
    ),
)


@given(st.lists(seg_st, max_size=6))
def test_roundtrip(segments):
    merged: list[dict] = []
    for s in segments:  # adjacent text segments read back as one
        if merged and s["type"] == merged[-1]["type"] == "text":
            merged[-1] = {
                "type": "text",
                "data": {"text": merged[-1]["data"]["text"] + s["data"]["text"]},
            }
        else:
            merged.append(s)
    assert parse_cq(to_cq(segments)) == merged


@given(text_st)
def test_escape_roundtrip(text):
    assert unescape(escape(text, in_param=True)) == text
    assert "[" not in escape(text) and "," not in escape(text, in_param=True)
