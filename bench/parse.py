"""Parser benchmark: throughput against bare jieba, cold-process start, memory.

    .venv/bin/python bench/parse.py [--messages FILE.jsonl] [--roster FILE.toml] [--repeat 5]

The machine is shared and noisy, so every figure is the median of several runs and the
headline numbers are ratios measured in the same run:

(a) parser messages/s ÷ bare ``jieba.lcut`` messages/s on the same texts (target ≥ 0.6);
(b) process start → first parsed message with a warm cache, in a fresh interpreter
    (target ≤ 0.8 s), and that time ÷ 0.8 s;
(c) resident memory of that process after loading (RSS, MB).

Defaults read the scoring set beside the repository (../shared/eval); without it, a few
built-in messages and the example roster shipped with the parser are used.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "eval"
START_TARGET_S = 0.8
THROUGHPUT_TARGET = 0.6

_FALLBACK_TEXTS = [
    "11月20日我到齐小送教,数学《分数的意义》,听课教师15人。",
    "收到,我这边马上转发给各位老师。",
    "下周一上午,福海二小将通过同步课堂为齐小上两节英语课。",
    "好的,辛苦了👍明天见!",
]

# Runs in a fresh interpreter: import, load roster, build parser, parse one message.
_CHILD = """
import sys, time
sys.path.insert(0, {root!r})
from datetime import datetime
from pathlib import Path
from storage.roster import load_roster
from handlers.reports import ReportParser
p = ReportParser(load_roster({roster!r}), Path({cache!r}))
p.parse({text!r}, datetime.fromisoformat("2026-11-23T10:15:00+08:00"), "张炜")
done = time.time()
rss = 0
with open("/proc/self/status") as f:
    for line in f:
        if line.startswith("VmRSS:"):
            rss = int(line.split()[1]) / 1024
print(done, rss)
"""


def _load(messages: str | None, roster: str | None) -> tuple[list[str], str]:
    msg_path = Path(messages) if messages else SHARED / "dev.jsonl"
    roster_path = Path(roster) if roster else SHARED / "roster.toml"
    if msg_path.exists():
        texts = [
            json.loads(line)["text"]
            for line in msg_path.read_text("utf-8").splitlines()
            if line.strip()
        ]
    else:
        texts = _FALLBACK_TEXTS
    if not roster_path.exists():
        from handlers.vocab import EXAMPLE_ROSTER

        roster_path = EXAMPLE_ROSTER
    return texts, str(roster_path)


def _rate(fn, texts: list[str], min_seconds: float = 0.4) -> float:
    """Messages per second, looping over the texts for at least `min_seconds`."""
    n = 0
    t0 = time.perf_counter()
    while True:
        for t in texts:
            fn(t)
        n += len(texts)
        elapsed = time.perf_counter() - t0
        if elapsed >= min_seconds:
            return n / elapsed


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--messages")
    ap.add_argument("--roster")
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    sys.path.insert(0, str(ROOT))
    texts, roster_path = _load(args.messages, args.roster)
    from handlers.reports import ReportParser
    from handlers.reports.segment import jieba
    from storage.roster import load_roster

    cache = tempfile.mkdtemp(prefix="bench-cache-")
    parser = ReportParser(load_roster(roster_path), Path(cache))  # also warms the cache
    jieba.initialize()  # the bare baseline: jieba's global tokenizer, default dictionary
    sent = datetime.fromisoformat("2026-11-23T10:15:00+08:00")
    parse = lambda t: parser.parse(t, sent, "张炜")  # noqa: E731
    lcut = jieba.lcut
    _rate(parse, texts, 0.1), _rate(lcut, texts, 0.1)  # warm-up

    ratios, parse_rates, lcut_rates = [], [], []
    for _ in range(args.repeat):
        p, j = _rate(parse, texts), _rate(lcut, texts)
        parse_rates.append(p)
        lcut_rates.append(j)
        ratios.append(p / j)

    child = _CHILD.format(root=str(ROOT), roster=roster_path, cache=cache, text=texts[0])
    starts, rss = [], []
    for _ in range(args.repeat):
        t0 = time.time()
        out = subprocess.run(
            [sys.executable, "-c", child], capture_output=True, text=True, check=True
        )
        done, mb = out.stdout.split()
        starts.append(float(done) - t0)
        rss.append(float(mb))

    ratio = statistics.median(ratios)
    start = statistics.median(starts)
    print(f"messages: {len(texts)}, runs: {args.repeat} (medians)")
    print(
        f"(a) throughput: parser {statistics.median(parse_rates):,.0f} msg/s, bare jieba.lcut "
        f"{statistics.median(lcut_rates):,.0f} msg/s -> ratio {ratio:.2f} "
        f"(target >= {THROUGHPUT_TARGET}: {'ok' if ratio >= THROUGHPUT_TARGET else 'MISSED'})"
    )
    print(
        f"(b) start to first parsed message (fresh process, warm cache): {start:.3f} s "
        f"-> {start / START_TARGET_S:.2f} of the {START_TARGET_S} s target "
        f"({'ok' if start <= START_TARGET_S else 'MISSED'})"
    )
    print(f"(c) resident memory after loading: {statistics.median(rss):.1f} MB")
    shutil.rmtree(cache, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
