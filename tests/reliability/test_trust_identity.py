"""Issue 12, identities and permissions, through the real endpoints: forged bind
confirmations, another alliance's meetings, and joining someone else's record."""

from __future__ import annotations

import re

from sqlmodel import Session, select

from storage.models import (
    Alliance,
    AuditLog,
    Identity,
    MeetingRule,
    Person,
    Record,
    RecordReporter,
    School,
)


def _identity(live, platform: str, user_id: str) -> Identity | None:
    with Session(live.bot.engine) as s:
        return s.exec(
            select(Identity).where(Identity.platform == platform, Identity.user_id == user_id)
        ).first()


def _person_id(live, name: str) -> int:
    with Session(live.bot.engine) as s:
        return s.exec(select(Person.id).where(Person.name == name)).one()


def _add_admin(live, name: str = "县教育局管理员", wecom: str = "CountyAdmin") -> None:
    """An admin of the county (the sample roster has none), bound on WeCom."""
    with Session(live.bot.engine) as s:
        school = s.exec(select(School).where(School.name == "漳平市实验小学")).one()
        p = Person(name=name, school_id=school.id, role="admin")
        s.add(p)
        s.flush()
        s.add(
            Identity(
                platform="wecom", user_id=wecom, person_id=p.id, confirmed=True, source="roster"
            )
        )
        s.commit()


async def _qq_say(live, member: str, text: str) -> list[str]:
    """A QQ official group message; the texts of the passive replies it got."""
    before = len(live.qq_api.calls)
    body = live.qq_body(member, text)
    assert await live.qq_post(body) == 200
    await live.bot.platforms.drain(timeout=10)
    return [
        c.body["content"]
        for c in live.qq_api.calls[before:]
        if c.delivered and isinstance(c.body, dict) and "content" in c.body
    ]


async def test_forged_confirmation_of_an_admin_or_a_bound_name_needs_an_admin(live):
    _add_admin(live)
    # a stranger in the Zhangping QQ group claims the admin's name, and an already bound teacher
    _, [claim] = await live.onebot_say(999777, "/绑定 县教育局管理员")
    assert "已申请绑定" in claim, claim
    # 郑建华, principal of that alliance, confirms: refused, an admin must do it
    for cmd in ("/绑定 确认 县教育局管理员", "/绑定 确认 县教育局管理员 onebot:999777"):
        _, [r] = await live.onebot_say(200164, cmd)
        assert "管理员" in r and not r.startswith("已确认"), (cmd, r)
    assert not _identity(live, "onebot", "999777").confirmed
    # 陈志强 already has a QQ account (200150): a second one needs an admin
    _, [claim] = await live.onebot_say(999776, "/绑定 陈志强")
    assert "已申请绑定" in claim
    _, [r] = await live.onebot_say(200164, "/绑定 确认 陈志强 onebot:999776")
    assert "管理员" in r and not r.startswith("已确认"), r
    assert not _identity(live, "onebot", "999776").confirmed
    # the admin can, and binds only the account named
    _, [r] = await live.aibot_say("CountyAdmin", "/绑定 确认 陈志强 onebot:999776")
    assert r.startswith("已确认"), r
    ident = _identity(live, "onebot", "999776")
    assert ident.confirmed and ident.person_id == _person_id(live, "陈志强")
    assert not _identity(live, "onebot", "999777").confirmed  # the admin-name claim untouched


async def test_confirmation_names_one_claim_and_binds_only_that_account(live):
    # two QQ-official accounts both claim 吴丽琼 (庆元 alliance; no QQ-official account yet)
    await _qq_say(live, "MEMBER-A", "/绑定 吴丽琼")
    await _qq_say(live, "MEMBER-B", "/绑定 吴丽琼")
    # 邱克红, principal of 庆元, on WeCom: without an account named, nothing is confirmed and
    # the pending claims are listed with their accounts
    _, [r] = await live.aibot_say("QiuKeHong", "/绑定 确认 吴丽琼")
    assert not r.startswith("已确认") and "qq:MEMBER-A" in r and "qq:MEMBER-B" in r, r
    assert not _identity(live, "qq", "MEMBER-A").confirmed
    assert not _identity(live, "qq", "MEMBER-B").confirmed
    _, [r] = await live.aibot_say("QiuKeHong", "/绑定 确认 吴丽琼 qq:MEMBER-B")
    assert r.startswith("已确认") and "qq:MEMBER-B" in r, r
    assert _identity(live, "qq", "MEMBER-B").confirmed
    assert not _identity(live, "qq", "MEMBER-A").confirmed
    # now 吴丽琼 has a QQ account: the other claim needs an admin
    _, [r] = await live.aibot_say("QiuKeHong", "/绑定 确认 吴丽琼 qq:MEMBER-A")
    assert "管理员" in r and not r.startswith("已确认"), r

    # /绑定 列表: bindings and pending claims of his alliance
    _, [lst] = await live.aibot_say("QiuKeHong", "/绑定 列表")
    assert "吴丽琼" in lst and "qq:MEMBER-B" in lst and "qq:MEMBER-A" in lst, lst
    assert "陈志强" not in lst  # another alliance's people are not listed
    # /解绑 removes one binding
    _, [r] = await live.aibot_say("QiuKeHong", "/解绑 qq:MEMBER-B")
    assert r.startswith("已解绑"), r
    assert _identity(live, "qq", "MEMBER-B") is None
    # every change is in the audit log with both accounts
    with Session(live.bot.engine) as s:
        lines = [
            f"{a.field} {a.new_value or ''} {a.old_value or ''}"
            for a in s.exec(select(AuditLog).where(AuditLog.action == "bind")).all()
        ]
    confirm = [x for x in lines if x.startswith("confirm")]
    unbind = [x for x in lines if x.startswith("unbind")]
    assert confirm and "qq:MEMBER-B" in confirm[0] and "wecom:QiuKeHong" in confirm[0], lines
    assert unbind and "qq:MEMBER-B" in unbind[0] and "wecom:QiuKeHong" in unbind[0], lines


