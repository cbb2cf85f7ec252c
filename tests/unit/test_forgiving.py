"""handlers.forgiving: how loosely typed commands are read (pure, over the real router)."""

from __future__ import annotations

import pytest

from handlers.commands import build_router
from handlers.forgiving import number_value, resolve, unknown_reply

ROUTER = build_router()


@pytest.mark.parametrize(
    ("text", "addressed", "command", "args"),
    [
        ("/统计本学期", False, "统计", ["本学期"]),
        ("/进度城关小学", False, "进度", ["城关小学"]),
        ("/撤消 12", False, "撤销", ["12"]),
        ("/修改 13 人数:22", False, "修改", ["13", "人数", "22"]),
        ("/修改 13 人数=22", False, "修改", ["13", "人数", "22"]),
        ("／進度", False, "进度", []),
        (
            "/会议 添加 12月18日 15:00 期末质量分析会",
            False,
            "会议",
            ["添加", "12月18日", "15:00", "期末质量分析会"],
        ),
        ("进度", True, "进度", []),
        ("统计本学期", True, "统计", ["本学期"]),
        ("明细 送教", True, "明细", ["送教"]),
        # an account named in a confirmation is one word, not "field:value"
        ("/绑定 确认 叶潇潇 qq:4D7DADE7422C", False, "绑定", ["确认", "叶潇潇", "qq:4D7DADE7422C"]),
        ("/绑定 确认 张炜 onebot:200087", False, "绑定", ["确认", "张炜", "onebot:200087"]),
        ("会议", True, "会议", []),
    ],
)
def test_understood(text, addressed, command, args):
    r = resolve(ROUTER, text, addressed=addressed)
    assert r is not None and r.spec is not None and (r.spec.name, r.args) == (command, args)


@pytest.mark.parametrize(
    ("text", "addressed"),
    [
        ("进度", False),  # not addressed to the bot: chatter
        ("统计局的同志今天到解小视导", True),  # a report that begins like a command word
        ("会议 今天下午在城关小学召开", True),  # 会议 with more words is a report
        ("今天我到解小送教,数学两节", True),
    ],
)
def test_not_a_command(text, addressed):
    assert resolve(ROUTER, text, addressed=addressed) is None


@pytest.mark.parametrize(
    ("text", "suggestion"),
    [
        ("/统记 本学期", "/统计 本学期"),
        ("/进渡", "/进度"),
        ("/考合 2026", "/考核 2026"),
    ],
)
def test_near_miss_is_suggested_not_run(text, suggestion):
    r = resolve(ROUTER, text, addressed=False)
    assert r is not None and r.spec is None
    assert f"你是不是想发 {suggestion}?" in unknown_reply(r)


@pytest.mark.parametrize(
    ("value", "n"),
    [
        ("22", 22),
        ("两节", 2),
        ("十五人", 15),
        ("22 人", 22),
        ("三十", 30),
        ("x", None),
        ("1.5", None),
    ],
)
def test_number_value(value, n):
    assert number_value(value) == n


def test_screen_markdown_colours_warnings_and_escapes_the_rest():
    from handlers.screen import markdown, plain, warn

    text = f"· 城关*小学<@all>:{warn('落后 2 项')}\n# 标题"
    md = markdown(text)
    assert '<font color="warning">落后 2 项</font>' in md
    assert "<@all>" not in md and "*" not in md and not md.splitlines()[1].startswith("#")
    assert plain(text) == "· 城关*小学<@all>:落后 2 项\n# 标题"
