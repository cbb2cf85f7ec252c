"""Webhook benchmark: the full message path under load vs a bare aiohttp echo and NoneBot2.

    .venv/bin/python bench/webhook.py [--requests 2000] [--concurrency 50] [--warmup 100]
        [--backend sqlite|postgres|both] [--pg-url URL] [--no-nonebot]
        [--nonebot-venv DIR] [--keep-db]

What runs, all on loopback, each server in its own subprocess (killed in a finally):

* **echo** — a bare aiohttp app answering every POST with a fixed small JSON. The ceiling
  of "aiohttp in one Python process" on this machine; it gets exactly the same requests.
* **alliance-bot** — `alliance-bot serve` with a generated config (reminders disabled,
  log_level WARNING) on SQLite, then on PostgreSQL (database ``ab_bench_webhook``,
  dropped and recreated), with ``bot/data/sample_roster.toml`` imported through
  `alliance-bot roster import`.
* **NoneBot2** — nonebot2 + nonebot-adapter-onebot (OneBot v11, FastAPI/uvicorn driver,
  aiohttp client) installed into its own venv (cached in ``data/bench/nonebot-venv``), with
  the same HMAC secret and a plugin that replies to every message. Its OneBot v11 HTTP
  POST route (/onebot/v11/http) always answers 204 at once and handles the event in a
  background task (the adapter has no quick-operation support), so the reply goes out as
  a ``send_msg`` call to its API root — a second echo process that counts them. Its
  throughput is therefore "requests whose reply reached the API root" per second
  (clock stopped at the last reply), not the rate of the 204s.

Scenarios, ``--requests`` each after ``--warmup`` unmeasured ones, ``--concurrency``
connections (closed loop), every request with a fresh message id:

* ``onebot`` — OneBot v11 HTTP POST group message events, ``X-Signature`` HMAC-SHA1,
  self_id 10001000 @-mentioned, group 80001 (漳平市实验小学教育联盟), senders the roster's
  QQ numbers;
* ``wecom`` — WeCom AI-bot callbacks: ``msg_signature``/timestamp/nonce query and
  ``{"encrypt": …}`` body (AES-CBC), group wrFuHaiAlliance, senders the roster's WeCom
  user ids.

The texts are the real reports (intent activity/exchange) of /work/shared/eval/dev.jsonl
(``--texts``), so each request is verified, decrypted, parsed, stored and answered.
After the clock stops every answer is checked: non-200s and client errors are counted, and
the replies (WeCom ones decrypted) must contain 已记录 or 已并入.

Printed: req/s, p50/p99 latency, errors, replies verified, the resident memory (VmRSS) of
each serving process after its load, and the ratios against the targets
(pipeline ≥ 0.5 × echo req/s, p99 ≤ 50 ms, pipeline ≥ 1.0 × NoneBot, RSS ≤ 120 MB).
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import tomllib
import uuid
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import aiohttp

from bench._load import LoadResult, Request, run_load, run_open_loop
from bot.platforms.base import dumps
from bot.platforms.onebot.http import onebot_signature
from bot.platforms.sim_traffic import _onebot_event
from bot.platforms.wecom.crypto import WecomCrypto, new_nonce, wecom_signature
from handlers.ports import SystemClock

VENV_BIN = Path(sys.executable).parent
ROSTER = ROOT / "bot" / "data" / "sample_roster.toml"
DEV = Path("/work/shared/eval/dev.jsonl")
SELF_ID = 10001000
ONEBOT_GROUP = 80001
WECOM_GROUP = "wrFuHaiAlliance"
BOT_NAME = "联盟助手"
MARKERS = ("已记录", "已并入")
TARGET_NONEBOT_RATIO = {"sqlite": 2.0, "postgres": 1.5}  # onebot req/s ÷ NoneBot2 replies/s
TARGET_CPU_MS = {"sqlite": 2.7}  # CPU ms per message at 50 connections
TARGET_OPEN_P99_MS = {50: 50.0, 150: 200.0}  # open loop: rate -> p99 bound
TARGET_RSS_MB = 120.0  # per serving process
NONEBOT_PACKAGES = ["nonebot2[fastapi,aiohttp]", "nonebot-adapter-onebot", "uvicorn"]

ECHO_SRC = r"""
import sys
from aiohttp import web
BODY = b'{"status":"ok","retcode":0,"data":{"message_id":1}}'
count = 0
async def post(request):
    global count
    await request.read()
    count += 1
    return web.Response(body=BODY, content_type="application/json")
async def get_count(request):
    return web.json_response({"count": count})
