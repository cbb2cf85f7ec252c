"""/绑定 and /绑定群: who is speaking, and which alliance a group belongs to."""

from __future__ import annotations

from dataclasses import replace

from sqlmodel import col, select

from handlers.context import HandlerContext
from handlers.events import Reply
from handlers.records import audit
from handlers.router import ADMIN, ANYONE, PRINCIPAL, Router, UserError
from storage.models import Alliance, AllianceMember, ChatGroup, Identity, InboundMessage, Person
from storage.queries import alliance_of_school
from storage.types import utcnow

router = Router()


def _alliance_ids_of_school(ctx: HandlerContext, school_id: int) -> set[int]:
    return set(
        ctx.session.exec(
            select(AllianceMember.alliance_id).where(AllianceMember.school_id == school_id)
        ).all()
    )


def account(platform: str, user_id: str) -> str:
    """How an account is named in replies, commands and the audit log: "onebot:123456"."""
    return f"{platform}:{user_id}"


def _account_label(ident: Identity) -> str:
    nick = f"(昵称 {ident.display_name})" if ident.display_name else ""
    return account(ident.platform, ident.user_id) + nick


def _actor_account(ctx: HandlerContext) -> str:
    return account(ctx.message.platform, ctx.message.sender_id)


def _parse_account(word: str) -> tuple[str, str] | None:
    platform, sep, user_id = word.partition(":")
    if not sep:
        platform, sep, user_id = word.partition("：")  # typed on a Chinese keyboard
    if not sep or not platform or not user_id:
        return None
    return platform.strip().lower(), user_id.strip()


def _may_manage(ctx: HandlerContext, person: Person) -> bool:
    """Admins manage everyone; a principal the people of their own alliance(s)."""
    if ctx.role == "admin":
        return True
    if ctx.role != "principal" or ctx.person is None:
        return False
    mine = _alliance_ids_of_school(ctx, ctx.person.school_id)
    return bool(mine & _alliance_ids_of_school(ctx, person.school_id))


def _bound_on(ctx: HandlerContext, person_id: int | None, platform: str) -> list[Identity]:
    return list(
        ctx.session.exec(
            select(Identity).where(
                Identity.person_id == person_id,
                Identity.platform == platform,
                Identity.confirmed == True,  # noqa: E712
            )
        ).all()
    )


@router.command("绑定", aliases=("bind",), roles=ANYONE, order=90)
def bind(ctx: HandlerContext, args: list[str]) -> Reply:
    """绑定你的身份(姓名须在名册中),由本联盟校长或管理员确认。
    用法:/绑定 姓名 ;确认:/绑定 确认 姓名 平台:账号 ;查看:/绑定 列表
    例:/绑定 你的姓名
    """
    if not args:
        raise UserError(
            "用法:/绑定 姓名(例如你叫李明,就发 /绑定 李明);校长或管理员确认:"
            "/绑定 确认 姓名 平台:账号;查看:/绑定 列表"
        )
    if args[0] in ("确认", "confirm") and len(args) >= 2:
        return _confirm(ctx, args[1], args[2] if len(args) >= 3 else None)
    if args[0] in ("列表", "list") and len(args) == 1:
        return _list(ctx)
    name = args[0]
    msg = ctx.message
    s = ctx.session
    ident = s.exec(
        select(Identity).where(Identity.platform == msg.platform, Identity.user_id == msg.sender_id)
    ).first()
    bound = (
        s.get(Person, ident.person_id)
        if ident is not None and ident.confirmed and ident.person_id
        else None
    )
    if bound is not None:
        return Reply(f"你已绑定为“{bound.name}”,无需重复绑定。如需更改请联系管理员。")
    name = name.replace("（", "(").replace("）", ")")
    person = s.exec(select(Person).where(Person.name == name)).first()
    if person is None:
        _namesakes_hint(s, name, "/绑定")
        raise UserError(f"名册中没有“{name}”。请核对姓名,或请管理员先把你加入名册。")
    if ident is None:
        ident = Identity(platform=msg.platform, user_id=msg.sender_id, source="bind")
    ident.claimed_name = name
    ident.display_name = (msg.sender_name or "")[:64] or None
    ident.person_id = None
    ident.confirmed = False
    s.add(ident)
    me = _actor_account(ctx)
    audit(
        s,
        None,
        "bind",
        field="claim",
        new=f"{name} ← {me}",
        message_id=ctx.inbound.id if ctx.inbound else None,
    )
    pending = len(
        s.exec(
            select(InboundMessage.id).where(
                InboundMessage.platform == msg.platform,
                InboundMessage.sender_id == msg.sender_id,
                InboundMessage.outcome == "pending_bind",
            )
        ).all()
    )
    extra = f"确认后,你之前发的 {pending} 条记录会自动保存。" if pending else ""
    who = (
        "管理员"
        if person.role in ("principal", "admin") or _bound_on(ctx, person.id, msg.platform)
        else "本联盟校长或管理员"
    )
    return Reply(
        f"已申请绑定为“{name}”(账号 {me})。请{who}发送:\n/绑定 确认 {name} {me}\n{extra}".rstrip()
    )


