"""The argument scope of the principal commands, and who may see it.

Which alliance and school a question is about (and whether the asker may see it), which
period, kind and page: `/进度`, `/统计`, `/明细`, `/交流`, `/考核` and `/导出` all parse
their arguments here, so the access rules exist once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from handlers.context import HandlerContext
from handlers.periods import Period, join_range_args, parse_period
from handlers.router import UserError
from handlers.targets import AllianceSchools, alliance_schools
from handlers.vocab import ACTIVITY_KINDS, EXCHANGE_CN, EXCHANGE_KINDS, KIND_CN
from storage.models import Alliance, School
from storage.queries import (
    all_schools,
    alliance_named,
    alliance_of_school,
    alliance_school_rows,
    school_named,
)

# Words for /明细 kinds: labels, codes and each kind's command words (handlers.vocab).
KIND_WORDS: dict[str, tuple[str, str | None]] = {
    **{cn: ("activity", code) for code, cn in KIND_CN.items()},
    **{code: ("activity", code) for code in KIND_CN},
    **{cn: ("exchange", code) for code, cn in EXCHANGE_CN.items()},
    **{w: ("activity", k.code) for k in ACTIVITY_KINDS for w in k.command_words},
    **{w: ("exchange", e.code) for e in EXCHANGE_KINDS for w in e.command_words},
    "交流": ("exchange", None),
    "exchange": ("exchange", None),
}


@dataclass
class Scope:
    alliance: Alliance
    info: AllianceSchools
    school: str | None = None  # canonical school name asked about
    period: Period | None = None
    kind: tuple[str, str | None] | None = None
    page: int = 1
    own_school: str | None = None  # the asker's school


def _home_alliance(ctx: HandlerContext) -> Alliance | None:
    if ctx.role == "admin":
        return ctx.alliance or (
            alliance_of_school(ctx.session, ctx.person.school_id) if ctx.person else None
        )
    if ctx.person is None:
        return None
    return alliance_of_school(ctx.session, ctx.person.school_id)


def find_school(ctx: HandlerContext, word: str, prefer: AllianceSchools | None) -> School | None:
    """A school by name or alias: the asker's alliance first, then everywhere."""
    s = ctx.session
    hit = school_named(s, word)
    if hit is not None:
        return hit
    if prefer is not None:
        local = alliance_school_rows(s, prefer.alliance_id)
        for sc in local:
            if word in (sc.aliases or []):
                return sc
        starts = [sc for sc in local if sc.name.startswith(word) and len(word) >= 2]
        if len(starts) == 1:
            return starts[0]
    for sc in all_schools(s):  # rare: an alias outside the asker's alliance
        if word in (sc.aliases or []):
            return sc
    return None


def parse_scope(
    ctx: HandlerContext, args: list[str], usage: str, *, kinds: bool = False, pages: bool = False
) -> Scope:
    home = _home_alliance(ctx)
    home_info = alliance_schools(ctx.session, home.id) if home is not None else None
    period: Period | None = None
    kind = None
    page = 1
    school: School | None = None
    named_alliance: Alliance | None = None
    for word in join_range_args(args):
        w = word.strip()
        if pages:
            m = re.fullmatch(r"(?:第\s*(\d+)\s*页|(\d+)\s*页|[pP](\d+)|(\d{1,3}))", w)
            if m:
                page = int(next(g for g in m.groups() if g))
                if page < 1:
                    raise UserError(f"页码应从 1 开始。{usage}")
                continue
        try:
            p = parse_period(w, ctx.today, ctx.settings.terms)
        except ValueError as e:
            raise UserError(f"{e}。{usage}") from None
        if p is not None:
            if period is not None:
                raise UserError(f"只能给一个期间。{usage}")
            period = p
            continue
        if kinds and w in KIND_WORDS:
            kind = KIND_WORDS[w]
            continue
        sc = find_school(ctx, w, home_info)
        if sc is not None:
            if school is not None and school.id != sc.id:
                raise UserError(f"只能查看一所学校。{usage}")
            school = sc
            continue
        if ctx.role == "admin":
            a = alliance_named(ctx.session, w)
            if a is not None:
                named_alliance = a
                continue
        raise UserError(f"不认识“{w}”(不是学校、期间{'、种类' if kinds else ''})。{usage}")

    own_school = ctx.school.name if ctx.school is not None else None
    alliance = named_alliance or home
    if ctx.role == "admin" and school is not None and named_alliance is None:
        in_home = home_info is not None and school.name in (home_info.core, *home_info.members)
        if not in_home:
            alliance = alliance_of_school(ctx.session, school.id)
    if alliance is None:
        if ctx.role == "admin":
            raise UserError(f"请指明联盟名称或学校。{usage}")
        raise UserError("你的学校不在任何联盟中,请联系管理员。")
    info = (
        home_info
        if home_info is not None and alliance.id == home_info.alliance_id
        else alliance_schools(ctx.session, alliance.id)
    )
    if school is not None and school.name not in (info.core, *info.members):
        raise UserError(f"{school.name}不在{info.name},无权查看。")
    if ctx.role == "teacher" and school is not None and school.name != own_school:
        raise UserError(f"教师只能查看本校({own_school})的数据,不能查看{school.name}。")
    return Scope(alliance, info, school.name if school else None, period, kind, page, own_school)