async def test_a_principal_cannot_unbind_or_list_another_alliance(live):
    _, [r] = await live.aibot_say(
        "WuXueHong", "/解绑 onebot:200150"
    )  # Fuhai principal, Zhangping teacher
    assert not r.startswith("已解绑") and ("不在" in r or "无权" in r), r
    assert _identity(live, "onebot", "200150").confirmed
    _, [r] = await live.aibot_say("WuXueHong", "/绑定 列表")
    assert "陈志强" not in r and "郑建华" not in r, r  # nor list another alliance's people


async def test_meeting_rights_come_from_the_senders_own_alliance(live):
    # 郑建华 adds a meeting for Zhangping in its QQ group
    _, [r] = await live.onebot_say(200164, "/会议 添加 每月最后一个周五 15:00 联盟总结会")
    zid = int(re.search(r"#(\d+)", r).group(1))
    # 吴学红 (principal of Fuhai) posting in the Zhangping group manages Fuhai's meetings only
    _, [r] = await live.onebot_say(200108, f"/会议 删除 {zid}")
    assert not r.startswith("已删除"), r
    _, [r] = await live.onebot_say(200108, "/会议 添加 每月第一个周一 9:00 福海教研会")
    fid = int(re.search(r"#(\d+)", r).group(1))
    _, [lst] = await live.onebot_say(200108, "/会议")
    assert "福海教研会" in lst and "联盟总结会" not in lst, lst
    with Session(live.bot.engine) as s:
        z = s.get(MeetingRule, zid)
        f = s.get(MeetingRule, fid)
        names = {a.id: a.name for a in s.exec(select(Alliance)).all()}
    assert z.active and names[z.alliance_id] == "漳平市实验小学教育联盟"
    assert names[f.alliance_id] == "福海县第二小学联盟"


EVENT = "2026年11月2日漳平市实验小学陈志强老师到城关小学送课,上了一节数学课《分数》,听课20人"


async def test_joining_a_record_makes_a_reporter_not_an_owner(live):
    _, [a] = await live.onebot_say(200171, EVENT)  # 刘文斌 reports
    rid = int(re.search(r"#(\d+)", a).group(1))
    _, [b] = await live.onebot_say(200150, EVENT)  # 陈志强 (same alliance) re-sends it: joins
    assert f"#{rid}" in b and "并入" in b, b
    # the joiner cannot edit the record, and /撤销 removes only his own report
    _, [r] = await live.onebot_say(200150, f"/修改 {rid} 人数 99")
    assert not r.startswith("已修改"), r
    _, [r] = await live.onebot_say(200150, f"/撤销 {rid}")
    assert "你的上报" in r, r
    with Session(live.bot.engine) as s:
        rec = s.get(Record, rid)
        reporters = [
            x.reporter_name
            for x in s.exec(select(RecordReporter).where(RecordReporter.record_id == rid)).all()
        ]
    assert not rec.deleted and rec.participants == 20
    assert reporters == ["刘文斌"]
    # the owner still can
    _, [r] = await live.onebot_say(200171, f"/撤销 {rid}")
    assert r.startswith("已撤销"), r


async def test_another_alliances_teacher_cannot_join_or_undo_a_record(live):
    _, [a] = await live.onebot_say(200171, EVENT)
    rid = int(re.search(r"#(\d+)", a).group(1))
    # 张炜, a Fuhai teacher, posts the same event text in the Zhangping group
    _, [b] = await live.onebot_say(200087, EVENT)
    assert f"#{rid} " not in b + " " and "并入" not in b, b
    _, [r] = await live.onebot_say(200087, f"/撤销 {rid}")
    assert not r.startswith("已撤销") and "你的上报" not in r, r
    with Session(live.bot.engine) as s:
        rec = s.get(Record, rid)
        names = {x.id: x.name for x in s.exec(select(Alliance)).all()}
        reporters = [
            x.reporter_name
            for x in s.exec(select(RecordReporter).where(RecordReporter.record_id == rid)).all()
        ]
        theirs = s.exec(select(Record).where(Record.id != rid)).all()
    assert not rec.deleted and reporters == ["刘文斌"]
    # his report counts for his own alliance only
    assert all(names[r.alliance_id] == "福海县第二小学联盟" for r in theirs), [
        (r.id, names.get(r.alliance_id)) for r in theirs
    ]
