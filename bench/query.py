"""Query benchmark: /进度, /统计 and the xlsx export on a province-scale database.

    .venv/bin/python bench/query.py [--backend sqlite|postgres|both] [--alliances 1500]
        [--records 1000000] [--runs 30] [--rounds 3] [--export-runs 5] [--keep] [--explain]

Generates (or, with ``--keep``, reuses) a database of ``--alliances`` alliances of one
core and seven member schools, three staff per school, one school year (2025-09-01 ..
2026-07-31) of ``--records`` records (activities of every kind weighted as in real
alliances, a few teacher exchanges per alliance), 1-3 schools per record with a
``record_school`` row each and one ``record_reporter`` per record. The schema is made by
the real migrations (``storage.db.upgrade``), so the benchmark measures the real indexes;
``ANALYZE`` runs after the bulk load.

Then, with the clock at 2026-05-20 10:00 Asia/Shanghai, it times through the real router
and a ``HandlerContext`` with a real ``Session`` and the alliance's principal:

* ``/进度`` over ``--runs`` different alliances, ``--rounds`` times each → p50 / p95
  (target p95 ≤ 50 ms);
* ``/统计`` (this term) and ``/统计 本学年`` the same way (held to the same 50 ms, as a
  chat command);
* ``export_workbook`` of one alliance over 本学年 for ``--export-runs`` alliances →
  median / max (target ≤ 1 s);
* the /看板 dashboard page of the busiest alliance, rendered as the server renders it
  (``bot.web.dashboard.render_alliance``: the view's queries and the Jinja2 template) →
  median / max (target ≤ 300 ms);

each with its ratio to the target, and the resident memory (RSS, peak) of this process,
for SQLite and PostgreSQL. Generation runs in child processes (both backends at once with
``--backend both``), so the memory figures are those of the querying process only.

Generated databases live in ``data/bench/`` (SQLite file) and in a PostgreSQL database
named after the parameters (``--pg-url`` names the server; default
``$ALLIANCE_BOT_BENCH_PG_URL``, ``$ALLIANCE_BOT_TEST_PG_URL`` or
``postgresql://postgres@127.0.0.1:5432/postgres``). ``--keep`` reuses one that exists with
the same parameters (pending migrations are applied to it first) and keeps it afterwards;
without ``--keep`` a fresh one is generated and dropped at the end.

``--explain`` also prints, for one alliance, every statement /进度 and the export issue
with its time and plan (EXPLAIN QUERY PLAN / EXPLAIN ANALYZE).
"""

from __future__ import annotations

import argparse
import concurrent.futures as cf
import datetime as dt
import json
import math
import multiprocessing
import os
import random
import statistics
import sys
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

GEN_VERSION = 1  # bump when the generated data changes, so cached databases are not reused
YEAR_START = dt.date(2025, 9, 1)
YEAR_END = dt.date(2026, 7, 31)
TZ = dt.timezone(dt.timedelta(hours=8))  # Asia/Shanghai
NOW = dt.datetime(2026, 5, 20, 10, 0, tzinfo=TZ)
PROGRESS_TARGET_S = 0.050
EXPORT_TARGET_S = 1.0
DASHBOARD_TARGET_S = 0.300  # the /看板 alliance page, rendered on the server
EXCHANGES_PER_ALLIANCE = 4
MEMBERS_PER_ALLIANCE = 7
STAFF_PER_SCHOOL = 3  # the principal and two teachers
CHUNK = 20_000

# -- the synthetic province -------------------------------------------------------------

_COUNTY_A = "福漳平和安永宁清长青石新泰华东西南北明光"
_COUNTY_B = "海川山河阳城源溪林江丰德乐兴昌"
_TOWNS = (
    "城关",
    "城东",
    "城西",
    "河口",
    "石门",
    "新桥",
    "桥头",
    "高坪",
    "龙潭",
    "白沙",
    "马场",
    "黄泥",
    "柳树",
    "杨庄",
    "青山",
    "红星",
    "团结",
    "和平",
    "胜利",
    "前进",
)
_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘"
_GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红玲建国文斌慧燕雪梅海峰晓雯"
_SUBJECTS = ("语文", "数学", "英语", "科学", "道德与法治", "音乐", "美术", "体育", "信息技术")
_SUBJECT_W = (26, 26, 14, 8, 6, 6, 6, 5, 3)
# (kind, weight): sync classes and joint research dominate, then deliveries and demos.
_KINDS = (
    ("joint_research", 26),
    ("sync_class", 24),
    ("lesson_delivery", 12),
    ("demo_lesson", 8),
    ("lecture_training", 6),
    ("meeting", 5),
    ("student_activity", 5),
    ("inspection", 5),
    ("competition", 3),
    ("resource_support", 3),
    ("open_day", 1),
)
_MEETINGS = (
    "联盟工作例会",
    "联盟工作例会",
    "教学工作推进会",
    "校长论坛",
    "班主任交流会",
    "期中质量分析会",
)
_TITLES = {
    "joint_research": ("{s}集体备课", "{s}主题教研", "{s}课例研讨", "{s}作业设计研讨"),
    "demo_lesson": ("{s}示范课", "{s}公开课展示"),
    "lecture_training": ("新课标专题讲座", "教师信息技术培训", "班级管理培训", "心理健康讲座"),
    "student_activity": ("读书节活动", "研学实践", "手拉手联谊", "科技节"),
    "competition": ("青年教师赛课", "学生书法比赛", "朗读比赛"),
    "inspection": ("教学常规视导", "开学工作检查", "期末教学视导"),
    "resource_support": ("共享课件资源", "赠送图书", "共享试题库"),
    "open_day": ("校园开放日",),
    "lesson_delivery": ("{s}送教", "{s}送课下乡"),
    "sync_class": ("{s}同步课堂",),
}
_EXCHANGE_KINDS = ("rotation", "support_teaching", "shadowing", "secondment")


