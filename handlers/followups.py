"""A short answer to the bot's question ("还缺:教师") fills that field, and nothing else does.

After a report the bot lists what is missing. A later message from the same sender may
supply it, but only when it is a short answer that reports nothing of its own: "马欣瑞老师",
"11月20日", "听课15人", "解小". Anything else ("祝贺淤上乡小学吴丽琼老师获县优质课一等奖!") is a new
message and never touches the earlier record.

How an answer is read: the earlier report is parsed again with the answer appended, dated
as it was; what that adds is what the answer says (so dates, numbers and schools resolve
exactly as in a report). A record from a message of several reports is restated alone as
one plain sentence first, since the answer cannot say which item it belongs to. It is an
answer when, after taking out those values and the words that frame an answer (老师, 是,
人, 节 …), at most one character is left, and when exactly one of the sender's records the
bot asked about lacks what it supplies. When several do, the bot asks which (a wrong guess
would damage a record; a question costs one more message).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlmodel import Session, col, select

from handlers.events import Quote
from handlers.reading import Sender, read, reports_of
from handlers.replies import missing_fields
from handlers.vocab import ACTIVITY_KINDS, EXCHANGE_KINDS, SUBJECT_NAMES, ActivityKind, ExchangeKind
from storage.models import InboundMessage, Record, RecordReporter, School
from storage.queries import quoted_inbound

FOLLOW_UP_WINDOW = timedelta(hours=1)  # a reply supplying a missing field, after the report
ANSWER_MAX_CHARS = 40
LEFTOVER_MAX = 1  # Han characters an answer may hold beyond its values and framing words

ANSWER_FIELDS = (
    "date",
    "end_date",
    "schools",
    "to_school",
    "from_school",
    "teachers",
    "subject",
    "title",
    "participants",
    "lessons",
    "mode",
)

# Words that frame an answer without being content: "是马欣瑞老师", "一共15人", "上了2节课".
_FRAME_WORDS = """
老师 教师 校长 副校长 主任 书记 同志 老师们 是 的 了 有 共 一共 总共 合计 人数 节数 日期 时间 学校 学科 课题 教师是
听课 听课的 参加 参与 参会 上课 授课 讲课 上了 补充 补 还有 和 与 及 跟 就 都 也 人 位 名 个 节 堂 课 节课 堂课
大约 约 左右 多 余 来 去 到 在 赴 哦 呢 吧 啊 嗯 对 对的 好 谢谢 漏了 忘了 忘写 刚才 上面 那条 这条 记录 号 日
月 年 周 星期 今天 昨天 前天 上午 下午 晚上 中午 上 讲 带 带队 一起 两个 他们 我们 我 线上 线下 网络 现场 其中 分别 两位 一位 几位 等 由 从 派出
接收 去往 是在 在的 送教 地点
"""
_FRAME = sorted(_FRAME_WORDS.split(), key=len, reverse=True)
_FRAME_RX = re.compile("|".join(map(re.escape, _FRAME)))
_NUMBER = re.compile(r"[\d零〇一二两三四五六七八九十百]+")
_HAN = re.compile(r"[\u4e00-\u9fff]")
_RECORD_REF = re.compile(r"#(\d+)")
_DATEISH = re.compile(
    r"(?:\d{2,4}\s*[-./年])?\s*\d{1,2}\s*[-./月]\s*\d{1,2}\s*[日号]?"
    r"|[上下本这]?(?:周|星期)[一二三四五六日天]"
)


@dataclass(frozen=True)
class Answer:
    record: Record | None  # the one record the answer fills (None: ambiguous)
    changes: dict[str, Any]
    candidates: tuple[int, ...] = ()  # when ambiguous: the records that lack it
    fields: tuple[str, ...] = ()  # when ambiguous: the fields the answer would supply


def _as_dict(item: Any) -> dict[str, Any]:
    return item.to_dict() if hasattr(item, "to_dict") else dict(item)


def _diff(
    parser: Any, base_text: str, answer: str, when: dt.datetime, sender: Sender | None
) -> tuple[int, dict[str, Any]]:
    """(how many reports `base_text` holds, what appending the answer adds to them): the
    fields the text parsed with the answer appended has and the text alone has not. Nothing
    is added when the answer changes what the text is (another kind, more or fewer reports)
    or when two items would get different values of one field."""
    base = reports_of(read(parser, base_text, when, sender))
    both = reports_of(read(parser, f"{base_text}\n{answer}", when, sender))
    if not base or len(base) != len(both):
        return len(base), {}
    out: dict[str, Any] = {}
    clash: set[str] = set()
    for b, c in zip(map(_as_dict, base), map(_as_dict, both), strict=True):
        if (b.get("intent"), b.get("kind"), b.get("exchange_kind")) != (
            c.get("intent"),
            c.get("kind"),
            c.get("exchange_kind"),
        ):
            return len(base), {}
        for f in ANSWER_FIELDS:
            v = c.get(f)
            if v in (None, [], "") or v == b.get(f):
                continue
            if f in ("date", "end_date") and isinstance(v, str):
                v = dt.date.fromisoformat(v)
            v = list(v) if isinstance(v, (list, tuple)) else v
            if f in out and out[f] != v:
                clash.add(f)
            out[f] = v
    return len(base), {f: v for f, v in out.items() if f not in clash}


# The first word of each kind in the vocabulary, for the sentence that restates a record.
_KINDS: tuple[ActivityKind | ExchangeKind, ...] = (*ACTIVITY_KINDS, *EXCHANGE_KINDS)
_KIND_WORD = {k.code: k.words[0] for k in _KINDS}


def restate(rec: Record) -> str | None:
    """A record as one plain sentence the parser reads back to the same event: its date,
    schools and kind ("2026年11月24日漳平市实验小学到溪南中心学校送教。")."""
    word = _KIND_WORD.get((rec.exchange_kind if rec.intent == "exchange" else rec.kind) or "")
    if word is None:
        return None
    when = f"{rec.date.year}年{rec.date.month}月{rec.date.day}日" if rec.date else ""
    if rec.to_school:
        where = f"{rec.from_school or ''}到{rec.to_school}"
    else:
        where = "、".join(rec.schools or [])
    return f"{when}{where}{word}。"


def _values(
    parser: Any,
    rec: Record,
    answer: str,
    tz: Any,
    sender: Sender | None,
    seen: dict[str, tuple[int, dict[str, Any]]],
) -> dict[str, Any]:
    """What the answer adds to one record. Its own message is read again with the answer
    appended (dates, numbers and schools resolve as they did); when that message held
    several reports, the answer cannot say which it belongs to, so the record is restated
    alone and the answer appended to that."""
    when = rec.created_at.astimezone(tz)
    if rec.source_text:
        if rec.source_text not in seen:
            seen[rec.source_text] = _diff(parser, rec.source_text, answer, when, sender)
        n, values = seen[rec.source_text]
        if n == 1 and values:
            return values
    text = restate(rec)
    if text is None:
        return {}
    return _diff(parser, text, answer, when, sender if "我" in answer else None)[1]


def is_short_answer(text: str, values: dict[str, Any], school_words: list[str]) -> bool:
    """The answer holds only the values and the words that frame them."""
    if not values or len(text) > ANSWER_MAX_CHARS:
        return False
    rest = text
    words: list[str] = []
    for v in values.values():
        if isinstance(v, list):
            words += [str(x) for x in v]
        elif isinstance(v, str):
            words.append(v)
    words += [s for s in school_words if s and s in rest]
    words += [s for s in SUBJECT_NAMES if s in rest]
    for w in sorted(set(words), key=len, reverse=True):
        rest = rest.replace(w, " ")
    rest = _DATEISH.sub(" ", rest)
    rest = _NUMBER.sub(" ", rest)
    rest = _FRAME_RX.sub(" ", rest)
    return len(_HAN.findall(rest)) <= LEFTOVER_MAX


def _school_words(session: Session) -> list[str]:
    words: list[str] = []
    for name, aliases in session.exec(select(School.name, School.aliases)).all():
        words.append(name)
        words += list(aliases or [])
    return words


def _records_of_inbound(session: Session, inbound_id: int, person_id: int) -> list[Record]:
    ids = session.exec(
        select(RecordReporter.record_id)
        .where(RecordReporter.message_id == inbound_id, RecordReporter.person_id == person_id)
        .order_by(col(RecordReporter.id))
    ).all()
    recs = [session.get(Record, i) for i in ids]
    return [r for r in recs if r is not None and not r.deleted]


def _asked_records(
    session: Session, person_id: int, msg: Any, quote: Quote | None
) -> list[Record] | None:
    """The records the bot's question was about, or None when the message answers someone
    else. A quote decides: of the bot's reply, the records it numbers ("#31"); of the
    sender's own report (by id, or by its text where the platform names no sender), that
    report's records; of anyone else's message, none. Without a
    quote: the records of the sender's latest report in this chat within the window."""
    if quote is not None:
        ids = [int(x) for x in _RECORD_REF.findall(quote.text or "")]
        if ids:
            mine = set(
                session.exec(
                    select(RecordReporter.record_id).where(
                        RecordReporter.person_id == person_id,
                        col(RecordReporter.record_id).in_(ids),
                    )
                ).all()
            )
            recs = [session.get(Record, i) for i in dict.fromkeys(ids) if i in mine]
            return [r for r in recs if r is not None and not r.deleted]
        if quote.sender_id is not None and quote.sender_id == msg.sender_id and quote.message_id:
            row = quoted_inbound(session, msg.platform, quote.message_id, msg.chat.chat_id)
            return (
                _records_of_inbound(session, row.id, person_id)
                if row is not None and row.id
                else []
            )
        if quote.text:  # WeCom names no sender: the sender's own report is known by its text
            own = session.exec(
                select(Record)
                .join(RecordReporter, col(RecordReporter.record_id) == Record.id)
                .where(
                    RecordReporter.person_id == person_id,
                    Record.source_text == quote.text.strip(),
                    col(Record.deleted).is_(False),
                )
                .order_by(col(Record.id))
            ).all()
            if own:
                return list(own)
        if not quote.from_bot and (quote.text or quote.sender_id or quote.sender_name):
            return None  # a reply to someone else's message answers them, not the bot
    since = msg.sent_at - FOLLOW_UP_WINDOW
    # The sender's latest report here: the newest message of theirs that made or joined a
    # record (a message that filled a field is no report; the question stays the report's).
    last = session.exec(
        select(RecordReporter.message_id)
        .join(InboundMessage, col(InboundMessage.id) == RecordReporter.message_id)
        .where(
            RecordReporter.person_id == person_id,
            InboundMessage.platform == msg.platform,
            InboundMessage.chat_id == msg.chat.chat_id,
            InboundMessage.sent_at >= since,
        )
        .order_by(col(RecordReporter.id).desc())
    ).first()
    return _records_of_inbound(session, last, person_id) if last is not None else []


