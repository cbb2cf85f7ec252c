"""`serve --workers N`: N serving processes on one port (PostgreSQL deployments).

One Python process uses one core for the pipeline. With PostgreSQL several processes can
share the database safely — every inbound message is keyed in the database, reminders and
the long connection are claimed there — so `serve --workers N` starts N copies of the
server, each binding the same host and port with `SO_REUSEPORT`: the kernel spreads the
incoming connections over them. The parent migrates the database and imports the roster
once, then only supervises: it restarts a worker that dies (a second quick death stops
everything with the worker's message) and passes SIGTERM/SIGINT on for a clean stop.

SQLite has one writer at a time and gains nothing from several processes: refused.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

QUICK_DEATH_S = 5.0  # a worker that exits this soon after starting did not come up


def worker_argv(config: str | None, host: str, port: int, index: int) -> list[str]:
    argv = [sys.executable, "-c", "import sys; from bot.cli import main; sys.exit(main())"]
    if config:
        argv += ["--config", config]
    return argv + ["serve", "--host", host, "--port", str(port), "--worker-index", str(index)]


def supervise(config: str | None, host: str, port: int, workers: int) -> int:
    """Run `workers` serving processes until SIGTERM/SIGINT; returns the exit code."""
    stopping = False

    def stop(_sig: int, _frame: object) -> None:
        nonlocal stopping
        stopping = True

    old = {s: signal.signal(s, stop) for s in (signal.SIGTERM, signal.SIGINT)}
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(
            p for p in (str(Path(__file__).resolve().parents[1]), os.environ.get("PYTHONPATH")) if p
        ),
    }
    procs: dict[int, tuple[subprocess.Popen, float]] = {}

    def start(i: int) -> None:
        procs[i] = (subprocess.Popen(worker_argv(config, host, port, i), env=env), time.monotonic())

    code = 0
    quick: dict[int, int] = {}
    try:
        for i in range(workers):
            start(i)
        print(
            f"alliance-bot: {workers} 个工作进程共用 {host}:{port} (SO_REUSEPORT),"
            f"进程号 {' '.join(str(p.pid) for p, _ in procs.values())}",
            file=sys.stderr,
            flush=True,
        )
        while not stopping:
            time.sleep(0.2)
            for i, (p, started) in list(procs.items()):
                rc = p.poll()
                if rc is None or stopping:
                    continue
                if time.monotonic() - started < QUICK_DEATH_S:
                    quick[i] = quick.get(i, 0) + 1
                    if quick[i] >= 2:
                        print(
                            f"工作进程 {i} 启动后立即退出(退出码 {rc}),已停止全部工作进程。"
                            "请查看上面的报错。",
                            file=sys.stderr,
                            flush=True,
                        )
                        stopping, code = True, 2
                        break
                else:
                    quick[i] = 0
                print(
                    f"工作进程 {i}(进程号 {p.pid})退出,退出码 {rc},正在重启。",
                    file=sys.stderr,
                    flush=True,
                )
                start(i)
    finally:
        for p, _ in procs.values():
            if p.poll() is None:
                p.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + 20
        for p, _ in procs.values():
            try:
                p.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait(5)
        for s, h in old.items():
            signal.signal(s, h)
    return code
