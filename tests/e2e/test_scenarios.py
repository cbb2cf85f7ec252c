"""Scenarios through the real HTTP endpoints with fake platforms (SQLite and PostgreSQL)."""

from __future__ import annotations

import asyncio
import datetime as dt
import io
import json
import re

import pytest
from openpyxl import load_workbook
from sqlmodel import Session, select

from storage.models import Identity, InboundMessage, Person, RecordReporter
from tests.e2e.conftest import SELF_ID
from tests.fakes.onebot import hmac_signature


def qq_of(live, name: str) -> int:
    with Session(live.bot.engine) as s:
        return int(
            s.exec(
                select(Identity.user_id)
                .join(Person, Person.id == Identity.person_id)
                .where(Person.name == name, Identity.platform == "onebot")
            ).one()
        )


async def test_teacher_report_second_school_joins_principal_progress_assessment_export(live):
    status, [first] = await live.aibot_say(
        "ZhangWei", "今天我和马欣瑞去解小送课,上了两节语文课《秋天的雨》,听课教师15人"
    )
    assert status == 200
    assert first.startswith("✅ 已记录 #1 送教下乡(已完成)")
    assert "日期:2026-11-23" in first and "学校:福海县第二小学 → 解乡小学" in first
    assert "教师:张炜、马欣瑞" in first and "人数:15人" in first

    # The receiving school's principal reports the same event: it joins, not doubles.
    _, [second] = await live.aibot_say(
        "HaoWuLan", "今天福海二小张炜、马欣瑞两位老师来我校送教,上了两节语文课"
    )
    assert "已并入记录 #1" in second and "同一活动已由张炜上报" in second
    assert live.count() == 1
    with Session(live.bot.engine) as s:
        names = [r.reporter_name for r in s.exec(select(RecordReporter)).all()]
    assert names == ["张炜", "好吾兰"]

    _, [progress] = await live.aibot_say("WuXueHong", "/进度")
    assert "福海县第二小学联盟 指标进度" in progress and "· 解乡小学:" in progress
    _, [school] = await live.aibot_say("WuXueHong", "/进度 解小")
    assert "送教 1/1次 100%(本学期)" in school

    _, [details] = await live.aibot_say("WuXueHong", "/明细")
    assert "#1 2026-11-23 送教下乡" in details and "上报:张炜、好吾兰" in details

    _, [assessment] = await live.aibot_say("WuXueHong", "/考核 2026")
    assert "2026年捆绑考核(百分制)" in assessment and "本校" in assessment and "×80%" in assessment

    _, [export] = await live.aibot_say("WuXueHong", "/导出 本学年")
    assert "私信" in export and "/download/" not in export  # asked in the alliance group
    while live.bot._tasks:
        await asyncio.wait(set(live.bot._tasks), timeout=10)
    private = json.dumps(
        [
            c.body
            for c in live.wecom_api.delivered("message/send")
            if c.body.get("touser") == "WuXueHong"
        ],
        ensure_ascii=False,
    )
    token = re.search(r"/download/([\w-]+)", private).group(1)
    async with live.session.get(f"{live.url}/download/{token}") as r:
        assert r.status == 200
        data = await r.read()
    async with live.session.get(f"{live.url}/download/{token}") as r:
        assert r.status == 410  # one-time link
    wb = load_workbook(io.BytesIO(data))
    assert wb.sheetnames == ["汇总", "活动台账", "交流轮岗", "进度", "考核"]
    ws = wb["活动台账"]
    assert ws["A1"].value == "福海县第二小学联盟 活动台账"
    header = [c.value for c in ws[3]]
    row = dict(zip(header, [c.value for c in ws[4]], strict=True))
    assert ws.freeze_panes == "A4" and ws.auto_filter.ref
    assert row["编号"] == 1
    assert row["日期"] == dt.datetime(2026, 11, 23)
    assert ws.cell(4, header.index("日期") + 1).number_format == "yyyy-mm-dd"
    assert (row["种类"], row["状态"], row["派出→接收"]) == (
        "送教下乡",
        "已完成",
        "福海县第二小学→解乡小学",
    )
    assert (row["教师"], row["学科"], row["课题"], row["人数"], row["节数"]) == (
        "张炜、马欣瑞",
        "语文",
        "秋天的雨",
        15,
        2,
    )
    assert row["上报人"] == "张炜、好吾兰"
    assert row["原始消息"].startswith("今天我和马欣瑞去解小送课")
    assert ws.max_row == 5  # title, period, header, the record, the total


