"""Group commit: deliveries arriving together share a transaction, and keep every guarantee.

Each answer follows its own row's commit; a duplicate in the same batch (or of a committed
message) is answered from the stored reply; a message whose handler fails is rolled back
alone, stored with outcome "error" and answered with the apology, and the rest of its
batch is recorded. SQLite and PostgreSQL (the `engine` fixture)."""

from __future__ import annotations

import asyncio
import datetime as dt

from sqlalchemy import func
from sqlmodel import Session, select

from bot.pipeline import APOLOGY
from handlers.events import Reply
from handlers.messages import MessageHandler, Outcome
from storage.models import AuditLog, InboundMessage, Record, RecordReporter
from tests.integration.test_pipeline import make_pipeline, msg

FIRST = dt.date(2025, 3, 3)


def report(i: int) -> str:
    day = FIRST + dt.timedelta(days=i)
    return f"{day.month}月{day.day}日我到福海县第一小学送课,上了一节语文课"


class BrokenOnWord(MessageHandler):
    """A handler with a bug that shows on one word only (stands for any handler failure)."""

    def handle(self, ctx, parsed=None) -> Outcome:
        if "故障" in ctx.message.text:
            ctx.session.flush()
            raise RuntimeError("handler bug")
        return super().handle(ctx, parsed)


async def test_a_burst_shares_batches_and_every_message_is_stored_once(engine):
    p = make_pipeline(engine)
    try:
        msgs = [msg(report(i), mid=f"burst{i}") for i in range(40)]
        replies = await asyncio.gather(*[p(m) for m in msgs])
        assert all(r is not None and "已记录" in r.text for r in replies), replies
        assert p.writer.jobs == 40 and p.writer.batches < 40  # some messages shared a commit
        with Session(engine) as s:
            rows = s.exec(select(InboundMessage)).all()
            assert sorted(r.message_id for r in rows) == sorted(m.message_id for m in msgs)
            assert all(r.outcome == "recorded" and r.record_id for r in rows)
            assert s.exec(select(func.count()).select_from(Record)).one() == 40
            assert s.exec(select(func.count()).select_from(RecordReporter)).one() == 40
            assert s.exec(select(func.count()).select_from(AuditLog)).one() == 40
            by_id = {r.message_id: r for r in rows}
        for m, r in zip(msgs, replies, strict=False):
            assert by_id[m.message_id].reply_text == r.text
    finally:
        p.close()


async def test_a_failing_message_and_duplicates_do_not_fail_their_batch(engine):
    p = make_pipeline(engine)
    p.handler = BrokenOnWord(p.handler.router, p.handler.parsers)
    try:
        committed = msg(report(100), mid="dup-committed")
        first = await p(committed)
        assert first is not None and "已记录" in first.text
        batch = [
            msg(report(101), mid="b1"),
            msg(report(102) + "故障", mid="bad"),
            msg(report(103), mid="b3"),
            msg(report(103), mid="b3"),  # same delivery twice
            committed,
            msg(report(104), mid="b5"),
        ]
        replies = await asyncio.gather(*[p(m) for m in batch])
        texts = [r.text if r else None for r in replies]
        assert p.writer.batches < p.writer.jobs  # they did share a batch
        assert "已记录" in texts[0] and "已记录" in texts[2] and "已记录" in texts[5], texts
        assert texts[1] == APOLOGY
        assert texts[3] == texts[2]  # the duplicate got the stored reply
        assert texts[4] == first.text  # a re-delivery of a committed message too
        with Session(engine) as s:
            rows = {r.message_id: r for r in s.exec(select(InboundMessage)).all()}
            assert set(rows) == {"dup-committed", "b1", "bad", "b3", "b5"}
            assert rows["bad"].outcome == "error" and rows["bad"].reply_text == APOLOGY
            assert rows["bad"].record_id is None
            assert all(rows[k].outcome == "recorded" for k in ("b1", "b3", "b5", "dup-committed"))
            # nothing of the failed handler's work survived; one record per other message
            assert s.exec(select(func.count()).select_from(Record)).one() == 4
            assert s.exec(select(func.count()).select_from(RecordReporter)).one() == 4
    finally:
        p.close()


def test_process_outside_a_loop_is_its_own_transaction(engine):
    p = make_pipeline(engine)
    a = p.process(msg(report(200), mid="sync1"))
    b = p.process(msg(report(200), mid="sync1"))
    assert a is not None and b is not None and a.text == b.text and "已记录" in a.text
    with Session(engine) as s:
        assert s.exec(select(func.count()).select_from(InboundMessage)).one() == 1
    p.close()


class BadOutcomeOnWord(MessageHandler):
    """A handler whose reply cannot be stored (a lone surrogate is no UTF-8): the message's
    last write fails."""

    def handle(self, ctx, parsed=None) -> Outcome:
        out = super().handle(ctx, parsed)
        if "坏编号" in ctx.message.text:
            return Outcome(
                Reply(out.reply.text + "\ud800"), out.outcome, out.record_id, out.record_ids
            )
        return out