@dataclass(frozen=True)
class Spec:
    alliances: int
    records: int
    seed: int

    @property
    def tag(self) -> str:
        return f"{self.alliances}a_{self.records}r_s{self.seed}_v{GEN_VERSION}"


def _county(i: int) -> str:
    a, b = divmod(i, len(_COUNTY_B))
    return _COUNTY_A[a % len(_COUNTY_A)] + _COUNTY_B[b] + ("县" if a < len(_COUNTY_A) else "区")


def alliance_schools_of(a: int) -> tuple[str, list[str]]:
    """(core, members) of alliance number a (0-based): unique, realistic-looking names."""
    county = _county(a // 15)
    town = _TOWNS[a % 15]
    core = f"{county}第{a % 15 + 1}实验小学"
    return core, [f"{county}{town}镇第{k}小学" for k in range(1, MEMBERS_PER_ALLIANCE + 1)]


def _person_names(n: int, rnd: random.Random) -> list[str]:
    names = [s + g1 + g2 for s in _SURNAMES for g1 in _GIVEN for g2 in _GIVEN]
    names += [s + g for s in _SURNAMES for g in _GIVEN]
    if n > len(names):
        raise SystemExit(f"too many people ({n}) for the name pool ({len(names)})")
    rnd.shuffle(names)
    return names[:n]


def _day_weights() -> list[tuple[dt.date, float]]:
    out = []
    d = YEAR_START
    while d <= YEAR_END:
        w = 1.0 if d.weekday() < 5 else 0.12
        if dt.date(2025, 10, 1) <= d <= dt.date(2025, 10, 7):
            w = 0.03
        elif dt.date(2026, 1, 24) <= d <= dt.date(2026, 2, 24):  # winter break
            w *= 0.08
        elif d >= dt.date(2026, 7, 10):  # summer
            w *= 0.1
        out.append((d, w))
        d += dt.timedelta(days=1)
    return out


def _split(total: int, weights: list[float]) -> list[int]:
    """Largest-remainder split of `total` into parts proportional to `weights`."""
    s = sum(weights)
    raw = [total * w / s for w in weights]
    out = [int(x) for x in raw]
    rest = total - sum(out)
    for i in sorted(range(len(raw)), key=lambda i: raw[i] - out[i], reverse=True)[:rest]:
        out[i] += 1
    return out


def _utc_text(day: dt.date, hour: int, minute: int) -> str:
    """A created_at for a local time that day, as UTC text (SQLite's SQLAlchemy format)."""
    local = dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=TZ)
    return local.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S.000000")


def roster_rows(spec: Spec) -> dict[str, tuple[list[str], list[tuple]]]:
    """school, alliance, alliance_member, person and identity rows (explicit ids)."""
    rnd = random.Random(spec.seed)
    ts = _utc_text(dt.date(2025, 8, 25), 9, 0)
    schools, alliances, members, people, identities = [], [], [], [], []
    names = _person_names(spec.alliances * (1 + MEMBERS_PER_ALLIANCE) * STAFF_PER_SCHOOL, rnd)
    modes = ("融合型", "共建型", "协作型")
    sid = pid = mid = 0
    for a in range(spec.alliances):
        core, mems = alliance_schools_of(a)
        core_id = sid + 1
        for i, name in enumerate((core, *mems)):
            sid += 1
            short = name[3:] if i else name[3:].replace("实验小学", "实小")
            schools.append((sid, name, json.dumps([short]), ts, ts))
            mid += 1
            members.append((mid, a + 1, sid, int(i == 0)))
            for k in range(STAFF_PER_SCHOOL):
                pid += 1
                people.append(
                    (pid, names[pid - 1], sid, "principal" if k == 0 else "teacher", ts, ts)
                )
                identities.append(
                    (pid, "wecom", f"u{pid}", pid, None, True, "roster", ts, ts, None)
                )
        alliances.append(
            (a + 1, core.replace("实验小学", "实验小学教育联盟"), modes[a % 3], core_id, ts, ts)
        )
    return {
        "school": (["id", "name", "aliases", "created_at", "updated_at"], schools),
        "alliance": (
            ["id", "name", "mode", "core_school_id", "created_at", "updated_at"],
            alliances,
        ),
        "alliance_member": (["id", "alliance_id", "school_id", "is_core"], members),
        "person": (["id", "name", "school_id", "role", "created_at", "updated_at"], people),
        "identity": (
            [
                "id",
                "platform",
                "user_id",
                "person_id",
                "claimed_name",
                "confirmed",
                "source",
                "created_at",
                "confirmed_at",
                "confirmed_by",
            ],
            identities,
        ),
    }


