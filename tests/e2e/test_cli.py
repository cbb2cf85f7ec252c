"""The command line as the IT person uses it: real subprocesses, a real server."""

from __future__ import annotations

import base64
import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import SAMPLE_ROSTER

BOT = [sys.executable, "-m", "bot.cli"]
ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run(
    *args: str,
    config: Path | None = None,
    stdin: str | None = None,
    timeout: float = 60,
    cwd: Path | None = None,
) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ALLIANCE_BOT_")}
    cmd = [*BOT, *(["--config", str(config)] if config else []), *args]
    return subprocess.run(
        cmd,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=cwd or ROOT,
        env={**env, "PYTHONPATH": str(ROOT)},
    )


def full_config(tmp_path: Path, port: int, qq_port: int) -> Path:
    key = base64.b64encode(b"k" * 32).decode()[:43]
    cfg = tmp_path / "bot.toml"
    cfg.write_text(
        f"""
data_dir = "{tmp_path}"
log_level = "WARNING"
[database]
url = "sqlite:///{tmp_path / "bot.db"}"
[server]
host = "127.0.0.1"
port = {port}
[wecom.aibot]
token = "aibot-token"
encoding_aes_key = "{key}"
[wecom.app]
corp_id = "wwcorp"
agent_id = 1000002
token = "app-token"
encoding_aes_key = "{key}"
[onebot]
secret = "s3cret"
access_token = "ws-token"
self_id = "10001000"
[qq]
app_id = "102000000"
secret = "qq-secret-0123456789abcdefghij"
api_base = "http://127.0.0.1:{qq_port}"
token_url = "http://127.0.0.1:{qq_port}/app/getAppAccessToken"
[reminders]
enabled = false
""",
        encoding="utf-8",
    )
    return cfg


def test_roster_import_show_records_and_db_upgrade(tmp_path):
    cfg = tmp_path / "c.toml"
    cfg.write_text(f'[database]\nurl = "sqlite:///{tmp_path / "x.db"}"\n', encoding="utf-8")
    r = run("db", "upgrade", config=cfg)
    assert r.returncode == 0 and "数据库已是最新结构" in r.stdout
    r = run("roster", "import", str(SAMPLE_ROSTER), config=cfg)
    assert r.returncode == 0, r.stderr
    assert "新增" in r.stdout
    r = run("roster", "import", str(SAMPLE_ROSTER), config=cfg)
    assert "没有变化" in r.stdout
    r = run("roster", "show", config=cfg)
    assert "福海县第二小学联盟 (共建型)" in r.stdout and "张炜 · 教师" in r.stdout
    r = run("records", "--json", config=cfg)
    assert r.returncode == 0 and r.stdout == ""
    bad = tmp_path / "bad.toml"
    bad.write_text('[[people]]\nname = "某人"\nschool = "不存在小学"\n', encoding="utf-8")
    r = run("roster", "import", str(bad), config=cfg)
    assert r.returncode == 2
    assert "未做任何修改" in r.stderr and str(bad) in r.stderr and "school" in r.stderr


def test_help_on_every_command():
    for cmd in (
        ["--help"],
        ["serve", "--help"],
        ["demo", "--help"],
        ["parse", "--help"],
        ["simulate", "--help"],
        ["roster", "--help"],
        ["records", "--help"],
        ["export", "--help"],
        ["reminders", "--help"],
        ["scores", "--help"],
        ["db", "--help"],
    ):
        r = run(*cmd)
        assert r.returncode == 0 and "usage" in r.stdout.lower(), cmd