async def test_a_failing_last_write_fails_its_own_message_only(engine):
    p = make_pipeline(engine)
    p.handler = BadOutcomeOnWord(p.handler.router, p.handler.parsers)
    try:
        batch = [
            msg(report(300 + i) + ("坏编号" if i in (2, 5) else ""), mid=f"w{i}") for i in range(6)
        ]
        replies = await asyncio.gather(*[p(m) for m in batch])
        texts = [r.text if r else None for r in replies]
        assert p.writer.batches < p.writer.jobs
        assert texts[2] == texts[5] == APOLOGY, texts
        assert all("已记录" in texts[i] for i in (0, 1, 3, 4)), texts
        with Session(engine) as s:
            rows = {r.message_id: r for r in s.exec(select(InboundMessage)).all()}
            assert {k: rows[k].outcome for k in rows} == {
                "w0": "recorded",
                "w1": "recorded",
                "w2": "error",
                "w3": "recorded",
                "w4": "recorded",
                "w5": "error",
            }
            assert s.exec(select(func.count()).select_from(Record)).one() == 4
        # and alone (a batch of one): the same
        alone = await p(msg(report(310) + "坏编号", mid="w-alone"))
        assert alone is not None and alone.text == APOLOGY
    finally:
        p.close()


async def test_two_reports_of_one_event_in_one_burst_make_one_record(engine):
    """Two reports of one event arriving together (in one batch or in two) make one
    record: the second joins the first."""
    p = make_pipeline(engine)
    try:
        burst = []
        for i in range(12):
            day = FIRST + dt.timedelta(days=400 + i)
            text = f"{day.month}月{day.day}日张炜和马欣瑞到福海县第一小学送课,上了一节语文课"
            burst += [msg(text, "ZhangWei", mid=f"ev{i}a"), msg(text, "MaXinRui", mid=f"ev{i}b")]
        replies = await asyncio.gather(*[p(m) for m in burst])
        texts = [r.text if r else "" for r in replies]
        assert sum("已并入" in t for t in texts) == 12, texts
        with Session(engine) as s:
            assert s.exec(select(func.count()).select_from(Record)).one() == 12
            assert s.exec(select(func.count()).select_from(RecordReporter)).one() == 24
    finally:
        p.close()


# -- one batch, run as the writer runs it (Pipeline.process_batch: deterministic) -----------


def _event(i: int, teachers: str = "张炜和马欣瑞") -> str:
    day = FIRST + dt.timedelta(days=600 + i)
    return f"{day.month}月{day.day}日{teachers}到福海县第一小学送课,上了一节语文课"


def test_one_batch_keeps_every_guarantee(engine):
    """In one batch: new reports, a second report of the same event (joins the first, also
    through PostgreSQL's prefetched candidates), the same delivery twice, a re-delivery of
    a committed message and a failing handler — each gets its own right answer."""
    from storage import writes

    p = make_pipeline(engine)
    p.handler = BrokenOnWord(p.handler.router, p.handler.parsers)
    committed = msg(report(500), mid="c0")
    first = p.process(committed)
    assert first is not None and "已记录" in first.text
    many0, prefetch0 = writes._P_INBOUND_MANY.fast, writes._P_PREFETCH.runs
    batch = [
        msg(_event(1), "ZhangWei", mid="e1a"),
        msg(report(501), mid="n1"),
        msg(_event(1), "MaXinRui", mid="e1b"),  # the same event: joins e1a's new record
        msg(report(501), mid="n1"),  # the same delivery twice in one batch
        committed,
        msg(report(502), mid="n2"),
    ]
    texts = [
        r.text if r is not None and not isinstance(r, BaseException) else r
        for r in p.process_batch(batch)
    ]
    assert "已记录" in texts[0] and "已记录" in texts[1] and "已记录" in texts[5], texts
    assert "已并入" in texts[2], texts
    assert texts[3] == texts[1] and texts[4] == first.text
    if engine.dialect.name == "postgresql":  # the batched statements did the work
        assert writes._P_INBOUND_MANY.fast == many0 + 1
        assert writes._P_PREFETCH.runs == prefetch0 + 1
    # and with a failing delivery among them: it alone is rolled back
    texts = [
        r.text if r is not None else None
        for r in p.process_batch(
            [msg(report(503), mid="f1"), msg(report(504) + "故障", mid="bad"), committed]
        )
    ]
    assert "已记录" in texts[0] and texts[1] == APOLOGY and texts[2] == first.text
    with Session(engine) as s:
        rows = {r.message_id: r for r in s.exec(select(InboundMessage)).all()}
        assert set(rows) == {"c0", "e1a", "e1b", "n1", "n2", "f1", "bad"}
        assert rows["e1b"].outcome == "merged" and rows["e1b"].record_id == rows["e1a"].record_id
        assert rows["bad"].outcome == "error" and rows["bad"].record_id is None
        for k in ("e1a", "e1b", "n1", "n2", "f1", "c0"):
            assert rows[k].reply_text and rows[k].outcome in ("recorded", "merged"), k
        assert s.exec(select(func.count()).select_from(Record)).one() == 5
        assert s.exec(select(func.count()).select_from(RecordReporter)).one() == 6
    p.close()


