"""A teacher (or principal) of one alliance cannot read, change or export another alliance's
records, nor run principal or admin commands: tried through the real endpoints."""

from __future__ import annotations

import re

from sqlalchemy import func
from sqlmodel import Session, select

from storage.models import ChatGroup, DownloadLink, Identity, Record


def _snapshot(live, rid: int) -> tuple:
    with Session(live.bot.engine) as s:
        r = s.get(Record, rid)
        return (
            r.deleted,
            r.date,
            r.status,
            r.kind,
            tuple(r.teachers or ()),
            r.subject,
            r.participants,
            r.alliance_id,
            tuple(r.schools or ()),
        )


def _count(live, model, *where) -> int:
    with Session(live.bot.engine) as s:
        return s.exec(select(func.count()).select_from(model).where(*where)).one()


def _groups(live) -> list[tuple]:
    with Session(live.bot.engine) as s:
        return sorted(
            (g.platform, g.chat_id, g.alliance_id, g.purpose)
            for g in s.exec(select(ChatGroup)).all()
        )


async def _other_alliance_record(live) -> tuple[int, int]:
    """Two records of the Zhangping alliance (OneBot group 80001), reported by its teachers."""
    _, [a] = await live.onebot_say(
        200150, "2026年11月2日我到城关小学送课,上了一节数学课《分数》,听课20人"
    )
    _, [b] = await live.onebot_say(200171, "2026年11月3日城关小学开展语文集体备课,12位老师参加")
    ids = [int(re.search(r"#(\d+)", x).group(1)) for x in (a, b)]
    assert all(x.startswith("✅ 已记录") for x in (a, b)), (a, b)
    return ids[0], ids[1]


DENIED = ("不是你上报的", "无权", "只有", "不能", "不认识", "没有权限", "权限", "不在", "仅")


def assert_no_leak(reply: str, cmd: str) -> None:
    """Nothing of the other alliance's records shows: title, reporters, contents."""
    for secret in ("分数", "陈志强", "集体备课", "听课20人", "20人", "上报:"):
        assert secret not in reply, (cmd, reply)


def assert_denied(reply: str) -> None:
    assert not reply.startswith(("✅", "已撤销", "已修改", "已导出", "已确认", "本群已绑定")), reply
    assert any(w in reply for w in DENIED), reply


async def test_teacher_of_other_alliance_cannot_touch_records_or_run_staff_commands(live):
    a, b = await _other_alliance_record(live)
    before = {rid: _snapshot(live, rid) for rid in (a, b)}
    groups = _groups(live)
    # a pending bind request in the Zhangping group, by someone not yet known
    _, [claim] = await live.onebot_say(999777, "/绑定 黄丽萍")
    assert "已申请绑定" in claim

    # 张炜, a teacher of the Fuhai alliance, in his WeCom group and in the Zhangping QQ group
    for say in (lambda t: live.aibot_say("ZhangWei", t), lambda t: live.onebot_say(200087, t)):
        for cmd in (
            f"/撤销 {a}",
            f"/撤销 #{b}",
            f"/修改 {a} 日期 2025-01-01",
            f"/修改 {b} 人数 99",
            f"/完成 {a} 听课15人",
            "/明细 城关小学",
            "/明细 漳平市实验小学",
            "/明细 实小 本学年",
            "/导出",
            "/导出 本学年",
            "/考核",
            "/考核 2026",
            "/统计",
            "/交流",
            "/绑定群 漳平市实验小学教育联盟",
            "/绑定群 福海县第二小学联盟 校长群",
            "/绑定 确认 黄丽萍",
        ):
            status, replies = await say(cmd)
            assert status == 200, (cmd, status)
            assert replies, cmd
            assert_denied(replies[0])
            assert_no_leak(replies[0], cmd)
        # /明细 without arguments shows only the teacher's own school: not the other records
        _, [own] = await say("/明细")
        assert_no_leak(own, "/明细")

    assert {rid: _snapshot(live, rid) for rid in (a, b)} == before
    assert _count(live, DownloadLink) == 0
    assert _groups(live) == groups
    assert (
        _count(live, Identity, Identity.claimed_name == "黄丽萍", Identity.confirmed == False) == 1  # noqa: E712
    )


async def test_principal_of_other_alliance_cannot_touch_records_or_confirm_binds(live):
    a, b = await _other_alliance_record(live)
    before = {rid: _snapshot(live, rid) for rid in (a, b)}
    groups = _groups(live)
    _, [claim] = await live.onebot_say(999778, "/绑定 刘文斌")
    assert "已申请绑定" in claim

    # 吴学红, a principal of the Fuhai alliance (WeCom and her QQ number in the Zhangping group)
    for say in (lambda t: live.aibot_say("WuXueHong", t), lambda t: live.onebot_say(200108, t)):
        for cmd in (
            f"/撤销 {a}",
            f"/修改 {a} 日期 2025-01-01",
            f"/修改 {b} 状态 计划中",
            f"/完成 {b}",
            "/明细 城关小学",
            "/明细 新民小学 本学年",
            "/导出 漳平市实验小学教育联盟",
            "/考核 漳平市实验小学教育联盟",
            "/统计 城关小学",
            "/绑定群 漳平市实验小学教育联盟",
            "/绑定 确认 刘文斌",
        ):
            status, replies = await say(cmd)
            assert status == 200 and replies, (cmd, status)
            assert_denied(replies[0])
            assert_no_leak(replies[0], cmd)
        # her own reports and exports cover only her own alliance
        _, [mine] = await say("/明细")
        assert_no_leak(mine, "/明细")

    assert {rid: _snapshot(live, rid) for rid in (a, b)} == before
    assert _groups(live) == groups
    with Session(live.bot.engine) as s:
        links = s.exec(select(DownloadLink)).all()
        zhangping = s.get(Record, a).alliance_id
    assert all(link.alliance_id != zhangping for link in links)
    assert (
        _count(live, Identity, Identity.claimed_name == "刘文斌", Identity.confirmed == False) == 1  # noqa: E712
    )


async def test_own_alliance_principal_can_still_do_it(live):
    """The control case: the same commands work for the right people (so the denials above
    are permission checks, not broken commands)."""
    a, b = await _other_alliance_record(live)
    _, [r] = await live.onebot_say(
        200164, f"/修改 {a} 人数 25"
    )  # 郑建华, principal of that alliance
    assert "25" in r and not any(w in r for w in ("不是你上报的", "无权")), r
    _, [r] = await live.onebot_say(200164, "/明细 城关小学")
    assert f"#{a} " in r and f"#{b} " in r, r
    _, [r] = await live.onebot_say(200171, f"/撤销 {b}")  # the reporter
    assert r.startswith("已撤销"), r
    _, [r] = await live.onebot_say(200164, "/导出")
    assert r.startswith("已导出"), r
