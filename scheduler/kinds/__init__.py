"""The reminder kinds, one module each, behind the `ReminderKind` protocol (kinds.base).

To add a kind: write its module (batches, stale_reason, message, its Chinese texts and
labels) and add one instance to `KINDS` below.
"""

from __future__ import annotations

from scheduler.kinds.base import Batch, Changes, KindEnv, Message, ReminderKind, Want
from scheduler.kinds.chase import MonthlyChase
from scheduler.kinds.digest import WeeklyDigest
from scheduler.kinds.meetings import Meetings
from scheduler.kinds.planned import PlannedActivities

KINDS: tuple[ReminderKind, ...] = (PlannedActivities(), Meetings(), WeeklyDigest(), MonthlyChase())

# Reminder.kind code → the module object that owns it; → its Chinese label.
BY_CODE: dict[str, ReminderKind] = {code: k for k in KINDS for code in k.labels}
KIND_CN: dict[str, str] = {code: label for k in KINDS for code, label in k.labels.items()}

__all__ = [
    "BY_CODE",
    "KINDS",
    "KIND_CN",
    "Batch",
    "Changes",
    "KindEnv",
    "Message",
    "ReminderKind",
    "Want",
]