def test_a_batch_sees_the_records_its_earlier_deliveries_changed(engine):
    """The candidates a batch read at its start are not trusted past a change: a record
    undone by a command earlier in the batch is not joined, and a third report of an event
    joins the record the second one merged into."""
    p = make_pipeline(engine)
    undone = p.process(msg(_event(10), "ZhangWei", mid="u0"))
    assert undone is not None and "已记录" in undone.text
    with Session(engine) as s:
        rid = s.exec(
            select(InboundMessage.record_id).where(InboundMessage.message_id == "u0")
        ).one()
    replies = p.process_batch(
        [
            msg(f"/撤销 {rid}", "ZhangWei", mid="u1"),
            msg(_event(10), "MaXinRui", mid="u2"),  # the undone record is not its event any more
            msg(_event(11, "张炜"), "ZhangWei", mid="t1"),
            msg(_event(11, "张炜和马欣瑞"), "MaXinRui", mid="t2"),
            msg(_event(11, "马欣瑞"), "MaXinRui", mid="t3"),
        ]
    )
    texts = [getattr(r, "text", r) for r in replies]
    assert f"已撤销记录 #{rid}" in texts[0], texts
    assert "已记录" in texts[1] and "已记录" in texts[2], texts
    assert "已并入" in texts[3] and "已并入" in texts[4], texts
    with Session(engine) as s:
        rows = {r.message_id: r for r in s.exec(select(InboundMessage)).all()}
        assert rows["u2"].record_id != rid
        assert rows["t1"].record_id == rows["t2"].record_id == rows["t3"].record_id
        assert s.get(Record, rid).deleted
    p.close()


def test_prefetched_candidates_are_what_the_one_by_one_check_reads(engine):
    """`prefetch_candidates` (PostgreSQL) returns per key exactly the rows
    `duplicate_candidates` reads, and a record `insert_record` adds joins its key's list
    as the table then holds it."""
    import pytest

    from storage import writes

    if engine.dialect.name != "postgresql":
        pytest.skip("the batched duplicate check is PostgreSQL's")
    p = make_pipeline(engine)
    for i in range(6):
        p.process(msg(_event(20 + i % 3, "张炜" if i < 3 else "马欣瑞"), mid=f"k{i}"))
    p.process(msg(report(700), mid="k6"))
    with Session(engine) as s:
        recs = s.exec(select(Record)).all()
        keys = [
            writes.candidate_key(r.intent, r.kind, r.exchange_kind, r.date, r.alliance_id)
            for r in recs
        ]
        conn = s.connection()
        got = writes.prefetch_candidates(conn, keys)
        assert set(got) == set(keys)
        for k in keys:
            assert got[k] == writes.duplicate_candidates(conn, k[0], k[1], k[1], k[2], k[3])
        # a new record joins its key's list as the table returns it
        r0 = recs[0]
        row = {c: getattr(r0, c) for c in writes._RECORD_KEYS}
        new_id = writes.insert_record(
            conn,
            row,
            [],
            {
                "person_id": None,
                "reporter_name": "x",
                "message_id": None,
                "created_at": r0.created_at,
            },
            {"actor_person_id": None, "action": "create", "message_id": None, "at": r0.created_at},
            got,
        )
        k0 = keys[0]
        assert got[k0][-1].id == new_id
        assert got[k0] == writes.duplicate_candidates(conn, k0[0], k0[1], k0[1], k0[2], k0[3])
        s.rollback()
    p.close()


def test_a_batch_leaves_no_gap_in_record_numbers(engine):
    """Record numbers are shown to users (#12, /撤销 12): a batch whose reports merge, or
    come from a sender not bound yet, numbers its new records without a gap."""
    p = make_pipeline(engine)
    p.process(msg(_event(30), "ZhangWei", mid="g0"))  # an existing record to merge into
    replies = p.process_batch(
        [
            msg(_event(31), "ZhangWei", mid="g1"),
            msg(_event(30), "MaXinRui", mid="g2"),  # joins g0's record
            msg(_event(31), "MaXinRui", mid="g3"),  # joins g1's new record
            msg(_event(32), "NoSuchPerson", mid="g4"),  # not bound: kept, not saved
            msg(_event(33), "ZhangWei", mid="g5"),
        ]
    )
    texts = [getattr(r, "text", r) for r in replies]
    assert "已并入" in texts[1] and "已并入" in texts[2], texts
    p.process(msg(_event(34), "ZhangWei", mid="g6"))
    with Session(engine) as s:
        ids = sorted(s.exec(select(Record.id)).all())
    assert len(ids) == 4 and ids == list(range(ids[0], ids[0] + 4)), ids
    p.close()
