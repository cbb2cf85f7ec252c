"""Errors a county IT person can act on: one or two Chinese lines naming what to fix, a
non-zero exit, and nothing written (no database file, no data directory, no rows)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from sqlmodel import Session, select

from bot.cli import main, wait_for_database
from bot.config import load_settings
from storage.db import make_engine
from storage.models import ExternalScore
from tests.conftest import ROOT, SAMPLE_ROSTER


@pytest.fixture
def here(tmp_path, monkeypatch):
    """A clean working directory: the default data directory would appear here."""
    monkeypatch.chdir(tmp_path)
    for k in list(os.environ):
        if k.startswith("ALLIANCE_BOT_") and k != "ALLIANCE_BOT_TEST_PG_URL":
            monkeypatch.delenv(k)
    return tmp_path


def config(here: Path, body: str) -> str:
    p = here / "bot.toml"
    p.write_text(body, encoding="utf-8")
    return str(p)


def nothing_written(here: Path) -> None:
    assert sorted(p.name for p in here.iterdir()) == ["bot.toml"], list(here.iterdir())


def run(capsys, *argv: str) -> tuple[int, str]:
    rc = main(list(argv))
    err = capsys.readouterr().err
    return rc, err


def short(err: str) -> None:
    lines = [x for x in err.strip().splitlines() if x.strip()]
    assert 1 <= len(lines) <= 3 and "Traceback" not in err, err


def test_port_already_in_use(here, capsys):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        cfg = config(
            here,
            f'data_dir = "d"\n[database]\nurl = "sqlite:///d/bot.db"\n[server]\nport = {port}\n',
        )
        rc, err = run(capsys, "--config", cfg, "serve")
    assert rc == 2
    assert f"端口 {port} 已被占用" in err and "[server] port" in err
    short(err)
    nothing_written(here)


def test_postgresql_unreachable_is_retried_then_named(here, capsys, caplog):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again: nobody listens there
    cfg = config(
        here,
        f'[database]\nurl = "postgresql+psycopg://bot@127.0.0.1:{port}/alliance"\n'
        "connect_retry_s = 2.5\n",
    )
    rc, err = run(capsys, "--config", cfg, "serve")
    assert rc == 2
    assert f"无法连接数据库 127.0.0.1:{port}/alliance" in err and "PostgreSQL 已启动" in err
    short("\n".join(x for x in err.splitlines() if " WARNING " not in x))  # retries are log lines
    retries = [r for r in caplog.records if "暂时连不上" in r.getMessage()]
    assert len(retries) >= 2  # 1 s, then 1.5 s: it waited before giving up
    nothing_written(here)


def test_wait_for_database_backs_off(here):
    s = load_settings(
        None, database={"url": "postgresql+psycopg://bot@127.0.0.1:9/x", "connect_retry_s": 7}
    )
    slept: list[float] = []
    import time

    real = time.monotonic
    clock = [real()]

    def fake_sleep(d: float) -> None:
        slept.append(d)
        clock[0] += d

    time.monotonic = lambda: clock[0]  # type: ignore[assignment]
    try:
        msg = wait_for_database(s, sleep=fake_sleep)
    finally:
        time.monotonic = real  # type: ignore[assignment]
    assert msg and "无法连接数据库" in msg
    assert slept[:2] == [1.0, 2.0] and sum(slept) <= 7.01


@pytest.mark.parametrize(
    "url, words",
    [
        ("data/alliance.db", ["缺少数据库类型前缀", "sqlite:///"]),
        ("mysql://bot@127.0.0.1/alliance", ["驱动", "未安装"]),
        ("postgresql+asyncpg://bot@127.0.0.1/alliance", ["postgresql+psycopg://"]),
    ],
)
def test_database_url_without_scheme_or_driver(here, capsys, url, words):
    cfg = config(here, f'[database]\nurl = "{url}"\n')
    rc, err = run(capsys, "--config", cfg, "serve")
    assert rc == 2 and "database.url" in err
    for w in words:
        assert w in err, err
    short(err)
    nothing_written(here)


def test_unknown_time_zone(here, capsys):
    cfg = config(here, 'timezone = "Asia/Beijing"\n')
    rc, err = run(capsys, "--config", cfg, "records")
    assert (
        rc == 2
        and "timezone" in err
        and "未知的时区“Asia/Beijing”" in err
        and "Asia/Shanghai" in err
    )
    short(err)
    nothing_written(here)


def test_reminder_time_like_4pm_is_refused_when_the_config_loads(here, capsys):
    cfg = config(here, '[reminders]\nplanned_day_before = "4pm"\n')
    rc, err = run(capsys, "--config", cfg, "records")
    assert rc == 2
    assert "reminders.planned_day_before" in err and "“4pm”不是有效的时间" in err and "16:00" in err
    short(err)
    nothing_written(here)


def test_pydantic_type_errors_in_chinese(here, capsys):
    cfg = config(here, '[server]\nport = "八零八零"\nthreads = 0\n[reminders]\nenabled = "maybe"\n')
    rc, err = run(capsys, "--config", cfg, "records")
    assert rc == 2
    assert "server.port: 应为整数" in err
    assert "server.threads: 应不小于 1" in err
    assert "reminders.enabled: 应为 true 或 false" in err
    assert "Input should" not in err
    nothing_written(here)


def test_environment_variable_error_names_the_variable(here, capsys, monkeypatch):
    cfg = config(here, "[server]\nport = 8080\n")
    monkeypatch.setenv("ALLIANCE_BOT_SERVER__PORT", "http")
    rc, err = run(capsys, "--config", cfg, "records")
    assert rc == 2
    assert "环境变量 ALLIANCE_BOT_SERVER__PORT: 应为整数" in err
    assert "server.port" not in err.replace("ALLIANCE_BOT_SERVER__PORT", "")
    nothing_written(here)


def test_export_unknown_period_and_missing_folder(here, capsys):
    cfg = config(here, "")
    rc, err = run(
        capsys,
        "--config",
        cfg,
        "export",
        "--alliance",
        "福海县第二小学联盟",
        "--period",
        "本周",
        "--out",
        "台账.xlsx",
    )
    assert rc == 2 and "无法识别期间“本周”" in err and "本月" in err
    short(err)
    rc, err = run(
        capsys,
        "--config",
        cfg,
        "export",
        "--alliance",
        "福海县第二小学联盟",
        "--out",
        "没有这个目录/台账.xlsx",
    )
    assert rc == 2 and "输出目录 没有这个目录 不存在" in err
    short(err)
    nothing_written(here)


def test_scores_import_reads_gbk_csv_and_prints_counts(here, capsys):
    cfg = config(here, 'data_dir = "d"\n[database]\nurl = "sqlite:///d/bot.db"\n')
    assert main(["--config", cfg, "roster", "import", str(SAMPLE_ROSTER)]) == 0
    capsys.readouterr()
    csv = here / "成绩.csv"
    csv.write_bytes(
        "学校,年度,得分,排名\n福海县第二小学,2026,92.5,3\n解乡小学,2026,88,7\n".encode("gbk")
    )
    assert main(["--config", cfg, "scores", "import", str(csv)]) == 0
    out = capsys.readouterr().out
    assert out.strip() == "已导入 2 条学校成绩(新增 2,更新 0)。"
    with Session(make_engine("sqlite:///d/bot.db")) as s:
        scores = sorted(r.score for r in s.exec(select(ExternalScore)).all())
    assert scores == [88.0, 92.5]
    # A bad GBK file: the error names row and column, nothing is written.
    bad = here / "坏.csv"
    bad.write_bytes("学校,年度,得分\n城关小学,二〇二六,90\n".encode("gbk"))
    rc, err = run(capsys, "--config", cfg, "scores", "import", str(bad))
    assert rc == 2 and "第2行" in err and "年度" in err
    with Session(make_engine("sqlite:///d/bot.db")) as s:
        assert len(s.exec(select(ExternalScore)).all()) == 2


def test_records_json_into_head_has_no_traceback(here):
    cfg = config(here, 'data_dir = "d"\n[database]\nurl = "sqlite:///d/bot.db"\n')
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    cli = [sys.executable, "-m", "bot.cli", "--config", cfg]
    subprocess.run(
        [*cli, "roster", "import", str(SAMPLE_ROSTER)], check=True, env=env, capture_output=True
    )
    from storage.models import Record

    engine = make_engine("sqlite:///d/bot.db")
    with Session(engine) as s:
        for _ in range(2000):  # far more than a pipe buffer holds
            s.add(
                Record(
                    alliance_id=1,
                    intent="activity",
                    kind="delivery",
                    schools=["城关小学"],
                    teachers=["张炜"],
                    source_text="送教" * 20,
                )
            )
        s.commit()
    done = subprocess.run(
        f"{sys.executable} -m bot.cli --config {cfg} records --json | head -n 2",
        shell=True,
        env=env,
        capture_output=True,
        text=True,
        cwd=here,
        check=False,
    )
    assert len(done.stdout.splitlines()) == 2
    assert "Traceback" not in done.stderr and "BrokenPipe" not in done.stderr, done.stderr
