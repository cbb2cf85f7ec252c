"""Shared fixtures: databases on SQLite and on the machine's PostgreSQL.

`db_url` is parametrised: every storage test runs on SQLite and on PostgreSQL. The
PostgreSQL URL comes from ALLIANCE_BOT_TEST_PG_URL (`.ci/run` sets it); each test gets
a database of its own, created and dropped around it, so parallel runs never collide.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SAMPLE_ROSTER = ROOT / "bot" / "data" / "sample_roster.toml"
PG_ENV = "ALLIANCE_BOT_TEST_PG_URL"


def pg_url() -> str | None:
    return os.environ.get(PG_ENV) or None


def _pg_admin_url(url: str) -> str:
    from storage.db import normalize_url

    return normalize_url(url)


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'test.db'}"


def _fresh_pg_database(base: str) -> tuple[str, callable]:
    from sqlalchemy.engine import make_url

    base = _pg_admin_url(base)
    name = f"ab_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(base).set(database=name).render_as_string(hide_password=False)

    def drop() -> None:
        with admin.connect() as c:
            c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return url, drop


@pytest.fixture
def pg_database_url():
    base = pg_url()
    if not base:
        pytest.skip(f"{PG_ENV} not set")
    url, drop = _fresh_pg_database(base)
    yield url
    drop()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'test.db'}"
    return request.getfixturevalue("pg_database_url")


@pytest.fixture
def engine(db_url: str):
    from storage.db import make_engine, upgrade

    eng = make_engine(db_url)
    upgrade(eng)
    yield eng
    eng.dispose()


@pytest.fixture
def sqlite_engine(sqlite_url: str):
    from storage.db import make_engine, upgrade

    eng = make_engine(sqlite_url)
    upgrade(eng)
    yield eng
    eng.dispose()
