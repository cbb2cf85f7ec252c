"""Chat message → ParsedReport.

The parser is a pipeline of small rules over one normalised string:

1. normalise (simplified, half width, no emoji) and answer `command` for a leading "/";
2. find kind and exchange words (text inside 《》 is masked first: a title is not an event);
   drop words that are only a topic ("商定送教安排"), a compound modifier ("送教总结会")
   or part of a notice ("关于开展…检查的通知"); no word left → `chat`;
3. say `chat` for questions, cancellations, thanks, totals and directives around that word;
4. read dates, schools, people, counts, subject, title and mode, each with its own rules;
5. for lesson deliveries and exchanges, tell origin from destination by the verbs around the
   school names (到/去/来/在 … , 从/由 …, …迎来/接待 …).

Every rule is a plain function of the text; the jieba tokenizer is used only for word
boundaries (a two-character alias must be a whole word: 解小 is not in 了解小组) and
for walking back from 小学/中学 to the start of an unknown school's name.
"""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from storage.roster import Roster

from handlers.reports import numbers
from handlers.reports.dates import DateHit, find_dates, later_today, period_end
from handlers.reports.gazetteer import Gazetteer, SchoolMention
from handlers.reports.normalize import normalize
from handlers.reports.segment import WordBounds, new_tokenizer
from handlers.vocab import (
    ACTIVITY_KINDS, CONTEST_HINTS, CONTEST_WORDS, EXCHANGE_KINDS, LOOSE_SUBJECTS, OFFLINE_WORDS,
    ONLINE_WORDS, SUBJECT_CONTEXT_AFTER, SUBJECT_CONTEXT_BEFORE, SUBJECT_FORMS, SUBJECT_NOT_AFTER,
)

log = logging.getLogger(__name__)

CHINA = timezone(timedelta(hours=8))  # naive send times are read as Asia/Shanghai (no DST)
REPORT_INTENTS = frozenset({"activity", "exchange"})


@dataclass(frozen=True)
class ParsedReport:
    intent: str  # activity | exchange | command | chat
    kind: str | None = None
    status: str | None = None
    date: date | None = None
    end_date: date | None = None
    schools: tuple[str, ...] = ()
    from_school: str | None = None
    to_school: str | None = None
    teachers: tuple[str, ...] = ()
    subject: str | None = None
    title: str | None = None
    participants: int | None = None
    mode: str | None = None
    lessons: int | None = None
    exchange_kind: str | None = None
    missing: tuple[str, ...] = ()  # schema fields a report of this kind should have but lacks
    notes: tuple[str, ...] = ()    # uncertainties, in the words the reply shows

    @property
    def is_report(self) -> bool:
        return self.intent in REPORT_INTENTS

    def to_dict(self) -> dict[str, Any]:
        """The schema's JSON object (without `id`), plus `missing` and `notes`."""
        return {
            "intent": self.intent, "kind": self.kind, "status": self.status,
            "date": self.date.isoformat() if self.date else None,
            "end_date": self.end_date.isoformat() if self.end_date else None,
            "schools": list(self.schools), "from_school": self.from_school,
            "to_school": self.to_school, "teachers": list(self.teachers),
            "subject": self.subject, "title": self.title, "participants": self.participants,
            "mode": self.mode, "lessons": self.lessons, "exchange_kind": self.exchange_kind,
            "missing": list(self.missing), "notes": list(self.notes),
        }


CHAT = ParsedReport("chat")
COMMAND = ParsedReport("command")


# --- keyword spotting -------------------------------------------------------------------

@dataclass(frozen=True)
class _Word:
    start: int
    end: int
    word: str
    code: str           # activity kind or exchange kind
    exchange: bool
    weak: bool


# Patterns used as rx.match(text, pos) carry no "^": "^" would only match at 0.

# Words that contain a kind word but are not events: offices, rooms, roles, paperwork.
_NOT_EVENTS = ("教研室", "教研组", "教研员", "教研团队", "教研处", "教研中心", "教研主任", "教研组长",
               "教研部", "会议室", "会议纪要", "会议精神", "督导组", "督导室", "督学", "培训费",
               "培训中心", "调研员", "研讨室", "指导老师", "指导教师", "指导组", "检查组", "评比结果",
               "比赛结果", "交流到位", "开放日期")


def _word_table() -> dict[str, tuple[str, bool, bool] | None]:
    table: dict[str, tuple[str, bool, bool] | None] = {}
    for k in ACTIVITY_KINDS:
        for w in k.weak:
            table[w] = (k.code, False, True)
        for w in k.words:
            table[w] = (k.code, False, False)
    for e in EXCHANGE_KINDS:
        for w in e.words:
            table[w] = (e.code, True, False)
    for w in _NOT_EVENTS:
        table[w] = None
    return table


