"""佐证材料 on QQ groups through OneBot: pictures after a report (the URL NapCat/Lagrange
put in `image`/`file` segments, served here from loopback) are stored beside the record."""

from __future__ import annotations

import hashlib
import json
import re

from aiohttp import web
from aiohttp.test_utils import TestServer
from sqlmodel import Session, select

from storage.models import EvidenceFile, InboundMessage
from tests.e2e.conftest import ONEBOT_SECRET, SELF_ID
from tests.fakes.onebot import hmac_signature

PHOTO = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 30


async def media_server() -> TestServer:
    async def get(request: web.Request) -> web.Response:
        if request.match_info["name"] == "big.jpg":
            return web.Response(body=b"x" * (2 * 1024 * 1024))
        return web.Response(body=PHOTO, content_type="image/png")

    app = web.Application()
    app.router.add_get("/qqmedia/{name}", get)
    server = TestServer(app, host="127.0.0.1")
    await server.start_server()
    return server


async def post(live, qq: int, segments: list, message_id: int) -> tuple[int, str]:
    body = json.dumps(
        {
            "time": live.ts,
            "self_id": SELF_ID,
            "post_type": "message",
            "message_type": "group",
            "sub_type": "normal",
            "message_id": message_id,
            "group_id": 80001,
            "user_id": qq,
            "anonymous": None,
            "message": segments,
            "raw_message": "",
            "font": 0,
            "sender": {"user_id": qq, "nickname": "n", "card": "", "role": "member"},
        },
        ensure_ascii=False,
    ).encode()
    headers = {
        "Content-Type": "application/json",
        "X-Self-ID": str(SELF_ID),
        "X-Signature": hmac_signature(ONEBOT_SECRET, body),
    }
    async with live.session.post(f"{live.url}/onebot", data=body, headers=headers) as r:
        raw = await r.read()
        if not raw:
            return r.status, ""
        reply = json.loads(raw)["reply"]
        return r.status, reply if isinstance(reply, str) else "".join(
            s["data"].get("text", "") for s in reply if s["type"] == "text"
        )


async def test_picture_after_report_is_stored_with_the_record(live):
    media = await media_server()
    try:
        url = str(media.make_url("/qqmedia/a.png"))
        status, [text] = await live.onebot_say(200101, "今天我到齐小送教,数学两节", message_id=501)
        m = re.search(r"#(\d+)", text)
        assert status == 200 and m, text
        rid = int(m.group(1))
        # A picture without @ right after the report: attached, answered.
        status, text = await post(
            live, 200101, [{"type": "image", "data": {"file": "a.png", "url": url}}], 502
        )
        assert status == 200 and f"#{rid}" in text and "共 1 份" in text, text
        # The same picture again, quoting the report: one file, not two.
        status, text = await post(
            live,
            200101,
            [{"type": "reply", "data": {"id": "501"}}, {"type": "image", "data": {"url": url}}],
            503,
        )
        assert "已经附在" in text
        # Someone else's holiday photo in the group: silent, nothing attached.
        status, text = await post(live, 200087, [{"type": "image", "data": {"url": url}}], 504)
        assert status == 204 and text == ""
        # Too large: refused, nothing stored.
        live.bot.settings.evidence.max_bytes = 1024 * 1024
        status, text = await post(
            live,
            200101,
            [{"type": "image", "data": {"url": str(media.make_url("/qqmedia/big.jpg"))}}],
            505,
        )
        with Session(live.bot.engine) as s:
            files = s.exec(select(EvidenceFile)).all()
            assert [(f.record_id, f.sha256) for f in files] == [
                (rid, hashlib.sha256(PHOTO).hexdigest())
            ]
            assert (live.bot.settings.data_path / files[0].path).read_bytes() == PHOTO
            rows = {r.message_id: r.outcome for r in s.exec(select(InboundMessage)).all()}
        assert rows["502"] == "evidence" and rows["504"] == "ignored"
        # The ledger lists the file beside its record.
        import datetime as dt
        import io

        from openpyxl import load_workbook

        from handlers.export import export_workbook
        from handlers.periods import parse_period
        from storage.models import Record

        with Session(live.bot.engine) as s:
            rec = s.get(Record, rid)
            data = export_workbook(
                s,
                rec.alliance_id,
                parse_period("本学期", dt.date(2026, 11, 23), live.bot.settings.terms),
                live.bot.settings,
                today=dt.date(2026, 11, 23),
            )
        wb = load_workbook(io.BytesIO(data))
        acts = {r[0]: r for r in wb["活动台账"].iter_rows(min_row=2, values_only=True)}
        assert acts[rid][-1] == "1 份"
        [ev] = list(wb["佐证材料"].iter_rows(min_row=4, values_only=True))  # title rows, header
        assert ev[0] == rid and ev[4] == files[0].path
    finally:
        await media.close()
