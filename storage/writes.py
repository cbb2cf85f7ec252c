"""The writes every delivery makes, as statements built once.

Building `insert(Model).values(...)` per call sends it through the ORM's bulk path and
re-coerces every value: that cost more than the SQL. These statements are built once on
the tables and take their values as parameters.

Even served from SQLAlchemy's compiled cache, each execution spent 60–80 µs of Python in
the engine (execution context, cache key, parameter processing, result set-up): more than
SQLite needs to run it, and with six of them per report a fifth of a message's CPU. So
`Prepared` compiles each statement once per dialect and set of parameter names — with
SQLAlchemy's compiler and the columns' own bind processors, so the SQL and the values are
exactly what SQLAlchemy would send — and runs it on the connection's DBAPI cursor inside
the same transaction. A parameter set that does not name every column (a column default
would then apply) goes through `Connection.execute` as before.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from sqlalchemy import (
    ARRAY,
    Connection,
    Date,
    Integer,
    Select,
    String,
    Table,
    Text,
    and_,
    bindparam,
    case,
    column,
    func,
    insert,
    literal_column,
    select,
    update,
)
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.exc import DBAPIError
from sqlalchemy.sql.dml import UpdateBase
from sqlmodel import SQLModel

from storage.models import (
    AuditLog,
    InboundMessage,
    Record,
    RecordReporter,
    RecordSchool,
)


def _table(model: type[SQLModel]) -> Table:
    """The Core table SQLModel's metaclass puts on a `table=True` model."""
    return model.__table__  # type: ignore[attr-defined]  # SQLModel does not declare __table__


_inbound = _table(InboundMessage)
_record = _table(Record)
_record_school = _table(RecordSchool)
_reporter = _table(RecordReporter)
_audit = _table(AuditLog)


class Prepared:
    """A Core INSERT/UPDATE compiled once per dialect and run on the DBAPI cursor."""

    def __init__(self, stmt: UpdateBase | Select[Any], *, returning: bool = False) -> None:
        self.stmt = stmt
        self.returning = returning
        table = getattr(stmt, "table", None)
        # Every column an INSERT must be given for the fast path (no defaults to apply).
        self._needed = (
            frozenset(c.key for c in table.columns if not c.primary_key)
            if table is not None and stmt.is_insert
            else frozenset()
        )
        self._cache: dict[tuple, tuple[str, Any, list[tuple[str, Any]]]] = {}
        self.fast = 0  # executions on the cursor, and through SQLAlchemy (for tests)
        self.slow = 0

    def _compiled(
        self, dialect: Any, keys: frozenset[str]
    ) -> tuple[str, Any, list[tuple[str, Any]]] | None:
        hit = self._cache.get((dialect.name, keys))
        if hit is not None:
            return hit
        if self.stmt.is_insert and not keys >= self._needed:
            return None
        comp = self.stmt.compile(
            dialect=dialect, column_keys=sorted(keys) if self.stmt.is_insert else None
        )
        if comp.positional:
            assert comp.positiontup is not None  # a positional compile lists its binds in order
            names = list(comp.positiontup)
        else:
            names = list(comp.binds)
        procs = []
        for name in names:
            bind = comp.binds[name]
            procs.append((bind.key, bind.type.dialect_impl(dialect).bind_processor(dialect)))
        entry = (comp.string, comp.positional, procs)
        self._cache[(dialect.name, keys)] = entry
        return entry

    @staticmethod
    def _args(positional: bool, procs: list[tuple[str, Any]], values: dict[str, Any]) -> Any:
        if positional:
            return tuple(p(values[k]) if p else values[k] for k, p in procs)
        return {k: p(values[k]) if p else values[k] for k, p in procs}

    def execute(self, conn: Connection, values: dict[str, Any] | list[dict[str, Any]]) -> Any:
        """Run with one parameter set (returns the RETURNING value, if any) or many."""
        batch: list[dict[str, Any]] | None
        if isinstance(values, list):
            batch, first = values, values[0]
        else:
            batch, first = None, values
        many = batch is not None
        entry = self._compiled(conn.dialect, frozenset(first))
        if entry is None:
            self.slow += 1
            result = conn.execute(self.stmt, values)
            return result.scalar_one() if self.returning else None
        self.fast += 1
        sql, positional, procs = entry
        args = (
            [self._args(positional, procs, v) for v in batch]
            if batch is not None
            else self._args(positional, procs, first)
        )
        return _run(conn, sql, args, many=many, returning=self.returning)

    def rows(self, conn: Connection, values: dict[str, Any]) -> list[tuple]:
        """Run with one parameter set naming every column; every RETURNING row (raw)."""
        entry = self._compiled(conn.dialect, frozenset(values))
        assert entry is not None, "rows() needs every column's value"
        self.fast += 1
        sql, positional, procs = entry
        return _run(conn, sql, self._args(positional, procs, values), rows=True)