RECORD_COLS = [
    "id",
    "alliance_id",
    "intent",
    "kind",
    "exchange_kind",
    "status",
    "date",
    "end_date",
    "schools",
    "from_school",
    "to_school",
    "teachers",
    "subject",
    "title",
    "participants",
    "mode",
    "lessons",
    "missing",
    "source_message_id",
    "source_text",
    "chat_platform",
    "chat_id",
    "deleted",
    "created_at",
    "updated_at",
]
RS_COLS = ["id", "record_id", "school_id", "school_name"]
RR_COLS = ["id", "record_id", "person_id", "reporter_name", "message_id", "created_at"]


def record_chunks(spec: Spec):
    """Records in date order (ids grow with time, alliances interleaved), in chunks."""
    rnd = random.Random(spec.seed * 7919 + 1)
    roster = roster_rows(spec)
    people = roster["person"][1]
    n_all = spec.alliances
    # staff[a] = [(person_id, name)] per school of alliance a: school 0 is the core.
    staff: list[list[list[tuple[int, str]]]] = [
        [[] for _ in range(1 + MEMBERS_PER_ALLIANCE)] for _ in range(n_all)
    ]
    per_alliance_schools = 1 + MEMBERS_PER_ALLIANCE
    for pid, name, sid, *_ in people:
        a, i = divmod(sid - 1, per_alliance_schools)
        staff[a][i].append((pid, name))
    school_names = [alliance_schools_of(a) for a in range(n_all)]
    activity = [rnd.lognormvariate(0, 0.45) for _ in range(n_all)]  # busy and quiet alliances
    cum_activity = []
    acc = 0.0
    for w in activity:
        acc += w
        cum_activity.append(acc)

    days = _day_weights()
    # Exchanges: a few per alliance, starting at a term's beginning.
    n_ex = min(spec.records // 10, EXCHANGES_PER_ALLIANCE * n_all)
    ex_by_day: dict[dt.date, list[int]] = {}
    starts = [dt.date(2025, 9, 1), dt.date(2025, 9, 8), dt.date(2026, 2, 25), dt.date(2026, 3, 2)]
    for k in range(n_ex):
        ex_by_day.setdefault(starts[(k // n_all) % len(starts)], []).append(k % n_all)
    per_day = _split(spec.records - n_ex, [w for _, w in days])

    kinds = [k for k, _ in _KINDS]
    kind_cum = []
    acc = 0
    for _, w in _KINDS:
        acc += w
        kind_cum.append(acc)
    sub_cum = []
    acc = 0
    for w in _SUBJECT_W:
        acc += w
        sub_cum.append(acc)
    today = NOW.date()
    rid = rsid = 0
    recs: list[tuple] = []
    links: list[tuple] = []
    reps: list[tuple] = []
    dumps = json.dumps
    choice = rnd.choice
    random_ = rnd.random
    randint = rnd.randint
    base_sid = [a * per_alliance_schools + 1 for a in range(n_all)]

    def emit(
        a: int,
        day: dt.date,
        intent: str,
        kind: str | None,
        exchange_kind: str | None,
        idx: list[int],
        from_i: int | None,
        to_i: int | None,
        teachers: list[str],
        subject: str | None,
        title: str | None,
        participants: int | None,
        mode: str | None,
        lessons: int | None,
        end: dt.date | None,
        reporter: tuple[int, str],
    ) -> None:
        nonlocal rid, rsid
        rid += 1
        core, mems = school_names[a]
        names = [core if i == 0 else mems[i - 1] for i in idx]
        if day > today:
            status = "planned"
        else:
            status = "planned" if random_() < 0.03 else "done"
        deleted = 1 if random_() < 0.01 else 0
        fs = (core if from_i == 0 else mems[from_i - 1]) if from_i is not None else None
        ts_ = (core if to_i == 0 else mems[to_i - 1]) if to_i is not None else None
        what = title or subject or ""
        src = (
            f"{day.month}月{day.day}日,{'、'.join(names)}开展{what}活动"
            + (f",{participants}人参加" if participants else "")
            + "。"
        )
        created = _utc_text(
            day if day <= today else day - dt.timedelta(days=7), 8 + rid % 10, rid % 60
        )
        recs.append(
            (
                rid,
                a + 1,
                intent,
                kind,
                exchange_kind,
                status,
                day.isoformat(),
                end.isoformat() if end else None,
                dumps(names),
                fs,
                ts_,
                dumps(teachers),
                subject,
                title,
                participants,
                mode,
                lessons,
                "[]",
                None,
                src,
                "wecom",
                f"chat{a + 1}",
                deleted,
                created,
                created,
            )
        )
        for i, n in zip(idx, names, strict=True):
            rsid += 1
            links.append((rsid, rid, base_sid[a] + i, n))
        reps.append((rid, rid, reporter[0], reporter[1], None, created))

    for (day, _w), n in zip(days, per_day, strict=True):
        for a in ex_by_day.get(day, ()):
            m = randint(1, MEMBERS_PER_ALLIANCE)
            t = staff[a][0][randint(1, STAFF_PER_SCHOOL - 1)][1]
            emit(
                a,
                day,
                "exchange",
                None,
                choice(_EXCHANGE_KINDS),
                [0, m],
                0,
                m,
                [t],
                rnd.choices(_SUBJECTS, cum_weights=sub_cum)[0],
                None,
                None,
                None,
                None,
                day + dt.timedelta(days=rnd.choice((150, 330))),
                staff[a][0][0],
            )
        if not n:
            continue
        for a in rnd.choices(range(n_all), cum_weights=cum_activity, k=n):
            kind = rnd.choices(kinds, cum_weights=kind_cum)[0]
            m = randint(1, MEMBERS_PER_ALLIANCE)
            subject = rnd.choices(_SUBJECTS, cum_weights=sub_cum)[0]
            from_i = to_i = lessons = participants = mode = title = None
            if kind in ("sync_class", "lesson_delivery", "inspection"):
                idx = [0, m]
                if kind == "sync_class" and random_() < 0.25:
                    m2 = randint(1, MEMBERS_PER_ALLIANCE)
                    if m2 != m:
                        idx.append(m2)
            else:
                k = randint(1, 3)
                idx = rnd.sample(range(1 + MEMBERS_PER_ALLIANCE), k)
                if kind in ("meeting", "lecture_training", "open_day") and 0 not in idx:
                    idx[0] = 0
                idx.sort()
            if kind == "sync_class":
                lessons, mode = randint(1, 3), "online"
            elif kind == "lesson_delivery":
                from_i, to_i, lessons, mode = 0, m, randint(1, 2), "offline"
                participants = randint(8, 40)
            elif kind == "joint_research":
                r = random_()
                mode = "online" if r < 0.55 else ("offline" if r < 0.9 else None)
                participants = randint(6, 45)
            elif kind == "meeting":
                title = choice(_MEETINGS)
                mode = "offline" if random_() < 0.7 else "online"
                participants = randint(5, 30)
            elif kind == "inspection":
                mode = "offline"
            else:
                mode = "offline" if random_() < 0.8 else ("online" if random_() < 0.5 else None)
                participants = randint(10, 200) if random_() < 0.6 else None
            if title is None:
                title = choice(_TITLES[kind]).format(s=subject)
            if kind not in ("sync_class", "lesson_delivery", "joint_research", "demo_lesson"):
                subject = None
            school_i = idx[-1] if kind != "lesson_delivery" else 0
            who = staff[a][school_i]
            reporter = who[randint(0, len(who) - 1)]
            teachers = (
                [who[randint(1, len(who) - 1)][1]]
                if kind in ("sync_class", "lesson_delivery", "demo_lesson")
                else []
            )
            emit(
                a,
                day,
                "activity",
                kind,
                None,
                idx,
                from_i,
                to_i,
                teachers,
                subject,
                title,
                participants,
                mode,
                lessons,
                None,
                reporter,
            )
            if len(recs) >= CHUNK:
                yield recs, links, reps
                recs, links, reps = [], [], []
    if recs:
        yield recs, links, reps


# -- loading ----------------------------------------------------------------------------


def _admin_url(args_url: str | None) -> str:
    return (
        args_url
        or os.environ.get("ALLIANCE_BOT_BENCH_PG_URL")
        or os.environ.get("ALLIANCE_BOT_TEST_PG_URL")
        or "postgresql://postgres@127.0.0.1:5432/postgres"
    )


def _pg_url(admin: str, dbname: str) -> str:
    from sqlalchemy.engine import make_url

    from storage.db import normalize_url

    return make_url(normalize_url(admin)).set(database=dbname).render_as_string(hide_password=False)


def _pg_admin(admin: str, *sql: str) -> list:
    from sqlalchemy import create_engine, text

    from storage.db import normalize_url

    eng = create_engine(normalize_url(admin), isolation_level="AUTOCOMMIT")
    out = []
    try:
        with eng.connect() as conn:
            for s in sql:
                res = conn.execute(text(s))
                out.append(res.fetchall() if res.returns_rows else None)
    finally:
        eng.dispose()
    return out


def _pg_exists(admin: str, dbname: str) -> bool:
    rows = _pg_admin(admin, f"SELECT 1 FROM pg_database WHERE datname = '{dbname}'")[0]
    return bool(rows)


def _pg_drop(admin: str, dbname: str) -> None:
    _pg_admin(admin, f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)')


def _load_sqlite(engine, spec: Spec) -> int:
    raw = engine.raw_connection()
    con = raw.driver_connection
    try:
        cur = con.cursor()
        cur.execute("PRAGMA foreign_keys=OFF")
        cur.execute("PRAGMA synchronous=OFF")
        cur.execute("PRAGMA cache_size=-262144")

        def put(table: str, cols: list[str], rows: list[tuple]) -> None:
            sql = f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})"
            cur.executemany(sql, rows)

        cur.execute("BEGIN")
        for table, (cols, rows) in roster_rows(spec).items():
            put(table, cols, rows)
        cur.execute("COMMIT")
        n = 0
        for recs, links, reps in record_chunks(spec):
            cur.execute("BEGIN")
            put("record", RECORD_COLS, recs)
            put("record_school", RS_COLS, links)
            put("record_reporter", RR_COLS, reps)
            cur.execute("COMMIT")
            n += len(recs)
        return n
    finally:
        raw.close()


def _load_postgres(engine, spec: Spec) -> int:
    raw = engine.raw_connection()
    con = raw.driver_connection
    try:
        con.autocommit = False
        with con.cursor() as cur:
            cur.execute("SET TimeZone = 'UTC'")
            cur.execute("SET session_replication_role = replica")  # no FK triggers while loading

            def put(table: str, cols: list[str], rows: list[tuple]) -> None:
                with cur.copy(f"COPY {table} ({', '.join(cols)}) FROM STDIN") as cp:
                    for row in rows:
                        cp.write_row(row)

            for table, (cols, rows) in roster_rows(spec).items():
                put(table, cols, rows)
            con.commit()
            n = 0
            for recs, links, reps in record_chunks(spec):
                put("record", RECORD_COLS, recs)
                put("record_school", RS_COLS, links)
                put("record_reporter", RR_COLS, reps)
                con.commit()
                n += len(recs)
            for table in (
                "school",
                "alliance",
                "alliance_member",
                "person",
                "identity",
                "record",
                "record_school",
                "record_reporter",
            ):
                cur.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT coalesce(max(id), 1) FROM {table}))"
                )
            cur.execute("SET session_replication_role = DEFAULT")
            con.commit()
        return n
    finally:
        raw.close()