def find_answer(
    session: Session,
    parser: Any,
    msg: Any,
    text: str,
    person_id: int,
    sender: Sender | None,
    tz: Any,
) -> Answer | None:
    """The record a short answer fills and the values it gets, or None when `text` is not
    a short answer to the bot's last question (then it is read as a new message)."""
    text = text.strip()
    if not text or len(text) > ANSWER_MAX_CHARS:
        return None
    asked = _asked_records(session, person_id, msg, getattr(msg, "quote", None))
    recs = [r for r in asked or [] if missing_fields(r)]
    if not recs:
        return None
    seen: dict[str, tuple[int, dict[str, Any]]] = {}
    school_words = _school_words(session)
    targets: list[tuple[Record, dict[str, Any]]] = []
    for rec in recs:
        values = _values(parser, rec, text, tz, sender, seen)
        if not is_short_answer(text, values, school_words):
            continue
        changes = {}
        for f in missing_fields(rec):
            if f in values:
                changes[f] = values[f]
            elif f in ("to_school", "from_school"):
                added = [x for x in values.get("schools", []) if x not in (rec.schools or [])]
                if len(added) == 1:
                    changes[f] = added[0]  # "解小" answering 接收学校
        if changes:
            targets.append((rec, changes))
    if not targets:
        return None
    if len(targets) > 1:
        fields = tuple(dict.fromkeys(f for _, changes in targets for f in changes))
        return Answer(None, {}, tuple(r.id for r, _ in targets if r.id is not None), fields)
    return Answer(targets[0][0], targets[0][1])