async def test_every_route_accepts_a_report_and_answers(live):
    _, [a] = await live.aibot_say("ZhangWei", "今天我到齐小送教,数学两节")
    assert a.startswith("✅ 已记录")
    _, [b] = await live.app_say("MaXinRui", "昨天我和孙慧霞去一农场小学听评课,研讨了一节英语课")
    assert b.startswith("✅ 已记录") and "联合教研" in b
    _, [c] = await live.onebot_say(qq_of(live, "陈志强"), "今天我在城关小学上了一节展示课《鲸》")
    assert c.startswith("✅ 已记录") and "示范课" in c

    # QQ official: the answer is acked, then posted to the platform's API as a passive reply.
    body = live.qq_body(
        "MEMBER-LU", "今天江滨小学通过直播为淤上乡小学上了一节音乐课", msg_id="ROBOT1.0_qq1"
    )
    assert await live.qq_post(body) == 200
    await live.bot.platforms.drain(timeout=10)
    sent = [c for c in live.qq_api.calls if "/v2/groups/" in c.path]
    assert len(sent) == 1 and sent[0].body["msg_id"] == "ROBOT1.0_qq1"
    assert "请发送 /绑定 你的姓名" in sent[0].body["content"]  # unknown openid: kept pending
    with Session(live.bot.engine) as s:
        pending = s.exec(select(InboundMessage).where(InboundMessage.platform == "qq")).one()
    assert pending.outcome == "pending_bind"

    # OneBot reverse WebSocket: events in, send_group_msg actions out, matched by echo.
    ws_url = live.url.replace("http://", "ws://") + "/onebot/ws"
    async with live.session.ws_connect(
        ws_url, headers={"Authorization": "Bearer ws-token", "X-Self-ID": str(SELF_ID)}
    ) as ws:
        await ws.send_str(
            live.onebot_event(qq_of(live, "黄丽萍"), "今天我到新民小学送课,上了一节数学课").decode()
        )
        frame = await asyncio.wait_for(ws.receive_json(), 15)
        assert frame["action"] == "send_group_msg" and frame["params"]["group_id"] == 80001
        text = json.dumps(frame["params"]["message"], ensure_ascii=False)
        assert "已记录" in text
        await ws.send_json(
            {"status": "ok", "retcode": 0, "data": {"message_id": 5}, "echo": frame["echo"]}
        )
    assert live.count() == 4


async def test_same_delivery_three_times_one_record_three_identical_answers(live):
    text = "今天我到齐小送教,数学两节,听课12人"
    answers = [await live.aibot_say("ZhangWei", text, msgid="same-aibot") for _ in range(3)]
    assert answers[0] == answers[1] == answers[2] and answers[0][0] == 200
    qq = qq_of(live, "陈志强")
    ob = [
        await live.onebot_say(qq, "今天我在城关小学上了一节展示课", message_id=4242)
        for _ in range(3)
    ]
    assert ob[0] == ob[1] == ob[2]
    app = [
        await live.app_say("MaXinRui", "今天我到解小送课,语文一节", msg_id=55555) for _ in range(3)
    ]
    assert app[0] == app[1] == app[2]
    assert live.count() == 3
    # QQ may push one msg_id twice: one record, one reply.
    body = live.qq_body("M2", "今天我到淤上送教", msg_id="ROBOT1.0_dup")
    assert [await live.qq_post(body) for _ in range(3)] == [200, 200, 200]
    await live.bot.platforms.drain(timeout=10)
    assert (
        len([c for c in live.qq_api.calls if c.body and c.body.get("msg_id") == "ROBOT1.0_dup"])
        == 1
    )
    with Session(live.bot.engine) as s:
        rows = s.exec(select(InboundMessage)).all()
    assert len(rows) == 4


async def test_parallel_duplicates_store_once(live):
    results = await asyncio.gather(
        *[live.aibot_say("ZhangWei", "今天我到齐小送教,数学两节", msgid="par-1") for _ in range(3)]
    )
    assert len({tuple(r[1]) for r in results}) == 1
    assert live.count() == 1 and live.inbound() == 1


