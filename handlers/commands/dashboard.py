"""/看板: a personal link to the read-only web dashboard; `/看板 撤销 姓名` (admin)."""

from __future__ import annotations

from handlers.context import HandlerContext
from handlers.dashboard_links import LINK_TTL, issue_link, revoke_links
from handlers.events import Reply
from handlers.router import ADMIN, STAFF, Router, UserError
from storage.models import Person
from storage.queries import alliance_of_school

router = Router()
PATH = "/dash/t/"  # where a link is opened (bot.web.dashboard)


@router.command("看板", aliases=("dashboard",), roles=STAFF, order=26)
def dashboard(ctx: HandlerContext, args: list[str]) -> Reply:
    """打开网页看板:进度条、图表、交流和最新记录,7 天内有效的个人链接。
    用法:/看板    管理员撤销某人的链接:/看板 撤销 姓名
    例:/看板
    """
    if args and args[0] in ("撤销", "作废", "revoke"):
        return _revoke(ctx, args[1:])
    if args:
        raise UserError("用法:/看板(管理员撤销链接:/看板 撤销 姓名)")
    person = ctx.person
    assert person is not None  # STAFF only
    if ctx.role == "admin":
        alliance_id = None
        what = "全县各联盟"
    else:
        alliance = alliance_of_school(ctx.session, person.school_id)
        if alliance is None:
            raise UserError("你的学校不在任何联盟中,请联系管理员。")
        alliance_id = alliance.id
        what = alliance.name
    token, expires = issue_link(ctx.session, person, alliance_id, ctx.now)
    link = f"{ctx.public_url.rstrip('/')}{PATH}{token}"
    until = expires.astimezone(ctx.tz).strftime("%Y-%m-%d %H:%M")
    days = LINK_TTL.days
    lines = [
        f"{person.name}的看板({what},只读):",
        link,
        f"{days} 天内有效(至 {until}),仅限本人使用,请勿转发。",
    ]
    if ctx.message.chat.chat_type == "group":
        lines.append("链接发在群里大家都能看到;也可以私聊机器人获取。")
    return Reply("\n".join(lines))


def _revoke(ctx: HandlerContext, args: list[str]) -> Reply:
    if ctx.role not in ADMIN:
        raise UserError("撤销看板链接仅限管理员使用。")
    if len(args) != 1:
        raise UserError("用法:/看板 撤销 姓名")
    from sqlmodel import select

    who = ctx.session.exec(select(Person).where(Person.name == args[0])).first()
    if who is None:
        raise UserError(f"名册中没有“{args[0]}”。")
    assert who.id is not None
    n = revoke_links(ctx.session, who.id, ctx.person.id if ctx.person else None, ctx.now)
    if not n:
        return Reply(f"{who.name}没有有效的看板链接。")
    return Reply(f"已撤销{who.name}的 {n} 个看板链接,已打开的看板也随之失效。")