def _run(
    conn: Connection,
    sql: str,
    args: Any,
    *,
    many: bool = False,
    returning: bool = False,
    rows: bool = False,
) -> Any:
    """`sql` on the connection's DBAPI cursor (the RETURNING value, or every row with
    `rows`). An error is raised as SQLAlchemy would raise it (IntegrityError,
    OperationalError, ...), and a lost connection is invalidated so the pool does not hand
    it out again."""
    dbapi_conn: Any = conn.connection.driver_connection
    cursor = dbapi_conn.cursor()
    try:
        (cursor.executemany if many else cursor.execute)(sql, args)
        if rows:
            return cursor.fetchall()
        return cursor.fetchone()[0] if returning and not many else None
    except conn.dialect.loaded_dbapi.Error as e:
        disconnect = conn.dialect.is_disconnect(e, dbapi_conn, cursor)
        if disconnect:
            conn.invalidate(e)
        raise DBAPIError.instance(
            sql,
            args,
            e,
            conn.dialect.loaded_dbapi.Error,
            connection_invalidated=disconnect,
            dialect=conn.dialect,
        ) from e
    finally:
        try:
            cursor.close()
        except conn.dialect.loaded_dbapi.Error:
            pass


class PreparedSelect:
    """A Core SELECT compiled once per dialect and run on the DBAPI cursor, like
    `Prepared`: its rows are named tuples of the selected columns with each column's own
    result processor applied (the values SQLAlchemy's rows would hold). The duplicate check
    runs for every report, and SQLAlchemy's execution path cost more than the query."""

    def __init__(self, stmt: Any, row: Any) -> None:
        self.stmt = stmt
        self.row = row  # a NamedTuple with the selected columns' keys, in their order
        assert tuple(row._fields) == tuple(c.key for c in stmt.selected_columns)
        self._cache: dict[str, tuple[str, Any, list[tuple[str, Any]], list[Any]]] = {}
        self.runs = 0  # executions (for tests)

    def _compiled(self, dialect: Any) -> tuple[str, Any, list[tuple[str, Any]], list[Any]]:
        hit = self._cache.get(dialect.name)
        if hit is not None:
            return hit
        comp = self.stmt.compile(dialect=dialect)
        names = list(comp.positiontup) if comp.positional else list(comp.binds)
        binds = [
            (comp.binds[n].key, comp.binds[n].type.dialect_impl(dialect).bind_processor(dialect))
            for n in names
        ]
        results = [
            c.type.dialect_impl(dialect).result_processor(dialect, None)
            for c in self.stmt.selected_columns
        ]
        entry = (comp.string, comp.positional, binds, results)
        self._cache[dialect.name] = entry
        return entry

    def rows(self, conn: Connection, values: dict[str, Any]) -> list[Any]:
        """Every row, as `self.row` tuples."""
        sql, positional, binds, results = self._compiled(conn.dialect)
        self.runs += 1
        got = _run(conn, sql, Prepared._args(positional, binds, values), rows=True)
        row = self.row
        return [row(*(p(v) if p else v for p, v in zip(results, r, strict=True))) for r in got]


