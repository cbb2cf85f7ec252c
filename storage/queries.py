"""Read-side helpers shared by the CLI, the handlers and the scheduler."""
from __future__ import annotations

from sqlmodel import Session, select

from storage.models import Alliance, AllianceMember, ChatGroup, Identity, InboundMessage, Person, Record, School
from storage.roster import AllianceEntry, GroupEntry, PersonEntry, Roster, SchoolEntry


def roster_from_db(session: Session) -> Roster:
    """The roster as the database holds it now (imports and bindings included)."""
    schools = session.exec(select(School).order_by(School.id)).all()
    by_id = {s.id: s for s in schools}
    alliances = []
    for a in session.exec(select(Alliance).order_by(Alliance.id)).all():
        members = session.exec(select(AllianceMember).where(AllianceMember.alliance_id == a.id)
                               .order_by(AllianceMember.id)).all()
        core = by_id[a.core_school_id].name if a.core_school_id in by_id else ""
        alliances.append(AllianceEntry(a.name, a.mode, core,
                                       tuple(by_id[m.school_id].name for m in members
                                             if not m.is_core)))
    people = [PersonEntry(p.name, by_id[p.school_id].name, p.role, p.wecom_userid, p.qq)
              for p in session.exec(select(Person).order_by(Person.id)).all()]
    groups = []
    alliance_names = {a.id: a.name for a in session.exec(select(Alliance)).all()}
    for g in session.exec(select(ChatGroup).order_by(ChatGroup.id)).all():
        groups.append(GroupEntry(g.platform, g.chat_id, alliance_names.get(g.alliance_id, ""),
                                 g.webhook_key, g.purpose, g.auto_reports))
    return Roster(
        alliances=tuple(alliances),
        schools=tuple(SchoolEntry(s.name, tuple(s.aliases or ())) for s in schools),
        people=tuple(people),
        groups=tuple(groups),
        source="database",
    )


def roster_tree(session: Session) -> str:
    """A readable tree of alliances → schools → people, for `roster show`."""
    role_cn = {"teacher": "教师", "principal": "校长", "admin": "管理员"}
    schools = {s.id: s for s in session.exec(select(School)).all()}
    people_by_school: dict[int, list[Person]] = {}
    for p in session.exec(select(Person).order_by(Person.id)).all():
        people_by_school.setdefault(p.school_id, []).append(p)
    lines: list[str] = []
    shown: set[int] = set()
    for a in session.exec(select(Alliance).order_by(Alliance.id)).all():
        lines.append(f"{a.name} ({a.mode})")
        members = session.exec(select(AllianceMember).where(AllianceMember.alliance_id == a.id)
                               .order_by(AllianceMember.is_core.desc(), AllianceMember.id)).all()
        for i, m in enumerate(members):
            s = schools[m.school_id]
            shown.add(s.id)
            last = i == len(members) - 1
            branch, pad = ("└─ ", "   ") if last else ("├─ ", "│  ")
            tag = "核心校" if m.is_core else "成员校"
            alias = f"  简称: {'、'.join(s.aliases)}" if s.aliases else ""
            lines.append(f"{branch}{s.name} [{tag}]{alias}")
            staff = people_by_school.get(s.id, [])
            for j, p in enumerate(staff):
                ids = []
                if p.wecom_userid:
                    ids.append(f"企业微信 {p.wecom_userid}")
                if p.qq:
                    ids.append(f"QQ {p.qq}")
                extra = f" ({', '.join(ids)})" if ids else ""
                twig = "└─ " if j == len(staff) - 1 else "├─ "
                lines.append(f"{pad}{twig}{p.name} · {role_cn.get(p.role, p.role)}{extra}")
        groups = session.exec(select(ChatGroup).where(ChatGroup.alliance_id == a.id)).all()
        for g in groups:
            lines.append(f"   群: {g.platform} {g.chat_id} ({'校长群' if g.purpose == 'principals' else '联盟群'})")
        lines.append("")
    loose = [s for s in schools.values() if s.id not in shown]
    if loose:
        lines.append("未加入联盟的学校:")
        lines.extend(f"  {s.name}" for s in loose)
    return "\n".join(lines).rstrip() + "\n" if lines else "(名册为空)\n"


def identity_person(session: Session, platform: str, user_id: str) -> Person | None:
    """The confirmed person behind a platform account, if any."""
    ident = session.exec(select(Identity).where(Identity.platform == platform,
                                                Identity.user_id == user_id)).first()
    if ident is None or not ident.confirmed or ident.person_id is None:
        return None
    return session.get(Person, ident.person_id)


def alliance_of_school(session: Session, school_id: int) -> Alliance | None:
    row = session.exec(select(Alliance).join(AllianceMember, AllianceMember.alliance_id == Alliance.id)
                       .where(AllianceMember.school_id == school_id)
                       .order_by(AllianceMember.is_core.desc(), Alliance.id)).first()
    return row


def group_alliance(session: Session, platform: str, chat_id: str) -> ChatGroup | None:
    return session.exec(select(ChatGroup).where(ChatGroup.platform == platform,
                                                ChatGroup.chat_id == chat_id)).first()


RECORD_FIELDS = ("intent", "kind", "status", "date", "end_date", "schools", "from_school",
                 "to_school", "teachers", "subject", "title", "participants", "mode", "lessons",
                 "exchange_kind")


def record_to_dict(r: Record) -> dict:
    d = {"id": r.id}
    for f in RECORD_FIELDS:
        v = getattr(r, f)
        d[f] = v.isoformat() if hasattr(v, "isoformat") else v
    return d


def quoted_inbound(session: Session, platform: str, message_id: str, chat_id: str) -> InboundMessage | None:
    """Our stored copy of a message someone quoted (QQ's reply segment gives only its id)."""
    return session.exec(select(InboundMessage).where(
        InboundMessage.platform == platform, InboundMessage.message_id == message_id,
        InboundMessage.chat_id == chat_id).order_by(InboundMessage.id.desc())).first()
