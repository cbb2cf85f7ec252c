"""Database pressure through the real pipeline: 8 concurrent clients, each sending distinct
reports at once over several routes (SQLite: WAL + busy timeout + BEGIN IMMEDIATE;
PostgreSQL: row locks). No record lost or duplicated, never a 500; a 503 (not stored, the
platform delivers again) must be followed by a successful redelivery."""

from __future__ import annotations

import asyncio
import re
import warnings
from collections import Counter

from sqlmodel import Session, select

from storage.models import InboundMessage, Record, RecordReporter
from tests.e2e.conftest import ONEBOT_SECRET, SELF_ID
from tests.fakes.onebot import hmac_signature
from tests.reliability.conftest import ZHANGPING_QQ, report_text

CLIENTS = 8
PER_CLIENT = 8


async def test_concurrent_writers_lose_and_duplicate_nothing(live):
    statuses: Counter[int] = Counter()

    async def onebot(i: int) -> tuple[int, str]:
        body = live.onebot_event(
            ZHANGPING_QQ[i % len(ZHANGPING_QQ)], report_text(i), message_id=500000 + i
        )
        headers = {
            "Content-Type": "application/json",
            "X-Self-ID": str(SELF_ID),
            "X-Signature": hmac_signature(ONEBOT_SECRET, body),
        }
        async with live.session.post(f"{live.url}/onebot", data=body, headers=headers) as r:
            raw = await r.json() if r.status == 200 else await r.text()
            return r.status, str(raw)

    async def aibot(i: int) -> tuple[int, str]:
        day = report_text(i).split("日")[0] + "日"
        status, replies = await live.aibot_say(
            "ZhangWei", f"{day}我到齐小送教,数学一节", msgid=f"press-{i}"
        )
        return status, replies[0] if replies else ""

    async def client(c: int) -> list[tuple[int, int, str]]:
        out = []
        for k in range(PER_CLIENT):
            i = c * PER_CLIENT + k
            status, text = await (aibot(i) if c % 4 == 3 else onebot(i))
            out.append((i, status, text))
        return out

    results = [
        x for chunk in await asyncio.gather(*[client(c) for c in range(CLIENTS)]) for x in chunk
    ]
    statuses.update(s for _, s, _ in results)
    assert set(statuses) <= {200, 503}, statuses  # never a 500
    # A 503 means "not stored, deliver again" (WeCom, QQ and OneBot retry non-2xx). It was
    # seen on SQLite under CPU contention (see the report: the write lock is held for the
    # whole handling, the parser build included). What must hold: a retry stores it once.
    retried = [i for i, s, _ in results if s == 503]
    if retried:
        warnings.warn(f"SQLite/PG pressure: {len(retried)} deliveries answered 503", stacklevel=1)
        again = {i: await (aibot(i) if (i // PER_CLIENT) % 4 == 3 else onebot(i)) for i in retried}
        assert all(s == 200 for s, _ in again.values()), again
        results = [(i, *again[i]) if i in again else (i, s, t) for i, s, t in results]
    assert all("已记录" in t for _, _, t in results), [
        t for _, _, t in results if "已记录" not in t
    ][:3]

    total = CLIENTS * PER_CLIENT
    with Session(live.bot.engine) as s:
        inbound = s.exec(select(InboundMessage)).all()
        records = s.exec(select(Record).where(Record.deleted == False)).all()  # noqa: E712
        reporters = s.exec(select(RecordReporter)).all()
    assert len(inbound) == total and len({(m.platform, m.message_id) for m in inbound}) == total
    assert len(records) == total
    assert all(m.record_id is not None and m.outcome for m in inbound)
    assert sorted(m.record_id for m in inbound) == sorted(r.id for r in records)
    assert len(reporters) == total
    ids = sorted(int(re.search(r"#(\d+)", t).group(1)) for _, _, t in results)
    assert ids == sorted(r.id for r in records)  # every answer names its own record


async def test_concurrent_duplicates_and_distinct_mixed(live):
    """Under the same pressure, duplicates mixed in: each message stored once."""

    async def post(i: int) -> int:
        body = live.onebot_event(
            ZHANGPING_QQ[i % len(ZHANGPING_QQ)], report_text(200 + i), message_id=600000 + i
        )
        headers = {
            "Content-Type": "application/json",
            "X-Self-ID": str(SELF_ID),
            "X-Signature": hmac_signature(ONEBOT_SECRET, body),
        }
        async with live.session.post(f"{live.url}/onebot", data=body, headers=headers) as r:
            await r.read()
            return r.status

    order = [i for i in range(24) for _ in range(2)]
    statuses = await asyncio.gather(*[post(i) for i in order])
    assert set(statuses) <= {200, 503}, Counter(statuses)
    for i in {i for i, s in zip(order, statuses, strict=True) if s == 503}:  # see above
        assert await post(i) == 200
    assert live.inbound() == 24 and live.count() == 24
