"""Several reports in one message, quoted replies and follow-ups, through the real endpoints.

Each test drives the whole bot (adapters, pipeline, parser, storage) with the fake
platforms of tests/e2e/conftest.py and checks what is stored and what the bot answers.
"""

from __future__ import annotations

import re
from datetime import datetime

from sqlmodel import Session, select

from storage.models import AuditLog, Identity, InboundMessage, Person, Record
from tests.e2e.conftest import SELF_ID, SH

FRIDAY = datetime(2026, 11, 27, 17, 30, tzinfo=SH)  # the dev-multi 接龙 was sent then

JIELONG = (
    "#接龙 二小本周送教登记\n1. 马欣瑞 周二 解小 语文2节\n2. 张炜 周三 一农场 数学1节\n"
    "3. 孙慧霞 周四 齐小 英语1节"
)


def records(live) -> list[Record]:
    with Session(live.bot.engine) as s:
        return list(s.exec(select(Record).order_by(Record.id)).all())


def qq_of(live, name: str) -> int:
    with Session(live.bot.engine) as s:
        return int(
            s.exec(
                select(Identity.user_id)
                .join(Person, Person.id == Identity.person_id)
                .where(Person.name == name, Identity.platform == "onebot")
            ).one()
        )


def updates(live) -> list[AuditLog]:
    with Session(live.bot.engine) as s:
        return list(s.exec(select(AuditLog).where(AuditLog.action.in_(("update", "merge")))).all())


async def test_a_three_item_jielong_gives_three_records_listed_by_number(live):
    # An unrelated older record of the same kind and schools: the list must not join it.
    _, [old] = await live.aibot_say("HaoWuLan", "11月24日福海二小老师来我校送教,上了一节科学课")
    assert old.startswith("✅ 已记录 #1")
    live.clock.set(FRIDAY.timestamp())
    _, [reply] = await live.aibot_say("SunHuiXia", JIELONG)
    assert reply.startswith("✅ 已记录 3 条:#2 #3 #4"), reply
    recs = [r for r in records(live) if r.id != 1]
    assert [(r.teachers, r.to_school, str(r.date), r.subject, r.lessons) for r in recs] == [
        (["马欣瑞"], "解乡小学", "2026-11-24", "语文", 2),
        (["张炜"], "一农场小学", "2026-11-25", "数学", 1),
        (["孙慧霞"], "齐干吉迭乡小学", "2026-11-26", "英语", 1),
    ]
    assert all(r.from_school == "福海县第二小学" for r in recs)
    assert records(live)[0].teachers == [] and records(live)[0].subject == "科学"  # untouched
    for r in recs:  # each record is listed with its number and its own details
        assert f"#{r.id} 送教下乡(已完成){r.date}" in reply
    assert "/撤销 编号" in reply
    with Session(live.bot.engine) as s:
        row = s.exec(select(InboundMessage).where(InboundMessage.raw_text == JIELONG)).one()
        assert (row.outcome, row.record_id) == ("recorded", 2)
        assert {r.source_message_id for r in s.exec(select(Record).where(Record.id > 1))} == {
            row.id
        }


async def test_edit_and_undo_touch_only_one_record_of_a_multi_record_message(live):
    live.clock.set(FRIDAY.timestamp())
    _, [reply] = await live.aibot_say("SunHuiXia", JIELONG)
    ids = [int(x) for x in re.findall(r"#(\d+)", reply.splitlines()[0])]
    assert len(ids) == 3, reply
    a, b, c = ids
    _, [edited] = await live.aibot_say("SunHuiXia", f"/修改 {b} 人数 12")
    assert edited.startswith(f"已修改记录 #{b}:人数 空 → 12")
    _, [undone] = await live.aibot_say("SunHuiXia", f"/撤销 {c}")
    assert undone.startswith(f"已撤销记录 #{c}")
    _, [done] = await live.aibot_say("SunHuiXia", f"/完成 {a} 听课9人")
    assert "已经是“已完成”" in done  # a reported 接龙 line is done already: nothing changes
    by_id = {r.id: r for r in records(live)}
    assert (by_id[a].participants, by_id[a].deleted) == (None, False)
    assert (by_id[b].participants, by_id[b].deleted) == (12, False)
    assert (by_id[c].participants, by_id[c].deleted) == (None, True)
    assert live.count() == 2


