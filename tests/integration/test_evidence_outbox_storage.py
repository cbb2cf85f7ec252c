"""0006_evidence_files up and down; outbox claims are won by one process; evidence rows."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import inspect
from sqlmodel import Session

from storage import outbox
from storage.db import current_revision, head_revision, make_engine
from storage.evidence import add_evidence, evidence_count, write_blob
from storage.models import Record
from tests.integration.test_storage import _alembic

NOW = dt.datetime(2026, 11, 23, 2, 0, tzinfo=dt.UTC)


def test_migration_up_and_down(db_url):
    eng = make_engine(db_url)
    try:
        _alembic(eng, "upgrade", "head")
        tables = set(inspect(eng).get_table_names())
        assert {"evidence_file", "outbox"} <= tables
        _alembic(eng, "downgrade", "0005_inbound_bot_key")
        assert not {"evidence_file", "outbox"} & set(inspect(eng).get_table_names())
        _alembic(eng, "upgrade", "0006_evidence_files")
        assert {"evidence_file", "outbox"} <= set(inspect(eng).get_table_names())
        _alembic(eng, "upgrade", "head")
        assert current_revision(eng) == head_revision()
    finally:
        eng.dispose()


def test_outbox_claim_is_won_once_and_stale_claims_are_retaken(engine):
    with Session(engine) as s:
        rid = outbox.enqueue(s, platform="wecom", chat_id="g", text="通知", now=NOW)
        s.commit()
    with Session(engine) as a, Session(engine) as b:
        assert outbox.claim(a, rid, "p1", NOW) is True
        assert outbox.claim(b, rid, "p2", NOW) is False
    with Session(engine) as s:  # p1 died mid-send: after the stale time another takes it
        assert outbox.pending(s, ["wecom"], NOW) == []
        later = NOW + dt.timedelta(minutes=6)
        assert [r.id for r in outbox.pending(s, ["wecom"], later)] == [rid]
        assert outbox.claim(s, rid, "p2", later) is True
        outbox.finish(s, rid, ok=True, error=None, now=later, give_up=False)
        assert outbox.pending(s, ["wecom"], later + dt.timedelta(hours=1)) == []


def test_evidence_is_content_addressed_and_one_row_per_file(engine, tmp_path):
    with Session(engine) as s:
        rec = Record(intent="activity", kind="delivery")
        s.add(rec)
        s.commit()
        sha, path = write_blob(tmp_path, b"photo")
        sha2, path2 = write_blob(tmp_path, b"photo")
        assert (sha, path) == (sha2, path2) and (tmp_path / path).read_bytes() == b"photo"
        kw = dict(
            sha256=sha,
            size=5,
            filename="a.jpg",
            kind="image",
            path=path,
            platform="wecom",
            message_id="m",
            sender_id="u",
            person_id=None,
            now=NOW,
        )
        assert add_evidence(s, rec.id, **kw) is True
        assert add_evidence(s, rec.id, **kw) is False
        s.commit()
        assert evidence_count(s, rec.id) == 1
    assert not list(tmp_path.rglob("*.tmp"))
