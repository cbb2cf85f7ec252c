#!/usr/bin/env python3
"""Write train.jsonl and heldout.jsonl from the hand-written labels in src/.

    python tests/data/corpus/build.py

Ids are stable per group (n### news, p### phone-style, m### several-report lists) in the
order written. The held-out quarter is drawn per group with random.Random(SEED), so each
group is split 3:1 and re-running gives the same split.
"""
from __future__ import annotations

import json
import random
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from src import multi, news, phone  # noqa: E402
from src.helpers import expand  # noqa: E402

SEED = 20261202
GROUPS = [("news", "n", news.ITEMS), ("phone", "p", phone.ITEMS), ("multi", "m", multi.ITEMS)]


def build() -> tuple[list[dict], list[dict]]:
    train: list[dict] = []
    held: list[dict] = []
    rng = random.Random(SEED)
    for group, prefix, items in GROUPS:
        lines = [expand(m, f"{prefix}{i:03d}", group) for i, m in enumerate(items, 1)]
        idx = list(range(len(lines)))
        rng.shuffle(idx)
        n_held = round(len(lines) / 4)
        held_ids = set(idx[:n_held])
        for i, line in enumerate(lines):
            (held if i in held_ids else train).append(line)
    return train, held


def main() -> int:
    train, held = build()
    for name, rows in (("train.jsonl", train), ("heldout.jsonl", held)):
        with open(HERE / name, "w", encoding="utf-8") as f:
            for row in rows:
                f.write(json.dumps(row, ensure_ascii=False) + "\n")
        print(f"{name}: {len(rows)} messages")
    return 0


if __name__ == "__main__":
    sys.exit(main())
