"""/会议: list, add and remove an alliance's recurring meetings (reminded by the scheduler).

Parsing, occurrences and working days are pure handlers code (handlers.meeting_rules,
handlers.workdays); the scheduler is only told that rules changed (`ctx.reminders`).
"""

from __future__ import annotations

import re

from sqlmodel import col, select

from handlers.context import HandlerContext
from handlers.events import Reply
from handlers.meeting_rules import POLICY_CN, next_meetings, preview_meeting_rule
from handlers.router import STAFF, Router, UserError
from handlers.workdays import FALLBACK_WARNING, SOURCE_FALLBACK, WorkCalendar
from storage.models import MeetingRule
from storage.types import utcnow

router = Router()

USAGE = "用法:/会议 | /会议 添加 规则 时间 名称 | /会议 删除 编号"
MANAGERS = ("principal", "admin")


def _calendar(ctx: HandlerContext) -> WorkCalendar:
    return WorkCalendar.from_settings(ctx.settings)


def _alliance(ctx: HandlerContext):
    if ctx.alliance is None:
        raise UserError("请在联盟群里使用 /会议(或先绑定身份)。")
    return ctx.alliance


def _dates_lines(items: list[dict]) -> list[str]:
    lines = []
    for o in items:
        line = f"  · {o['label']}"
        if o.get("note"):
            line += f"({o['note']})"
        lines.append(line)
    return lines


@router.command("会议", aliases=("meeting", "meetings", "例会"), roles=STAFF, order=70)
def meetings_command(ctx: HandlerContext, args: list[str]) -> Reply:
    """查看、添加或删除本联盟的例会(或只开一次的会),会前一天和开会前 1 小时在群里提醒。
    用法:/会议 | /会议 添加 规则或日期 时间 名称 | /会议 删除 编号
    例:/会议 添加 每月最后一个周五 下午3点 联盟总结会
    """
    if not args or args[0] in ("列表", "查看", "list"):
        return _list(ctx)
    sub, rest = args[0], args[1:]
    if sub in ("添加", "新增", "增加", "add"):
        return _add(ctx, " ".join(rest))
    if sub in ("删除", "取消", "移除", "remove", "delete"):
        return _remove(ctx, rest)
    raise UserError(USAGE)


def _list(ctx: HandlerContext) -> Reply:
    alliance = _alliance(ctx)
    cal = _calendar(ctx)
    rules = ctx.session.exec(
        select(MeetingRule)
        .where(MeetingRule.alliance_id == alliance.id, MeetingRule.active == True)  # noqa: E712
        .order_by(col(MeetingRule.id))
    ).all()
    if not rules:
        return Reply(
            f"{alliance.name} 还没有设置例会。校长可发送:"
            "/会议 添加 每月最后一个周五 15:00 联盟总结会"
        )
    lines = [f"{alliance.name} 的例会:"]
    fallback = False
    for r in rules:
        src = "(配置文件)" if r.source == "config" else ""
        once = (r.rule or {}).get("freq") == "once"
        policy = "只开一次" if once else POLICY_CN.get(r.holiday_policy, "")
        lines.append(f"#{r.id} {r.title}:{r.rule_text}{src},{policy}")
        nxt = next_meetings(r.rule, r.holiday_policy, ctx.today, cal, 1)
        if nxt:
            lines.append(("  时间:" if once else "  下次:") + _dates_lines(nxt)[0].strip(" ·"))
            fallback |= any(o["calendar"] == SOURCE_FALLBACK for o in nxt)
        elif once:
            lines.append("  (已开过)")
    if fallback:
        lines.append(FALLBACK_WARNING)
    lines.append("删除:/会议 删除 编号")
    return Reply("\n".join(lines))


def _check_manager(ctx: HandlerContext) -> None:
    if ctx.role not in MANAGERS:
        raise UserError("只有校长或管理员可以添加、删除例会。")


def _add(ctx: HandlerContext, text: str) -> Reply:
    _check_manager(ctx)
    alliance = _alliance(ctx)
    if not text.strip():
        raise UserError("请写上规则,例如:/会议 添加 每月最后一个周五 15:00 联盟总结会")
    try:
        p = preview_meeting_rule(text, ctx.today, _calendar(ctx))
    except ValueError as e:
        raise UserError(str(e)) from None
    rule = MeetingRule(
        alliance_id=alliance.id,
        title=p["title"],
        rule_text=text.strip(),
        rule=p["rule"],
        holiday_policy=p["holiday_policy"],
        source="command",
        created_by=ctx.person.id if ctx.person else None,
    )
    ctx.session.add(rule)
    ctx.session.flush()
    ctx.reminders.meeting_rules_changed(alliance.id)
    if p["rule"].get("freq") == "once":
        lines = [f"已添加会议 #{rule.id}:{p['title']}({p['summary']})"]
        lines += [f"  · {o['note']}" for o in p["next"] if o.get("note")]
    else:
        lines = [
            f"已添加例会 #{rule.id}:{p['title']}({p['summary']},{POLICY_CN[p['holiday_policy']]})",
            "接下来三次:",
        ]
        lines += _dates_lines(p["next"])
    lines += [w if w.startswith(("注意", "提示")) else f"提示:{w}" for w in p["warnings"]]
    lines.append(f"会前一天和开会前提醒;不对请 /会议 删除 {rule.id}")
    return Reply("\n".join(lines))


def _remove(ctx: HandlerContext, rest: list[str]) -> Reply:
    _check_manager(ctx)
    alliance = _alliance(ctx)
    m = re.fullmatch(r"#?(\d+)", rest[0].strip()) if len(rest) == 1 else None
    if not m:
        raise UserError("用法:/会议 删除 编号(编号见 /会议)")
    rule = ctx.session.get(MeetingRule, int(m.group(1)))
    if rule is None or not rule.active or rule.alliance_id != alliance.id:
        raise UserError(f"本联盟没有例会 #{m.group(1)}。发送 /会议 查看。")
    rule.active = False
    rule.updated_at = utcnow()
    ctx.session.add(rule)
    ctx.session.flush()
    ctx.reminders.meeting_rules_changed(alliance.id)
    note = "(它来自配置文件,重新导入配置会恢复)" if rule.source == "config" else ""
    return Reply(f"已删除例会 #{rule.id} {rule.title},不再提醒。{note}")