def _namesakes_hint(s, name: str, command: str) -> None:
    """Two people of this name (张伟(城关), 张伟(解乡)): say which forms to write."""
    same = s.exec(select(Person.name).where(Person.name.startswith(f"{name}("))).all()
    if same:
        raise UserError(
            f"名册中有{len(same)}位“{name}”:{'、'.join(same)}。请写明学校,例如 {command} {same[0]}"
        )


def _confirm(ctx: HandlerContext, name: str, which: str | None) -> Reply:
    """Confirm the one claim of `name` by the account `which` ("platform:id")."""
    s = ctx.session
    if ctx.role not in PRINCIPAL | ADMIN:
        raise UserError("只有校长或管理员可以确认绑定。")
    name = name.replace("（", "(").replace("）", ")")
    person = s.exec(select(Person).where(Person.name == name)).first()
    if person is None:
        _namesakes_hint(s, name, "/绑定 确认")
        raise UserError(f"名册中没有“{name}”。")
    if not _may_manage(ctx, person):
        raise UserError(f"“{name}”不在你的联盟,只能由其所在联盟的校长或管理员确认。")
    claims = list(
        s.exec(
            select(Identity)
            .where(Identity.claimed_name == name, Identity.confirmed == False)  # noqa: E712
            .order_by(col(Identity.id))
        ).all()
    )
    if not claims:
        raise UserError(f"没有待确认的“{name}”绑定申请。请让本人先发送 /绑定 {name} 。")
    wanted = _parse_account(which) if which else None
    ident = next((c for c in claims if wanted == (c.platform, c.user_id)), None)
    staff = {"principal": "校长", "admin": "管理员"}.get(person.role)
    if ident is None:
        lines = [
            f"“{name}”有 {len(claims)} 个待确认的绑定申请。确认前请核实是本人的账号,"
            "然后发送对应的一行:"
            if wanted is None
            else f"“{name}”没有来自 {which} 的绑定申请。待确认的申请:"
        ]
        if staff and ctx.role != "admin":
            lines.insert(0, f"“{name}”是{staff},其账号绑定须由管理员确认。")
        lines += [
            f"/绑定 确认 {name} {account(c.platform, c.user_id)}"
            + (f"  (昵称 {c.display_name})" if c.display_name else "")
            for c in claims
        ]
        return Reply("\n".join(lines))
    # Taking over a principal's or admin's rights, or giving someone a second account on a
    # platform, is for an admin only: a principal could be fooled by a stranger's claim.
    if ctx.role != "admin":
        if staff:
            raise UserError(f"“{name}”是{staff},其账号绑定须由管理员确认。")
        if _bound_on(ctx, person.id, ident.platform):
            raise UserError(
                f"“{name}”在该平台已绑定了账号,再绑定 {account(ident.platform, ident.user_id)}"
                " 须由管理员确认。"
            )
    ident.person_id = person.id
    ident.confirmed = True
    ident.claimed_name = None
    ident.confirmed_at = utcnow()
    ident.confirmed_by = ctx.person.id if ctx.person else None
    s.add(ident)
    s.flush()
    saved: list[int] = []
    if ctx.replay_pending is not None:
        alliance = alliance_of_school(s, person.school_id)
        sub = replace(ctx, person=person, school=None, alliance=alliance, group=None, inbound=None)
        saved += ctx.replay_pending(sub, ident.platform, ident.user_id, person)
    target = _account_label(ident)
    audit(
        s,
        None,
        "bind",
        actor=ctx.person.id if ctx.person else None,
        field="confirm",
        new=f"{name} ← {target} by {_actor_account(ctx)}",
        message_id=ctx.inbound.id if ctx.inbound else None,
    )
    text = f"已确认“{name}”的绑定:{target}。"
    others = [c for c in claims if c is not ident]
    if others:
        text += f"另有 {len(others)} 个“{name}”的申请未确认(/绑定 列表 查看)。"
    if saved:
        text += f"已补存其之前上报的记录:{'、'.join('#' + str(i) for i in saved)}。"
    return Reply(text)