app = web.Application(client_max_size=1 << 20)
app.router.add_get("/count", get_count)
app.router.add_post("/{tail:.*}", post)
web.run_app(app, host="127.0.0.1", port=int(sys.argv[1]), access_log=None, print=None)
"""

NONEBOT_SRC = r"""
import json, sys
import nonebot
from nonebot.adapters.onebot.v11 import Adapter, MessageEvent
port, secret, api_root, self_id = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
nonebot.init(driver="~fastapi+~aiohttp", host="127.0.0.1", port=port, log_level="WARNING",
             onebot_secret=secret, onebot_api_roots={self_id: api_root})
nonebot.get_driver().register_adapter(Adapter)
from nonebot import on_message
echo = on_message(priority=1, block=True)
@echo.handle()
async def _(event: MessageEvent):
    await echo.finish("已记录 " + event.get_plaintext()[:20])
if __name__ == "__main__":
    nonebot.run(access_log=False)
"""


# -- helpers ------------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


def cpu_s(pid: int) -> float:
    """User + system CPU seconds of a process so far."""
    try:
        f = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(f[11]) + int(f[12])) / os.sysconf("SC_CLK_TCK")
    except OSError:
        return float("nan")


def machine_cpu() -> tuple[float, float]:
    """(busy, stolen) CPU seconds of the whole machine so far, every core (/proc/stat;
    stolen: taken by the hypervisor for other guests)."""
    vals = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]]
    hz = os.sysconf("SC_CLK_TCK")
    return (sum(vals) - vals[3] - vals[4]) / hz, vals[7] / hz


def postgres_cpu() -> dict[int, float]:
    """CPU seconds so far of every local PostgreSQL process (server and backends)."""
    out = {}
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                if (d / "comm").read_text().strip() == "postgres":
                    out[int(d.name)] = cpu_s(int(d.name))
            except OSError:
                pass
    return out


@dataclass
class CpuSplit:
    """Where the machine's CPU went during a measured load, in cores (CPU s ÷ wall s)."""

    client: float  # this process: the load generator
    server: float  # the serving process(es)
    postgres: float  # every local postgres process
    busy: float  # the whole machine (the rest: other jobs, the kernel)
    steal: float  # of `busy`: taken by the hypervisor
    cores: int

    @staticmethod
    def start(pids: list[int]) -> tuple:
        return (
            time.perf_counter(),
            time.process_time(),
            cpu_all(pids),
            postgres_cpu(),
            machine_cpu(),
        )

    @classmethod
    def since(cls, t: tuple, pids: list[int]) -> CpuSplit:
        w0, c0, s0, pg0, (b0, st0) = t
        wall = time.perf_counter() - w0
        pg1 = postgres_cpu()
        pg = sum(v - pg0.get(k, 0.0) for k, v in pg1.items() if v == v)
        b1, st1 = machine_cpu()
        return cls(
            (time.process_time() - c0) / wall,
            (cpu_all(pids) - s0) / wall,
            pg / wall,
            (b1 - b0) / wall,
            (st1 - st0) / wall,
            os.cpu_count() or 0,
        )


def aes_key() -> str:
    return base64.b64encode(secrets.token_bytes(32)).decode()[:43]


def load_texts(path: Path) -> list[tuple[str, str]]:
    """(text, sender name) of the activity/exchange reports."""
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        if (row.get("expect") or {}).get("intent") in ("activity", "exchange"):
            out.append((row["text"], row.get("sender") or ""))
    if not out:
        raise SystemExit(f"{path}: no activity/exchange texts")
    return out


@dataclass
class Proc:
    name: str
    popen: subprocess.Popen
    log: Path

    @property
    def pid(self) -> int:
        return self.popen.pid

    def stop(self) -> None:
        if self.popen.poll() is None:
            self.popen.send_signal(signal.SIGINT)
            try:
                self.popen.wait(10)
            except subprocess.TimeoutExpired:
                self.popen.kill()
                self.popen.wait(5)

    def tail(self, n: int = 30) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-n:])
        except OSError:
            return ""


@dataclass
class Ctx:
    args: argparse.Namespace
    tmp: Path
    texts: list[tuple[str, str]]
    people: list[dict]
    onebot_secret: str = field(default_factory=lambda: secrets.token_hex(8))
    aibot_token: str = field(default_factory=lambda: secrets.token_hex(8))
    aibot_key: str = field(default_factory=aes_key)
    procs: list[Proc] = field(default_factory=list)
    events: int = 0  # event numbers handed out so far: no two requests repeat an event

    def take(self, n: int) -> int:
        """The first of `n` fresh event numbers (warm-up and measured requests never share
        one, so measured reports are new records, not joins of the warm-up's)."""
        start = self.events
        self.events += n
        return start

    @property
    def distinct(self) -> bool:
        return not self.args.same_events

    def spawn(
        self, name: str, argv: list[str], env: dict[str, str] | None = None, cwd: Path | None = None
    ) -> Proc:
        log = self.tmp / f"{name}.log"
        fh = open(log, "wb")  # noqa: SIM115
        p = subprocess.Popen(
            argv,
            stdout=fh,
            stderr=subprocess.STDOUT,
            cwd=cwd or ROOT,
            env={**os.environ, **(env or {})},
            start_new_session=True,
        )
        fh.close()
        proc = Proc(name, p, log)
        self.procs.append(proc)
        return proc

    def crypto(self) -> WecomCrypto:
        return WecomCrypto(self.aibot_token, self.aibot_key, "", SystemClock(), window_s=300)


