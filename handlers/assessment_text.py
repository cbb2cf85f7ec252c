"""The words of the bundled assessment, shared by /考核, the 台账's 考核 sheet and /总结.

One place says how years are named: the assessment runs over a calendar year, written
"2026年(自然年)"; school years are "2026-2027学年"; "年度" alone is never used, so a reader
never wonders which of the two is meant.
"""

from __future__ import annotations

import datetime as dt

from handlers.scores import Assessment


def pct(weight: float) -> str:
    """0.8 → "80%"; 0.2/3 → "6.7%"."""
    v = weight * 100
    return f"{v:.0f}%" if abs(v - round(v)) < 1e-9 else f"{v:.1f}%"


def score_text(score: float | None) -> str:
    return "无得分" if score is None else f"{score:.1f} 分"


def year_text(year: int) -> str:
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    return f"{year}年(自然年 {first.isoformat()}至{last.isoformat()})"


def scored_members(a: Assessment) -> int:
    return len([m for m in a.members if m.score is not None])


def member_share_text(a: Assessment) -> str:
    n = scored_members(a)
    if n == 0:
        return "成员校没有得分"
    return f"每校占核心校捆绑得分的 {pct(a.members_weight)}÷{n} = {pct(a.members_weight / n)}"


def bundle_formula(a: Assessment) -> str:
    """How the core's bundled score is made, in words and the numbers actually used."""
    if a.bundled is None or a.core is None:
        return "核心校没有得分,无法计算捆绑得分。"
    if a.exempt_by:
        return (
            f"豁免:{'、'.join(a.exempt_by)}县排名比上年提升 {a.threshold} 名或以上,"
            f"核心校捆绑得分按本校得分计 = {a.bundled:.1f} 分。"
        )
    n = scored_members(a)
    if n == 0:
        return f"成员校都没有得分,捆绑得分按本校得分计 = {a.bundled:.1f} 分。"
    members = " + ".join(f"{m.score:.1f}" for m in a.members if m.score is not None)
    return (
        f"捆绑得分 = 本校 {a.core.score:.1f}×{pct(a.own_weight)} + 成员校({members})"
        f"×{pct(a.members_weight)}÷{n} = {a.bundled:.1f} 分"
    )


def how_lines(a: Assessment) -> list[str]:
    """The explanation under the numbers (short: the reply must fit one phone screen)."""
    return [
        "怎么算(百分制,满分 100):",
        "· 各校得分:有导入的县考核得分就用它;否则按指标完成度,"
        "即各项指标(完成÷要求,满额计 1)的平均×100。",
        "· 核心校本校得分只计有本校参与的联盟活动。",
        f"· 豁免:成员校县排名比上年提升 {a.threshold} 名或以上时,核心校按本校得分计。",
    ]


def assessment_lines(a: Assessment) -> list[str]:
    lines = [f"{a.alliance} {a.year}年捆绑考核(百分制)", f"考核期间:{year_text(a.year)}"]
    if a.core is not None:
        lines.append(f"核心校 {a.core.school}:本校 {score_text(a.core.score)}({a.core.source_cn})")
        lines.append(bundle_formula(a))
    lines.append(f"成员校({member_share_text(a)}):")
    for m in a.members:
        rank = ""
        if m.rank is not None:
            rank = f",县排名 {m.rank}"
            if m.previous_rank is not None:
                rank += f"(上年 {m.previous_rank})"
        lines.append(f"· {m.school} {score_text(m.score)}({m.source_cn}{rank})")
    return lines