INSERT_INBOUND = insert(_inbound).returning(_inbound.c.id)
FINISH_INBOUND = (
    update(_inbound)
    .where(_inbound.c.id == bindparam("inbound_id"))
    .values(
        outcome=bindparam("outcome"),
        record_id=bindparam("record_id"),
        reply_text=bindparam("reply_text"),
        reply_markdown=bindparam("reply_markdown"),
    )
)
CLAIM_REPLY = (
    update(_inbound)
    .where(
        _inbound.c.platform == bindparam("p"),
        _inbound.c.bot_id == bindparam("b"),
        _inbound.c.message_id == bindparam("m"),
        _inbound.c.reply_claimed_at.is_(None),
    )
    .values(reply_claimed_at=bindparam("now"))
)
INSERT_RECORD = insert(_record).returning(_record.c.id)
INSERT_RECORD_SCHOOL = insert(_record_school).inline()  # no implicit RETURNING id
INSERT_REPORTER = insert(_reporter).inline()
INSERT_AUDIT = insert(_audit).inline()

# Columns every new record is given (the id aside): the one-statement path needs them all.
_RECORD_KEYS = frozenset(c.key for c in _record.columns if not c.primary_key)
_REPORTER_KEYS = ("person_id", "reporter_name", "message_id", "created_at")
_AUDIT_KEYS = ("actor_person_id", "action", "field", "old_value", "new_value", "message_id", "at")


def _record_with_links() -> Select[Any]:
    """PostgreSQL: a new record, its school links, its reporter and its audit line in one
    statement, INSERTs in data-modifying CTEs that take the new id from the first: one
    round trip (and one execution) instead of four. The school links come as two arrays
    (ids, names), zipped by `unnest`. The rows are those of the four statements below."""
    new = (
        insert(_record)
        .values({k: bindparam(k, type_=_record.c[k].type) for k in sorted(_RECORD_KEYS)})
        .returning(_record.c.id)
        .cte("new_record")
    )
    links = (
        insert(_record_school)
        .from_select(
            ["record_id", "school_id", "school_name"],
            select(
                new.c.id,
                func.unnest(bindparam("school_ids", type_=ARRAY(Integer))),
                func.unnest(bindparam("school_names", type_=ARRAY(String))),
            ),
        )
        .cte("new_links")
    )
    reporter = (
        insert(_reporter)
        .from_select(
            ["record_id", *_REPORTER_KEYS],
            select(
                new.c.id,
                *(bindparam(f"reporter_{k}", type_=_reporter.c[k].type) for k in _REPORTER_KEYS),
            ),
        )
        .cte("new_reporter")
    )
    audit = (
        insert(_audit)
        .from_select(
            ["record_id", *_AUDIT_KEYS],
            select(
                new.c.id, *(bindparam(f"audit_{k}", type_=_audit.c[k].type) for k in _AUDIT_KEYS)
            ),
        )
        .cte("new_audit")
    )
    return select(new.c.id).add_cte(links, reporter, audit)


RECORD_WITH_LINKS = _record_with_links()

# PostgreSQL: a batch's inbound rows in one INSERT and their outcomes in one UPDATE (the
# group-commit writer's round trips, not its CPU, bounded a batch). Each column comes as
# an array, zipped by `unnest`, so the SQL is one string whatever the batch size.
_INBOUND_KEYS = tuple(sorted(c.key for c in _inbound.columns if not c.primary_key))
_INBOUND_KEY = ("platform", "bot_id", "message_id")
INSERT_INBOUND_MANY = (
    pg_insert(_inbound)
    .from_select(
        list(_INBOUND_KEYS),
        select(
            *(
                func.unnest(bindparam(k, type_=ARRAY(_inbound.c[k].type))).label(k)
                for k in _INBOUND_KEYS
            )
        ),
    )
    # A row already stored (a re-delivery, also one another transaction is writing: the
    # insert waits for it) or given twice is skipped, not an error: no savepoint needed.
    .on_conflict_do_nothing(index_elements=list(_INBOUND_KEY))
    .returning(_inbound.c.id, *(_inbound.c[k] for k in _INBOUND_KEY))
)


