"""The project's own labelled corpus (tests/data/corpus) is well formed and up to date."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "tests" / "data" / "corpus"
SHARED_EVAL = ROOT.parent.parent / "shared" / "eval"
ROSTER = SHARED_EVAL / "roster.toml"

pytestmark = pytest.mark.skipif(not ROSTER.exists(), reason="shared eval roster absent")


def _module(name: str):
    spec = importlib.util.spec_from_file_location(f"corpus_{name}", CORPUS / f"{name}.py")
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _lines(name: str) -> list[dict]:
    with open(CORPUS / name, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def test_validator_passes_on_corpus() -> None:
    run = subprocess.run(
        [sys.executable, str(CORPUS / "validate.py"), "--roster", str(ROSTER)],
        check=False,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stdout + run.stderr


def test_validator_accepts_the_public_gold_sets() -> None:
    files = [SHARED_EVAL / n for n in ("dev.jsonl", "dev2.jsonl", "dev-multi.jsonl")]
    problems = _module("validate").validate([f for f in files if f.exists()], ROSTER)
    assert problems == []


def test_validator_catches_broken_lines(tmp_path: Path) -> None:
    good = _lines("train.jsonl")[0]
    bad = []
    for mutate in (
        lambda e: e.pop("lessons"),
        lambda e: e.update(intent="report"),
        lambda e: e.update(kind="field_trip", intent="activity"),
        lambda e: e.update(intent="chat"),
        lambda e: e.update(intent="activity", kind="sync_class", mode="offline", status="done"),
        lambda e: e.update(intent="activity", kind="meeting", status="done", date="2099-01-01"),
        lambda e: e.update(intent="activity", kind="meeting", status="done", date="2026-02-30"),
        lambda e: e.update(intent="activity", kind="meeting", status="done", schools=["二小"]),
        lambda e: e.update(intent="activity", kind="meeting", status="done", subject="数学课"),
    ):
        obj = json.loads(json.dumps(good))
        obj["expect"].pop("records", None)
        if obj["expect"]["intent"] == "chat":
            obj["expect"].update(intent="activity", kind="meeting", status="done")
        mutate(obj["expect"])
        bad.append(obj)
    path = tmp_path / "bad.jsonl"
    path.write_text(
        "".join(json.dumps(b, ensure_ascii=False) + "\n" for b in bad), encoding="utf-8"
    )
    problems = _module("validate").validate([path], ROSTER)
    flagged = {p.split()[0] for p in problems}
    assert flagged == {f"bad.jsonl:{i}" for i in range(1, len(bad) + 1)}, problems


def test_files_match_the_hand_written_source_and_split() -> None:
    train, held = _module("build").build()
    assert train == _lines("train.jsonl"), "run tests/data/corpus/build.py"
    assert held == _lines("heldout.jsonl"), "run tests/data/corpus/build.py"
    ids_train = {r["id"] for r in train}
    ids_held = {r["id"] for r in held}
    assert not ids_train & ids_held
    fresh = _module("build").heldout_only_ids()
    assert fresh <= ids_held, "a held-out-only (fresh) item landed in train"
    drawn = [r for r in train + held if r["id"] not in fresh]
    for group in ("news", "phone", "multi"):
        n_g = sum(r["group"] == group for r in drawn)
        n_h = sum(r["group"] == group for r in drawn if r["id"] in ids_held)
        if n_g:
            assert abs(n_h - n_g / 4) <= 1, (group, n_h, n_g)
