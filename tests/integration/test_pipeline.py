"""The pipeline: store-then-handle in one transaction, idempotent deliveries, commands, binding."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from sqlmodel import Session, select

from bot.config import Settings
from bot.pipeline import Pipeline
from handlers.commands import build_router
from handlers.events import ChatRef, IncomingMessage
from handlers.messages import MessageHandler, ParserCache
from storage.models import Identity, InboundMessage, Record
from storage.roster_import import import_roster_file
from tests.conftest import SAMPLE_ROSTER

SH = dt.timezone(dt.timedelta(hours=8))
NOW = dt.datetime(2026, 11, 23, 10, 0, tzinfo=SH)


class FixedClock:
    def __init__(self, now: dt.datetime = NOW):
        self.t = now

    def now(self) -> dt.datetime:
        return self.t


def make_pipeline(engine) -> Pipeline:
    import_roster_file(engine, str(SAMPLE_ROSTER))
    settings = Settings()
    handler = MessageHandler(build_router(), ParserCache())
    return Pipeline(engine, settings, handler, FixedClock())


_seq = iter(range(1, 10**6))


def msg(
    text: str,
    sender: str = "ZhangWei",
    *,
    platform: str = "wecom",
    chat: str = "wrFuHaiAlliance",
    mid: str | None = None,
    mention: bool = True,
) -> IncomingMessage:
    return IncomingMessage(
        platform=platform,
        route=platform,
        chat=ChatRef(platform, chat, "group"),
        sender_id=sender,
        text=text,
        message_id=mid or f"m{next(_seq)}",
        sent_at=NOW,
        mentions_bot=mention,
    )


def test_help_lists_only_what_the_role_may_use(engine):
    p = make_pipeline(engine)
    teacher = p.process(msg("/帮助", "ZhangWei")).text
    stranger = p.process(msg("/帮助", "nobody")).text
    assert "/帮助" in teacher and "/撤销" in teacher and "/绑定群" not in teacher
    assert "/撤销" not in stranger and "/绑定" in stranger
    assert "(未绑定用户)" in stranger


def test_every_command_has_help_usage_and_example():
    router = build_router()
    for spec in router.commands.values():
        assert spec.summary, spec.name
        assert spec.usage.startswith("用法"), spec.name
        assert spec.example, spec.name


def test_same_delivery_three_times_stores_once_and_answers_the_same(engine):
    p = make_pipeline(engine)
    m = msg("/帮助", mid="dup-1")
    answers = [p.process(m).text for _ in range(3)]
    assert answers[0] == answers[1] == answers[2]
    with Session(engine) as s:
        rows = s.exec(select(InboundMessage).where(InboundMessage.message_id == "dup-1")).all()
    assert len(rows) == 1 and rows[0].outcome == "command"


def test_concurrent_duplicates_store_once(engine):
    p = make_pipeline(engine)
    m = msg("/帮助", mid="race-1")
    out: list[str] = []
    errors: list[Exception] = []

    def go() -> None:
        try:
            out.append(p.process(m).text)
        except Exception as e:
            errors.append(e)

    threads = [threading.Thread(target=go) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(set(out)) == 1 and len(out) == 3
    with Session(engine) as s:
        assert (
            len(s.exec(select(InboundMessage).where(InboundMessage.message_id == "race-1")).all())
            == 1
        )


def test_unknown_command_and_permission_denied(engine):
    p = make_pipeline(engine)
    assert "没有 /乱码 这个命令" in p.process(msg("/乱码")).text
    assert "仅限管理员" in p.process(msg("/绑定群 福海县第二小学联盟")).text


def test_bind_flow_requires_confirmation_by_own_alliance_principal(engine):
    p = make_pipeline(engine)
    claim = p.process(msg("/绑定 林晓燕", "newcomer", platform="qq", chat="G1")).text
    assert "已申请绑定为“林晓燕”" in claim
    # A principal of another alliance cannot confirm.
    other = p.process(msg("/绑定 确认 林晓燕", "ZhengJianHua")).text
    assert "不在你的联盟" in other
    listed = p.process(msg("/绑定 确认 林晓燕", "HaoWuLan")).text  # which account? listed
    assert "/绑定 确认 林晓燕 qq:newcomer" in listed and "已确认" not in listed
    ok = p.process(msg("/绑定 确认 林晓燕 qq:newcomer", "HaoWuLan")).text
    assert "已确认“林晓燕”的绑定" in ok
    with Session(engine) as s:
        ident = s.exec(select(Identity).where(Identity.user_id == "newcomer")).one()
        assert ident.confirmed and ident.person_id is not None
    again = p.process(msg("/绑定 林晓燕", "newcomer", platform="qq", chat="G1")).text
    assert "你已绑定为“林晓燕”" in again


def test_bind_unknown_name_is_refused(engine):
    p = make_pipeline(engine)
    assert "名册中没有“王五”" in p.process(msg("/绑定 王五", "x1", platform="qq")).text


def test_undo_and_edit_permissions(engine):
    p = make_pipeline(engine)
    with Session(engine) as s:
        from handlers.records import save_report
        from storage.models import Person

        zhang = s.exec(select(Person).where(Person.name == "张炜")).one()
        res = save_report(
            s,
            {
                "intent": "activity",
                "kind": "lesson_delivery",
                "status": "done",
                "date": "2026-11-20",
                "schools": ["福海县第二小学", "齐干吉迭乡小学"],
                "teachers": ["张炜"],
                "missing": ["participants"],
            },
            alliance_id=1,
            person_id=zhang.id,
            reporter_name="张炜",
            message_id=None,
            source_text="…",
        )
        s.commit()
        rid = res.record.id
    # Another teacher may not touch it; a principal of another alliance neither.
    assert "不是你上报的" in p.process(msg(f"/修改 {rid} 人数 15", "MaXinRui")).text
    assert "不是你上报的" in p.process(msg(f"/撤销 {rid}", "ZhengJianHua")).text
    # The reporter may; the field is named in Chinese; bad values get the allowed list.
    assert "人数 空 → 15" in p.process(msg(f"/修改 {rid} 人数 15", "ZhangWei")).text
    assert "学科可选" in p.process(msg(f"/修改 {rid} 学科 数理", "ZhangWei")).text
    assert "不认识字段“颜色”" in p.process(msg(f"/修改 {rid} 颜色 红", "ZhangWei")).text
    # The alliance's principal may undo it.
    assert f"已撤销记录 #{rid}" in p.process(msg(f"/撤销 {rid}", "WuXueHong")).text
    with Session(engine) as s:
        assert s.get(Record, rid).deleted
    assert "没有找到记录" in p.process(msg(f"/撤销 {rid}", "ZhangWei")).text


def test_unaddressed_group_chatter_on_wecom_is_ignored_without_parsing(engine):
    p = make_pipeline(engine)
    assert p.process(msg("大家好", mention=False)) is None
    with Session(engine) as s:
        row = s.exec(select(InboundMessage).order_by(InboundMessage.id.desc())).first()
    assert row.outcome == "ignored"


@pytest.mark.parametrize("text", ["", "   "])
def test_empty_addressed_message_gets_a_hint(engine, text):
    p = make_pipeline(engine)
    assert "发送 /帮助" in p.process(msg(text)).text