def _analyze(engine) -> float:
    t0 = time.perf_counter()
    if engine.dialect.name == "sqlite":
        with engine.connect() as conn:
            conn.exec_driver_sql("ANALYZE")
            conn.commit()
    else:
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("VACUUM (ANALYZE)")
    return time.perf_counter() - t0


def generate(backend: str, target: str, spec: Spec, admin: str | None = None) -> dict:
    """Build one database from scratch (runs in a child process). `target` is the SQLite
    path or the PostgreSQL database name; it appears only once complete."""
    from storage.db import make_engine, upgrade

    t0 = time.perf_counter()
    if backend == "sqlite":
        final = Path(target)
        tmp = final.with_name(final.stem + ".tmp.db")
        for p in (tmp, Path(f"{tmp}-wal"), Path(f"{tmp}-shm")):
            p.unlink(missing_ok=True)
        url = f"sqlite:///{tmp}"
    else:
        tmp_name = target + "_tmp"
        _pg_drop(admin, tmp_name)
        _pg_admin(admin, f'CREATE DATABASE "{tmp_name}"')
        url = _pg_url(admin, tmp_name)
    engine = make_engine(url)
    upgrade(engine)
    t_schema = time.perf_counter()
    n = (_load_sqlite if backend == "sqlite" else _load_postgres)(engine, spec)
    t_load = time.perf_counter()
    t_an = _analyze(engine)
    engine.dispose()  # the last connection to close checkpoints and removes the WAL
    if backend == "sqlite":
        Path(f"{tmp}-wal").unlink(missing_ok=True)
        Path(f"{tmp}-shm").unlink(missing_ok=True)
        tmp.replace(final)
        size = final.stat().st_size
    else:
        _pg_drop(admin, target)
        _pg_admin(admin, f'ALTER DATABASE "{tmp_name}" RENAME TO "{target}"')
        size = _pg_admin(admin, f"SELECT pg_database_size('{target}')")[0][0][0]
    return {
        "records": n,
        "schema_s": t_schema - t0,
        "load_s": t_load - t_schema,
        "analyze_s": t_an,
        "total_s": time.perf_counter() - t0,
        "size_mb": size / 2**20,
    }