async def test_a_quoted_thanks_records_nothing_on_every_quote_form(live):
    report = "今天我去解小送课,上了一节数学课"
    _, [first] = await live.aibot_say("ZhangWei", report)
    assert first.startswith("✅ 已记录 #1")
    thanks = "谢谢张老师,孩子们很喜欢!"
    # WeCom AI bot: the `quote` field.
    status, replies = await live.aibot_say(
        "HaoWuLan", thanks, quote={"msgtype": "text", "text": {"content": report}}
    )
    assert (status, replies) == (200, [])
    # WeCom text form: 「某某:…」 + dashes (here through the self-built app).
    status, replies = await live.app_say(
        "LinXiaoYan", f"「张炜：{report}」\n- - - - - - - - - - - - - - -\n{thanks}"
    )
    assert (status, replies) == (200, [])
    # QQ (OneBot): a reply segment naming the quoted message by id, then an @ of its sender.
    zhang, chen = qq_of(live, "张炜"), qq_of(live, "陈志强")
    await live.onebot_say(zhang, "今天我在城关小学上了一节展示课《鲸》", message_id=5001)
    assert live.count() == 2
    status, replies = await live.onebot_say(chen, "谢谢张老师,讲得真好", reply_to=(5001, zhang))
    assert (status, replies) == (204, [])  # OneBot HTTP: no quick reply
    assert live.count() == 2
    assert [r.teachers for r in records(live)] == [["张炜"], ["张炜"]]
    with Session(live.bot.engine) as s:
        texts = [
            m.raw_text
            for m in s.exec(select(InboundMessage).where(InboundMessage.outcome == "chat"))
        ]
    assert texts == [thanks, thanks, "谢谢张老师,讲得真好"]  # the reply alone is stored and read


async def test_a_reply_that_reports_is_read_without_its_quote(live):
    # dm08: a principal asks, a teacher answers with a report in the WeCom text form.
    text = (
        "「吴学红：今天的送教谁来汇报一下？」\n- - - - - - - - - - - - - - -\n"
        "今天上午福海二小马欣瑞老师来我校送教,上了一节美术课,我校8位老师听课"
    )
    _, [reply] = await live.app_say("LinXiaoYan", text)
    assert reply.startswith("✅ 已记录 #1 送教下乡"), reply
    [rec] = records(live)
    assert "吴学红" not in rec.teachers and rec.teachers == ["马欣瑞"]
    assert (rec.from_school, rec.to_school, rec.subject, rec.participants) == (
        "福海县第二小学",
        "解乡小学",
        "美术",
        8,
    )
    assert rec.source_text.startswith("今天上午福海二小")


async def test_a_congratulation_after_a_report_changes_no_record(live):
    _, [first] = await live.aibot_say(
        "LuZhiMi", "今天江滨小学到淤上乡小学送教,上了一节数学课", chat="wrJiangBin"
    )
    assert "还缺:" in first and "教师" in first.split("还缺:")[1], first
    before = records(live)
    status, replies = await live.aibot_say(
        "LuZhiMi", "祝贺淤上乡小学吴丽琼老师获县优质课一等奖!", chat="wrJiangBin"
    )
    assert status == 200 and not any("已补充" in r for r in replies)
    after = records(live)
    assert [(r.teachers, r.schools, r.updated_at) for r in after] == [
        (r.teachers, r.schools, r.updated_at) for r in before
    ]
    assert updates(live) == []
    # A short answer to the bot's question still fills the field.
    _, [filled] = await live.aibot_say("LuZhiMi", "叶潇潇老师", chat="wrJiangBin")
    assert filled.startswith("已补充记录 #1:教师") and "教师:叶潇潇" in filled
    assert records(live)[0].teachers == ["叶潇潇"]


async def test_an_answer_goes_to_the_quoted_report_not_the_latest(live):
    zhang = qq_of(live, "张炜")
    await live.onebot_say(zhang, "今天我们学校到城关小学送教,上了一节数学课", message_id=6001)
    await live.onebot_say(zhang, "今天我们学校到城北小学送教,上了一节语文课", message_id=6002)
    assert [r.teachers for r in records(live)] == [[], []]
    _, [filled] = await live.onebot_say(zhang, "陈志强老师", reply_to=(6001, zhang))
    assert filled.startswith("已补充记录 #1:教师"), filled
    assert [r.teachers for r in records(live)] == [["陈志强"], []]
    # Quoting the bot's reply numbers the record: WeCom AI bot `quote` of "✅ 已记录 #2 …".
    _, [filled] = await live.aibot_say(
        "ZhangWei",
        "黄丽萍老师",
        chat="wrOther",
        quote={"msgtype": "text", "text": {"content": "✅ 已记录 #2 送教下乡"}},
    )
    assert filled.startswith("已补充记录 #2:教师"), filled


async def test_a_short_answer_to_someone_else_fills_nothing(live):
    await live.aibot_say("ZhangWei", "今天我去解小送课,上了一节数学课")
    before = records(live)
    _, replies = await live.aibot_say(
        "ZhangWei", "马欣瑞", quote={"msgtype": "text", "text": {"content": "谁和你一起去的?"}}
    )
    assert not any("已补充" in r for r in replies)
    assert [r.teachers for r in records(live)] == [r.teachers for r in before]


async def test_a_subjectless_report_is_the_senders_from_his_school(live):
    _, [reply] = await live.aibot_say("ZhangWei", "下周三去解小送教,语文两节")
    assert reply.startswith("✅ 已记录 #1 送教下乡(计划中)"), reply
    [rec] = records(live)
    assert rec.teachers == ["张炜"]
    assert (rec.from_school, rec.to_school, str(rec.date)) == (
        "福海县第二小学",
        "解乡小学",
        "2026-12-02",
    )
    assert "还缺" not in reply or "教师" not in reply.split("还缺")[1]