_HEAD_KINDS = frozenset(k.code for k in ACTIVITY_KINDS if k.head)
_GAP_BREAK = re.compile(r"[,。;!?、:\n 了着过上中去到来给为在和与及并后时前把被让请将由从]")
_TOPIC_AFTER = re.compile(
    r"(?:工作|活动)?(?:的)?(?:安排|计划|方案|事宜|名单|材料|课表|车辆|车|照片|简报|美篇|通知|经费|费用|"
    r"报销|表格|报名|申报|相关|要求|任务|时间|地点|视频|录像|课件|资料|链接|二维码|结果|成绩|证书|"
    r"总结(?!会)|群|文件|记录表|登记表|台账)")
_TOPIC_BEFORE = re.compile(r"(?:商定|商讨|讨论|部署|研究|围绕|筹备|协商|布置|谋划|关于)[^,。;!?\n]{0,10}$")
_NOTICE_SPAN = re.compile(r"关于[^。!?\n]{0,60}?的?(?:通知|意见|方案|办法|公告|通报|函)")
_NOTICE_HEAD = re.compile(r"^\s*(?:【[^】]{0,12}(?:转发|通知|公告|文件|转载|政策|通报|转)[^】]{0,12}】"
                          r"|转发|转载|转自|转:|[^,。!?\n]{0,8}(?:通知|公告|通报)[:])")

# --- chat signals -----------------------------------------------------------------------

# A reply to someone else's message: 收到 / 好的 / 明白 … then whatever they add.
_REPLY = re.compile(r"^\s*(?:收到|好的|好嘞|明白|知道了|了解|ok|OK|Ok|嗯嗯|嗯|好滴)(?:[,.!。~ ]|$)")
_PERSONAL = re.compile(r"请假|病假|事假|调课|代课|帮忙|帮我")
_OPINION = re.compile(r"(?:我|大家|个人|本人)(?:觉得|认为|感觉)|照常|如期|正常进行")
_MOVED = re.compile(r"改在|改到|改为|移到|换到|调到|调整到|挪到|换成")

_SENTENCE = re.compile(r"[^。!?;\n]*(?:[。!?;\n]+|$)")
_QUESTION = re.compile(r"[?]|吗|是否|能否|可否|有没有|是不是|要不要|能不能|可不可以|几点|哪里|哪儿|什么时候|何时|咋")
_CANCEL = re.compile(r"取消|暂停|没去成|去不成|不去了|没有去|没去|不开展|作罢|未能成行|没能成行|没能去|未能去|"
                     r"不举行|不进行|停课")
_POSTPONE = re.compile(r"推迟|延期|延后|改期|顺延|另行通知")
_THANKS = re.compile(r"^\s*(?:感谢|谢谢|多谢|致谢)")
_CONGRATS = re.compile(r"^\s*(?:热烈)?(?:祝贺|恭喜|喜报)")
_TOTALS = re.compile(r"(?<![第人每\d])(?:[2-9]|[1-9]\d+|[两二三四五六七八九十]+)(?:次|场|期|轮|批)(?![数])"
                     r"|(?:共有|累计|总共有|先后有|合计)(?:\d+|[两二三四五六七八九十百]+)(?:名|位|人)")
_PERIOD_SCOPE = re.compile(r"共|累计|合计|共计|已|本月|本学期|今年|本学年|本周|上月|上学期|截至|以来")
# For a headcount ("共有16位老师参加") the 共 is its own: only a period word makes it a total.
_PERIOD_WORD = re.compile(r"累计|合计|共计|本月|本学期|今年|本学年|本周|上月|上学期|截至|以来|人次")
_DIRECTIVE = re.compile(r"要积极|要认真|应积极|请各校|请各成员校|各校要|各校应|务必|希望各|建议各|鼓励|倡议|"
                        r"争取|打算|计划(?:于)?(?:本|下)学期|要求各")
_LOGISTICS = re.compile(r"集合|出发|上车|乘车|坐车|接送|停车|用餐|午餐|住宿|带好|带上|携带|报到|记得|别忘|提前到")
_FUTURE = re.compile(r"将(?!近|相)|即将|准备|拟|计划|打算|预计|届时|欢迎|下周|下个月|下月|下学期|明年|近期|马上")
_PAST = re.compile(r"了|已|圆满|顺利")

# --- schools and people -----------------------------------------------------------------

_UNKNOWN_SUFFIX = re.compile(
    r"教师进修学校|进修学校|九年一贯制学校|中心学校|中心小学|中心校|完全小学|实验小学|实验学校|实验中学|小学部|小学|中学|学校|完小|"
    r"学院|大学|幼儿园|附小|附中|职中|职校|[一二三四五六七八九十\d]{1,2}[小中](?![学组时])")