async def test_bad_signatures_store_nothing(live):
    before = live.inbound()
    payload = {
        "msgid": "x1",
        "aibotid": "B",
        "chatid": "c",
        "chattype": "group",
        "from": {"userid": "ZhangWei"},
        "msgtype": "text",
        "text": {"content": "今天我到齐小送教"},
    }
    query, body = live.aibot.json_callback(payload, live.ts)
    query["msg_signature"] = "0" * 40
    async with live.session.post(f"{live.url}/wecom/aibot", params=query, data=body) as r:
        assert r.status in (401, 403)
    stale_query, stale_body = live.aibot.json_callback(payload, live.ts - 3600)
    async with live.session.post(
        f"{live.url}/wecom/aibot", params=stale_query, data=stale_body
    ) as r:
        assert r.status in (401, 403)
    ev = live.onebot_event(12345, "今天我到齐小送教")
    async with live.session.post(
        f"{live.url}/onebot",
        data=ev,
        headers={"X-Signature": hmac_signature("wrong", ev), "Content-Type": "application/json"},
    ) as r:
        assert r.status == 403
    async with live.session.post(f"{live.url}/onebot", data=ev) as r:
        assert r.status == 401
    qb = live.qq_body("M", "今天我到淤上送教")
    headers = live.qq.headers(qb, live.ts)
    async with live.session.post(f"{live.url}/qq/webhook", data=qb + b" ", headers=headers) as r:
        assert r.status in (401, 403)
    async with live.session.post(
        f"{live.url}/onebot",
        data=b"{not json",
        headers={"X-Signature": hmac_signature("onebot-secret", b"{not json")},
    ) as r:
        assert r.status == 400
    big = b"{" + b" " * (70 * 1024) + b"}"
    async with live.session.post(
        f"{live.url}/onebot",
        data=big,
        headers={"X-Signature": hmac_signature("onebot-secret", big)},
    ) as r:
        assert r.status == 413
    assert live.inbound() == before and live.count() == 0


async def test_healthz_reports_database_and_platforms(live):
    async with live.session.get(f"{live.url}/healthz") as r:
        assert r.status == 200
        body = await r.json()
    assert body["database"]["reachable"] is True
    assert body["database"]["revision"] == body["database"]["head"]
    assert body["platforms"] == {"wecom-aibot": True, "wecom-app": True, "onebot": True, "qq": True}


async def test_unknown_download_link(live):
    async with live.session.get(f"{live.url}/download/nope") as r:
        assert r.status == 404
        assert "链接无效" in await r.text()


@pytest.mark.parametrize("text", ["收到,谢谢!", "好的👍", "明天几点集合?"])
async def test_unaddressed_onebot_chatter_gets_no_answer_and_no_record(live, text):
    status, replies = await live.onebot_say(qq_of(live, "刘文斌"), text, mention=False)
    assert status in (200, 204) and replies == []
    assert live.count() == 0


async def test_unaddressed_onebot_report_is_recorded(live):
    _, [r] = await live.onebot_say(
        qq_of(live, "刘文斌"), "昨天城关小学开展数学集体备课,12位老师参加", mention=False
    )
    assert r.startswith("✅ 已记录") and live.count() == 1


async def test_a_reply_supplies_the_missing_field(live):
    _, [first] = await live.aibot_say("ZhangWei", "我到齐小送教,数学两节")
    assert "还缺:日期" in first
    _, [filled] = await live.aibot_say("ZhangWei", "11月20日")
    assert filled.startswith("已补充记录 #1:日期") and "日期:2026-11-20" in filled
    # Chatter after that is not mistaken for a correction.
    _, [hint] = await live.aibot_say("ZhangWei", "谢谢")
    assert "没有看出这是一条活动记录" in hint
    _, [sync] = await live.aibot_say("ZhangWei", "今天福海二小通过同步课堂给解小上课")
    assert "还缺:节数、学科" in sync
    _, [more] = await live.aibot_say("ZhangWei", "上了两节英语")
    assert "已补充" in more and "节数" in more and "学科" in more and "英语 2节" in more