async def test_an_answer_that_fits_several_records_of_a_list_asks_which(live):
    live.clock.set(FRIDAY.timestamp())
    text = (
        "本周我校联盟工作小结:\n①周二实小到溪南中心校送教,上了两节科学课;\n"
        "②周三实小到城关小学送教,上了一节数学课。"
    )
    _, [reply] = await live.aibot_say("ZhengJianHua", text, chat="wrZhangPing")
    assert reply.startswith("✅ 已记录 2 条:#1 #2"), reply
    assert reply.count("还缺:教师") == 2
    _, [asked] = await live.aibot_say("ZhengJianHua", "陈志强老师", chat="wrZhangPing")
    assert "#1、#2 都缺教师" in asked and "/修改 1 教师 张炜" in asked, asked
    assert [r.teachers for r in records(live)] == [[], []]  # nothing guessed
    _, [edited] = await live.aibot_say("ZhengJianHua", "/修改 2 教师 陈志强", chat="wrZhangPing")
    assert edited.startswith("已修改记录 #2")
    assert [r.teachers for r in records(live)] == [[], ["陈志强"]]


async def test_a_list_from_an_unknown_sender_is_kept_and_saved_whole_after_binding(live):
    body = live.qq_body("NEWMEMBER01", JIELONG.replace("二小", "福海二小"))
    live.clock.set(FRIDAY.timestamp())
    assert await live.qq_post(body) == 200
    assert live.count() == 0
    with Session(live.bot.engine) as s:
        assert s.exec(select(InboundMessage.outcome)).all() == ["pending_bind"]
    await live.qq_post(live.qq_body("NEWMEMBER01", "/绑定 孙慧霞"))
    _, [confirmed] = await live.aibot_say("WuXueHong", "/绑定 确认 孙慧霞 qq:NEWMEMBER01")
    assert "已补存" in confirmed, confirmed
    assert [r.teachers for r in records(live)] == [["马欣瑞"], ["张炜"], ["孙慧霞"]]


async def test_two_short_answers_fill_two_missing_fields(live):
    _, [first] = await live.aibot_say("HaoWuLan", "福海二小老师来我校送教,上了一节科学课")
    assert "还缺:日期、" in first and "教师" in first, first
    _, [a] = await live.aibot_say("HaoWuLan", "马欣瑞老师")
    assert a.startswith("已补充记录 #1:教师"), a
    _, [b] = await live.aibot_say("HaoWuLan", "11月20日")
    assert b.startswith("已补充记录 #1:日期"), b
    _, replies = await live.aibot_say("HaoWuLan", "听课15人")  # not asked for: not taken
    assert not any("已补充" in r for r in replies)
    [rec] = records(live)
    assert (rec.teachers, str(rec.date), rec.participants) == (["马欣瑞"], "2026-11-20", None)


async def test_a_qq_reply_to_the_bots_question_fills_the_field(live):
    chen = qq_of(live, "陈志强")
    _, [first] = await live.onebot_say(
        chen, "今天我们学校到城关小学送教,上了一节数学课", message_id=7001
    )
    assert "还缺:" in first and "教师" in first
    # The bot's answer was a quick reply: QQ gives it an id we never stored.
    _, [filled] = await live.onebot_say(
        chen, "黄丽萍老师", mention=False, reply_to=(424242, SELF_ID)
    )
    assert filled.startswith("已补充记录 #1:教师"), filled
    assert records(live)[0].teachers == ["黄丽萍"]


async def test_a_list_item_already_reported_joins_that_record_and_the_rest_are_new(live):
    live.clock.set(FRIDAY.timestamp())
    _, [own] = await live.aibot_say("ZhangWei", "11月25日我到一农场小学送教,上了一节数学课")
    assert own.startswith("✅ 已记录 #1")
    _, [reply] = await live.aibot_say("SunHuiXia", JIELONG)
    assert reply.startswith("✅ 已处理 3 条(新记 2 条,并入已有 1 条):#2 #1 #3"), reply
    assert "已并入同一活动的记录(张炜已上报),不重复计数" in reply
    assert live.count() == 3


async def test_quoting_ones_own_report_on_wecom_answers_for_it(live):
    report = "今天我们学校到解小送教,上了一节数学课"
    _, [first] = await live.aibot_say("ZhangWei", report)
    assert "还缺:" in first and "教师" in first
    await live.aibot_say("ZhangWei", "今天我们学校到齐小送教,上了一节语文课")
    _, [filled] = await live.aibot_say(
        "ZhangWei", "马欣瑞老师", quote={"msgtype": "text", "text": {"content": report}}
    )
    assert filled.startswith("已补充记录 #1:教师"), filled
    assert [r.teachers for r in records(live)] == [["马欣瑞"], []]