# -- measuring --------------------------------------------------------------------------


def rss_mb() -> tuple[float, float]:
    """(current, peak) resident set size of this process, MB."""
    cur = peak = 0.0
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                cur = int(line.split()[1]) / 1024
            elif line.startswith("VmHWM:"):
                peak = int(line.split()[1]) / 1024
    return cur, peak


def pct(values: list[float], p: float) -> float:
    """Nearest-rank percentile."""
    s = sorted(values)
    return s[max(0, math.ceil(p / 100 * len(s)) - 1)]


def _ms(s: float) -> str:
    return f"{s * 1000:.1f} ms"


class Bench:
    def __init__(self, engine, settings) -> None:
        from sqlmodel import Session, select

        from handlers.commands import build_router
        from storage.models import AllianceMember, Person

        self.engine = engine
        self.settings = settings
        self.router = build_router()
        with Session(engine) as s:
            rows = s.exec(
                select(AllianceMember.alliance_id, Person.id)
                .join(Person, Person.school_id == AllianceMember.school_id)
                .where(
                    AllianceMember.is_core == True,  # noqa: E712
                    Person.role == "principal",
                )
            ).all()
        self.principal = dict(rows)

    def command(self, alliance_id: int, text: str) -> tuple[float, str]:
        """Run one command as the alliance's principal: (seconds in the command, reply)."""
        from sqlmodel import Session

        from handlers.context import HandlerContext
        from handlers.events import ChatRef, IncomingMessage
        from handlers.router import split_command
        from storage.models import Alliance, Person, School

        word, args = split_command(text)
        spec = self.router.find(word)
        with Session(self.engine, expire_on_commit=False) as s:
            p = s.get(Person, self.principal[alliance_id])
            msg = IncomingMessage(
                platform="wecom",
                route="wecom-aibot",
                chat=ChatRef("wecom", f"chat{alliance_id}"),
                sender_id=p.name,
                text=text,
                message_id=uuid.uuid4().hex,
                sent_at=NOW,
            )
            ctx = HandlerContext(
                message=msg,
                session=s,
                settings=self.settings,
                now=NOW,
                person=p,
                school=s.get(School, p.school_id),
                alliance=s.get(Alliance, alliance_id),
                router=self.router,
            )
            assert ctx.role in spec.roles
            t0 = time.perf_counter()
            reply = self.router.run(ctx, word, args)
            took = time.perf_counter() - t0
            s.rollback()
        return took, reply.text

    def export(self, alliance_id: int) -> tuple[float, int]:
        from sqlmodel import Session

        from handlers.export import export_workbook
        from handlers.periods import parse_period

        today = NOW.astimezone(TZ).date()
        period = parse_period("本学年", today, self.settings.terms)
        with Session(self.engine, expire_on_commit=False) as s:
            t0 = time.perf_counter()
            data = export_workbook(s, alliance_id, period, self.settings, today=today)
            took = time.perf_counter() - t0
            s.rollback()
        return took, len(data)

    def dashboard(self, alliance_id: int) -> tuple[float, int]:
        """Render the /看板 alliance page as its principal: (seconds, bytes of HTML)."""
        from sqlmodel import Session

        from bot.web.dashboard import make_env, render_alliance
        from handlers.dashboard_links import Viewer
        from storage.models import Person, School

        today = NOW.astimezone(TZ).date()
        env = getattr(self, "_env", None) or make_env()
        self._env = env
        with Session(self.engine, expire_on_commit=False) as s:
            p = s.get(Person, self.principal[alliance_id])
            school = s.get(School, p.school_id)
            viewer = Viewer(
                0,
                p.id,
                p.name,
                p.role,
                alliance_id,
                school.name if school else None,
                NOW + dt.timedelta(days=7),
            )
            t0 = time.perf_counter()
            html = render_alliance(env, s, viewer, alliance_id, self.settings, _rules(), today)
            took = time.perf_counter() - t0
            s.rollback()
        if "指标进度" not in html or 'data-line="' not in html:
            raise SystemExit("dashboard: the page has no targets (is the data there?)")
        return took, len(html.encode())