# A word before 小学/中学 that ends the name rather than being part of it.
_STOP_TOKENS = frozenset(
    "的 了 在 到 去 和 与 及 跟 同 从 由 向 为 给 对 把 被 赴 至 是 有 将 已 也 都 还 又 并 等 我 你 他 她 它 "
    "各 本 该 全 每 其 此 这 那 个 位 名 所 校 年 月 日 号 天 周 上 下 前 后 里 内 外 中 间 来 送 请 让 派 往 次 "
    "第 两 几 多 今天 昨天 明天 前天 后天 上午 下午 晚上 中午 我们 我校 他们 她们 老师 教师 学生 校长 开展 "
    "组织 举行 举办 召开 参加 前往 来到 走进 进入 深入 邀请 联合 携手 承办 带领 带队 安排 接收 收到 迎来 "
    "迎接 接待 选派 派出 前来 一起 共同 分别 以及 或 或者 通过 利用 借助 联盟 成员 兄弟 乡村 农村 城区 县城 "
    "全县 全市 全区 周边 薄弱 结对 帮扶 对口 其他 其它 部分 共建 核心 牵头 所有 寄宿制 试点 示范 特色 "
    "普通 公办 民办 本地 当地 附近 偏远 山区 村级 教共体 集团 片区 辖区 各级 我县 我市 同步 云端 线上 "
    "线下 网络 远程 受援 支援 友好 姊妹 对方 这所 那所 一所 两所 三所 多所 进 入 访 探 观摩 参观 听课 "
    "研讨 活动 送教 教研 学习 全体 相关 全校 本校".split())
# Unnamed groups of schools: not expanded into names, but they make an event concrete.
_SCHOOL_GROUP = re.compile(r"(?:[两二三四五六七八九十\d]+)(?:校|所学校|所成员校|所小学)|各校|各成员校|联盟校|兄弟学校")
_ALLIANCE_AFTER = re.compile(r"(?:教育)?(?:联盟|教共体|共同体|集团)")
_ALL_HAN = re.compile(r"[\u4e00-\u9fff]+")
_SELF = re.compile(r"我校|本校|我们学校|我们|本人|(?<![自])我(?![县市区省国乡镇])")
_DEST_BEFORE = re.compile(r"(?:到|去|赴|前往|来到|(?<![迎带请邀])来|走进|进入|深入|下到|至|往|在|为|给|向|地点在|地点[:]?|"
                          r"地点是|进驻|驻)(?:了)?$")
_ORIGIN_BEFORE = re.compile(r"(?:从|由|来自)$")
_DEST_AFTER = re.compile(r"(?:的)?(?:[^,。;!?\n]{0,8}?)(?:迎来|迎接|接待|接收|收到|邀请|承接|受邀)")
_LIST_GAP = re.compile(r"^(?:、|和|与|及|以及|跟)$")
_CORE_BEFORE = "到去赴在和与、给为向从及跟同至往,。;:\n "
_SHORT_BEFORE = _CORE_BEFORE + "号日天午晚"
_CORE_AFTER = re.compile(r"(?:[、和与及,。;:\n ]|的|等|[两三四五六七八]校|[两三四五六七八]所|送|开展|举行|举办|召开|老师|教师|校长|学生|师生|开放|"
                         r"进行|组织|承办|联合|一起|共同|参加|听|上|同课|集体|教研|交流|支教|跟岗|挂职|轮岗|"
                         r"将|已|于|在|今天|明天|昨天|本周|下周|上周|$)")

# Surnames for names the roster does not know. Characters that are mostly function words
# (和 于 向 从 在 …) or that start common nouns (小 青 南 英 数) are left out on purpose.
_SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁"
    "沈任姚卢姜崔钟谭陆汪范金石廖贾夏韦付方邹熊白孟秦邱侯江尹薛闫段雷龙黎史陶贺顾毛郝龚邵万覃武钱"
    "戴严莫孔汤易常温康施牛洪樊葛邢骆欧颜倪柳鲍庞兰殷祝甘饶童凌翟蒙詹申耿关聂焦魏柴阎连霍左安岳"
    "章鲁葛房裴卓屈蓝麦艾包尚佘宁巫单谷阮项苗伍宫吉滕褚芦解")
