"""/绑定 and /绑定群: who is speaking, and which alliance a group belongs to."""
from __future__ import annotations

from dataclasses import replace

from sqlmodel import select

from handlers.events import Reply
from handlers.context import HandlerContext
from handlers.records import audit
from handlers.router import ADMIN, ANYONE, PRINCIPAL, Router, UserError
from storage.models import Alliance, AllianceMember, ChatGroup, Identity, InboundMessage, Person
from storage.queries import alliance_of_school
from storage.types import utcnow

router = Router()


def _alliance_ids_of_school(ctx: HandlerContext, school_id: int) -> set[int]:
    return set(ctx.session.exec(select(AllianceMember.alliance_id)
                                .where(AllianceMember.school_id == school_id)).all())


@router.command("绑定", aliases=("bind",), roles=ANYONE, order=90)
def bind(ctx: HandlerContext, args: list[str]) -> Reply:
    """绑定你的身份(姓名须在名册中),由校长或管理员确认。
    用法:/绑定 姓名 ;校长或管理员确认:/绑定 确认 姓名
    例:/绑定 你的姓名
    """
    if not args:
        raise UserError("用法:/绑定 你的姓名(例如你叫李明,就发 /绑定 李明);"
                        "校长或管理员确认:/绑定 确认 姓名")
    if args[0] in ("确认", "confirm") and len(args) >= 2:
        return _confirm(ctx, args[1])
    name = args[0]
    msg = ctx.message
    s = ctx.session
    ident = s.exec(select(Identity).where(Identity.platform == msg.platform,
                                         Identity.user_id == msg.sender_id)).first()
    if ident is not None and ident.confirmed and ident.person_id:
        person = s.get(Person, ident.person_id)
        return Reply(f"你已绑定为“{person.name}”,无需重复绑定。如需更改请联系管理员。")
    person = s.exec(select(Person).where(Person.name == name)).first()
    if person is None:
        raise UserError(f"名册中没有“{name}”。请核对姓名,或请管理员先把你加入名册。")
    if ident is None:
        ident = Identity(platform=msg.platform, user_id=msg.sender_id, source="bind")
    ident.claimed_name = name
    ident.person_id = None
    ident.confirmed = False
    s.add(ident)
    audit(s, None, "bind", field="claim", new=f"{msg.platform}:{name}",
          message_id=ctx.inbound.id if ctx.inbound else None)
    pending = len(s.exec(select(InboundMessage.id).where(
        InboundMessage.platform == msg.platform, InboundMessage.sender_id == msg.sender_id,
        InboundMessage.outcome == "pending_bind")).all())
    extra = f"确认后,你之前发的 {pending} 条记录会自动保存。" if pending else ""
    return Reply(f"已申请绑定为“{name}”。请本联盟校长或管理员发送 /绑定 确认 {name} 。{extra}")


def _confirm(ctx: HandlerContext, name: str) -> Reply:
    s = ctx.session
    if ctx.role not in PRINCIPAL | ADMIN:
        raise UserError("只有校长或管理员可以确认绑定。")
    person = s.exec(select(Person).where(Person.name == name)).first()
    if person is None:
        raise UserError(f"名册中没有“{name}”。")
    if ctx.role != "admin":
        mine = _alliance_ids_of_school(ctx, ctx.person.school_id)
        if not mine & _alliance_ids_of_school(ctx, person.school_id):
            raise UserError(f"“{name}”不在你的联盟,只能由其所在联盟的校长或管理员确认。")
    claims = s.exec(select(Identity).where(Identity.claimed_name == name,
                                          Identity.confirmed == False)).all()  # noqa: E712
    if not claims:
        raise UserError(f"没有待确认的“{name}”绑定申请。请让本人先发送 /绑定 {name} 。")
    replay = ctx.replay_pending
    saved: list[int] = []
    for ident in claims:
        ident.person_id = person.id
        ident.confirmed = True
        ident.claimed_name = None
        ident.confirmed_at = utcnow()
        ident.confirmed_by = ctx.person.id if ctx.person else None
        s.add(ident)
        s.flush()
        if replay is not None:
            alliance = alliance_of_school(s, person.school_id)
            sub = replace(ctx, person=person, school=None, alliance=alliance, group=None,
                          inbound=None)
            saved += replay(sub, ident.platform, ident.user_id, person)
    audit(s, None, "bind", actor=ctx.person.id if ctx.person else None, field="confirm",
          new=name, message_id=ctx.inbound.id if ctx.inbound else None)
    text = f"已确认“{name}”的绑定。"
    if saved:
        text += f"已补存其之前上报的记录:{'、'.join('#' + str(i) for i in saved)}。"
    return Reply(text)


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
            raise UserError(f"没有名为“{name}”的联盟。" +
                            (f"你是不是要找:{'、'.join(candidates)}" if candidates else ""))
    purpose = "principals" if len(args) > 1 and args[1] in ("校长群", "principals") else "alliance"
    group = s.exec(select(ChatGroup).where(ChatGroup.platform == msg.platform,
                                          ChatGroup.chat_id == msg.chat.chat_id)).first()
    if group is None:
        group = ChatGroup(platform=msg.platform, chat_id=msg.chat.chat_id, alliance_id=alliance.id,
                          purpose=purpose, source="bind")
    else:
        group.alliance_id = alliance.id
        group.purpose = purpose
    s.add(group)
    audit(s, None, "bind", actor=ctx.person.id if ctx.person else None, field="group",
          new=f"{msg.platform}:{msg.chat.chat_id}->{alliance.name}",
          message_id=ctx.inbound.id if ctx.inbound else None)
    kind = "校长群" if purpose == "principals" else "联盟群"
    return Reply(f"本群已绑定到“{alliance.name}”({kind})。")
