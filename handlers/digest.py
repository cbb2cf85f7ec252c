"""The weekly pace digest: which targets of an alliance are behind the milestone pace.

The scheduler cannot import handlers; the composition root injects this function into
it as `digest_text(alliance_id, now)`.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlmodel import Session

from handlers.targets import alliance_schools, evaluate, rules_from

SHOWN = 17  # with the heading and the closing line, one phone screen


def digest_text(
    session: Session, alliance_id: int, now: datetime, settings, targets: list | None = None
) -> str | None:
    """A short Chinese digest of the targets behind pace, or None when nothing is behind."""
    today = now.astimezone(ZoneInfo(settings.timezone)).date()
    rules = rules_from(targets)
    results = evaluate(
        session,
        alliance_id,
        rules,
        today,
        terms=settings.terms,
        milestones=settings.assessment.milestones,
    )
    behind = [r for r in results if r.pace.behind > 0 and r.done < r.minimum]
    if not behind:
        return None
    info = alliance_schools(session, alliance_id)
    lines = [f"📊 {info.name} 本周进度提醒({today.month}月{today.day}日):{len(behind)} 项落后"]
    for r in sorted(behind, key=lambda r: (r.school or "", r.rule.label))[:SHOWN]:
        who = r.school or "联盟整体"
        lines.append(
            f"· {who} {r.rule.label} {r.done}/{r.minimum}{r.rule.unit_word}:{r.status_text()}"
        )
    if len(behind) > SHOWN:
        lines.append(f"……另有 {len(behind) - SHOWN} 项,发送 /进度 查看全部。")
    else:
        lines.append("发送 /进度 查看全部指标。")
    return "\n".join(lines)
