"""The reminder kinds behind one protocol: each code has one owner and a Chinese label."""

from __future__ import annotations

from scheduler.kinds import BY_CODE, KIND_CN, KINDS


def test_every_reminder_code_has_one_owner_and_a_label():
    codes = [code for k in KINDS for code in k.labels]
    assert len(codes) == len(set(codes))
    assert set(BY_CODE) == set(KIND_CN) == set(codes)
    assert all(label.strip() for label in KIND_CN.values())


def test_the_kinds_present():
    assert set(KIND_CN) == {
        "planned_eve",
        "planned_morning",
        "planned_followup",
        "meeting_eve",
        "meeting_hour",
        "digest",
        "chase",
    }
    for k in KINDS:
        assert callable(k.batches) and callable(k.stale_reason) and callable(k.message)
