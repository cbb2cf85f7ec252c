"""Group commit: the deliveries waiting for the database share one transaction.

Every inbound message must be committed before its 200 goes out. Committing each alone
costs a commit (an fsync on SQLite with `synchronous=FULL`, a WAL flush and a round trip on
PostgreSQL) and, on SQLite, a turn at the one write lock per message. `GroupCommit` runs
one writer thread per process: callers `await submit(job)`; the writer takes every job
waiting (up to `max_batch`), runs them one after another in one session and one
transaction, commits once, and only then resolves each caller's future, so each answer
still follows its own row's commit.

A job is `run(session) -> result` plus `recover(session, error) -> result`. A batch first
runs without savepoints; if a job raises, the batch is rolled back and runs again with each
job inside its own savepoint: the job that raises is rolled back to its savepoint alone
and `recover` runs in a fresh savepoint (the pipeline stores the message with outcome
"error", or answers a duplicate from the stored reply); the rest of the batch is
untouched. A batch of one needs no savepoint: the transaction is rolled back
and `recover` runs in a new one. If `recover` raises too, or the commit fails, the
affected callers get the exception (the adapter answers 503 and the platform retries;
nothing was stored for them).

The owner may run a batch's jobs together in that first attempt (`run_all`; each `Job`
carries its owner's `data`): the pipeline does on PostgreSQL, where the writer's round
trips, not its CPU, bounded a batch (bot/pipeline.py, `Pipeline._run_all`). The attempt
with savepoints always runs each job's own `run`.

No library does this: SQLAlchemy has savepoints and sessions, not a commit queue, and the
batch boundary (whatever is waiting when the writer is free) is the point of it.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections import deque
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError
from sqlmodel import Session

log = logging.getLogger(__name__)

Run = Callable[[Session], Any]
Recover = Callable[[Session, BaseException], Any]
RunAll = Callable[[Session, list["Job"]], list[Any]]


@dataclass
class Job:
    run: Run
    recover: Recover
    # Set by submit(): where to hand the result back.
    loop: asyncio.AbstractEventLoop | None = None
    future: asyncio.Future | None = None
    result: Any = None
    error: BaseException | None = None
    done: threading.Event | None = field(default=None, repr=False)
    # What `run_all` may use instead of `run` (the pipeline's delivery); opaque here.
    data: Any = None


def _locked(e: BaseException) -> bool:
    return isinstance(e, OperationalError) and "locked" in str(e)


class GroupCommit:
    def __init__(
        self,
        engine: Engine,
        *,
        lock: AbstractContextManager | None = None,
        max_batch: int = 64,
        name: str = "group-commit",
        run_all: RunAll | None = None,
    ) -> None:
        self.engine = engine
        # How a batch's jobs run in the attempt without savepoints: each job's `run` in turn
        # unless the owner runs them together (the pipeline on PostgreSQL: fewer round trips).
        self.run_all: RunAll = run_all or (lambda s, jobs: [job.run(s) for job in jobs])
        # SQLite: the process-wide write lock (other writers of this process queue on it).
        self.lock: AbstractContextManager = lock if lock is not None else nullcontext()
        self.max_batch = max_batch
        self.name = name
        self._queue: deque[Job] = deque()
        self._cond = threading.Condition()
        self._thread: threading.Thread | None = None
        self._closed = False
        self.batches = 0  # counters, for the benchmarks and tests
        self.jobs = 0

    # -- callers ---------------------------------------------------------------------
    async def submit(self, run: Run, recover: Recover, data: Any = None) -> Any:
        """Queue a job for the next batch; returns its result once the batch committed."""
        loop = asyncio.get_running_loop()
        job = Job(run, recover, loop=loop, future=loop.create_future(), data=data)
        with self._cond:
            if self._closed:
                raise RuntimeError("group commit writer is closed")
            self._queue.append(job)
            if self._thread is None:
                self._thread = threading.Thread(target=self._loop, name=self.name, daemon=True)
                self._thread.start()
            self._cond.notify()
        assert job.future is not None
        return await job.future

    def run_now(self, run: Run, recover: Recover) -> Any:
        """Run one job in its own transaction in the calling thread (CLI, tests, tools)."""
        job = Job(run, recover)
        self._run_batch([job])
        if job.error is not None:
            raise job.error
        return job.result

    def run_batch_now(self, jobs: list[Job]) -> None:
        """Run `jobs` as one batch in the calling thread (benchmarks, tests): as the writer
        would, each job's result or error set on it."""
        try:
            self._run_batch(jobs)
        except BaseException as e:
            for job in jobs:
                if job.error is None:
                    job.error = e

    def close(self, timeout: float = 10.0) -> None:
        """Finish the queued jobs and stop the writer thread."""
        with self._cond:
            self._closed = True
            self._cond.notify()
            thread = self._thread
        if thread is not None:
            thread.join(timeout)

    # -- the writer thread -------------------------------------------------------------
    def _loop(self) -> None:
        while True:
            with self._cond:
                while not self._queue and not self._closed:
                    self._cond.wait()
                if not self._queue:
                    return  # closed and drained
                n = min(len(self._queue), self.max_batch)
                batch = [self._queue.popleft() for _ in range(n)]
            try:
                self._run_batch(batch)
            except BaseException as e:
                for job in batch:
                    if job.error is None:
                        job.error = e
            self._resolve(batch)

    @staticmethod
    def _resolve(batch: list[Job]) -> None:
        by_loop: dict[asyncio.AbstractEventLoop, list[Job]] = {}
        for job in batch:
            if job.loop is not None:
                by_loop.setdefault(job.loop, []).append(job)

        def settle(jobs: list[Job]) -> None:
            for job in jobs:
                f = job.future
                if f is None or f.done():  # the caller went away (cancelled)
                    continue
                if job.error is not None:
                    f.set_exception(job.error)
                else:
                    f.set_result(job.result)

        for loop, jobs in by_loop.items():
            try:
                loop.call_soon_threadsafe(settle, jobs)  # one wake-up per batch, not per job
            except RuntimeError:  # that loop is closed: nobody is waiting any more
                pass

    def _run_batch(self, batch: list[Job]) -> None:
        try:
            self._attempt(batch)
        except OperationalError as e:
            # SQLite: another process held the write lock past the busy timeout. One more
            # try is cheap; every job is idempotent (its inbound row is the key).
            if self.engine.dialect.name != "sqlite" or not _locked(e):
                raise
            log.warning("database busy, retrying a batch of %d message(s) once", len(batch))
            for job in batch:
                job.result, job.error = None, None
            self._attempt(batch)

    def _attempt(self, batch: list[Job]) -> None:
        if len(batch) == 1:
            with self.lock, Session(self.engine, expire_on_commit=False) as s:
                s.connection()  # BEGIN (IMMEDIATE on SQLite) before the job runs
                self._single(s, batch[0])
                s.commit()
        elif not self._optimistic(batch):
            with self.lock, Session(self.engine, expire_on_commit=False) as s:
                s.connection()
                for job in batch:
                    self._nested(s, job)
                s.commit()
        self.batches += 1
        self.jobs += len(batch)

    def _optimistic(self, batch: list[Job]) -> bool:
        """The whole batch without savepoints (two statements per job saved): True when
        every job ran and the batch committed. When one raises, the transaction is rolled
        back and False returned, and the batch runs again with a savepoint per job; a job
        must therefore be safe to run twice (the pipeline's are: nothing but the database
        changes before the commit, and a reminder resync is idempotent)."""
        with self.lock, Session(self.engine, expire_on_commit=False) as s:
            s.connection()
            try:
                results = self.run_all(s, batch)
            except OperationalError as e:
                if _locked(e):
                    raise
                s.rollback()
                return False
            except Exception:
                s.rollback()
                return False
            s.commit()
        for job, result in zip(batch, results, strict=False):
            job.result = result
        return True

    @staticmethod
    def _single(s: Session, job: Job) -> None:
        try:
            job.result = job.run(s)
            return
        except OperationalError as e:
            if _locked(e):
                raise  # the batch is retried
            error: BaseException = e
        except Exception as e:
            error = e
        s.rollback()
        s.connection()
        try:
            job.result = job.recover(s, error)
        except Exception as e2:
            s.rollback()
            job.error = e2

    @staticmethod
    def _nested(s: Session, job: Job) -> None:
        try:
            with s.begin_nested():
                job.result = job.run(s)
            return
        except OperationalError as e:
            if _locked(e):
                raise
            error: BaseException = e
        except Exception as e:
            error = e
        try:
            with s.begin_nested():
                job.result = job.recover(s, error)
        except Exception as e2:
            job.error = e2
