#!/usr/bin/env python3
"""Write train.jsonl and heldout.jsonl from the hand-written labels in labels/.

    python tests/data/corpus/build.py

Ids are stable per group (n### news, p### phone-style, m### several-report lists) in the
order written. The held-out quarter is drawn per group and per published batch (BATCHES),
so each group is split 3:1, re-running gives the same split, and appending items never
moves an item that was already published.
"""

from __future__ import annotations

import importlib
import json
import random
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

# The label modules live next to this script; imported by name so that the script runs
# from any directory (python tests/data/corpus/build.py).
news = importlib.import_module("labels.news")
phone = importlib.import_module("labels.phone")
multi = importlib.import_module("labels.multi")
expand = importlib.import_module("labels.helpers").expand

SEED = 20261202
GROUPS = [("news", "n", news.ITEMS), ("phone", "p", phone.ITEMS), ("multi", "m", multi.ITEMS)]
# Cumulative item counts per group at each published batch. Items are only ever appended;
# each batch's new items are split on their own (random.Random(SEED + batch number), a
# quarter of each group held out), so an item published as train or held-out never moves.
# Batch 0 is the first commit (397204f), which h11 has tuned on; batch 1 was first published
# (5aef0df) with one draw over both batches, so its held-out items are drawn from the ones
# that draw held out (see _heldout_published_at_5aef0df).
BATCHES = [
    {"news": 0, "phone": 142, "multi": 67},
    {"news": 139, "phone": 180, "multi": 105},
    {"news": 139, "phone": 220, "multi": 106},
    {"news": 143, "phone": 220, "multi": 133},
    {"news": 171, "phone": 220, "multi": 133},
    {"news": 171, "phone": 220, "multi": 157},
    {"news": 211, "phone": 220, "multi": 157},
    {"news": 266, "phone": 248, "multi": 181},
    {"news": 266, "phone": 288, "multi": 212},
]
# Batches published as held-out only: a fresh set gathered to check that rule changes
# generalise (branch n1: 40 news sentences from pages not used before, labelled before any
# rule change). Their items are all held out, so the quarter-per-group split holds for the
# drawn batches only (see heldout_only_ids).
HELDOUT_ONLY_BATCHES = {6}


def _heldout_published_at_5aef0df(lines: dict[str, list[dict]]) -> set[str]:
    """Commit 5aef0df split each group's first batch-1 items in one draw; keep within it."""
    rng = random.Random(SEED)
    out: set[str] = set()
    for g, _prefix, _items in GROUPS:
        group = lines[g][: BATCHES[1][g]]
        idx = list(range(len(group)))
        rng.shuffle(idx)
        out |= {group[i]["id"] for i in idx[: round(len(group) / 4)]}
    return out


def build() -> tuple[list[dict], list[dict]]:
    train: list[dict] = []
    held: list[dict] = []
    lines = {
        g: [expand(m, f"{prefix}{i:03d}", g) for i, m in enumerate(items, 1)]
        for g, prefix, items in GROUPS
    }
    for g, _prefix, items in GROUPS:
        assert len(items) == BATCHES[-1][g], f"add a batch to BATCHES for the new {g} items"
    published = _heldout_published_at_5aef0df(lines)
    held_ids: set[str] = set()
    start = {g: 0 for g, _p, _i in GROUPS}
    for b, counts in enumerate(BATCHES):
        rng = random.Random(SEED + b)
        for g, _prefix, _items in GROUPS:
            new = lines[g][start[g] : counts[g]]
            if b == 1:  # never move an item that 5aef0df published as train
                new = [line for line in new if line["id"] in published]
            idx = list(range(len(new)))
            rng.shuffle(idx)
            n_held = round((counts[g] - start[g]) / 4)
            if b in HELDOUT_ONLY_BATCHES:
                n_held = len(new)
            held_ids |= {new[i]["id"] for i in idx[:n_held]}
            start[g] = counts[g]
    for g, _prefix, _items in GROUPS:
        for line in lines[g]:
            (held if line["id"] in held_ids else train).append(line)
    return train, held


def heldout_only_ids() -> set[str]:
    """Ids of the items in held-out-only batches (the fresh sets), per group prefix."""
    out: set[str] = set()
    for b in sorted(HELDOUT_ONLY_BATCHES):
        for g, prefix, _items in GROUPS:
            lo, hi = BATCHES[b - 1][g], BATCHES[b][g]
            out |= {f"{prefix}{i:03d}" for i in range(lo + 1, hi + 1)}
    return out


def stats(train: list[dict], held: list[dict]) -> str:
    """Counts per group: messages, intents, several-report messages, record kinds, split."""
    from collections import Counter

    out = []
    for name, rows in (("all", train + held), ("train", train), ("heldout", held)):
        by_group = Counter(r["group"] for r in rows)
        multi_rec = Counter(r["group"] for r in rows if "records" in r["expect"])
        intents = Counter((r["group"], r["expect"]["intent"]) for r in rows)
        out.append(
            f"{name}: {len(rows)} messages "
            + ", ".join(
                f"{g} {by_group[g]} (activity {intents[g, 'activity']}, exchange "
                f"{intents[g, 'exchange']}, chat {intents[g, 'chat']}, command "
                f"{intents[g, 'command']}; several reports {multi_rec[g]})"
                for g, _p, _i in GROUPS
            )
        )
    kinds: Counter = Counter()
    for r in train + held:
        for rec in r["expect"].get("records") or [r["expect"]]:
            kinds[rec["kind"] or rec["exchange_kind"] or rec["intent"]] += 1
    out.append("records by kind: " + ", ".join(f"{k} {n}" for k, n in kinds.most_common()))
    return "\n".join(out)


def main() -> int:
    train, held = build()
    if "--stats" in sys.argv:
        print(stats(train, held))
        return 0
    for name, rows in (("train.jsonl", train), ("heldout.jsonl", held)):
        with open(HERE / name, "w", encoding="utf-8") as f:
            f.writelines(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)
        print(f"{name}: {len(rows)} messages")
    return 0


if __name__ == "__main__":
    sys.exit(main())