def _unnested(name: str, *cols: tuple[str, str, Any]) -> Any:
    """A derived table of rows zipped by `unnest` from array parameters: each column given
    as (parameter, column, type)."""
    return (
        func.unnest(*(bindparam(p, type_=ARRAY(t)) for p, _c, t in cols))
        .table_valued(*(column(c, t) for _p, c, t in cols))
        .render_derived(name=name)
    )


_FINISHED = _unnested(
    "finished",
    ("ids", "id", Integer),
    ("outcomes", "outcome", String),
    ("record_ids", "record_id", Integer),
    ("reply_texts", "reply_text", Text),
    ("reply_markdowns", "reply_markdown", Text),
)
FINISH_INBOUND_MANY = (
    update(_inbound)
    .where(_inbound.c.id == _FINISHED.c.id)
    .values(
        outcome=_FINISHED.c.outcome,
        record_id=_FINISHED.c.record_id,
        reply_text=_FINISHED.c.reply_text,
        reply_markdown=_FINISHED.c.reply_markdown,
    )
)


_P_INBOUND = Prepared(INSERT_INBOUND, returning=True)
_P_FINISH = Prepared(FINISH_INBOUND)
_P_RECORD = Prepared(INSERT_RECORD, returning=True)
_P_RECORD_SCHOOL = Prepared(INSERT_RECORD_SCHOOL)
_P_REPORTER = Prepared(INSERT_REPORTER)
_P_AUDIT = Prepared(INSERT_AUDIT)
_P_RECORD_WITH_LINKS = Prepared(RECORD_WITH_LINKS, returning=True)
_P_INBOUND_MANY = Prepared(INSERT_INBOUND_MANY)
_P_FINISH_MANY = Prepared(FINISH_INBOUND_MANY)
PREPARED = (
    _P_INBOUND,
    _P_FINISH,
    _P_RECORD,
    _P_RECORD_SCHOOL,
    _P_REPORTER,
    _P_AUDIT,
    _P_RECORD_WITH_LINKS,
    _P_INBOUND_MANY,
    _P_FINISH_MANY,
)


def insert_inbound(conn: Connection, values: dict[str, Any]) -> int:
    return _P_INBOUND.execute(conn, values)


def finish_inbound(
    conn: Connection,
    inbound_id: int,
    outcome: str,
    record_id: int | None,
    reply_text: str | None,
    reply_markdown: str | None,
) -> None:
    _P_FINISH.execute(
        conn,
        {
            "inbound_id": inbound_id,
            "outcome": outcome,
            "record_id": record_id,
            "reply_text": reply_text,
            "reply_markdown": reply_markdown,
        },
    )


def insert_inbound_many(conn: Connection, rows: list[dict[str, Any]]) -> list[int | None]:
    """PostgreSQL: insert a batch's inbound rows in one statement; each row's new id, or
    None for one already stored (committed, or by a transaction that commits while this
    waits) and for a later row with the key of an earlier one of the same call."""
    got = _P_INBOUND_MANY.rows(conn, {k: [r[k] for r in rows] for k in _INBOUND_KEYS})
    ids = {(p, b, m): i for i, p, b, m in got}
    return [ids.pop((r["platform"], r["bot_id"], r["message_id"]), None) for r in rows]


def finish_inbound_many(
    conn: Connection, finished: list[tuple[int, str, int | None, str | None, str | None]]
) -> None:
    """PostgreSQL: `finish_inbound` for many rows in one statement; each tuple is
    (inbound id, outcome, record id, reply text, reply markdown)."""
    ids, outcomes, record_ids, texts, markdowns = zip(*finished, strict=True)
    _P_FINISH_MANY.execute(
        conn,
        {
            "ids": list(ids),
            "outcomes": list(outcomes),
            "record_ids": list(record_ids),
            "reply_texts": list(texts),
            "reply_markdowns": list(markdowns),
        },
    )


