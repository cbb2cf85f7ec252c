"""The grouped target counting gives exactly what one query per rule gives."""

from __future__ import annotations

import datetime as dt
import random

from sqlmodel import Session, select

from handlers.records import save_report
from handlers.targets import (
    DEFAULT_RULES,
    TargetRule,
    _count_batched,
    _count_rule,
    _planned_counts,
    alliance_schools,
)
from storage.models import Alliance
from storage.roster_import import import_roster_file
from tests.conftest import SAMPLE_ROSTER

KINDS = ("sync_class", "joint_research", "lesson_delivery", "inspection", "meeting", "open_day")
EXTRA_RULES = (
    TargetRule("joint_research", "count", "member_school", "term", 1, "教研(线上)", mode="online"),
    TargetRule("sync_class", "subjects", "pair", "year", 1, "同步学科(与核心校)"),
    TargetRule("meeting", "lessons", "alliance", "term", 1, "会议节数"),
    TargetRule("meeting", "subjects", "alliance", "year", 1, "会议学科", keyword="论坛"),
    TargetRule("inspection", "count", "member_school", "year", 1, "视导", mode="offline"),
)


def test_batched_counts_equal_per_rule_counts(engine):
    import_roster_file(engine, str(SAMPLE_ROSTER))
    rng = random.Random(7)
    with Session(engine) as s:
        alliance = s.exec(select(Alliance).where(Alliance.name == "福海县第二小学联盟")).one()
        info = alliance_schools(s, alliance.id)
        schools = [info.core, *info.members]
        for i in range(160):
            kind = rng.choice(KINDS)
            picked = rng.sample(schools, rng.randint(1, 3))
            save_report(
                s,
                {
                    "intent": "activity",
                    "kind": kind,
                    "status": rng.choice(("done", "done", "planned")),
                    "date": dt.date(2025, 8, 1) + dt.timedelta(days=rng.randint(0, 520)),
                    "schools": picked,
                    "teachers": [f"师{i}"],
                    "subject": rng.choice((None, "语文", "数学", "英语")),
                    "title": rng.choice((None, "校长论坛", "研讨")),
                    "mode": rng.choice((None, "online", "offline")),
                    "lessons": rng.choice((None, 1, 2, 3)),
                },
                alliance_id=alliance.id,
                person_id=None,
                reporter_name="x",
                message_id=None,
                source_text=rng.choice(("联盟校长论坛", "班主任工作交流会", "教研活动")),
            )
        s.commit()
        from handlers.periods import Period

        periods = [
            Period(dt.date(2025, 9, 1), dt.date(2026, 1, 31), "秋季学期"),
            Period(dt.date(2026, 2, 1), dt.date(2026, 7, 31), "春季学期"),
            Period(dt.date(2025, 9, 1), dt.date(2026, 7, 31), "学年"),
            Period(dt.date(2026, 1, 1), dt.date(2026, 12, 31), "2026"),
        ]
        plan = [
            (rule, rng.choice(periods))
            for rule in (*DEFAULT_RULES, *EXTRA_RULES)
            if rule.measure != "exchange_coverage"
        ]
        batched = _count_batched(s, alliance.id, plan, info.core, info.members)
        for i, (rule, period) in enumerate(plan):
            counted = _count_rule(s, alliance.id, rule, period, info.core, info.members)
            planned = _planned_counts(s, alliance.id, rule, period, info.core, info.members)
            got_counted, got_planned = batched[i]
            assert {k: v for k, v in got_counted.items() if v} == {
                k: v for k, v in counted.items() if v
            }, rule.label
            targets = [None] if rule.unit == "alliance" else list(info.members)
            for school in targets:
                want = planned.get(school, counted.get((school, "planned"), 0))
                got = got_planned.get(school, got_counted.get((school, "planned"), 0))
                assert got == want, (rule.label, school)