_COMPOUND_SURNAMES = ("欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "尉迟", "公孙", "慕容", "夏侯")
_NUMERAL_CHARS = frozenset("0123456789零〇一二两三四五六七八九十百千")
_TITLES = re.compile(r"副校长|校长|老师|主任|书记|园长|院长|教授|教研员|局长|督学|特级教师")
_NOT_NAMES = frozenset({"全体", "青年", "骨干", "各位", "两位", "诸位", "学校", "班主任", "教导", "年级",
                        "数学", "语文", "英语", "科学", "音乐", "美术", "体育", "全校", "本校", "我校",
                        "带队", "指导", "优秀", "专职", "兼职", "退休", "新任", "在职", "支教", "帮扶",
                        "代课", "任课", "授课", "听课", "评课", "主讲", "执教", "中心", "名师", "特级",
                        "高级", "一级", "二级", "三级", "宣传", "大队", "教务", "政教", "德育", "后勤"})

_COUNT_BEFORE_TITLE = re.compile(numbers.NUM + r"[位名]$")
# What may follow a name in a list: another item, a title, a count, a verb of going.
_NAME_FOLLOW = re.compile(r"[、和与及,。;!\n ]|老师|校长|主任|[两二三四五六七八九十\d][位名]|[到去在来赴从一共等也都]|$")
_TITLE_RX = re.compile(r"《([^《》\n]{1,60})》")
_ONLINE_RX = re.compile("|".join(sorted(ONLINE_WORDS, key=len, reverse=True)))
_OFFLINE_RX = re.compile("(?:" + "|".join(sorted(OFFLINE_WORDS, key=len, reverse=True)) + r")(?!长)")  # 到校长室
_SYNC_FALLBACK = re.compile(r"(?:上|授|讲|执教)了?[^,。;!?\n]{0,10}课")


def _subject_table() -> tuple[re.Pattern[str], dict[str, str]]:
    by_form = {f: s for s, forms in SUBJECT_FORMS.items() for f in forms}
    rx = re.compile("|".join(sorted(map(re.escape, by_form), key=len, reverse=True)))
    return rx, by_form


_SUBJECT_RX, _SUBJECT_OF = _subject_table()


def _mask_titles(text: str) -> tuple[str, list[str]]:
    titles: list[str] = []

    def repl(m: re.Match[str]) -> str:
        titles.append(m.group(1).strip())
        return "《" + "□" * len(m.group(1)) + "》"

    return _TITLE_RX.sub(repl, text), titles


@dataclass
class _Ctx:
    """Everything one parse has found so far; private to the parser."""
    text: str
    masked: str
    sent: datetime
    today: date
    sender: str | None
    sender_school: str | None
    bounds: WordBounds
    titles: list[str]
    hits: list[DateHit]
    notes: list[str] = field(default_factory=list)

    def note(self, msg: str) -> None:
        if msg not in self.notes:
            self.notes.append(msg)


class ReportParser:
    """Turns one chat message into a ParsedReport. Build once; `parse` is pure and fast."""

    def __init__(self, roster: Roster, cache_dir: Path | None = None, *, strict: bool = False) -> None:
        self.roster = roster
        self.gazetteer = Gazetteer(roster)
        self._strict = strict  # tests: let exceptions through instead of answering chat
        self._words = _word_table()
        self._word_rx = re.compile("|".join(sorted(map(re.escape, self._words), key=len, reverse=True)))
        vocab = {w: "kw" for w in self._words}
        names = self.gazetteer.words()
        vocab.update(names)
        self._tk = new_tokenizer(Path(cache_dir) if cache_dir is not None else None, vocab,
                                 frozenset(names))

    # -- entry point -----------------------------------------------------------------------

    def parse(self, text: str, sent_at: datetime, sender: str | None) -> ParsedReport:
        """Never raises: anything unexpected is logged and answered as `chat`."""
        try:
            return self._parse(text, sent_at, sender)
        except Exception:
            if self._strict:
                raise
            log.exception("parser failed on a message of %d characters", len(text or ""))
            return CHAT

    def _parse(self, raw: str, sent_at: datetime, sender: str | None) -> ParsedReport:
        text = normalize(raw)
        if not text:
            return CHAT
        if text[0] == "/":
            return COMMAND
        if not isinstance(sent_at, datetime):
            sent_at = datetime.now(CHINA)
        if sent_at.tzinfo is None:
            sent_at = sent_at.replace(tzinfo=CHINA)
        masked, titles = _mask_titles(text)
        sender = sender.strip() if isinstance(sender, str) and sender.strip() else None
        today = sent_at.date()
        ctx = _Ctx(text, masked, sent_at, today, sender, self.roster.school_of(sender),
                   WordBounds(masked, self._tk), titles, find_dates(masked, today))

        main = self._main_word(ctx)
        if main is None or self._is_chat(ctx, main):
            return CHAT
        return self._build(ctx, main)

    # -- kind --------------------------------------------------------------------------------

    def _words_in(self, ctx: _Ctx) -> list[_Word]:
        out: list[_Word] = []
        for m in self._word_rx.finditer(ctx.masked):
            entry = self._words[m.group()]
            if entry is not None:
                out.append(_Word(m.start(), m.end(), m.group(), entry[0], entry[1], entry[2]))
        return out

    def _main_word(self, ctx: _Ctx) -> _Word | None:
        words = self._words_in(ctx)
        if not words:
            return self._sync_fallback(ctx)
        masked = ctx.masked
        notices = [m.span() for m in _NOTICE_SPAN.finditer(masked)]
        live: list[_Word] = []
        for i, w in enumerate(words):
            nxt = words[i + 1] if i + 1 < len(words) else None
            if nxt is not None and self._is_head(nxt) and not _GAP_BREAK.search(masked[w.end:nxt.start]) \
                    and nxt.start - w.end <= 6:
                continue  # "送教总结会": the meeting is the event
            if _TOPIC_AFTER.match(masked, w.end) or _TOPIC_BEFORE.search(masked, 0, w.start):
                continue
            if any(a <= w.start < b for a, b in notices):
                continue
            live.append(w)
        strong = [w for w in live if not w.weak]
        pool = strong or live
        if not pool:
            return None
        w = pool[0]
        if w.word in CONTEST_WORDS or w.code == "competition":
            w = _Word(w.start, w.end, w.word, self._contest_kind(masked, w), False, w.weak)
        return w

    def _is_head(self, w: _Word) -> bool:
        return not w.exchange and not w.weak and (w.code in _HEAD_KINDS or w.word in CONTEST_WORDS)

    @staticmethod
    def _contest_kind(masked: str, w: _Word) -> str:
        if w.word not in CONTEST_WORDS:
            return "competition"
        before = re.split(r"[,。;!?\n]", masked[max(0, w.start - 14):w.start])[-1]
        for hints, code in CONTEST_HINTS:
            if any(h in before for h in hints):
                return code
        return "competition"

    def _sync_fallback(self, ctx: _Ctx) -> _Word | None:
        """"通过直播为淤上、黄田中心校两校上了一节音乐课": teaching another school online."""
        m = _ONLINE_RX.search(ctx.masked)
        if not m:
            return None
        sentence = _sentence_at(ctx.masked, m.start())
        if not _SYNC_FALLBACK.search(ctx.masked, sentence[0], sentence[1]):
            return None
        if len({s.name for s in self._schools(ctx) if s.how != "self"}) < 2:
            return None
        return _Word(m.start(), m.end(), m.group(), "sync_class", False, False)

    # -- chat ------------------------------------------------------------------------------

    def _is_chat(self, ctx: _Ctx, main: _Word) -> bool:
        masked = ctx.masked
        if _NOTICE_HEAD.match(masked) or _REPLY.match(masked) or _PERSONAL.search(masked):
            return True
        s0, s1 = _sentence_at(masked, main.start)
        sentence = masked[s0:s1]
        first = _SENTENCE.match(masked)
        if _QUESTION.search(sentence) or (first and _QUESTION.search(first.group())):
            return True
        hits = ctx.hits
        moved = any(h.postponed_to and h.day for h in hits)
        if _CANCEL.search(masked) and not moved:
            return True
        if (_POSTPONE.search(masked) or _MOVED.search(masked)) and not moved:
            return True  # moved with no new day, or a room change: nothing to record
        dated = any(h.day for h in hits if not h.deadline and h.form != "tod")
        if _THANKS.match(sentence) and not dated:
            return True
        if _CONGRATS.match(masked) and not dated:
            return True
        total = _TOTALS.search(masked)
        if total and (not dated or (_PERIOD_WORD.search(masked) if total.group()[-1] in "名位人"
                                    else _PERIOD_SCOPE.search(masked))):
            return True
        if (_DIRECTIVE.search(sentence) or _OPINION.search(sentence)) and not dated:
            return True  # "各校要积极开展…", "我觉得同课异构挺好": no event happened
        if _LOGISTICS.search(masked) and not _PAST.search(masked):
            return True  # "参加同课异构的老师请8点在校门口集合": about getting there
        return False

    # -- the record ------------------------------------------------------------------------

    def _build(self, ctx: _Ctx, main: _Word) -> ParsedReport:
        exchange = main.exchange
        hits = ctx.hits
        day, hit = self._pick_date(ctx, hits, main, exchange)
        schools = self._schools(ctx)
        people, name_ends = self._people(ctx)
        teachers = tuple(dict.fromkeys(p for _, _, p in people))
        for s in schools:
            if s.how == "unknown":
                ctx.note(f"学校“{s.written}”不在名册中,按原文记录")
            elif s.how in ("fuzzy", "partial") and s.written != s.name:
                ctx.note(f"“{s.written}”按“{s.name}”记录")
        if any(s.how == "self" for s in schools) and ctx.sender_school is None:
            ctx.note("发送人不在名册中,无法确定“我/我校”指哪所学校")

        # 我 alone says who, not which school: "我觉得同课异构挺好" names no event
        explicit = any(s.how != "self" or (ctx.sender_school and s.written not in ("我", "本人"))
                       for s in schools)
        # A postponement to a new day is a planned activity on that day (the conventions),
        # also when it names no school: the reply asks for the schools.
        moved = any(h.postponed_to and h.day for h in hits)
        if not explicit and not people and not _SCHOOL_GROUP.search(ctx.masked) and not moved:
            return CHAT  # no school, no group, nobody named: a comment on an event, not a report
        if not explicit and day is None:
            return CHAT  # "张炜老师的示范课讲得太好了": no date and no school
        names = [s.name for s in schools if s.name]
        for t in teachers:
            school = self.roster.school_of(t)
            if school:
                names.append(school)
        school_list = tuple(dict.fromkeys(names))

        subject = self._subject(ctx)
        counts = numbers.headcounts(ctx.masked, frozenset(name_ends))
        participants = numbers.participants(counts)
        # Future words count in the event's own sentence, up to the event word:
        # "…开展教学常规检查,下周将反馈结果" is a done inspection with a follow-up.
        s0, _ = _sentence_at(ctx.masked, main.start)
        future = bool(_FUTURE.search(ctx.masked, s0, main.start))
        past = bool(_PAST.search(ctx.masked))
        if _has_vague_date(hits) and day is None:
            ctx.note("日期不具体,未记录日期")
        missing: list[str] = []

        if exchange:
            end = None
            if day is not None:
                end = hit.range_end if hit and hit.range_end else period_end(ctx.masked, day)
            if day is None:
                status = "planned" if future else "done"
            else:
                status = "done" if day <= ctx.today else "planned"
            origin, dest = self._directions(ctx, schools, teachers)
            for f, v in (("date", day), ("end_date", end), ("from_school", origin), ("to_school", dest),
                         ("teachers", teachers)):
                if not v:
                    missing.append(f)
            return ParsedReport(
                "exchange", None, status, day, end, school_list, origin, dest, teachers, subject,
                None, participants, None, None, main.code, tuple(missing), tuple(ctx.notes))

        kind = main.code
        if day is None and future:
            # An announced activity is a record only with its day ("下周的培训" is not one);
            # the reply cannot ask for a date of something not yet fixed.
            return CHAT
        if day is None:
            status = "done"
        elif day > ctx.today:
            status = "planned"
        elif day < ctx.today:
            status = "done"
        elif hit is not None and later_today(hit.time_of_day, ctx.sent, hit.clock):
            status = "planned"
        else:
            status = "planned" if future and not past else "done"
        mode = self._mode(ctx, kind)
        origin = dest = None
        if kind == "lesson_delivery":
            origin, dest = self._directions(ctx, schools, teachers)
            for f, v in (("from_school", origin), ("to_school", dest)):
                if not v:
                    missing.append(f)
        if day is None:
            missing.insert(0, "date")
        if not school_list:
            missing.append("schools")
        if not teachers and kind in ("lesson_delivery", "demo_lesson", "lecture_training"):
            missing.append("teachers")
        title = ctx.titles[0] if ctx.titles and ctx.titles[0] else None
        return ParsedReport(
            "activity", kind, status, day, None, school_list, origin, dest, teachers, subject,
            title, participants, mode, numbers.lessons(ctx.masked), None, tuple(missing),
            tuple(ctx.notes))

    # -- dates -------------------------------------------------------------------------------

    @staticmethod
    def _pick_date(ctx: _Ctx, hits: list[DateHit], main: _Word,
                   exchange: bool) -> tuple[date | None, DateHit | None]:
        usable = [h for h in hits if h.day is not None and not h.deadline]
        if not usable:
            return None, None
        moved = [h for h in usable if h.postponed_to]
        if moved:
            return moved[-1].day, moved[-1]
        real = [h for h in usable if h.form != "tod"] or usable
        if exchange:
            for pref in (lambda h: h.starts, lambda h: h.range_end is not None):
                chosen = [h for h in real if pref(h)]
                if chosen:
                    return chosen[0].day, chosen[0]
        s0, s1 = _sentence_at(ctx.masked, main.start)
        same = [h for h in real if s0 <= h.start < s1]
        if same:
            before = [h for h in same if h.start <= main.start]
            h = before[-1] if before else same[0]
        else:
            h = real[0]
        if h.form == "rel" and h.time_of_day is None and h.clock is None:
            # "今天,…下午3点…": a time of day elsewhere in the message still times the event
            timed = next((x for x in usable if x.form == "tod"), None)
            if timed:
                h = replace(h, time_of_day=timed.time_of_day, clock=timed.clock)
        return h.day, h

    # -- schools -----------------------------------------------------------------------------

    def _schools(self, ctx: _Ctx) -> list[SchoolMention]:
        gaz = self.gazetteer
        masked, bounds = ctx.masked, ctx.bounds
        cands: list[tuple[int, int, str, str, str, int]] = []  # start, end, name, written, how, rank
        exact_spans = []
        for a, b, name, written in gaz.exact(masked):
            if _ALLIANCE_AFTER.match(masked, b):
                continue  # "漳平市实验小学教育联盟" names the alliance, not the school
            # Two-character aliases must be whole words (解小 is not in 了解小组), unless the
            # words around them are the ones a school takes (齐小和解小的学生: jieba sees 和解).
            if len(written) <= 2 and not (
                    (a == 0 or masked[a - 1] in _SHORT_BEFORE) and _CORE_AFTER.match(masked, b)) and not (
                    a in bounds and b in bounds):
                continue
            generic = written in gaz.generic_forms
            cands.append((a, b, name, written, "exact", 1 if generic else 3))
            if not generic:
                exact_spans.append((a, b))
        for m in _UNKNOWN_SUFFIX.finditer(masked):
            if any(x <= m.start() and m.end() <= y for x, y in exact_spans) or _ALLIANCE_AFTER.match(
                    masked, m.end()):
                continue  # the 小学 of a roster name (already matched) or of an alliance name
            # a school name never starts inside a date: 上周五一农场小学, 下周三江滨小学
            lo = max((h.end for h in ctx.hits if h.end <= m.start()), default=0)
            a = self._name_start(ctx, lo, m.start(), m.group())
            if a is not None and any(a <= x and y <= m.end() and (x, y) != (a, m.end())
                                     for x, y in exact_spans):
                continue  # "教共体江滨小学": the roster name with a word glued in front
            hit = gaz.resolve_written(masked[a:m.end()]) if a is not None else None
            if hit is None:
                # A slip can move word boundaries: 于 of 于上乡小学 reads as a preposition and
                # ends the walk too early, 从江宾小学 reads as the place 从江 and goes too far.
                # Try every spelling from six characters back, longest first.
                for b0 in range(max(lo, m.start() - 6), m.start() - 1):
                    frag = masked[b0:m.end()]
                    if b0 != a and _ALL_HAN.fullmatch(frag):
                        hit = gaz.resolve_written(frag)
                        if hit:
                            a = b0
                            break
            if hit:
                cands.append((a, m.end(), hit[0], masked[a:m.end()], hit[1], 2))
            elif a is not None:
                written = masked[a:m.end()]
                cands.append((a, m.end(), written, written, "unknown", 0))
        for i in gaz.core_starts(masked, _CORE_BEFORE):
            for end, name, how in gaz.cores_at(masked, i):
                # cheap context test first; word boundaries may need a jieba cut
                # 黄田镇校 says school by itself; a bare place name needs a school's context
                if (masked[end - 1] in "校小" or _CORE_AFTER.match(masked, end)) and (
                        i in bounds and end in bounds):
                    cands.append((i, end, name, masked[i:end], how, 2))
                    break
        chosen: list[tuple[int, int, str, str, str, int]] = []
        taken: list[tuple[int, int]] = []
        # longest span first, then the surer kind of match
        for c in sorted(cands, key=lambda c: (-(c[1] - c[0]), -c[5], c[0])):
            if any(c[0] < y and x < c[1] for x, y in taken):
                continue
            taken.append((c[0], c[1]))
            chosen.append(c)
        out = [SchoolMention(a, b, name, written, how) for a, b, name, written, how, _ in chosen]
        for m in _SELF.finditer(masked):
            if not any(x <= m.start() < y for x, y in taken):
                out.append(SchoolMention(m.start(), m.end(), ctx.sender_school or "", m.group(), "self"))
        out.sort(key=lambda s: s.start)
        return out

    def _name_start(self, ctx: _Ctx, lo: int, suffix_start: int, suffix: str) -> int | None:
        """Walk back over words from a school word to where an unknown school's name starts
        (not before `lo`)."""
        masked = ctx.masked
        start = suffix_start
        while start > lo:
            prev = ctx.bounds.prev(start)
            word = masked[prev:start]
            if (prev < lo or word in _STOP_TOKENS or not _ALL_HAN.fullmatch(word)
                    or suffix_start - prev > 6 or self._word_rx.fullmatch(word)):
                break
            start = prev
        length = suffix_start - start
        numeral = suffix[0] in "一二三四五六七八九十0123456789"
        if suffix.endswith("进修学校"):  # 教师进修学校 names itself; a college, not an office
            return start
        if length >= 2 or (numeral and length == 1 and masked[start] in "县市区"):
            return start
        return None

    # -- people ------------------------------------------------------------------------------

    def _people(self, ctx: _Ctx) -> tuple[list[tuple[int, int, str]], set[int]]:
        masked = ctx.masked
        found = self.gazetteer.find_people(masked)
        spans = [(a, b) for a, b, _ in found]

        def add(a: int, b: int, name: str) -> None:
            found.append((a, b, name))
            spans.append((a, b))
            similar = self.gazetteer.similar_person(name)
            ctx.note(f"人员“{name}”不在名册中,按原文记录" + (f"(是否为“{similar}”?)" if similar else ""))

        # Names the roster does not know: right before a title, and the list leading up to
        # it (王芳、李明两位老师; 王芳、张炜老师).
        for m in _TITLES.finditer(masked):
            end = m.start()
            count = _COUNT_BEFORE_TITLE.search(masked, max(0, end - 4), end)
            if count:  # 王芳、李明两位老师
                end = count.start()
            while True:
                known = next((x for x, y in spans if y == end), None)
                if known is None:
                    got = self._name_before(ctx, end, spans)
                    if got is None:
                        break
                    a = got[0]
                    add(a, end, got[1])
                else:
                    a = known
                if a > 0 and masked[a - 1] in "、和与及":
                    end = a - 1
                    continue
                break
        selves = [m for m in _SELF.finditer(masked) if m.group() in ("我", "本人")]
        # …and listed after someone already found: 张炜、王芳到齐小送教; 我和王芳去齐小.
        for b in sorted({y for _, y in spans} | {m.end() for m in selves}):
            while b < len(masked) and masked[b] in "、和与及":
                got = self._name_after(ctx, b + 1, spans)
                if got is None:
                    break
                add(b + 1, got[0], got[1])
                b = got[0]
        if ctx.sender and selves:
            found.append((selves[0].start(), selves[0].end(), ctx.sender))
        found.sort()
        # "张炜、马欣瑞两位老师": the count starts where the name list ends
        return found, {b for _, b, _ in found}

    def _name_after(self, ctx: _Ctx, start: int, known: list[tuple[int, int]]) -> tuple[int, str] | None:
        """An unknown name of two or three characters starting at `start`, in a list."""
        masked = ctx.masked
        for n in (3, 2):
            end = start + n
            cand = masked[start:end]
            if len(cand) < n or not self._name_like(cand) or any(x < end and start < y for x, y in known):
                continue
            if not _NAME_FOLLOW.match(masked, end) or start not in ctx.bounds or end not in ctx.bounds:
                continue
            return end, cand
        return None

    def _name_like(self, cand: str) -> bool:
        if not (cand[0] in _SURNAMES or cand[:2] in _COMPOUND_SURNAMES) or cand in _NOT_NAMES:
            return False
        if len(cand) == 4 and cand[:2] not in _COMPOUND_SURNAMES:
            return False  # four characters only with a two-character surname: 欧阳明华
        return bool(_ALL_HAN.fullmatch(cand)) and not self._word_rx.search(cand) and not (
            self.gazetteer.exact(cand))

    def _name_before(self, ctx: _Ctx, end: int, known: list[tuple[int, int]]) -> tuple[int, str] | None:
        masked, bounds = ctx.masked, ctx.bounds
        if any(x < end <= y for x, y in known):
            return None
        for n in (4, 3, 2):
            a = end - n
            if a < 0:
                continue
            cand = masked[a:end]
            if a > 0 and masked[a - 1] in _NUMERAL_CHARS:
                continue  # "60余名老师": a count, not a name
            if not self._name_like(cand) or any(x < end and a < y for x, y in known) or a not in bounds:
                continue
            return a, cand
        return None

    # -- subject, mode, directions ---------------------------------------------------------------

    @staticmethod
    def _subject(ctx: _Ctx) -> str | None:
        text = ctx.text  # titles included: 《小学语文大单元作业设计》 states the subject
        found: list[str] = []
        for m in _SUBJECT_RX.finditer(text):
            subj = _SUBJECT_OF[m.group()]
            after = text[m.end():m.end() + 6]
            before = text[max(0, m.start() - 4):m.start()]
            if any(after.startswith(w) for w in SUBJECT_NOT_AFTER):
                continue
            if subj not in LOOSE_SUBJECTS and not (
                    any(after.startswith(w) for w in SUBJECT_CONTEXT_AFTER)
                    or any(before.endswith(w) for w in SUBJECT_CONTEXT_BEFORE)):
                continue
            if subj not in found:
                found.append(subj)
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            ctx.note("提到多个学科,未记录学科")
        return None

    @staticmethod
    def _mode(ctx: _Ctx, kind: str) -> str | None:
        if kind == "sync_class":
            return "online"
        online = _ONLINE_RX.search(ctx.masked) is not None
        offline = _OFFLINE_RX.search(ctx.masked) is not None
        if online and offline:
            return None
        return "online" if online else "offline" if offline else None

    def _directions(self, ctx: _Ctx, schools: list[SchoolMention],
                    teachers: tuple[str, ...]) -> tuple[str | None, str | None]:
        """(from_school, to_school) of a delivery or an exchange; None where unclear."""
        masked = ctx.masked
        ms = [s for s in schools if s.name]
        origin_idx: list[int] = []
        dest_idx: list[int] = []
        for i, s in enumerate(ms):
            if _ORIGIN_BEFORE.search(masked, max(0, s.start - 4), s.start):
                origin_idx.append(i)
            elif _DEST_BEFORE.search(masked, max(0, s.start - 4), s.start) or (
                    (i == 0 or s.how == "self") and _DEST_AFTER.match(masked, s.end)):
                dest_idx.append(i)
        for i in list(dest_idx):  # 到齐小和解小送教: a list after a destination continues it
            j = i + 1
            while j < len(ms) and _LIST_GAP.match(masked[ms[j - 1].end:ms[j].start]):
                if j not in dest_idx:
                    dest_idx.append(j)
                j += 1
        dests = {ms[i].name for i in dest_idx}
        origins = {ms[i].name for i in origin_idx}
        if not origins and dest_idx:
            first = min(dest_idx)
            if _DEST_AFTER.match(masked, ms[first].end):  # 一农场小学迎来了福海二小的送教团队
                origins = {s.name for s in ms[first + 1:]} - dests
            else:                                        # 福海二小张炜…到一农场小学送教
                origins = {s.name for s in ms[:first]} - dests
        if not origins:  # nobody said where they came from: the named teachers' school
            origins = {self.roster.school_of(t) for t in teachers} - {None} - dests  # type: ignore[assignment]
        if len(dests) > 1:
            ctx.note("涉及多所目的学校,未记录去向")
        dest = next(iter(dests)) if len(dests) == 1 else None
        origin = next(iter(origins)) if len(origins) == 1 else None
        names = list(dict.fromkeys(s.name for s in ms))
        if len(names) == 2:  # two schools and one side known: the other is the other side
            if dest and not origins:
                origin = names[0] if names[1] == dest else names[1]
            elif origin and not dests:
                dest = names[0] if names[1] == origin else names[1]
        if origin == dest:  # one school on both sides: keep the side a verb named
            origin, dest = (None, dest) if dest_idx else (origin, None)
        return origin, dest


def _sentence_at(text: str, i: int) -> tuple[int, int]:
    for m in _SENTENCE.finditer(text):
        if m.start() <= i < max(m.end(), m.start() + 1):
            return m.start(), m.end()
    return 0, len(text)


def _has_vague_date(hits: list[DateHit]) -> bool:
    return any(h.day is None for h in hits)