async def wait_http(url: str, proc: Proc, timeout_s: float = 90.0) -> None:
    deadline = time.monotonic() + timeout_s
    async with aiohttp.ClientSession() as s:
        while time.monotonic() < deadline:
            if proc.popen.poll() is not None:
                raise SystemExit(f"{proc.name} exited ({proc.popen.returncode}):\n{proc.tail()}")
            try:
                async with s.get(url, timeout=aiohttp.ClientTimeout(total=2)) as r:
                    await r.read()
                    return  # any answer means it is serving
            except (TimeoutError, aiohttp.ClientError):
                await asyncio.sleep(0.1)
    raise SystemExit(f"{proc.name} did not answer {url} within {timeout_s:.0f}s:\n{proc.tail()}")


# -- request builders ---------------------------------------------------------------------
class Ids:
    """Message ids unique over the whole run (per server process and platform)."""

    def __init__(self) -> None:
        self.n = int(time.time()) % 100_000 * 10_000

    def next(self) -> int:
        self.n += 1
        return self.n


def distinct_event(text: str, i: int) -> str:
    """The i-th request's text as its own event: its date phrase (or a new prefix) becomes a
    day of its own, so reports are stored as new records, as most real reports are, instead
    of all joining the first ~50 events (which measures the merge path only)."""
    import datetime as dt

    from handlers.reports.dates import find_dates

    day = dt.date(2025, 9, 1) + dt.timedelta(days=i % 600)
    new = f"{day.year}年{day.month}月{day.day}日"
    hits = [h for h in find_dates(text, dt.date(2026, 11, 23)) if h.day is not None]
    if hits:
        return text[: hits[0].start] + new + text[hits[0].end :]
    return new + "," + text


def onebot_requests(ctx: Ctx, base: str, path: str, n: int, ids: Ids) -> list[Request]:
    qq = [p for p in ctx.people if p.get("qq")]
    by_name = {p["name"]: p for p in qq}
    reqs = []
    for i in range(ctx.take(n), ctx.events):
        text, sender = ctx.texts[i % len(ctx.texts)]
        text = distinct_event(text, i) if ctx.distinct else text
        person = by_name.get(sender) or qq[i % len(qq)]
        event = _onebot_event(text, SELF_ID, ONEBOT_GROUP, int(person["qq"]), ids.next())
        body = dumps(event).encode()
        reqs.append(
            Request(
                f"{base}{path}",
                body,
                {
                    "Content-Type": "application/json",
                    "X-Self-ID": str(SELF_ID),
                    "X-Signature": onebot_signature(ctx.onebot_secret, body),
                },
                tag=i % len(ctx.texts),
            )
        )
    return reqs


def wecom_requests(ctx: Ctx, base: str, n: int, ids: Ids) -> list[Request]:
    wx = [p for p in ctx.people if p.get("wecom_userid")]
    by_name = {p["name"]: p for p in wx}
    crypto = ctx.crypto()
    reqs = []
    for i in range(ctx.take(n), ctx.events):
        text, sender = ctx.texts[i % len(ctx.texts)]
        text = distinct_event(text, i) if ctx.distinct else text
        person = by_name.get(sender) or wx[i % len(wx)]
        payload = {
            "msgid": f"bench{ids.next()}{uuid.uuid4().hex[:8]}",
            "aibotid": "BENCHBOT",
            "chatid": WECOM_GROUP,
            "chattype": "group",
            "from": {"userid": person["wecom_userid"]},
            "response_url": f"{base}/bench/response_url",
            "msgtype": "text",
            "text": {"content": f"@{BOT_NAME} {text}"},
        }
        encrypt = crypto.encrypt(dumps(payload))
        ts, nonce = str(int(time.time())), new_nonce()
        reqs.append(
            Request(
                f"{base}/wecom/aibot",
                dumps({"encrypt": encrypt}).encode(),
                {"Content-Type": "application/json"},
                {
                    "msg_signature": wecom_signature(ctx.aibot_token, ts, nonce, encrypt),
                    "timestamp": ts,
                    "nonce": nonce,
                },
                tag=i % len(ctx.texts),
            )
        )
    return reqs