def _rules() -> list:
    from handlers.targets import rules_from

    return rules_from(None)


def _check(text: str, what: str) -> None:
    bad = ("暂无适用的指标", "还没有已完成的活动记录", "不在任何联盟")
    if any(b in text for b in bad):
        raise SystemExit(f"{what}: unexpected reply (is the data there?)\n{text[:400]}")


def explain(bench: Bench, alliance_id: int, top: int = 8) -> None:
    """Time every statement of one /进度 and one export, and print the slowest plans."""
    from sqlalchemy import event

    seen: list[list] = []

    def before(conn, cursor, statement, parameters, context, executemany):
        context._bench_t0 = time.perf_counter()

    def after(conn, cursor, statement, parameters, context, executemany):
        seen.append([time.perf_counter() - context._bench_t0, statement, parameters])

    event.listen(bench.engine, "before_cursor_execute", before)
    event.listen(bench.engine, "after_cursor_execute", after)
    try:
        bench.command(alliance_id, "/进度")
        n_progress = len(seen)
        bench.command(alliance_id, "/统计 本学年")
        n_stats = len(seen) - n_progress
        bench.export(alliance_id)
    finally:
        event.remove(bench.engine, "before_cursor_execute", before)
        event.remove(bench.engine, "after_cursor_execute", after)
    print(
        f"  statements: /进度 {n_progress}, /统计 本学年 {n_stats}, export "
        f"{len(seen) - n_progress - n_stats}; /进度 SQL total "
        f"{_ms(sum(x[0] for x in seen[:n_progress]))}"
    )
    pg = bench.engine.dialect.name == "postgresql"
    for took, stmt, params in sorted(seen, key=lambda x: -x[0])[:top]:
        one = " ".join(stmt.split())
        print(f"  -- {_ms(took)}: {one[:400]}{' …' if len(one) > 400 else ''}")
        prefix = "EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) " if pg else "EXPLAIN QUERY PLAN "
        with bench.engine.connect() as conn:
            rows = conn.exec_driver_sql(prefix + stmt, params).fetchall()
            conn.rollback()
        for r in rows:
            print("     " + (r[0] if pg else f"{r[0]:>3} {r[1]:>3} {r[3]}"))