def claim_reply(conn: Connection, platform: str, bot_id: str, message_id: str, now: Any) -> bool:
    """Mark the reply to a stored message as taken; True for the one caller that did."""
    done = conn.execute(CLAIM_REPLY, {"p": platform, "b": bot_id, "m": message_id, "now": now})
    return done.rowcount == 1


def insert_record(
    conn: Connection,
    values: dict[str, Any],
    schools: list[dict[str, Any]],
    reporter: dict[str, Any],
    audit: dict[str, Any],
    candidates: dict[tuple, list[Candidate]] | None = None,
    pending: PendingRecords | None = None,
) -> int:
    """A new record with its school links, its reporter and its audit line. With
    `candidates` (a batch's `prefetch_candidates`), the new record joins its key's list
    there, as the next duplicate check would read it from the table. With `pending` (a
    batch's `PendingRecords` holding an id), the rows are written with the batch's
    others at its next `flush`."""
    audit = {"field": None, "old_value": None, "new_value": None, **audit}
    if pending is not None and pending.ids and values.keys() == _RECORD_KEYS:
        rid = pending.add(values, schools, reporter, audit)
    elif conn.dialect.name == "postgresql" and values.keys() == _RECORD_KEYS:
        params = {
            **values,
            "school_ids": [x["school_id"] for x in schools],
            "school_names": [x["school_name"] for x in schools],
        }
        params.update({f"reporter_{k}": reporter[k] for k in _REPORTER_KEYS})
        params.update({f"audit_{k}": audit[k] for k in _AUDIT_KEYS})
        rid = _P_RECORD_WITH_LINKS.execute(conn, params)
    else:
        rid = _P_RECORD.execute(conn, values)
        if schools:
            _P_RECORD_SCHOOL.execute(conn, [{**s, "record_id": rid} for s in schools])
        _P_REPORTER.execute(conn, {**reporter, "record_id": rid})
        _P_AUDIT.execute(conn, {**audit, "record_id": rid})
    if candidates and not values.get("deleted"):
        key = candidate_key(
            values["intent"],
            values.get("kind"),
            values.get("exchange_kind"),
            values.get("date"),
            values.get("alliance_id"),
        )
        if key in candidates:
            candidates[key].append(
                Candidate(
                    rid,
                    values.get("schools"),
                    values.get("to_school"),
                    values.get("from_school"),
                    values.get("subject"),
                    values.get("title"),
                    values.get("teachers"),
                )
            )
    return rid


class Candidate(NamedTuple):
    """The columns of a record that `handlers.records.same_event` compares."""

    id: int
    schools: list[str] | None
    to_school: str | None
    from_school: str | None
    subject: str | None
    title: str | None
    teachers: list[str] | None


def _candidates(intent_kind: str, by_alliance: bool):
    r = _record.c
    q = select(r.id, r.schools, r.to_school, r.from_school, r.subject, r.title, r.teachers).where(
        r.deleted.is_(False),
        r.intent == bindparam("intent"),
        r.date == bindparam("date"),
        r[intent_kind] == bindparam("kind"),
    )
    # A report of no alliance joins only records of no alliance.
    q = (
        q.where(r.alliance_id == bindparam("alliance_id"))
        if by_alliance
        else q.where(r.alliance_id.is_(None))
    )
    return q.order_by(r.id)


# (kind column, filtered by alliance) -> the statement, built and compiled once.
_DUPLICATE_CANDIDATES = {
    (k, a): PreparedSelect(_candidates(k, a), Candidate)
    for k in ("kind", "exchange_kind")
    for a in (False, True)
}


def duplicate_candidates(
    conn: Connection,
    intent: str,
    kind: str | None,
    exchange_kind: str | None,
    date: object,
    alliance_id: int | None,
    candidates: dict[tuple, list[Candidate]] | None = None,
) -> list[Candidate]:
    """Live records of one intent, kind and day (and alliance): the few columns
    `handlers.records.same_event` compares. A key `candidates` (a batch's
    `prefetch_candidates`) holds is answered from there, without a round trip."""
    if candidates:
        hit = candidates.get(candidate_key(intent, kind, exchange_kind, date, alliance_id))
        if hit is not None:
            return list(hit)
    column = "kind" if intent == "activity" else "exchange_kind"
    stmt = _DUPLICATE_CANDIDATES[(column, alliance_id is not None)]
    params = {"intent": intent, "date": date, "kind": kind if column == "kind" else exchange_kind}
    if alliance_id is not None:
        params["alliance_id"] = alliance_id
    return stmt.rows(conn, params)