# -- reply checks ---------------------------------------------------------------------------
def reply_text(kind: str, body: bytes, crypto: WecomCrypto | None) -> str:
    if kind == "onebot":
        reply = json.loads(body).get("reply")
        if isinstance(reply, list):
            return "".join(seg.get("data", {}).get("text", "") for seg in reply)
        return reply or ""
    env = json.loads(body)
    plain = crypto.decrypt(
        {
            "msg_signature": env["msgsignature"],
            "timestamp": env["timestamp"],
            "nonce": env["nonce"],
        },
        env["encrypt"],
    )
    return json.loads(plain)["stream"]["content"]


@dataclass
class Check:
    checked: int = 0
    ok: int = 0
    bad: list[str] = field(default_factory=list)


def check_replies(kind: str, res: LoadResult, crypto: WecomCrypto | None, every: int = 1) -> Check:
    c = Check()
    for i, body in enumerate(res.bodies):
        if i % every or body is None:
            continue
        c.checked += 1
        try:
            text = reply_text(kind, body, crypto) if body else ""
        except Exception as e:
            text = f"<undecodable: {e!r}>"
        if any(m in text for m in MARKERS):
            c.ok += 1
        elif len(c.bad) < 3:
            c.bad.append(text[:160].replace("\n", " ⏎ "))
    return c


# -- scenarios -----------------------------------------------------------------------------
@dataclass
class Row:
    server: str
    scenario: str
    res: LoadResult
    rps: float
    rss: float
    cpu: float = float("nan")  # CPU ms of the serving process per measured request
    check: Check | None = None
    note: str = ""
    load: tuple[float, float] = (float("nan"), float("nan"))  # 1-min load average before/after
    backend: str = ""  # sqlite | postgres for alliance-bot rows
    rate: float = 0.0  # open loop: offered messages/s (0: closed loop)


def family(pid: int) -> list[int]:
    """The process and its children (the workers of `serve --workers N`)."""
    kids = []
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                if int((d / "stat").read_text().rsplit(")", 1)[1].split()[1]) == pid:
                    kids.append(int(d.name))
            except (OSError, IndexError, ValueError):
                pass
    return [pid, *kids]


def cpu_all(pids: list[int]) -> float:
    return sum(c for c in map(cpu_s, pids) if c == c)


def rss_max(pids: list[int]) -> float:
    """The largest resident set of the serving processes (the supervising parent of
    `--workers` is not one of them)."""
    vals = [rss_mb(p) for p in pids]
    vals = [v for v in vals if v == v]
    return max(vals) if vals else float("nan")


async def measure(ctx: Ctx, build, pids: list[int] | int) -> tuple[LoadResult, LoadResult, float]:
    a = ctx.args
    pids = [pids] if isinstance(pids, int) else pids
    warm = await run_load(build(a.warmup), a.concurrency)
    await asyncio.sleep(0.5)
    reqs = build(a.requests)
    c0 = cpu_all(pids)
    load0 = os.getloadavg()[0]
    t0 = CpuSplit.start(pids)
    res = await run_load(reqs, a.concurrency)
    res.split = CpuSplit.since(t0, pids)
    res.load = (load0, os.getloadavg()[0])
    return warm, res, (cpu_all(pids) - c0) * 1000 / a.requests


async def open_loop(ctx: Ctx, build, pids: list[int], rate: float) -> tuple[LoadResult, float]:
    n = max(50, int(rate * ctx.args.open_seconds))
    reqs = build(n)
    await asyncio.sleep(0.5)
    c0 = cpu_all(pids)
    load0 = os.getloadavg()[0]
    res = await run_open_loop(reqs, rate)
    res.load = (load0, os.getloadavg()[0])
    return res, (cpu_all(pids) - c0) * 1000 / n


async def bench_echo(ctx: Ctx, rows: list[Row]) -> None:
    port = free_port()
    proc = ctx.spawn("echo", [sys.executable, "-c", ECHO_SRC, str(port)])
    base = f"http://127.0.0.1:{port}"
    try:
        await wait_http(f"{base}/count", proc)
        ids = Ids()
        for kind in ("onebot", "wecom"):
            build = (
                (lambda n: onebot_requests(ctx, base, "/onebot", n, ids))
                if kind == "onebot"
                else (lambda n: wecom_requests(ctx, base, n, ids))
            )
            _, res, cpu = await measure(ctx, build, proc.pid)
            rows.append(Row("echo (bare aiohttp)", kind, res, res.rps, rss_mb(proc.pid), cpu))
            print(f"  echo {kind}: {res.rps:.0f} req/s", flush=True)
    finally:
        proc.stop()


def serve_config(ctx: Ctx, path: Path, db_url: str, port: int) -> None:
    data_dir = ROOT / "data" / "bench" / "webhook"  # keeps the parser's dictionary cache
    data_dir.mkdir(parents=True, exist_ok=True)
    path.write_text(
        f'''log_level = "WARNING"
data_dir = {json.dumps(str(data_dir))}
[database]
url = {json.dumps(db_url)}
[server]
host = "127.0.0.1"
port = {port}
[wecom.aibot]
token = "{ctx.aibot_token}"
encoding_aes_key = "{ctx.aibot_key}"
bot_name = "{BOT_NAME}"
[onebot]
secret = "{ctx.onebot_secret}"
self_id = "{SELF_ID}"
[reminders]
enabled = false
''',
        encoding="utf-8",
    )


