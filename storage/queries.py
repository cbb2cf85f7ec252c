"""Read-side helpers shared by the CLI, the handlers and the scheduler."""

from __future__ import annotations

from sqlmodel import Session, col, select

from storage.models import (
    Alliance,
    AllianceMember,
    ChatGroup,
    Identity,
    InboundMessage,
    Person,
    Record,
    School,
)
from storage.roster import AllianceEntry, GroupEntry, PersonEntry, Roster, SchoolEntry


def roster_from_db(session: Session) -> Roster:
    """The roster as the database holds it now (imports and bindings included)."""
    schools = session.exec(select(School).order_by(col(School.id))).all()
    by_id = {s.id: s for s in schools}
    alliances = []
    for a in session.exec(select(Alliance).order_by(col(Alliance.id))).all():
        members = session.exec(
            select(AllianceMember)
            .where(AllianceMember.alliance_id == a.id)
            .order_by(col(AllianceMember.id))
        ).all()
        core = by_id[a.core_school_id].name if a.core_school_id in by_id else ""
        alliances.append(
            AllianceEntry(
                a.name,
                a.mode,
                core,
                tuple(by_id[m.school_id].name for m in members if not m.is_core),
            )
        )
    ids = roster_ids(session)
    people = [
        PersonEntry(p.name, by_id[p.school_id].name, p.role, tuple(ids.get(p.id, ())))
        for p in session.exec(select(Person).order_by(col(Person.id))).all()
    ]
    groups = []
    alliance_names = {a.id: a.name for a in session.exec(select(Alliance)).all()}
    for g in session.exec(select(ChatGroup).order_by(col(ChatGroup.id))).all():
        groups.append(
            GroupEntry(
                g.platform,
                g.chat_id,
                alliance_names.get(g.alliance_id, ""),
                g.webhook_key,
                g.purpose,
                g.auto_reports,
            )
        )
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
    accounts = roster_ids(session)
    people_by_school: dict[int, list[Person]] = {}
    for p in session.exec(select(Person).order_by(col(Person.id))).all():
        people_by_school.setdefault(p.school_id, []).append(p)
    lines: list[str] = []
    shown: set[int] = set()
    for a in session.exec(select(Alliance).order_by(col(Alliance.id))).all():
        lines.append(f"{a.name} ({a.mode})")
        members = session.exec(
            select(AllianceMember)
            .where(AllianceMember.alliance_id == a.id)
            .order_by(col(AllianceMember.is_core).desc(), col(AllianceMember.id))
        ).all()
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
                ids = [f"{ID_LABEL.get(pf, pf)} {u}" for pf, u in accounts.get(p.id, ())]
                extra = f" ({', '.join(ids)})" if ids else ""
                twig = "└─ " if j == len(staff) - 1 else "├─ "
                lines.append(f"{pad}{twig}{p.name} · {role_cn.get(p.role, p.role)}{extra}")
        groups = session.exec(select(ChatGroup).where(ChatGroup.alliance_id == a.id)).all()
        for g in groups:
            lines.append(
                f"   群: {g.platform} {g.chat_id} ({'校长群' if g.purpose == 'principals' else '联盟群'})"
            )
        lines.append("")
    loose = [s for s in schools.values() if s.id not in shown]
    if loose:
        lines.append("未加入联盟的学校:")
        lines.extend(f"  {s.name}" for s in loose)
    return "\n".join(lines).rstrip() + "\n" if lines else "(名册为空)\n"


ID_LABEL = {"wecom": "企业微信", "onebot": "QQ", "qq": "QQ官方"}


def roster_ids(session: Session) -> dict[int, list[tuple[str, str]]]:
    """Person id -> the (platform, user id) accounts the roster gave, in import order."""
    out: dict[int, list[tuple[str, str]]] = {}
    for pid, platform, user_id in session.exec(
        select(Identity.person_id, Identity.platform, Identity.user_id)
        .where(
            Identity.source == "roster",
            Identity.confirmed == True,  # noqa: E712
            col(Identity.person_id).is_not(None),
        )
        .order_by(col(Identity.id))
    ).all():
        out.setdefault(pid or 0, []).append((platform, user_id))  # never 0: is_not(None) above
    return out


def mention_ids(session: Session, names: list[str]) -> dict[str, dict[str, str]]:
    """Name -> {platform: user id} of the confirmed accounts of these people (for @)."""
    out: dict[str, dict[str, str]] = {}
    if not names:
        return out
    for name, platform, user_id in session.exec(
        select(Person.name, Identity.platform, Identity.user_id)
        .join(Identity, col(Identity.person_id) == col(Person.id))
        .where(col(Person.name).in_(names), col(Identity.confirmed) == True)  # noqa: E712
        .order_by(col(Identity.source).desc(), col(Identity.id))
    ).all():
        out.setdefault(name, {}).setdefault(platform, user_id)
    return out


def identity_person(session: Session, platform: str, user_id: str) -> Person | None:
    """The confirmed person behind a platform account, if any."""
    ident = session.exec(
        select(Identity).where(Identity.platform == platform, Identity.user_id == user_id)
    ).first()
    if ident is None or not ident.confirmed or ident.person_id is None:
        return None
    return session.get(Person, ident.person_id)


def alliance_of_school(session: Session, school_id: int) -> Alliance | None:
    row = session.exec(
        select(Alliance)
        .join(AllianceMember, col(AllianceMember.alliance_id) == col(Alliance.id))
        .where(AllianceMember.school_id == school_id)
        .order_by(col(AllianceMember.is_core).desc(), col(Alliance.id))
    ).first()
    return row


def school_named(session: Session, name: str) -> School | None:
    return session.exec(select(School).where(School.name == name)).first()


def all_schools(session: Session) -> list[School]:
    return list(session.exec(select(School)).all())


def alliance_school_rows(session: Session, alliance_id: int) -> list[School]:
    """The schools of an alliance (core and members), in membership order."""
    return list(
        session.exec(
            select(School)
            .join(AllianceMember, col(AllianceMember.school_id) == col(School.id))
            .where(AllianceMember.alliance_id == alliance_id)
        ).all()
    )


def alliance_named(session: Session, name: str) -> Alliance | None:
    return session.exec(select(Alliance).where(Alliance.name == name)).first()


def group_alliance(session: Session, platform: str, chat_id: str) -> ChatGroup | None:
    return session.exec(
        select(ChatGroup).where(ChatGroup.platform == platform, ChatGroup.chat_id == chat_id)
    ).first()


RECORD_FIELDS = (
    "intent",
    "kind",
    "status",
    "date",
    "end_date",
    "schools",
    "from_school",
    "to_school",
    "teachers",
    "subject",
    "title",
    "participants",
    "mode",
    "lessons",
    "exchange_kind",
)


def record_to_dict(r: Record) -> dict:
    d = {"id": r.id}
    for f in RECORD_FIELDS:
        v = getattr(r, f)
        d[f] = v.isoformat() if hasattr(v, "isoformat") else v
    return d


def quoted_inbound(
    session: Session, platform: str, message_id: str, chat_id: str
) -> InboundMessage | None:
    """Our stored copy of a message someone quoted (QQ's reply segment gives only its id)."""
    return session.exec(
        select(InboundMessage)
        .where(
            InboundMessage.platform == platform,
            InboundMessage.message_id == message_id,
            InboundMessage.chat_id == chat_id,
        )
        .order_by(col(InboundMessage.id).desc())
    ).first()
