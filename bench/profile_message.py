"""Profile the path of one message, in process: what each OneBot report costs.

    .venv/bin/python bench/profile_message.py [--messages 600] [--backend sqlite|postgres]
        [--batch N] [--top 40] [--sort tottime|cumtime] [--out FILE.pstats]

A temp SQLite database (or a fresh PostgreSQL one, ``--pg-url``) gets the real migrations
and ``bot/data/sample_roster.toml``; then signed OneBot v11 group reports (the activity
and exchange texts of /work/shared/eval/dev.jsonl, each turned into an event of its own as
in bench/webhook.py) go one after another through what the HTTP route does — signature
check, JSON decode, `parse_event` — and `Pipeline.process` (lookups, parse, the write
transaction, the reply). The first ``--warmup`` messages run unprofiled; the rest under
cProfile, one thread, so the figures are the CPU path of one message without queueing.
``--batch N`` runs them N at a time as one group-commit batch (`Pipeline.process_batch`,
what the writer does when N deliveries wait), the measured messages a multiple of N.
Printed: ms per message (wall and CPU of this process), statements per message (those
through SQLAlchemy's engine), round trips per message on PostgreSQL (every statement,
BEGIN and COMMIT included: the ReadyForQuery messages of libpq's protocol trace) and the
top functions.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from sqlalchemy import event

from bench.webhook import DEV, ONEBOT_GROUP, ROSTER, SELF_ID, distinct_event, load_texts
from bot.config import load_settings
from bot.platforms.base import dumps, parse_json_object
from bot.platforms.onebot.http import onebot_signature
from bot.platforms.onebot.payloads import parse_event
from bot.platforms.security import safe_equals
from bot.platforms.sim_traffic import _onebot_event
from handlers.ports import SystemClock

SECRET = "profile-secret"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--messages", type=int, default=600)
    ap.add_argument("--warmup", type=int, default=100)
    ap.add_argument("--backend", choices=["sqlite", "postgres"], default="sqlite")
    ap.add_argument(
        "--pg-url",
        default=os.environ.get("ALLIANCE_BOT_BENCH_PG_URL")
        or "postgresql+psycopg://postgres@127.0.0.1:5432",
    )
    ap.add_argument("--batch", type=int, default=1, help="messages per group-commit batch")
    ap.add_argument("--top", type=int, default=40)
    ap.add_argument("--sort", default="tottime")
    ap.add_argument("--out", help="write the pstats file here")
    ap.add_argument("--trace", help="PostgreSQL: copy libpq's protocol trace here")
    a = ap.parse_args(argv)

    import tomllib

    from bot.app import BotApp
    from storage.db import make_engine, upgrade
    from storage.roster_import import import_roster_file

    tmp = Path(tempfile.mkdtemp(prefix="ab-profile-"))
    pg_db = None
    if a.backend == "sqlite":
        url = f"sqlite:///{tmp / 'profile.db'}"
    else:
        import psycopg

        pg_db = f"ab_profile_{os.getpid()}"
        admin = a.pg_url.replace("postgresql+psycopg://", "postgresql://").rstrip("/") + "/postgres"
        with psycopg.connect(admin, autocommit=True) as c:
            c.execute(f'CREATE DATABASE "{pg_db}"')
        url = f"{a.pg_url.rstrip('/')}/{pg_db}"
    cfg = tmp / "bot.toml"
    data_dir = ROOT / "data" / "bench" / "webhook"
    data_dir.mkdir(parents=True, exist_ok=True)
    cfg.write_text(
        f'log_level = "WARNING"\ndata_dir = {json.dumps(str(data_dir))}\n'
        f'[database]\nurl = {json.dumps(url)}\n[onebot]\nsecret = "{SECRET}"\n'
        f'self_id = "{SELF_ID}"\n[reminders]\nenabled = false\n',
        encoding="utf-8",
    )
    settings = load_settings(str(cfg))
    engine = make_engine(url)
    try:
        upgrade(engine)
        import_roster_file(engine, str(ROSTER))
        bot = BotApp(settings, engine=engine, with_scheduler=False)
        bot.warm_parser()
        statements = [0]
        event.listen(
            engine,
            "before_cursor_execute",
            lambda *args: statements.__setitem__(0, statements[0] + 1),
        )

        trace = tmp / "libpq-trace.txt"
        if pg_db:
            import psycopg

            trace_file = trace.open("w")

            @event.listens_for(engine, "connect")
            def _trace(dbapi_conn, _record):  # every pooled connection writes the trace
                dbapi_conn.pgconn.trace(trace_file.fileno())
                dbapi_conn.pgconn.set_trace_flags(psycopg.pq.Trace.SUPPRESS_TIMESTAMPS)

            engine.dispose()  # connections opened before the listener: reopen with a trace

        def round_trips() -> int:
            if not pg_db:
                return 0
            trace_file.flush()
            with trace.open(encoding="utf-8", errors="replace") as f:
                return sum(1 for line in f if "\tReadyForQuery" in line)

        texts = load_texts(DEV)
        people = [
            p for p in tomllib.loads(ROSTER.read_text(encoding="utf-8"))["people"] if p.get("qq")
        ]
        by_name = {p["name"]: p for p in people}
        bodies = []
        for i in range(a.warmup + a.messages):
            text, sender = texts[i % len(texts)]
            person = by_name.get(sender) or people[i % len(people)]
            ev = _onebot_event(
                distinct_event(text, i), SELF_ID, ONEBOT_GROUP, int(person["qq"]), 5_000_000 + i
            )
            body = dumps(ev).encode()
            bodies.append((body, onebot_signature(SECRET, body)))
        clock = SystemClock()

        def check(reply: object) -> None:
            text = getattr(reply, "text", "")
            if not any(m in text for m in ("已记录", "已并入")):
                raise SystemExit(f"unexpected reply: {reply!r}")

        def batches(items: list) -> list[list]:
            return [items[i : i + a.batch] for i in range(0, len(items), a.batch)]

        def one(chunk: list[tuple[bytes, str]]) -> None:
            msgs = []
            for body, sig in chunk:
                if not safe_equals(onebot_signature(SECRET, body), sig):
                    raise SystemExit("signature")
                msgs.append(
                    parse_event(
                        parse_json_object(body), received_at=clock.now(), self_id=str(SELF_ID)
                    )
                )
            if a.batch == 1:
                check(bot.pipeline.process(msgs[0]))
            else:
                for reply in bot.pipeline.process_batch(msgs):
                    check(reply)

        for chunk in batches(bodies[: a.warmup]):
            one(chunk)
        statements[0] = 0
        prof = cProfile.Profile()
        c0, t0 = time.process_time(), time.perf_counter()
        prof.enable()
        for chunk in batches(bodies[a.warmup :]):
            one(chunk)
        prof.disable()
        c1, t1 = time.process_time(), time.perf_counter()
        # The profiler roughly doubles the cost; time a second, unprofiled pass too.
        more = []
        for i in range(a.messages):
            text, sender = texts[i % len(texts)]
            person = by_name.get(sender) or people[i % len(people)]
            ev = _onebot_event(
                distinct_event(text, 10_000 + i),
                SELF_ID,
                ONEBOT_GROUP,
                int(person["qq"]),
                6_000_000 + i,
            )
            body = dumps(ev).encode()
            more.append((body, onebot_signature(SECRET, body)))
        trips = round_trips()
        c2, t2 = time.process_time(), time.perf_counter()
        for chunk in batches(more):
            one(chunk)
        c3, t3 = time.process_time(), time.perf_counter()
        trips = round_trips() - trips
        if pg_db and a.trace:
            shutil.copy(trace, a.trace)
        n = a.messages
        print(
            f"backend {a.backend}, {n} distinct reports, batches of {a.batch}, one thread, "
            f"load {os.getloadavg()[0]:.1f}"
        )
        print(
            f"profiled:   {(t1 - t0) * 1000 / n:.2f} ms wall, {(c1 - c0) * 1000 / n:.2f} ms CPU per message"
        )
        print(
            f"unprofiled: {(t3 - t2) * 1000 / n:.2f} ms wall, {(c3 - c2) * 1000 / n:.2f} ms CPU per message"
        )
        print(f"SQL statements per message (through the engine): {statements[0] / (2 * n):.1f}")
        if pg_db:
            print(f"round trips per message (unprofiled pass): {trips / n:.2f}")
        st = pstats.Stats(prof)
        if a.out:
            st.dump_stats(a.out)
        st.sort_stats(a.sort).print_stats(a.top)
    finally:
        engine.dispose()
        if pg_db:
            import psycopg

            with psycopg.connect(admin, autocommit=True) as c:
                c.execute(f'DROP DATABASE IF EXISTS "{pg_db}" WITH (FORCE)')
    return 0


if __name__ == "__main__":
    sys.exit(main())