def pg_reset(admin_url: str, name: str, create: bool) -> None:
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if create:
            conn.execute(f'CREATE DATABASE "{name}"')


async def bench_bot(ctx: Ctx, rows: list[Row], backend: str, workers: int = 1) -> None:
    a = ctx.args
    port = free_port()
    if backend == "sqlite":
        db_url = f"sqlite:///{ctx.tmp / 'bench.db'}"
    else:
        pg_reset(a.pg_admin_url, a.pg_db, create=True)
        db_url = f"{a.pg_url.rstrip('/')}/{a.pg_db}"
    cfg = ctx.tmp / f"bot-{backend}.toml"
    serve_config(ctx, cfg, db_url, port)
    cli = str(VENV_BIN / "alliance-bot")
    imp = subprocess.run(
        [cli, "--config", str(cfg), "roster", "import", str(ROSTER)],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    if imp.returncode != 0:
        raise SystemExit(f"roster import failed:\n{imp.stdout}\n{imp.stderr}")
    extra = ["--workers", str(workers)] if workers > 1 else []
    spy = []
    if a.py_spy and workers == 1:  # sample the serving process: where its CPU goes under load
        spy = [
            str(VENV_BIN / "py-spy"),
            "record",
            "-r",
            "250",
            "-f",
            "raw",
            "--nonblocking",
            "-o",
            f"{a.py_spy}.{backend}.txt",
            "--",
        ]
    label = f"{backend} ×{workers}" if workers > 1 else backend
    proc = ctx.spawn(
        f"serve-{backend}-{workers}",
        [
            *spy,
            cli,
            "--config",
            str(cfg),
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            *extra,
        ],
    )
    base = f"http://127.0.0.1:{port}"
    try:
        await wait_http(f"{base}/healthz", proc)
        await asyncio.sleep(3.0 if workers > 1 else 0)  # every worker up, not only the first
        pids = family(proc.pid)[1:] if workers > 1 or spy else [proc.pid]
        if workers > 1 and len(pids) != workers:
            raise SystemExit(f"expected {workers} workers, found {pids}:\n{proc.tail()}")
        print(
            f"  serve RSS after start-up (before any message): {rss_max(pids):.1f} MB", flush=True
        )
        ids = Ids()
        crypto = ctx.crypto()
        for kind in ("onebot", "wecom") if workers == 1 and not a.onebot_only else ("onebot",):
            build = (
                (lambda n: onebot_requests(ctx, base, "/onebot", n, ids))
                if kind == "onebot"
                else (lambda n: wecom_requests(ctx, base, n, ids))
            )
            warm, res, cpu = await measure(ctx, build, pids)
            if kind == "onebot":
                print(f"  serve RSS after the warm-up: {rss_max(pids):.1f} MB", flush=True)
            if warm.errors():
                print(f"  warm-up errors: {dict(warm.statuses)} {dict(warm.exceptions)}")
            rss = rss_max(pids)
            chk = check_replies(kind, res, crypto)
            rows.append(
                Row(f"alliance-bot {label}", kind, res, res.rps, rss, cpu, chk, backend=backend)
            )
            print(
                f"  {label} {kind}: {res.rps:.0f} req/s p99 {res.pct(99):.0f} ms, "
                f"{cpu:.2f} CPU ms/msg",
                flush=True,
            )
        build = lambda n: onebot_requests(ctx, base, "/onebot", n, ids)  # noqa: E731
        for rate in a.rates:
            res, cpu = await open_loop(ctx, build, pids, rate)
            chk = check_replies("onebot", res, crypto)
            rows.append(
                Row(
                    f"alliance-bot {label}",
                    "onebot",
                    res,
                    res.rps,
                    rss_max(pids),
                    cpu,
                    chk,
                    backend=backend,
                    rate=rate,
                )
            )
            print(
                f"  {label} open loop {rate:.0f} msg/s: p50 {res.pct(50):.1f} p95 {res.pct(95):.1f} "
                f"p99 {res.pct(99):.1f} ms, {cpu:.2f} CPU ms/msg",
                flush=True,
            )
        if proc.popen.poll() is not None:
            raise SystemExit(f"serve exited:\n{proc.tail()}")
        log = proc.tail(10)
        if log.strip():
            print("  serve log (last lines):\n    " + log.replace("\n", "\n    "))
    finally:
        proc.stop()
        if backend == "postgres" and not a.keep_db:
            pg_reset(a.pg_admin_url, a.pg_db, create=False)


def nonebot_python(venv: Path) -> Path:
    py = venv / "bin" / "python"
    stamp = venv / ".bench-ok"
    wanted = " ".join(NONEBOT_PACKAGES)
    if py.exists() and stamp.exists() and stamp.read_text() == wanted:
        return py
    print(f"  installing NoneBot2 into {venv} (cached for later runs) ...", flush=True)
    if not py.exists():
        subprocess.run([sys.executable, "-m", "venv", "--clear", str(venv)], check=True)
    subprocess.run([str(py), "-m", "pip", "install", "-q", *NONEBOT_PACKAGES], check=True)
    subprocess.run(
        [
            str(py),
            "-c",
            "import nonebot, nonebot.adapters.onebot.v11, "
            "nonebot.drivers.fastapi, nonebot.drivers.aiohttp",
        ],
        check=True,
    )
    stamp.write_text(wanted)
    return py


async def sink_count(session: aiohttp.ClientSession, base: str) -> int:
    async with session.get(f"{base}/count") as r:
        return (await r.json())["count"]


async def bench_nonebot(ctx: Ctx, rows: list[Row]) -> None:
    a = ctx.args
    py = nonebot_python(Path(a.nonebot_venv))
    sink_port, nb_port = free_port(), free_port()
    sink = ctx.spawn("nonebot-api-root", [sys.executable, "-c", ECHO_SRC, str(sink_port)])
    sink_base = f"http://127.0.0.1:{sink_port}"
    app = ctx.tmp / "nonebot_bench_bot.py"
    app.write_text(NONEBOT_SRC, encoding="utf-8")
    proc = ctx.spawn(
        "nonebot",
        [str(py), str(app), str(nb_port), ctx.onebot_secret, f"{sink_base}/", str(SELF_ID)],
        cwd=ctx.tmp,
        env={"ENVIRONMENT": "prod", "PYTHONPATH": ""},
    )
    base = f"http://127.0.0.1:{nb_port}"
    try:
        await wait_http(f"{sink_base}/count", sink)
        await wait_http(f"{base}/", proc)
        ids = Ids()
        build = lambda n: onebot_requests(ctx, base, "/onebot/v11/http", n, ids)  # noqa: E731
        async with aiohttp.ClientSession() as s:
            await run_load(build(a.warmup), a.concurrency)
            # let the warm-up replies drain before measuring
            target = a.warmup
            deadline = time.monotonic() + 30
            while await sink_count(s, sink_base) < target and time.monotonic() < deadline:
                await asyncio.sleep(0.05)
            before = await sink_count(s, sink_base)
            reqs = build(a.requests)
            c0 = cpu_s(proc.pid)
            load0 = os.getloadavg()[0]
            res = await run_load(reqs, a.concurrency)
            deadline = time.monotonic() + 60
            while True:
                got = await sink_count(s, sink_base) - before
                if got >= a.requests or time.monotonic() > deadline:
                    break
                await asyncio.sleep(0.01)
            done = time.perf_counter()
            cpu = (cpu_s(proc.pid) - c0) * 1000 / a.requests
            res.load = (load0, os.getloadavg()[0])
        replied_elapsed = max(done, res.finished) - res.started
        rps = got / replied_elapsed
        chk = Check(checked=a.requests, ok=got)
        rows.append(
            Row(
                "NoneBot2 (OneBot v11)",
                "onebot",
                res,
                rps,
                rss_mb(proc.pid),
                cpu,
                chk,
                note=f"204s at {res.rps:.0f} req/s; replies at API root {got}/{a.requests}",
            )
        )
        print(f"  nonebot onebot: {rps:.0f} replies/s (204s at {res.rps:.0f} req/s)", flush=True)
    finally:
        proc.stop()
        sink.stop()


# -- report --------------------------------------------------------------------------------
def verdict(ok: bool) -> str:
    return "met" if ok else "MISSED"


def report(rows: list[Row], args: argparse.Namespace) -> int:
    print()
    print(
        f"closed loop: {args.requests} requests per scenario (after {args.warmup} warm-up, "
        f"fresh events), concurrency {args.concurrency}; {os.cpu_count()} CPUs, loopback"
    )
    hdr = (
        f"{'server':<26}{'scenario':<9}{'req/s':>8}{'p50 ms':>9}{'p99 ms':>9}{'errors':>8}"
        f"{'replies ok':>14}{'RSS MB':>9}{'CPU ms/req':>12}{'load avg':>12}"
    )
    print(hdr)
    print("-" * len(hdr))
    closed = [r for r in rows if not r.rate]
    for r in closed:
        ok = f"{r.check.ok}/{r.check.checked}" if r.check else "-"
        print(
            f"{r.server:<26}{r.scenario:<9}{r.rps:>8.0f}{r.res.pct(50):>9.1f}{r.res.pct(99):>9.1f}"
            f"{r.res.errors((200, 204)):>8}{ok:>14}{r.rss:>9.1f}{r.cpu:>12.2f}"
            f"{f'{r.res.load[0]:.1f}→{r.res.load[1]:.1f}':>12}"
            + (f"  ({r.note})" if r.note else "")
        )
    split = [(r, r.res.split) for r in closed]
    if any(x for _, x in split):
        print()
        print("CPU during each closed loop, in cores (CPU seconds ÷ wall seconds):")
        hdr3 = (
            f"{'server':<26}{'scenario':<9}{'client':>8}{'server':>8}{'postgres':>10}"
            f"{'other':>8}{'stolen':>8}{'idle':>8}"
        )
        print(hdr3)
        print("-" * len(hdr3))
        for r, x in split:
            if x is None:
                continue
            other = max(0.0, x.busy - x.client - x.server - x.postgres - x.steal)
            print(
                f"{r.server:<26}{r.scenario:<9}{x.client:>8.2f}{x.server:>8.2f}{x.postgres:>10.2f}"
                f"{other:>8.2f}{x.steal:>8.2f}{max(0.0, x.cores - x.busy):>8.2f}"
            )
    opened = [r for r in rows if r.rate]
    if opened:
        print()
        print(
            f"open loop (onebot, messages sent at a fixed rate for {args.open_seconds:.0f} s, "
            f"latency from the scheduled send):"
        )
        hdr2 = (
            f"{'server':<26}{'offered/s':>10}{'done/s':>8}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}"
            f"{'errors':>8}{'replies ok':>12}{'CPU ms/msg':>12}{'load avg':>12}"
        )
        print(hdr2)
        print("-" * len(hdr2))
        for r in opened:
            ok = f"{r.check.ok}/{r.check.checked}" if r.check else "-"
            print(
                f"{r.server:<26}{r.rate:>10.0f}{r.rps:>8.0f}{r.res.pct(50):>9.1f}{r.res.pct(95):>9.1f}"
                f"{r.res.pct(99):>9.1f}{r.res.errors():>8}{ok:>12}{r.cpu:>12.2f}"
                f"{f'{r.res.load[0]:.1f}→{r.res.load[1]:.1f}':>12}"
            )
    for r in rows:
        if r.check and r.check.bad:
            print(f"  {r.server} {r.scenario} {r.rate or ''}: replies without 已记录/已并入, e.g.:")
            for b in r.check.bad:
                print(f"    {b}")
        if r.res.errors((200, 204)):
            print(
                f"  {r.server} {r.scenario} {r.rate or ''}: statuses {dict(r.res.statuses)} "
                f"exceptions {dict(r.res.exceptions)}"
            )

    nb = next((r for r in rows if r.server.startswith("NoneBot")), None)
    print()
    print("targets (ratios from this one run):")
    all_ok = True

    def line(label: str, value: str, ok: bool | None) -> None:
        nonlocal all_ok
        if ok is not None:
            all_ok &= ok
        print(f"  {label:<60}{value:>16}  {'-' if ok is None else verdict(ok)}")

    bots = [r for r in closed if r.server.startswith("alliance-bot")]
    for r in bots:
        tag = f"{r.server.removeprefix('alliance-bot ')} {r.scenario}"
        single = "×" not in r.server
        if nb is not None and r.scenario == "onebot":
            ratio = r.rps / nb.rps
            want = TARGET_NONEBOT_RATIO[r.backend]
            line(
                f"{tag}: req/s ÷ NoneBot2 echo replies/s (≥ {want})", f"{ratio:.2f}", ratio >= want
            )
        if r.scenario == "onebot" and r.backend in TARGET_CPU_MS and single:
            want = TARGET_CPU_MS[r.backend]
            line(f"{tag}: CPU ms per message (≤ {want})", f"{r.cpu:.2f}", r.cpu <= want)
        errs = r.res.errors()
        line(
            f"{tag}: errors = 0, replies 已记录/已并入",
            f"{errs}, {r.check.ok}/{r.check.checked}",
            errs == 0 and r.check.ok == r.check.checked,
        )
    one = {r.backend: r for r in bots if r.scenario == "onebot" and "×" not in r.server}
    for r in bots:
        if "×" in r.server and r.backend in one:
            line(
                f"{r.server.removeprefix('alliance-bot ')}: req/s ÷ one process",
                f"{r.rps / one[r.backend].rps:.2f}",
                r.rps > one[r.backend].rps,
            )
    for r in opened:
        if r.rate in TARGET_OPEN_P99_MS:
            want = TARGET_OPEN_P99_MS[r.rate]
            line(
                f"{r.server.removeprefix('alliance-bot ')} open loop {r.rate:.0f}/s: p99 (≤ {want:.0f} ms)",
                f"{r.res.pct(99):.1f} ms",
                r.res.pct(99) <= want,
            )
        else:
            line(
                f"{r.server.removeprefix('alliance-bot ')} open loop {r.rate:.0f}/s: p99",
                f"{r.res.pct(99):.1f} ms",
                None,
            )
        if r.res.errors() or (r.check and r.check.ok != r.check.checked):
            line(
                f"{r.server.removeprefix('alliance-bot ')} open loop {r.rate:.0f}/s: errors",
                str(r.res.errors()),
                False,
            )
    seen: set[str] = set()
    for r in bots:
        if r.server not in seen:
            seen.add(r.server)
            rss = max(x.rss for x in rows if x.server == r.server)
            line(
                f"{r.server.removeprefix('alliance-bot ')}: RSS per serving process (≤ {TARGET_RSS_MB:.0f} MB)",
                f"{rss:.1f} MB",
                rss <= TARGET_RSS_MB,
            )
    print(f"overall: {'all targets met' if all_ok else 'some targets MISSED'}")
    return 0


async def main_async(args: argparse.Namespace) -> int:
    roster = tomllib.loads(ROSTER.read_text(encoding="utf-8"))
    tmp = Path(tempfile.mkdtemp(prefix="ab-bench-webhook-"))
    ctx = Ctx(args, tmp, load_texts(Path(args.texts)), roster["people"])
    rows: list[Row] = []
    backends = ["sqlite", "postgres"] if args.backend == "both" else [args.backend]
    try:
        if not args.no_echo:
            print("echo (bare aiohttp) ...", flush=True)
            await bench_echo(ctx, rows)
        for b in backends:
            print(f"alliance-bot serve, {b} ...", flush=True)
            await bench_bot(ctx, rows, b)
            if b == "postgres" and args.workers > 1:
                print(f"alliance-bot serve --workers {args.workers}, {b} ...", flush=True)
                await bench_bot(ctx, rows, b, workers=args.workers)
        if not args.no_nonebot:
            print("NoneBot2 + OneBot v11 adapter ...", flush=True)
            await bench_nonebot(ctx, rows)
    finally:
        for p in ctx.procs:
            p.stop()
        if not args.keep_tmp:
            shutil.rmtree(tmp, ignore_errors=True)
    return report(rows, args)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--requests", type=int, default=2000, help="measured requests per scenario")
    ap.add_argument("--warmup", type=int, default=100, help="unmeasured requests before each")
    ap.add_argument("--concurrency", type=int, default=50)
    ap.add_argument("--backend", choices=["sqlite", "postgres", "both"], default="both")
    pg = (
        os.environ.get("ALLIANCE_BOT_BENCH_PG_URL")
        or "postgresql+psycopg://postgres@127.0.0.1:5432"
    )
    ap.add_argument(
        "--pg-url",
        default=pg,
        help="PostgreSQL server URL without the database "
        "(default $ALLIANCE_BOT_BENCH_PG_URL or postgresql+psycopg://postgres@127.0.0.1:5432)",
    )
    ap.add_argument("--pg-db", default="ab_bench_webhook", help="database created and dropped")
    ap.add_argument(
        "--keep-db", action="store_true", help="keep the PostgreSQL database afterwards"
    )
    ap.add_argument("--keep-tmp", action="store_true", help="keep the temp dir (configs, logs)")
    ap.add_argument("--texts", default=str(DEV), help="JSONL of reports (intent activity/exchange)")
    ap.add_argument(
        "--same-events",
        action="store_true",
        help="send the texts as they are (most requests then join an existing record)",
    )
    ap.add_argument("--no-nonebot", action="store_true", help="skip the NoneBot2 comparison")
    ap.add_argument(
        "--rates",
        default="20,50,150,200",
        help="open-loop rates in messages/s, comma-separated ('' for none)",
    )
    ap.add_argument("--open-seconds", type=float, default=6.0, help="length of each open-loop run")
    ap.add_argument(
        "--workers",
        type=int,
        default=2,
        help="also run PostgreSQL with serve --workers N (1: skip)",
    )
    ap.add_argument(
        "--onebot-only", action="store_true", help="skip the WeCom closed-loop scenario"
    )
    ap.add_argument("--no-echo", action="store_true", help="skip the bare aiohttp echo")
    ap.add_argument(
        "--py-spy",
        metavar="PREFIX",
        help="record the one-process servers with py-spy (pip install py-spy) into "
        "PREFIX.<backend>.txt (collapsed stacks)",
    )
    ap.add_argument("--nonebot-venv", default=str(ROOT / "data" / "bench" / "nonebot-venv"))
    args = ap.parse_args(argv)
    args.rates = [float(x) for x in args.rates.split(",") if x.strip()]
    args.pg_admin_url = (
        args.pg_url.replace("postgresql+psycopg://", "postgresql://").rstrip("/") + "/postgres"
    )
    return asyncio.run(main_async(args))


if __name__ == "__main__":
    sys.exit(main())