def test_demo_shows_messages_in_and_records_out(tmp_path):
    r = run("demo", timeout=120, cwd=tmp_path)
    assert r.returncode == 0, r.stdout[-2000:] + r.stderr[-2000:]
    out = r.stdout
    assert "✅ 已记录 #1 送教下乡" in out
    assert "已并入记录 #1" in out
    assert "(机器人没有回复)" in out
    assert "已补存其之前上报的记录" in out
    assert "数据库中的记录" in out and "上报:张炜、好吾兰" in out
    assert "指标进度" in out and "捆绑考核" in out
    assert "已安排的提醒" in out and "【活动提醒】" in out
    assert "网页看板(吴学红,校长): http://127.0.0.1:" in out and "/dash/t/" in out
    assert not (tmp_path / "data").exists()  # the demo leaves nothing behind
    # Every teacher the demo shows is a person of the sample roster: never a fragment of the
    # words around a name ("周三我" from "下周三我和黄丽萍老师…").
    from storage.roster import load_roster

    people = {p.name for p in load_roster(SAMPLE_ROSTER).people}
    shown = {n for line in re.findall(r"教师:(\S+)", out) for n in line.split("、")}
    assert shown and shown <= people, shown - people
    # The 接龙 of three deliveries is three records; the quoted thanks is none.
    assert re.search(r"✅ 已记录 3 条:#\d+ #\d+ #\d+", out)
    thanks = out.split("引用别人的上报表示感谢")[1].split("【")[0]
    assert "(机器人没有回复)" in thanks
    own = out.split("算发消息的老师本人、本校的上报")[1].split("【")[0]
    assert "学校:福海县第二小学 → 一农场小学" in own and "教师:马欣瑞" in own


def test_demo_keep_serves_the_dashboard_link(tmp_path):
    import http.cookiejar
    import re
    import signal

    env = {k: v for k, v in os.environ.items() if not k.startswith("ALLIANCE_BOT_")}
    proc = subprocess.Popen(
        [*BOT, "demo", "--keep"],
        cwd=tmp_path,
        text=True,
        env={**env, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        lines = []
        deadline = time.monotonic() + 120
        assert proc.stdout is not None
        while time.monotonic() < deadline:
            line = proc.stdout.readline()
            assert line, "".join(lines[-40:])
            lines.append(line)
            if "服务保持运行" in line:
                break
        link = re.search(r"网页看板\(吴学红,校长\): (\S+)", "".join(lines)).group(1)
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        with opener.open(link, timeout=30) as r:  # 303 to the alliance page, with the cookie
            page = r.read().decode()
            assert r.status == 200 and r.url.endswith("/dash/a/1")
        assert "福海县第二小学联盟" in page and "指标进度" in page
        assert proc.poll() is None  # still serving
    finally:
        proc.send_signal(signal.SIGINT)
        out, _ = proc.communicate(timeout=30)
    assert "已停止" in out and proc.returncode == 0


@pytest.fixture
def served(tmp_path):
    port, qq_port = free_port(), free_port()
    cfg = full_config(tmp_path, port, qq_port)
    assert run("roster", "import", str(SAMPLE_ROSTER), config=cfg).returncode == 0
    env = {k: v for k, v in os.environ.items() if not k.startswith("ALLIANCE_BOT_")}
    proc = subprocess.Popen(
        [*BOT, "--config", str(cfg), "serve"],
        cwd=ROOT,
        env={**env, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as resp:
                    health = json.loads(resp.read())
                    break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(
                        proc.stdout.read() if proc.stdout else "server did not start"
                    ) from None
                time.sleep(0.2)
        assert all(health["platforms"].values())
        yield cfg
    finally:
        proc.terminate()
        proc.wait(timeout=30)


@pytest.mark.parametrize(
    "platform, who, text, expect",
    [
        ("wecom-aibot", "张炜", "今天我到齐小送教,数学两节", "✅ 已记录"),
        ("wecom-app", "马欣瑞", "今天我到解小送课,语文一节", "✅ 已记录"),
        ("onebot", "陈志强", "今天我在城关小学上了一节展示课", "✅ 已记录"),
        ("onebot-ws", "黄丽萍", "今天我到新民小学送课,数学一节", "✅ 已记录"),
        ("qq", "叶潇潇", "今天我到淤上送教,音乐一节", "/绑定"),
    ],
)
def test_serve_with_all_five_endpoints_and_simulate_each(served, platform, who, text, expect):
    r = run(
        "simulate", "--platform", platform, "--as", who, config=served, stdin=text + "\n/帮助\n"
    )
    assert r.returncode == 0, r.stderr
    assert expect in r.stdout, r.stdout
    assert "联盟助手可用命令" in r.stdout