def measure(backend: str, url: str, spec: Spec, args: argparse.Namespace) -> dict:
    from tempfile import TemporaryDirectory

    from bot.config import Settings
    from storage.db import make_engine

    load_before = os.getloadavg()[0]
    tmpdir = TemporaryDirectory(prefix="ab_bench_")
    settings = Settings(data_dir=tmpdir.name)
    engine = make_engine(url)
    bench = Bench(engine, settings)
    rnd = random.Random(spec.seed + 17)
    ids = sorted(bench.principal)
    picked = rnd.sample(ids, min(args.runs + 3, len(ids)))
    warm, picked = picked[:3], picked[3:]
    for a in warm:  # compile caches, connection pool; not counted
        bench.command(a, "/进度")
        bench.command(a, "/统计")
    out: dict = {"backend": backend}
    for label, text in (("/进度", "/进度"), ("/统计", "/统计"), ("/统计 本学年", "/统计 本学年")):
        times = []
        for _ in range(args.rounds):
            for a in picked:
                took, reply = bench.command(a, text)
                _check(reply, text)
                times.append(took)
        out[label] = times
        if args.show_reply and label == "/进度":
            print("\n".join(reply.splitlines()[:8]) + "\n  …")
    ex = []
    size = 0
    for a in picked[: args.export_runs]:
        took, size = bench.export(a)
        ex.append(took)
    out["export"] = ex
    out["export_bytes"] = size
    from sqlalchemy import text as sql_text

    with engine.connect() as conn:  # the worst case: the busiest alliance of the province
        busiest, n_busiest = conn.execute(
            sql_text(
                "SELECT alliance_id, count(*) FROM record GROUP BY alliance_id "
                "ORDER BY count(*) DESC, alliance_id LIMIT 1"
            )
        ).one()
        conn.rollback()
    out["busiest"] = (busiest, n_busiest, bench.export(busiest)[0])
    # The dashboard page of the busiest alliance, rendered as the server does (the view's
    # queries and the Jinja2 template), for its principal: median / max of --rounds + 2.
    page_times = []
    for _ in range(args.rounds + 2):
        took, size = bench.dashboard(busiest)
        page_times.append(took)
    out["dashboard"] = (page_times, size)
    out["rss"] = rss_mb()
    out["load"] = (load_before, os.getloadavg()[0])
    if args.explain:
        print(f"[{backend}] statements and plans for alliance {picked[0]}:")
        explain(bench, picked[0])
    engine.dispose()
    tmpdir.cleanup()
    return out