# -- a batch's duplicate candidates in one statement (PostgreSQL) ---------------------------
# The group-commit writer on PostgreSQL is bound by round trips, and the duplicate check
# was one per report. The batch's keys are known before it runs (the reports are parsed
# first): their candidates are read in one SELECT, and the batch keeps that map current
# as it goes — a new record joins its key's list (`insert_record`), a key whose record is
# merged into is dropped (`handlers.records.find_duplicate`), and the pipeline drops the
# whole map after a delivery that changed records otherwise (a command, a follow-up).

CANDIDATES = "alliance_bot.duplicate_candidates"  # the map's key in `Session.info`


def candidate_key(
    intent: str, kind: str | None, exchange_kind: str | None, date: object, alliance_id: object
) -> tuple:
    """What `duplicate_candidates` selects on: intent, the kind its intent uses, day and
    alliance."""
    return (intent, kind if intent == "activity" else exchange_kind, date, alliance_id)


def _prefetch() -> Any:
    r = _record.c
    keys = _unnested(
        "wanted",
        ("intents", "intent", String),
        ("kinds", "kind", String),
        ("dates", "date", Date),
        ("alliance_ids", "alliance_id", Integer),
    )
    # The literal in the SQL, not a parameter: PreparedSelect binds only the named ones.
    kind = case((r.intent == literal_column("'activity'"), r.kind), else_=r.exchange_kind)
    return (
        select(
            r.intent,
            kind.label("key_kind"),
            r.date,
            r.alliance_id,
            *(_record.c[k] for k in Candidate._fields),
        )
        .select_from(_record)
        .join(
            keys,
            and_(
                r.intent == keys.c.intent,
                r.date == keys.c.date,
                r.alliance_id == keys.c.alliance_id,
                kind == keys.c.kind,
            ),
        )
        .where(r.deleted.is_(False))
        .order_by(r.id)
    )


class _PrefetchRow(NamedTuple):
    intent: str
    key_kind: str | None
    date: Any
    alliance_id: int | None
    id: int
    schools: list[str] | None
    to_school: str | None
    from_school: str | None
    subject: str | None
    title: str | None
    teachers: list[str] | None


_P_PREFETCH = PreparedSelect(_prefetch(), _PrefetchRow)


def prefetch_candidates(conn: Connection, keys: Any) -> dict[tuple, list[Candidate]]:
    """PostgreSQL: `duplicate_candidates` of many `candidate_key`s in one statement, as a
    map key → candidates (in id order, as `duplicate_candidates` returns them). Keys with
    no kind or no alliance are left out: they are checked one by one as before."""
    wanted = list(dict.fromkeys(k for k in keys if k[1] is not None and k[3] is not None))
    if not wanted:
        return {}
    intents, kinds, dates, alliances = (list(x) for x in zip(*wanted, strict=True))
    out: dict[tuple, list[Candidate]] = {k: [] for k in wanted}
    rows = _P_PREFETCH.rows(
        conn, {"intents": intents, "kinds": kinds, "dates": dates, "alliance_ids": alliances}
    )
    for row in rows:
        out[(row.intent, row.key_kind, row.date, row.alliance_id)].append(Candidate(*row[4:]))
    return out


# -- a batch's new records in one statement (PostgreSQL) ------------------------------------
# After the statements above, each new report still cost the writer one round trip, the
# record's INSERT … RETURNING id, only for the id its reply quotes. A batch takes its ids
# from the sequence at once (`allocate_record_ids`); a new record is then only queued
# (`PendingRecords.add`) and the queue written in one statement (`PendingRecords.flush`)
# before anything reads the table: a duplicate check that is not answered from the
# prefetched candidates, a merge, any delivery other than a new report, the batch's end.

