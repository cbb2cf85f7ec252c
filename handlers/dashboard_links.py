"""/看板 links: signed, tied to a person, their role and alliance, valid 7 days, revocable.

A link carries `{t: token row, p: person, r: role, a: alliance, e: expiry}` signed with
itsdangerous (HMAC-SHA1 over a key derived from the server secret, with a salt of its
own), so it cannot be forged or altered; the `dashboard_token` row behind it is what an
admin revokes. The secret is made once and kept in the database (`server_secret`), so
every `serve` process sharing the database accepts the same links and a restart does
not log anyone out. Expiry is checked against the server's clock (the fake clock in
tests), not the signer's own timestamp.

The same signed text is the session cookie the dashboard sets when the link is opened.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass

from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from storage.models import DashboardToken, Person, School, ServerSecret

LINK_TTL = dt.timedelta(days=7)
SECRET_NAME = "dashboard"
SALT = "alliance-bot/dashboard-link"


class LinkRefused(Exception):
    """A link or session that does not let anyone in; the text is shown (Chinese)."""


@dataclass(frozen=True)
class Viewer:
    """Who is looking at the dashboard, as their link says (and the database confirms)."""

    token_id: int
    person_id: int
    name: str
    role: str  # teacher | principal | admin
    alliance_id: int | None  # the alliance the link is for; None: the county (admin)
    school: str | None  # the viewer's own school
    expires_at: dt.datetime


def server_secret(session: Session) -> str:
    """The dashboard signing key, made on first use (two processes racing agree on one)."""
    row = session.get(ServerSecret, SECRET_NAME)
    if row is not None:
        return row.value
    value = secrets.token_urlsafe(48)
    try:
        with session.begin_nested():
            session.add(ServerSecret(name=SECRET_NAME, value=value))
    except IntegrityError:
        row = session.get(ServerSecret, SECRET_NAME)
        assert row is not None
        return row.value
    return value


def _serializer(session: Session) -> URLSafeSerializer:
    return URLSafeSerializer(server_secret(session), salt=SALT)


def issue_link(
    session: Session, person: Person, alliance_id: int | None, now: dt.datetime
) -> tuple[str, dt.datetime]:
    """A new signed link token for `person` (their current role) and the alliance."""
    expires = now + LINK_TTL
    assert person.id is not None
    row = DashboardToken(
        person_id=person.id,
        role=person.role,
        alliance_id=alliance_id,
        created_at=now,
        expires_at=expires,
    )
    session.add(row)
    session.flush()
    token = _serializer(session).dumps(
        {
            "t": row.id,
            "p": person.id,
            "r": person.role,
            "a": alliance_id,
            "e": int(expires.timestamp()),
        }
    )
    return str(token), expires


def check_link(session: Session, token: str, now: dt.datetime) -> Viewer:
    """The viewer a token lets in, or `LinkRefused` (forged, expired, revoked, stale)."""
    try:
        data = _serializer(session).loads(token)
    except BadSignature:
        raise LinkRefused("链接无效(可能不完整或被改动)。请在群里发送 /看板 获取新链接。") from None
    if not isinstance(data, dict) or not {"t", "p", "r", "a", "e"} <= set(data):
        raise LinkRefused("链接无效。请在群里发送 /看板 获取新链接。")
    if int(data["e"]) <= int(now.timestamp()):
        raise LinkRefused("链接已过期(有效期 7 天)。请在群里发送 /看板 获取新链接。")
    row = session.get(DashboardToken, int(data["t"]))
    if (
        row is None
        or row.person_id != data["p"]
        or row.role != data["r"]
        or row.alliance_id != data["a"]
    ):
        raise LinkRefused("链接无效。请在群里发送 /看板 获取新链接。")
    if row.revoked_at is not None:
        raise LinkRefused("此链接已被管理员撤销。如需查看,请重新发送 /看板。")
    person = session.get(Person, row.person_id)
    if person is None or person.role != row.role:
        raise LinkRefused("你的身份已变更,此链接不再有效。请重新发送 /看板。")
    school = session.get(School, person.school_id)
    assert row.id is not None and person.id is not None
    return Viewer(
        row.id,
        person.id,
        person.name,
        row.role,
        row.alliance_id,
        school.name if school else None,
        row.expires_at,
    )


def revoke_links(session: Session, person_id: int, by: int | None, now: dt.datetime) -> int:
    """Revoke every live link of a person (their open dashboard sessions end too)."""
    rows = session.exec(
        select(DashboardToken).where(
            DashboardToken.person_id == person_id,
            DashboardToken.revoked_at.is_(None),  # type: ignore[union-attr]
            DashboardToken.expires_at > now,
        )
    ).all()
    for row in rows:
        row.revoked_at = now
        row.revoked_by = by
        session.add(row)
    session.flush()
    return len(rows)