def report(res: dict, spec: Spec, args: argparse.Namespace, gen: dict | None) -> list[str]:
    lines = [f"[{res['backend']}] {spec.alliances} alliances, {spec.records:,} records"]
    if gen:
        lines.append(
            f"  generated in {gen['total_s']:.0f} s (schema {gen['schema_s']:.1f} s, "
            f"load {gen['load_s']:.0f} s, analyze {gen['analyze_s']:.0f} s), "
            f"{gen['size_mb']:.0f} MB"
        )
    else:
        lines.append("  reused the cached database (--keep)")
    n = len(res["/进度"]) // max(1, args.rounds)
    for label in ("/进度", "/统计", "/统计 本学年"):
        t = res[label]
        p50, p95 = statistics.median(t), pct(t, 95)
        lines.append(
            f"  {label:<9} p50 {_ms(p50):>9}  p95 {_ms(p95):>9}  max {_ms(max(t)):>9}"
            f"  p95/target {p95 / PROGRESS_TARGET_S:.2f}  "
            f"({len(t)} runs: {n} alliances × {args.rounds})"
        )
    ex = res["export"]
    lines.append(
        f"  export 本学年 median {_ms(statistics.median(ex)):>9}  max {_ms(max(ex)):>9}"
        f"  max/target {max(ex) / EXPORT_TARGET_S:.2f}  ({len(ex)} alliances, "
        f"{res['export_bytes'] / 1024:.0f} KB each)"
    )
    a, n_rec, took = res["busiest"]
    lines.append(
        f"  export 本学年 of the busiest alliance (#{a}, {n_rec:,} records) {_ms(took)}"
        f"  /target {took / EXPORT_TARGET_S:.2f}"
    )
    times, size = res["dashboard"]
    lines.append(
        f"  /看板 page of the busiest alliance median {_ms(statistics.median(times))}  "
        f"max {_ms(max(times))}  max/target {max(times) / DASHBOARD_TARGET_S:.2f}  "
        f"({len(times)} renders, {size / 1024:.0f} KB of HTML)"
    )
    cur, peak = res["rss"]
    lines.append(
        f"  RSS {cur:.0f} MB (peak {peak:.0f} MB) in the querying process; "
        f"load average {res['load'][0]:.1f} → {res['load'][1]:.1f} on "
        f"{os.cpu_count()} CPUs (a shared machine: compare with it)"
    )
    return lines


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--backend", choices=("sqlite", "postgres", "both"), default="both")
    ap.add_argument("--alliances", type=int, default=1500)
    ap.add_argument("--records", type=int, default=1_000_000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--runs", type=int, default=30, help="different alliances timed")
    ap.add_argument("--rounds", type=int, default=3, help="times each alliance is timed")
    ap.add_argument("--export-runs", type=int, default=5)
    ap.add_argument(
        "--keep",
        action="store_true",
        help="reuse a generated database with the same parameters, and keep it",
    )
    ap.add_argument("--data-dir", default=str(ROOT / "data" / "bench"))
    ap.add_argument("--pg-url", default=None, help="PostgreSQL server (any database on it)")
    ap.add_argument("--explain", action="store_true", help="print statement times and plans")
    ap.add_argument("--show-reply", action="store_true", help="print the start of one /进度")
    ap.add_argument(
        "--serial",
        action="store_true",
        help="generate the two backends one after the other, not at once",
    )
    args = ap.parse_args(argv)
    spec = Spec(args.alliances, args.records, args.seed)
    backends = ("sqlite", "postgres") if args.backend == "both" else (args.backend,)
    admin = _admin_url(args.pg_url)
    sqlite_path = Path(args.data_dir) / f"query_{spec.tag}.db"
    pg_name = f"ab_bench_q_{spec.tag}"
    targets = {"sqlite": str(sqlite_path), "postgres": pg_name}
    urls = {"sqlite": f"sqlite:///{sqlite_path}", "postgres": _pg_url(admin, pg_name)}

    print(
        f"query benchmark: {spec.alliances} alliances × {1 + MEMBERS_PER_ALLIANCE} schools, "
        f"{spec.records:,} records {YEAR_START}..{YEAR_END}, now {NOW.isoformat()}; "
        f"{os.cpu_count()} CPUs"
    )
    todo = []
    for b in backends:
        exists = sqlite_path.exists() if b == "sqlite" else _pg_exists(admin, pg_name)
        if not (args.keep and exists):
            todo.append(b)
    gen: dict[str, dict] = {}
    if todo:
        Path(args.data_dir).mkdir(parents=True, exist_ok=True)
        print(
            f"generating: {', '.join(todo)}{' (in parallel)' if len(todo) > 1 and not args.serial else ''} …",
            flush=True,
        )
        workers = 1 if args.serial else len(todo)
        with cf.ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn")) as ex:
            futs = {b: ex.submit(generate, b, targets[b], spec, admin) for b in todo}
            for b, f in futs.items():
                gen[b] = f.result()
                g = gen[b]
                print(
                    f"  {b}: {g['records']:,} records in {g['total_s']:.0f} s "
                    f"(load {g['load_s']:.0f} s, analyze {g['analyze_s']:.0f} s), "
                    f"{g['size_mb']:.0f} MB",
                    flush=True,
                )
    from storage.db import current_revision, make_engine, upgrade

    for b in backends:
        if b in gen:
            continue
        eng = make_engine(urls[b])
        before = current_revision(eng)
        upgrade(eng)
        if current_revision(eng) != before:
            print(
                f"  {b}: migrated the cached database {before} → {current_revision(eng)}, "
                f"re-analyzed in {_analyze(eng):.0f} s",
                flush=True,
            )
        eng.dispose()

    out_lines: list[str] = []
    try:
        for b in backends:
            res = measure(b, urls[b], spec, args)
            lines = report(res, spec, args, gen.get(b))
            print("\n".join(lines), flush=True)
            out_lines += lines
    finally:
        if not args.keep:
            for b in backends:
                if b == "sqlite":
                    for suffix in ("", "-wal", "-shm"):
                        Path(f"{sqlite_path}{suffix}").unlink(missing_ok=True)
                else:
                    _pg_drop(admin, pg_name)
    print(
        "\nsummary (targets: /进度 p95 ≤ 50 ms, export ≤ 1 s, /看板 page ≤ 300 ms; "
        "ratio < 1 meets it)"
    )
    print("\n".join(out_lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
