"""Write a validated roster into the database, in one transaction.

Idempotent: importing the same roster twice changes nothing; an edited roster updates
rows in place (matched by name; people also by platform id). Nothing is deleted: people,
schools and groups that left the file stay, so old records keep their references; the
summary says which entries the file no longer lists.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import Engine
from sqlmodel import Session, select

from storage.models import Alliance, AllianceMember, ChatGroup, Identity, Person, School
from storage.roster import Roster, RosterError
from storage.types import utcnow


@dataclass
class ImportSummary:
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    unchanged: dict[str, int] = field(default_factory=dict)
    not_in_file: dict[str, list[str]] = field(default_factory=dict)

    def count(self, bucket: str, table: str) -> None:
        d = getattr(self, bucket)
        d[table] = d.get(table, 0) + 1

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)

    def describe(self) -> str:
        names = {
            "alliance": "联盟",
            "school": "学校",
            "member": "联盟成员关系",
            "person": "人员",
            "identity": "平台账号",
            "group": "群",
        }
        parts = []
        for label, d in (("新增", self.created), ("更新", self.updated)):
            if d:
                parts.append(
                    label + " " + "、".join(f"{names.get(k, k)} {v}" for k, v in d.items())
                )
        text = ";".join(parts) if parts else "没有变化"
        for k, v in self.not_in_file.items():
            if v:
                text += f"\n注意:数据库中有 {len(v)} 个{names.get(k, k)}不在此文件中(未删除): {'、'.join(v[:10])}"
        return text


def _apply(obj, values: dict, summary: ImportSummary, table: str) -> None:
    changed = False
    for k, v in values.items():
        if getattr(obj, k) != v:
            setattr(obj, k, v)
            changed = True
    if changed:
        if hasattr(obj, "updated_at"):
            obj.updated_at = utcnow()
        summary.count("updated", table)
    else:
        summary.count("unchanged", table)


def import_roster(session: Session, roster: Roster) -> ImportSummary:
    """Upsert the roster. The caller commits (or rolls back on error)."""
    s = ImportSummary()

    schools = {x.name: x for x in session.exec(select(School)).all()}
    for entry in roster.schools:
        row = schools.get(entry.name)
        if row is None:
            row = School(name=entry.name, aliases=list(entry.aliases))
            session.add(row)
            schools[entry.name] = row
            s.count("created", "school")
        else:
            _apply(row, {"aliases": list(entry.aliases)}, s, "school")
    session.flush()

    # Aliases must stay unique across the whole database, old schools included.
    owner: dict[str, str] = {}
    for row in schools.values():
        for alias in (row.name, *row.aliases):
            if alias in owner and owner[alias] != row.name:
                raise RosterError(
                    roster.source,
                    f"[[schools]] ({row.name})",
                    "aliases",
                    f"简称“{alias}”已属于数据库中的学校“{owner[alias]}”",
                )
            owner[alias] = row.name

    alliances = {x.name: x for x in session.exec(select(Alliance)).all()}
    for entry in roster.alliances:
        core_id = schools[entry.core].id
        row = alliances.get(entry.name)
        if row is None:
            row = Alliance(name=entry.name, mode=entry.mode, core_school_id=core_id)
            session.add(row)
            alliances[entry.name] = row
            s.count("created", "alliance")
        else:
            _apply(row, {"mode": entry.mode, "core_school_id": core_id}, s, "alliance")
    session.flush()

    for entry in roster.alliances:
        a = alliances[entry.name]
        existing = {
            m.school_id: m
            for m in session.exec(
                select(AllianceMember).where(AllianceMember.alliance_id == a.id)
            ).all()
        }
        wanted = {schools[entry.core].id: True, **{schools[m].id: False for m in entry.members}}
        for school_id, is_core in wanted.items():
            m = existing.pop(school_id, None)
            if m is None:
                session.add(AllianceMember(alliance_id=a.id, school_id=school_id, is_core=is_core))
                s.count("created", "member")
            else:
                _apply(m, {"is_core": is_core}, s, "member")
        # A school the file moved out of this alliance leaves it: membership is not history
        # (records keep their own alliance_id).
        for m in existing.values():
            session.delete(m)
            s.count("updated", "member")
    session.flush()

    # A member school may belong to alliances of different modes, never two of one mode.
    rows = session.exec(
        select(AllianceMember, Alliance).where(AllianceMember.alliance_id == Alliance.id)
    ).all()
    seen: dict[tuple[str, int], str] = {}
    by_id = {x.id: x.name for x in schools.values()}
    for m, a in rows:
        key = (a.mode, m.school_id)
        if key in seen and seen[key] != a.name:
            raise RosterError(
                roster.source,
                f"[[alliances]] ({a.name})",
                "members",
                f"学校“{by_id[m.school_id]}”已属于同类型({a.mode})联盟“{seen[key]}”",
            )
        seen[key] = a.name

    people = {x.name: x for x in session.exec(select(Person)).all()}
    for entry in roster.people:
        school_id = schools[entry.school].id
        values = {"school_id": school_id, "role": entry.role}
        row = people.get(entry.name)
        if row is None:
            row = Person(name=entry.name, school_id=school_id, role=entry.role)
            session.add(row)
            people[entry.name] = row
            s.count("created", "person")
        else:
            _apply(row, values, s, "person")
    session.flush()

    identities = {(i.platform, i.user_id): i for i in session.exec(select(Identity)).all()}
    for entry in roster.people:
        person = people[entry.name]
        for platform, user_id in entry.ids:
            ident = identities.get((platform, user_id))
            if ident is None:
                ident = Identity(
                    platform=platform,
                    user_id=user_id,
                    person_id=person.id,
                    confirmed=True,
                    source="roster",
                    confirmed_at=utcnow(),
                )
                session.add(ident)
                identities[(platform, user_id)] = ident
                s.count("created", "identity")
            else:
                _apply(
                    ident,
                    {"person_id": person.id, "confirmed": True, "claimed_name": None},
                    s,
                    "identity",
                )
    session.flush()

    groups = {(g.platform, g.chat_id): g for g in session.exec(select(ChatGroup)).all()}
    for entry in roster.groups:
        alliance_id = alliances[entry.alliance].id
        values = {
            "alliance_id": alliance_id,
            "webhook_key": entry.webhook_key,
            "purpose": entry.purpose,
            "auto_reports": entry.auto_reports,
        }
        row = groups.get((entry.platform, entry.chat_id))
        if row is None:
            session.add(
                ChatGroup(
                    platform=entry.platform,
                    chat_id=entry.chat_id,
                    source="roster",
                    alliance_id=alliance_id,
                    webhook_key=entry.webhook_key,
                    purpose=entry.purpose,
                    auto_reports=entry.auto_reports,
                )
            )
            s.count("created", "group")
        else:
            _apply(row, values, s, "group")
    session.flush()

    file_people = {p.name for p in roster.people}
    s.not_in_file["person"] = sorted(n for n in people if n not in file_people)
    file_schools = {x.name for x in roster.schools}
    s.not_in_file["school"] = sorted(n for n in schools if n not in file_schools)
    return s


def import_roster_file(engine: Engine, path: str, roster: Roster | None = None) -> ImportSummary:
    """Load, validate and import a roster file in one transaction: all or nothing."""
    from storage.roster import load_roster

    roster = roster or load_roster(path)
    with Session(engine, expire_on_commit=False) as session:
        try:
            summary = import_roster(session, roster)
            session.commit()
        except BaseException:
            session.rollback()
            raise
    return summary