PENDING = "alliance_bot.pending_records"  # the queue's key in `Session.info`

_RECORD_COLS = ("id", *sorted(_RECORD_KEYS))
_LINK_COLS = ("record_id", "school_id", "school_name")
_REPORTER_COLS = ("record_id", *_REPORTER_KEYS)
_AUDIT_COLS = ("record_id", *_AUDIT_KEYS)


def _array_of(item: Any) -> ARRAY:
    # One dimension: a JSON value that is itself a list is one element, not a sub-array.
    return ARRAY(item, dimensions=1)


def _unnest_insert(table: Table, cols: tuple[str, ...], prefix: str) -> Any:
    return insert(table).from_select(
        list(cols),
        select(
            *(
                func.unnest(bindparam(f"{prefix}{k}", type_=_array_of(table.c[k].type))).label(k)
                for k in cols
            )
        ),
    )


def _records_many() -> Select[Any]:
    """The four tables' rows of many new records (ids given): one INSERT … SELECT unnest
    per table, as data-modifying CTEs of one statement (the foreign keys are checked at
    its end, when every row is there)."""
    ctes = [
        _unnest_insert(_record, _RECORD_COLS, "r_").cte("new_records"),
        _unnest_insert(_record_school, _LINK_COLS, "l_").cte("new_links"),
        _unnest_insert(_reporter, _REPORTER_COLS, "p_").cte("new_reporters"),
        _unnest_insert(_audit, _AUDIT_COLS, "a_").cte("new_audit"),
    ]
    return select(literal_column("1")).add_cte(*ctes)


class _One(NamedTuple):
    one: int


_P_RECORDS_MANY = PreparedSelect(
    _records_many().with_only_columns(literal_column("1").label("one")), _One
)
_P_RECORD_IDS = PreparedSelect(
    select(
        func.nextval(literal_column("pg_get_serial_sequence('record', 'id')")).label("id")
    ).select_from(func.generate_series(literal_column("1"), bindparam("n", type_=Integer))),
    NamedTuple("_Id", [("id", int)]),
)


def allocate_record_ids(conn: Connection, n: int) -> list[int]:
    """PostgreSQL: `n` new record ids from the table's sequence (an id left unused is a gap,
    as a rolled-back insert leaves)."""
    return [row.id for row in _P_RECORD_IDS.rows(conn, {"n": n})] if n > 0 else []


class PendingRecords:
    """New records of a batch waiting to be written together (see above)."""

    def __init__(self, ids: list[int]) -> None:
        self.ids = ids[::-1]  # popped from the end: the smallest first
        self._records: list[dict[str, Any]] = []
        self._links: list[dict[str, Any]] = []
        self._reporters: list[dict[str, Any]] = []
        self._audit: list[dict[str, Any]] = []

    def add(
        self,
        values: dict[str, Any],
        schools: list[dict[str, Any]],
        reporter: dict[str, Any],
        audit: dict[str, Any],
    ) -> int:
        rid = self.ids.pop()
        self._records.append({**values, "id": rid})
        self._links += [{**x, "record_id": rid} for x in schools]
        self._reporters.append({**reporter, "record_id": rid})
        self._audit.append({**audit, "record_id": rid})
        return rid

    def flush(self, conn: Connection) -> None:
        if not self._records:
            return
        params: dict[str, Any] = {}
        for prefix, cols, rows in (
            ("r_", _RECORD_COLS, self._records),
            ("l_", _LINK_COLS, self._links),
            ("p_", _REPORTER_COLS, self._reporters),
            ("a_", _AUDIT_COLS, self._audit),
        ):
            for k in cols:
                params[f"{prefix}{k}"] = [row[k] for row in rows]
        _P_RECORDS_MANY.rows(conn, params)
        self._records, self._links, self._reporters, self._audit = [], [], [], []


def flush_pending(session: Any) -> None:
    """Write the batch's queued new records (if any) before the table is read."""
    pending = session.info.get(PENDING)
    if pending is not None:
        pending.flush(session.connection())