def _list(ctx: HandlerContext) -> Reply:
    """Bindings and pending claims of the people a principal (their alliance) or an admin
    (everyone) manages."""
    s = ctx.session
    if ctx.role not in PRINCIPAL | ADMIN:
        raise UserError("只有校长或管理员可以查看绑定列表。")
    people = {
        p.id: p
        for p in s.exec(select(Person).order_by(col(Person.id))).all()
        if _may_manage(ctx, p)
    }
    by_name = {p.name: p for p in people.values()}
    bound: dict[int, list[Identity]] = {}
    pending: list[Identity] = []
    for ident in s.exec(select(Identity).order_by(col(Identity.id))).all():
        if ident.confirmed and ident.person_id is not None and ident.person_id in people:
            bound.setdefault(ident.person_id, []).append(ident)
        elif not ident.confirmed and ident.claimed_name in by_name:
            pending.append(ident)
    lines = ["待确认的绑定申请:" if pending else "没有待确认的绑定申请。"]
    lines += [
        f"  {c.claimed_name} ← {_account_label(c)}:/绑定 确认 {c.claimed_name} "
        f"{account(c.platform, c.user_id)}"
        for c in pending
    ]
    lines.append("已绑定:")
    for pid, idents in bound.items():
        lines.append(f"  {people[pid].name}:" + "、".join(_account_label(i) for i in idents))
    lines.append("解绑:/解绑 平台:账号")
    return Reply("\n".join(lines))


@router.command("解绑", aliases=("unbind",), roles=PRINCIPAL | ADMIN, order=92)
def unbind(ctx: HandlerContext, args: list[str]) -> Reply:
    """解除一个账号的绑定(本联盟校长或管理员)。
    用法:/解绑 平台:账号(见 /绑定 列表)
    例:/解绑 onebot:123456
    """
    acct = _parse_account(args[0]) if len(args) == 1 else None
    if acct is None:
        raise UserError("用法:/解绑 平台:账号,例如 /解绑 onebot:123456(账号见 /绑定 列表)")
    s = ctx.session
    ident = s.exec(
        select(Identity).where(Identity.platform == acct[0], Identity.user_id == acct[1])
    ).first()
    if ident is None:
        raise UserError(f"没有绑定 {args[0]} 的账号。")
    name = ident.claimed_name
    person = s.get(Person, ident.person_id) if ident.person_id is not None else None
    if person is not None:
        name = person.name
        if not _may_manage(ctx, person):
            raise UserError(f"{args[0]} 绑定的“{name}”不在你的联盟,无权解绑。")
        if ctx.role != "admin" and person.role in ("principal", "admin"):
            raise UserError(f"“{name}”的账号须由管理员解绑。")
    elif name is not None:
        claimed = s.exec(select(Person).where(Person.name == name)).first()
        if claimed is not None and not _may_manage(ctx, claimed):
            raise UserError(f"{args[0]} 申请的“{name}”不在你的联盟,无权处理。")
    target = _account_label(ident)
    s.delete(ident)
    audit(
        s,
        None,
        "bind",
        actor=ctx.person.id if ctx.person else None,
        field="unbind",
        old=f"{name} ← {target}",
        new=f"by {_actor_account(ctx)}",
        message_id=ctx.inbound.id if ctx.inbound else None,
    )
    return Reply(f"已解绑 {target}(原为“{name}”)。该账号之后的消息将不再以“{name}”的身份处理。")


@router.command("绑定群", aliases=("bindgroup",), roles=ADMIN, order=91)
def bind_group(ctx: HandlerContext, args: list[str]) -> Reply:
    """把当前群绑定到一个联盟(管理员)。
    用法:/绑定群 联盟名称 [校长群]
    例:/绑定群 福海县第二小学联盟
    """
    if not args:
        raise UserError("用法:/绑定群 联盟名称 [校长群]")
    msg = ctx.message
    if msg.chat.chat_type != "group":
        raise UserError("请在要绑定的群里发送此命令。")
    s = ctx.session
    name = args[0]
    alliance = s.exec(select(Alliance).where(Alliance.name == name)).first()
    if alliance is None:
        candidates = [a.name for a in s.exec(select(Alliance)).all() if name in a.name]
        if len(candidates) == 1:
            alliance = s.exec(select(Alliance).where(Alliance.name == candidates[0])).one()
        else:
            raise UserError(
                f"没有名为“{name}”的联盟。"
                + (f"你是不是要找:{'、'.join(candidates)}" if candidates else "")
            )
    purpose = "principals" if len(args) > 1 and args[1] in ("校长群", "principals") else "alliance"
    group = s.exec(
        select(ChatGroup).where(
            ChatGroup.platform == msg.platform, ChatGroup.chat_id == msg.chat.chat_id
        )
    ).first()
    if group is None:
        group = ChatGroup(
            platform=msg.platform,
            chat_id=msg.chat.chat_id,
            alliance_id=alliance.id,
            purpose=purpose,
            source="bind",
        )
    else:
        group.alliance_id = alliance.id
        group.purpose = purpose
    s.add(group)
    audit(
        s,
        None,
        "bind",
        actor=ctx.person.id if ctx.person else None,
        field="group",
        new=f"{msg.platform}:{msg.chat.chat_id}->{alliance.name}",
        message_id=ctx.inbound.id if ctx.inbound else None,
    )
    kind = "校长群" if purpose == "principals" else "联盟群"
    return Reply(f"本群已绑定到“{alliance.name}”({kind})。")
