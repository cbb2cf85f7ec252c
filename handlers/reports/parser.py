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

import datetime as _dt
import logging
import re
from contextvars import ContextVar
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta, timezone
from itertools import pairwise
from pathlib import Path
from typing import Any

from handlers.reports import numbers
from handlers.reports.dates import DateHit, find_dates, later_today, period_end
from handlers.reports.gazetteer import Gazetteer, SchoolMention, longest_of
from handlers.reports.normalize import normalize
from handlers.reports.segment import WordBounds, new_tokenizer
from handlers.reports.split import (
    THEN,
    ListParts,
    clause_starts,
    count_apart,
    counted_parts,
    is_form,
    list_parts,
    strip_quote,
)
from handlers.vocab import (
    ACTIVITY_KINDS,
    ALLIANCE_TIES,
    CONTEST_HINTS,
    CONTEST_WORDS,
    EXCHANGE_KINDS,
    LOOSE_SUBJECTS,
    NON_REPORTS,
    OFFLINE_WORDS,
    ONLINE_WORDS,
    ORGANISATION_HEADS,
    SUBJECT_CONTEXT_AFTER,
    SUBJECT_CONTEXT_BEFORE,
    SUBJECT_FORMS,
    SUBJECT_NOT_AFTER,
)
from storage.roster import Roster

log = logging.getLogger(__name__)

# The caller's sender_school for the parse in progress (thread- and task-safe).
_SENDER_SCHOOL: ContextVar[str | None] = ContextVar("sender_school", default=None)
_MEMO: ContextVar[dict[Any, Any] | None] = ContextVar("parse_memo", default=None)
CHINA = timezone(timedelta(hours=8))  # naive send times are read as Asia/Shanghai (no DST)
REPORT_INTENTS = frozenset({"activity", "exchange"})


@dataclass(frozen=True)
class ParsedReport:
    intent: str  # activity | exchange | command | chat
    kind: str | None = None
    status: str | None = None
    date: date | None = None
    end_date: _dt.date | None = None  # `date` here would name the field above
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
    notes: tuple[str, ...] = ()  # uncertainties, in the words the reply shows
    # A message holding several reports: every one of them in the order written (the
    # top-level fields repeat the first). Empty for a message with one report or none.
    records: tuple[ParsedReport, ...] = ()

    @property
    def is_report(self) -> bool:
        return self.intent in REPORT_INTENTS

    @property
    def reports(self) -> tuple[ParsedReport, ...]:
        """Every report in the message, in order: what the pipeline stores (one record
        each). Empty for chat and commands."""
        if self.records:
            return self.records
        return (self,) if self.is_report else ()

    def to_dict(self) -> dict[str, Any]:
        """The schema's JSON object (without `id`), plus `missing` and `notes`; `records`
        (each item the same object without `records`) when the message holds several."""
        out = self._fields()
        if len(self.records) >= 2:
            out["records"] = [r._fields() for r in self.records]
        return out

    def _fields(self) -> dict[str, Any]:
        return {
            "intent": self.intent,
            "kind": self.kind,
            "status": self.status,
            "date": self.date.isoformat() if self.date else None,
            "end_date": self.end_date.isoformat() if self.end_date else None,
            "schools": list(self.schools),
            "from_school": self.from_school,
            "to_school": self.to_school,
            "teachers": list(self.teachers),
            "subject": self.subject,
            "title": self.title,
            "participants": self.participants,
            "mode": self.mode,
            "lessons": self.lessons,
            "exchange_kind": self.exchange_kind,
            "missing": list(self.missing),
            "notes": list(self.notes),
        }


CHAT = ParsedReport("chat")
COMMAND = ParsedReport("command")


# --- keyword spotting -------------------------------------------------------------------


@dataclass(frozen=True)
class _Word:
    start: int
    end: int
    word: str
    code: str  # activity kind or exchange kind
    exchange: bool
    weak: bool


# Patterns used as rx.match(text, pos) carry no "^": "^" would only match at 0.

# Words that contain a kind word but are not events: offices, rooms, roles, paperwork.
_NOT_EVENTS = (
    "教研室",
    "教研组",
    "教研员",
    "教研团队",
    "教研处",
    "教研中心",
    "教研主任",
    "教研组长",
    "教研部",
    "会议室",
    "会议纪要",
    "会议精神",
    "督导组",
    "督导室",
    "督学",
    "培训费",
    "培训中心",
    "调研员",
    "研讨室",
    "指导老师",
    "指导教师",
    "指导组",
    "检查组",
    "评比结果",
    "比赛结果",
    "交流到位",
    "开放日期",
    "自查表",
    "腾讯会议",
    "钉钉会议",
    "会议软件",
    "会议号",
)


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


# Why a sentence naming an activity reports none (handlers/vocab/nonreports.py)
_NON_REPORT_WORDS = {e.code: e for e in NON_REPORTS}
_HEAD_KINDS = frozenset(k.code for k in ACTIVITY_KINDS if k.head)
_GAP_BREAK = re.compile(r"[,。;!?、:\n 了着过上中去到来给为在和与及并后时前把被让请将由从]")
_TOPIC_AFTER = re.compile(
    # "送教的老师名单": who takes part may stand between the event and the topic
    r"(?:工作|活动)?(?:的)?(?:老师|教师|学生|人员)?(?:的)?(?:"
    + longest_of(_NON_REPORT_WORDS["about"].words)
    + r"|安排|计划|方案|事宜|名单|材料|课表|车辆|车|照片|简报|美篇|通知|经费|费用|"
    r"报销|表格|报名|申报|相关|要求|任务|时间|地点|视频|录像|课件|资料|链接|二维码|结果|成绩|证书|"
    r"总结(?!会)|小结|心得|体会|反思|感悟|日志|群|文件|记录表|登记表|台账)"
)
_TOPIC_BEFORE = re.compile(
    r"(?:商定|商讨|讨论|部署|研究|围绕|筹备|协商|布置|谋划|关于)[^,。;!?\n]{0,10}$"
)
_NOTICE_SPAN = re.compile(r"关于[^。!?\n]{0,60}?的?(?:通知|意见|方案|办法|公告|通报|函)")
_NOTICE_HEAD = re.compile(
    r"^\s*(?:【[^】]{0,12}(?:转发|通知|公告|文件|转载|政策|通报|转)[^】]{0,12}】"
    r"|转发|转载|转自|转:|[^,。!?\n]{0,8}(?:通知|公告|通报)[:])"
)

# Events told by their grammar rather than by a vocabulary word (see _words_in).
# pattern, code, exchange, gate (one of these strings must occur for the pattern to be tried)
_GRAMMAR_WORDS: tuple[tuple[re.Pattern[str], str, bool, tuple[str, ...]], ...] = (
    (
        re.compile(r"(?P<w>送)(?:了|去了?)?(?:" + numbers.NUM + r")(?:节|堂)"),
        "lesson_delivery",
        False,
        ("节", "堂"),
    ),
    # "同时给本校和楂林小学、黄山小学的学生上了一堂课", "通过大屏幕向石枧小学的孩子们讲解":
    # teaching several schools at once, or through a screen, is a sync class
    (
        re.compile(
            r"(?P<w>同时)(?:给|为|向)[^。;!?\n]{2,40}?(?:上|讲)了?(?:"
            + numbers.NUM
            + r")?(?:节|堂)"
        ),
        "sync_class",
        False,
        ("同时",),
    ),
    # "给新民和桂林中心校两个点同步上了语文", "为…三年级五个班的学生同时教唱": the
    # pupils of several places taught at one time
    (
        re.compile(r"(?:给|为|向)[^。;!?\n]{2,40}?(?P<w>同步|同时)(?:上|讲|授|教|执教|开课)"),
        "sync_class",
        False,
        ("同步", "同时"),
    ),
    (
        re.compile(
            r"(?P<w>(?:通过|利用|借助|隔着)(?:大屏幕|屏幕|互联网|网络|直播平台|视频|录播系统|云平台))"
            r"[^。;!?\n]{0,30}?(?:上|讲|执教|授课|教授|互动)"
        ),
        "sync_class",
        False,
        ("屏幕", "互联网", "网络", "直播", "视频", "录播", "云平台"),
    ),
    # "去一农场上了两节课": going to a school to teach its pupils
    (
        re.compile(r"(?:到|去|赴)[^,。;!?\n]{2,12}?(?P<w>上)了?(?:" + numbers.NUM + r")(?:节|堂)"),
        "lesson_delivery",
        False,
        ("节", "堂"),
    ),
    # any 会 that is held, but not a show or a body (晚会, 音乐会, 工会, 协会, 学会, 机会)
    (
        re.compile(
            r"(?:召开|举行|举办|组织|开了|参加|主持|承办)了?[^,。;!?\n]{0,16}?"
            r"(?P<w>[^晚舞庙乐唱览社学协工机体,。;!?\n]会)(?![议员长场计堂])"
        ),
        "meeting",
        False,
        ("会",),
    ),
    # 备课 and 磨课 split by 了 (separable verbs): "跟数学组一起备了课", "磨了《坐井观天》
    # 这节课"; preparing a lesson alone (晚上在家备了一节课) is no joint work
    (
        re.compile(
            r"(?P<w>(?:(?<=一起)|(?<=共同)|(?<=集体)|(?<=一块))备|磨)了(?:[^,。;!?\n]{0,12}?)课"
            r"(?![外桌椅件本程表])"
        ),
        "joint_research",
        False,
        ("备了", "磨了"),
    ),
    # a meeting named by who meets: 校长会, 教师会, 班主任会 at the end of a phrase
    # (not 校长会来: there 会 is "will")
    (
        re.compile(
            r"(?P<w>(?:校长|教师|班主任|教研组长|组长|行政|中层)会)(?=$|[,。;!?\n()::、]|上|后|前|在|于|照常|如期)"
        ),
        "meeting",
        False,
        ("会",),
    ),
    (
        re.compile(
            r"(?P<w>送去|送来|送出|送给|带去|捐出|捐给|捐|配送|发放|赠)了?[^,。;!?\n]{0,8}?"
            + numbers.NUM
            + r"(?:余|多)?(?:套|台|册|本|箱|件|批|份|盒|包|张|支|把|块)"
        ),
        "resource_support",
        False,
        ("送", "带去", "捐", "配送", "发放", "赠"),
    ),
    (
        re.compile(
            r"(?:到|去|赴|在)[^,。;!?\n]{2,14}?(?P<w>交流)(?!会|活动|研讨|座谈|学习|发言|分享|展示|心得|经验)"
        ),
        "rotation",
        True,
        ("交流",),
    ),
)
# what a bare 送 sends when a lesson follows: a subject or a count of lessons
_SUBJECT_OR_COUNT = (
    "(?:"
    + "|".join(sorted((f for fs in SUBJECT_FORMS.values() for f in fs), key=len, reverse=True))
    + r"|[一两二三四五六七八九十\d]{1,2}节)"
)
_SENT_LESSONS = re.compile(
    r"(?:(?P<w>送去|送来|带去|送上)了?[^,。;!?\n]{0,16}?|(?P<w2>送)了?[^,。;!?\n]{0,2}?"
    + _SUBJECT_OR_COUNT
    + r")课(?![外桌椅件本程表])"
)
_AID_AFTER = re.compile(r"[”\"」]?(?:结对)?(?:教育)?(?:帮扶|捐助|捐赠|助学|资助|爱心捐)")
_TEACHING_BEFORE = re.compile(r"(?:教学|教师|教研)$")
# Each gate as one pattern: a single search instead of a substring test per gate word.
_GRAMMAR_GATES = tuple(
    re.compile("|".join(map(re.escape, gate))) for _, _, _, gate in _GRAMMAR_WORDS
)
_LISTENED = re.compile(r"听了?(?:" + numbers.NUM + r")(?:节|堂)")
# A rotation told as 交流 needs its period or its first day to be one.
_UNDATED = re.compile(r"时间另行通知|时间待定|另行通知|待定")
_EXCHANGE_DIARY = re.compile(
    r"最后一天|第(?:[二三四五六七八九十两]|\d{1,2}(?<!1))[一二三四五六七八九十\d]*(?:周|天|个月|星期)|"
    r"满(?:"
    + numbers.NUM
    + r"|半)(?:个月|周|天|学期|学年)|已经(?:"
    + numbers.NUM
    + r")(?:个月|周)了"
)
_EXCHANGE_PERIOD = re.compile(r"为期|一学年|一学期|[一二三两半\d]个月|第一天|任教|期满|届满")

# --- chat signals -----------------------------------------------------------------------

# A reply to someone else's message: 收到 / 好的 / 明白 … then whatever they add.
_REPLY = re.compile(r"^\s*(?:收到|好的|好嘞|明白|知道了|了解|ok|OK|Ok|嗯嗯|嗯|好滴)(?:[,.!。~ ]|$)")
_REQUEST_START = re.compile(r"^\s*(?:请|烦请|麻烦)(?:各|大家|全体|老师|各位|相关|班主任|您)")
_PERSONAL = re.compile(r"请假|病假|事假|调课|代课|帮忙|帮我")
# (照常/如期 without a day of their own confirm an event told before: nothing new)
_OPINION = re.compile(r"(?:我|大家|个人|本人)(?:觉得|认为|感觉)|照常|如期|正常进行")
_MOVED = re.compile(r"改在|改到|改为|移到|换到|调到|调整到|挪到|换成")

_SENTENCE = re.compile(r"[^。!?;\n]*(?:[。!?;\n]+|$)")
_QUESTION = re.compile(
    r"[?]|吗|是否|能否|可否|有没有|是不是|要不要|能不能|可不可以|几点|哪里|哪儿|什么时候|何时|咋|"
    r"谁(?!都)|哪位|哪些老师|哪几"
    # A-not-A asks yes or no: 去不去, 定不定, 来不来
    r"|([\u4e00-\u9fff])不\1"
)
# Thanks and praise as a comment: "今天去解小送教的老师们辛苦了", "示范课讲得非常好".
_THANKS_ANY = re.compile(r"辛苦(?:了|啦|大家|各位|你们|老师们)")
_EVALUATION = re.compile(
    r"得(?:很|非常|真|特别|太|十分)?(?:好|精彩|棒|成功|出色|生动)|太(?:精彩|棒|好)了|很成功"
)
# The event said not to happen: "溪南这周没有安排送教".
_NOT_HAPPENING = re.compile(r"(?:没有|没|未|无|不)(?:安排|开展|举行|进行|组织)")
# Lookaheads named *_GATE hold the characters every match starts with: the engine then
# skips every other position at once instead of trying each branch there. No match changes.
_CANCEL_GATE = r"(?=[去来参上到赶没不无缺取暂停作未])"
_CANCEL = re.compile(
    _CANCEL_GATE
    + r"(?:(?:去|来|参加|上|到|赶)不了|没(?:能)?赶上|没(?:有)?参加|不能参加|无法参加|参加不成|缺席|"
    r"取消|暂停|停一次|停一周|停一节|停一停|停一下|停上|停开|不上了|没去成|去不成|不去了|没有去|没去|不开展|作罢|未能成行|没能成行|没能去|未能去|"
    r"不举行|不进行|停课)"
)
_POSTPONE = re.compile(r"推迟|延期|延后|改期|顺延|另行通知")
_THANKS = re.compile(r"^\s*(?:感谢|谢谢|多谢|致谢)")
_CONGRATS = re.compile(r"^\s*(?:热烈)?(?:祝贺|恭喜|喜报)")
_TOTALS_GATE = r"(?=[1-9两二三四五六七八九十共累总先合已])"
_TOTALS = re.compile(
    _TOTALS_GATE
    + r"(?:(?<![第人每\d])(?:[2-9]|[1-9]\d+|[两二三四五六七八九十]+)(?:余|多)?(?:次|场|期|轮|批|回|趟)(?![数来去])"
    r"|(?:共有|累计|总共有|先后有|合计)(?:\d+|[两二三四五六七八九十百]+)(?:名|位|人)"
    # schools that have done it so far: "全县已有32所学校开通同步课堂"
    r"|(?:已有|共有|累计有|先后有)(?:\d+|[两二三四五六七八九十百]+)(?:余|多)?所)"
)
_PERIOD_SCOPE = re.compile(
    r"共|累计|合计|共计|已|本月|本学期|今年|本学年|本周|上月|上学期|截至|以来|至今|迄今"
)
# For a headcount ("共有16位老师参加") the 共 is its own: only a period word makes it a total.
_PERIOD_WORD = re.compile(r"累计|合计|共计|本月|本学期|今年|本学年|本周|上月|上学期|截至|以来|人次")
_DIRECTIVE = re.compile(
    r"要积极|要认真|应积极|请各校|请各成员校|各校要|各校应|务必|希望各|建议各|鼓励|倡议|"
    r"争取|打算|计划(?:于)?(?:本|下)学期|要求各"
)
_LOGISTICS = re.compile(
    r"集合|出发|上车|乘车|坐车|接送|停车|用餐|午餐|住宿|带好|带上|携带|报到|别忘|提前到"
    # 记得 + a time before: remembering, not a reminder ("记得上次来还是夏天")
    r"|记得(?!上次|上回|那次|那回|当时|以前|之前|去年|小时候|第一次|刚)"
)
# Holding verbs: an event "was held" (news style); 开展了/举办了 before the event word, or
# the event then the verb ("仪式…举行", "培训班正式结束").
_HELD = re.compile(
    r"举行|举办|召开|开展|启动|开幕|闭幕|启幕|落幕|落下帷幕|拉开帷幕|圆满结束|正式结束|成功举办|开班|照常|如期|进行"
)
_HELD_DONE = re.compile(r"了|过")
# a plan, a duty or a decision before the holding verb: announced, not held
_MODAL = re.compile(
    r"(?<![重主纲需])要(?![求点素闻])|应当|应该|必须|须要|可以|希望|建议|鼓励|如何|怎么|"
    r"决定|部署|要求|号召|倡议|计划|拟|将"
)
# where it was held: 在/于 + a place + the holding verb ("在崇庆中学举行", "于成都召开")
_PLACE_HELD = re.compile(
    r"[在于][\u4e00-\u9fff()]{2,20}?(?:举行|举办|召开|启幕|开幕)|在[\u4e00-\u9fff]{2,8}(?:召开|举行)"
)
_FUTURE = re.compile(
    r"将(?!近|相)|即将|准备|拟|计划|打算|预计|届时|欢迎|下周|下个月|下月|下学期|明年|近期|马上"
)

# Not a report though it names an activity (handlers/vocab/nonreports.py, one entry per
# reason; the grammar around each word is below, in _is_chat).
_CUMULATIVE = re.compile(longest_of(_NON_REPORT_WORDS["cumulative"].words))
# a span of time that holds many days: a sum over it is a tally
_SPAN = re.compile(
    r"本周|这周|这一周|本月|这个月|本学期|这学期|今年|本学年|这学年|上周|上个?月|上学期|去年|"
    r"全年|全学期|至今|迄今|以来|截至|截止|累计"
)
# a span of many weeks: lessons counted over it are a tally by themselves
_LONG_SPAN = re.compile(
    r"本学期|这学期|上学期|本学年|这学年|今年|去年|全年|本月|这个月|上个?月|至今|迄今|以来|"
    r"这几个月|近年来|多年来"
)
_NTH_TIME = re.compile(r"第[一二三四五六七八九十\d]+次")
_TALLY_COUNT = re.compile(r"(?:" + numbers.NUM + r")(?:余|多)?(?:节|堂|人次)")
# a clause counting what was done so far ("本学期累计已上42节"): not this event's lessons
# (a series' planned total, "本学期共计16节", is the series')
# every word a rule of _not_one_event needs (its counts, 是, a negation): none → no rule
_NOT_ONE_GATE = re.compile(
    longest_of(
        {
            w
            for e in NON_REPORTS
            for w in e.words
            if e.code not in ("correction", "about", "outside")
        }
        | set(_LONG_SPAN.pattern.split("|"))
        | {"是", "没", "未", "不", "节", "堂", "人次", "每"}
    )
)
# the first characters of each reason's words (award: with its honours)
_FIRST = {e.code: frozenset(w[0] for w in e.words) for e in NON_REPORTS}
_FIRST["award"] = _FIRST["award"] | _FIRST["honour"]
_SO_FAR = re.compile(r"累计|至今|迄今|以来|截至|截止")
# a body or place beyond the alliance, and what ties a meeting there to the alliance
_OUTSIDE = re.compile(longest_of(_NON_REPORT_WORDS["outside"].words))
_ALLIANCE_TIE = re.compile(longest_of(ALLIANCE_TIES))
_HABITUAL = re.compile(longest_of(_NON_REPORT_WORDS["habitual"].words))
_SERIES_START = re.compile(r"起|开始")
_AWARD = re.compile(
    "(?:"
    + longest_of(_NON_REPORT_WORDS["award"].words)
    + r")了?[^,。;!?\n]{0,16}?(?:"
    + longest_of(_NON_REPORT_WORDS["award"].objects)
    + ")|"
    + longest_of(_NON_REPORT_WORDS["honour"].words)
)
_AWARD_HELD = re.compile(
    r"(?:举行|举办|开展|组织|承办|参加|参与|进行)(?:了|过)?(?!的)|(?<![的在])(?:比赛|赛课|竞赛)(?:中|上)?$"
)
_RECOLLECTION = re.compile(longest_of(_NON_REPORT_WORDS["recollection"].words))
_ATTENDANCE = re.compile(longest_of(_NON_REPORT_WORDS["attendance"].words))
_CORRECTION = re.compile(
    r"\s*(?:" + longest_of(_NON_REPORT_WORDS["correction"].words) + r")\s*(?:[::,]|一下)"
)
# 没什么, 什么都, 多少有些 are no questions
_ASKING = re.compile(
    r"(?<![没不])(?:" + longest_of(_NON_REPORT_WORDS["question"].words) + r")(?![都也样的些])"
)
# a question word after a topic marker names the topic (就怎样上好复习课作了讲座, 围绕什么是好课)
_TOPIC_LEAD = re.compile(r"就|围绕|关于|探讨|研讨|讨论|交流|思考|分享|聚焦|针对")
# …and in a later clause, anywhere before it: what was asked, talked over or the theme
# (请问, 想问一下 ask the group now)
_ASKED_LEAD = re.compile(
    r"(?<![请想要])问(?!一下|下)|商量|商讨|讨论|研究|课题|主题|题目|话题|内容|议题"
)
# late or early that did not happen, or nearly: "没有迟到", "差点迟到"
_NOT_LATE = re.compile(r"(?:没有?|未|差点|差一点|险些|没能)$")
_CONDITION = re.compile(longest_of(_NON_REPORT_WORDS["conditional"].words))
_UNSURE = re.compile(longest_of(_NON_REPORT_WORDS["unsure"].words))
_NOT_YET = re.compile(longest_of(_NON_REPORT_WORDS["not_yet"].words))
_HEDGE = re.compile(longest_of(_NON_REPORT_WORDS["hedge"].words))
_NEGATED = re.compile(r"(?:没有?|未|不)$")
_IF_END = re.compile(r"[,,\s]|就|$")
_GOES_ON = frozenset("进入访到向过")
_ROUGH_COUNT = re.compile(r"有?[0-9零〇一二两三四五六七八九十百千几]")
_ABSENT = re.compile(longest_of(_NON_REPORT_WORDS["absent"].words))
# 是 as a copula: not 是否, 还是, 但是, 于是, 总是, 要是, 凡是, 只是, 或是, 若是, 真是, 像是,
# 就是 ("…效果不错就是声音有点卡": only that)
# the kind of activity as the subject of 是: "同课异构是…", "送教下乡活动是…"
_KIND_IS = re.compile(r"(?:活动|工作)?(?:这种形式|这种方式|这项工作)?是(?![否不])")
# a clause ending in 的 + a short noun: "…开展网络教研的学校"
_DE_NOUN_END = re.compile(r"的[\u4e00-\u9fff]{1,6}[。!,;]*\s*$")
_THIS_ONE = re.compile(r"本次|这次|此次|这一次|该次|今天的|昨天的")
_COPULA = re.compile(r"(?<![还但可于总要凡只或若真像就])是(?![否不])")
_PAST = re.compile(r"了|已|圆满|顺利")

# --- schools and people -----------------------------------------------------------------


def _headcount(masked: str, a: int, b: int) -> bool:
    """Whether masked[a:b] is the 人 of a headcount (三人, 12人): the subject of what
    follows, never part of a school's name."""
    return masked[a:b] == "人" and a > 0 and masked[a - 1] in _NUMERAL_CHARS


_UNKNOWN_SUFFIX_GATE = r"(?=[教进九中完实小学大幼附职寄一二三四五六七八九十\d])"
_UNKNOWN_SUFFIX = re.compile(
    _UNKNOWN_SUFFIX_GATE
    # 九年制学校, 十二年一贯制学校: a school type by the grades it holds; 寄校 is 寄宿制学校;
    # 中心校小学 is the primary section of a town's 中心校
    + r"(?:教学点|教师进修学校|进修学校|(?:九|十二)年(?:一贯)?制学校|寄宿制学校|寄校|中心学校|中心校小学|中心小学校|中心小学|中心校|完全小学|"
    # 小学校, 实验小学校, 实验校: full and short forms of a school's name (not 小学校长, 实验校区)
    r"(?:实验小学|小学|实验)校(?![长区园级际本训歌徽服车风内外门医])|实验小学|实验学校|实验中学|小学部|小学|"
    # 实小 is 实验小学 shortened, as 附小 is 附属小学: 宝应实小 names a school (not 实小组)
    r"中学|学校|完小|学院|大学|幼儿园|附小|附中|实小(?![组学])|职中|职校|[一二三四五六七八九十\d]{1,2}[小中](?![学组时])"
    r")(?!(?:语文|数学|英语|科学|音乐|美术|体育)(?![\u4e00-\u9fff]{0,2}组|老师|教师)|教育|阶段|学段|年级|生(?!活))"
)
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
    "研讨 活动 送教 教研 学习 全体 相关 全校 本校 学期 学年 本学期 本学年 寒假 暑假 期间 期末 期中 开学 "
    "本周 本月 今年 明年 去年 乡镇 城乡 片区 远端 主讲 结对 受援 帮扶 阶段 义务教育 中小学 各类 全镇 全乡".split()
)
# Unnamed groups of schools: not expanded into names, but they make an event concrete.
_SCHOOL_GROUP = re.compile(
    r"(?:[两二三四五六七八九十\d]+)(?:校|所学校|所成员校|所小学)|各校|各成员校|联盟校|兄弟学校"
    r"|(?:全县|全市|全区|全镇|全乡|辖区)[^,。;!?\n]{0,8}?(?:学校|中小学|小学)"
)
_ALLIANCE_AFTER = re.compile(r"(?:教育)?(?:联盟|教共体|共同体|集团)")
_ALL_HAN = re.compile(r"[\u4e00-\u9fff]+")
# Verbs that take a place or a school as their object: never the start of its name.
_COVERBS = frozenset(
    "来自 前往 走进 来到 到达 感谢 谢谢 请来 请到 邀请 组织 带领 支援 参观 访问 帮扶 联合 携手 走访 "
    "深入 选派 推荐 派出 受邀 承办 举办 召开 开展 接待 迎接 迎来 赴 莅临 光临 抵达 奔赴 赶赴 "
    "造访 回到 进驻 入驻 考察 慰问 看望 探望".split()
)
# after a verb, a bare 学校 is its object (提升学校); a bare 小学 is a name (前进小学, 振兴小学)
_BARE_SCHOOL = re.compile(r"学校|大学|学院")
# "两个学校", "三所": a count of schools, never part of one's name
_COUNTED = re.compile(r"[一二两三四五六七八九十几\d]+[个所家座]")
_ADMIN_NEAR = re.compile(r"[\u4e00-\u9fff]{1,2}(?:省|市|县|区|镇|乡|旗)")
_ADMIN_END = re.compile(r"(?:省|市|县|区|镇|乡|街道|村|旗|州)$|^(?:省|市|县|区|镇|乡|街道|旗|州)$")
# A place name of up to four characters and its admin word (狮子岗乡, 锡林浩特市, 三阁司镇).
_PLACE_ADMIN = re.compile(r"[\u4e00-\u9fff]{1,4}(?:省|市|县|区|镇|乡|旗)")
_CAMPUS = re.compile(r"(?:(?![和与及的在到去为给、])[\u4e00-\u9fff]){1,5}?(?:校区|分校)")
_COUNT_OF_SCHOOLS = re.compile(r"(?:" + numbers.NUM + r")(?:余|多)?所$")
_ORDINAL_END = re.compile(r"第[一二三四五六七八九十百\d]+$")
# The name of a body that is not a school ends here (…教育学会|小学校长研究会).
_ORGANISATION_END = re.compile("(?:" + "|".join(ORGANISATION_HEADS) + ")$")
# A province or a district and a bare school word: that area's schools (江苏省小学校长,
# 高新区小学全体教师), not one school's name.
_AREA_ONLY = re.compile(r"[省区]$")
# Verbs that are part of a school type: 希望小学 (Project Hope schools).
_SCHOOL_TYPE_VERBS = frozenset({"希望"})
# Prepositions that stand before a place: 在新乡市…, 到许市…
_PLACE_PREP = frozenset("在于到赴向从由往至")
# A place tagged ns, its admin word, maybe a modifier word, then the verb: 张掖市综合|实践学校
_PLACE_THEN_VERB = re.compile(r"(?:省|市|县|区|镇|乡)[\u4e00-\u9fff]{0,2}$")
_SCHOOL_WORD = re.compile(r"小学|中学|学校|学院|大学|幼儿园|中心校|完小")
_ALLIANCE_ACTS = re.compile(r"(?:在|于|举行|举办|召开|开展|组织|承办|牵头|联合)")
# (every branch starts with its character, 自 is tested after 我: the engine can skip to 我/本)
_SELF = re.compile(r"我校|本校|我们学校|我们|本人|我(?<!自我)(?![县市区省国乡镇])")
_DEST_BEFORE = re.compile(
    r"(?:到|去|赴|前往|来到|(?<![迎带请邀])来|走进|进入|深入|下到|至|往|在|为|给|向|地点在|地点[:]?|"
    r"地点是|进驻|驻)(?:了)?$"
)
# "上午在城关小学、下午在城北小学各上了一节科学示范课": two times or days, each with its
# place, sharing one predicate after 各/分别: one clause each
_WHEN = (
    r"(?:上午|下午|晚上|中午|周[一二三四五六日天]|星期[一二三四五六日天]|\d{1,2}月\d{1,2}[日号])"
)
_EACH = re.compile(
    r"(?P<a>" + _WHEN + r"[^,。;、!?\n]{2,12}?)、(?P<b>" + _WHEN + r"[^,。;、!?\n]{2,12}?)"
    r"(?:各|分别)(?P<p>[^,。;!?\n]{2,30})"
)


def _each_apart(m: re.Match[str]) -> str:
    return m.group("a") + m.group("p") + "," + m.group("b") + m.group("p")


# a last clause said of all the parts before it: ",都是语文两节", ",均为数学课"
_SHARED_TAIL = re.compile(r"[,;。]\s*((?:都|均|全都)(?:是|为)?[^,。;!?\n]{1,16})[。!]?\s*$")
# 又/再 + a teaching verb: the same thing done again ("下午又给黄田镇校上了一节")
_AGAIN = re.compile(r"(?:又|再|也)(?:给|为|向|到|去|在)[^,。;!?\n]{1,14}?(?:上|讲|执教|授)了?")
# a request to others: the one who asks arranges the event, they do not report taking part
_ASKS_OTHERS = re.compile(
    r"请(?!假|教|来|到)[^,。;!?\n]{0,4}?(?:各|大家|老师|小学|学校|中心校|注意|做好|准备)"
)
# where a part puts itself: 在/回/到 + a school ("下午回实小参加了集体备课")
_LOCATED_AT = re.compile(r"(?:在|回到|回|到|去|赴|来到)$")
# a header's school that receives: "齐小接受送教情况", "淤上乡小学本周接待"
_RECEIVING = re.compile(r"接受|接待|迎来|迎接|接收|受援")
# coming to "the school" without a name: the header's (or the speaker's) school
_COME_TO_SCHOOL = re.compile(r"来校(?!区|际|园)")
# Verbs of inviting: who invites is the host (城关小学邀请…来校, 特邀…莅临)
_INVITE = re.compile(r"邀请|特邀|邀|聘请|请")
# a bare 来 before what is brought or done: coming here, to the speaker's or header's school
_COME_HERE = re.compile(r"(?<![带请邀迎回原本将后未从])来了?(?:送|上|给|做|听|讲|开展|指导|支教)")
_TO_THE_SCHOOL = re.compile(r"[来到回入进](?:我|本|我们)?校")
_ORIGIN_BEFORE = re.compile(r"(?:从|由|来自)$")
_DEST_AFTER = re.compile(r"(?:的)?(?:[^,。;!?\n]{0,8}?)(?:迎来|迎接|接待|接收|收到|邀请|承接|受邀)")
# "二小张炜老师来校送教", "实小送教团队来我校": someone coming to the header's school. A bare
# "城关小学送教" in a list is as often the destination ("①周一 城关小学送教"): left alone.
_ACTOR_BEFORE_KIND = re.compile(
    r"(?:的)?(?:[\u4e00-\u9fff]{2,4}?(?:老师|教师|校长|团队|一行))?(?:来校|来我校|来我们学校)"
    r"(?:开展|进行)?(?:了)?(?:送教|送课|送培|走教)"
    r"|(?:的)?[\u4e00-\u9fff]{2,4}?(?:老师|教师|校长|团队|一行)(?:开展|进行)?(?:了)?(?:送教|送课|送培|走教)"
)
# Kinds a teacher does in person; a school followed by one of these words acts itself.
_OWN_KINDS = frozenset({"lesson_delivery", "joint_research", "demo_lesson", "sync_class"})
_SCHOOL_ACTS = re.compile(
    r"(?:的)?[^,。;!?\n]{0,3}?(?:开展|举行|举办|组织|召开|承办|与|和|同(?!步)|联合|携手|邀请|迎来|接待|"
    r"派|选派|教师|老师|校长|学生|孩子|师生|同学|团队|全体|通过|为|给|向|送教团队|到|去|赴|前往|来|将|拟|已)"
)
# Words that show a group at work rather than one teacher (数学组, 8人, 全体).
_GROUP_AT_WORK = re.compile(
    r"[\u4e00-\u9fff]组|" + numbers.NUM + r"(?:余|多)?(?:人|位|名)|全体|团队|一行"
)
_PARTNER = re.compile(r"^(?:与|和|同|跟|携手|联合)[^,。;!?\n]{0,16}$")
_LIST_GAP = re.compile(r"^(?:、|和|与|及|以及|跟)$")
_CORE_BEFORE = "到去赴在和与、给为向从及跟同至往,。;:\n +"  # 实小+城关+新民: + joins
_SHORT_BEFORE = _CORE_BEFORE + "号日天午晚"
_CORE_AFTER = re.compile(
    r"(?:[、和与及,。;:\n +]|的|等|[两三四五六七八]校|[两三四五六七八]所|送|开展|举行|举办|召开|老师|教师|校长|学生|师生|开放|"
    r"进行|组织|承办|联合|一起|共同|参加|听|上|同课|集体|教研|交流|支教|跟岗|挂职|轮岗|"
    r"将|已|于|在|今天|明天|昨天|前天|后天|本周|下周|上周|这周|这星期|这礼拜|本学期|这学期|本月|这个月|$)"
)

# Surnames for names the roster does not know. Characters that are mostly function words
# (和 于 向 从 在 …) or that start common nouns (小 青 南 英 数) are left out on purpose.
_SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁"
    "沈任姚卢姜崔钟谭陆汪范金石廖贾夏韦付方邹熊白孟秦邱侯江尹薛闫段雷龙黎史陶贺顾毛郝龚邵万覃武钱"
    "戴严莫孔汤易常温康施牛洪樊葛邢骆欧颜倪柳鲍庞兰殷祝甘饶童凌翟蒙詹申耿关聂焦魏柴阎连霍左安岳"
    "章鲁葛房裴卓屈蓝麦艾包尚佘宁巫单谷阮项苗伍宫吉滕褚芦解文"
    "晏商鲜买訾蔺郜仝逯亓昝邝冼佟栾阚裘缪喻臧邬蒲闵乔卞巩牟祁戚荀娄甄霍"
    "柯奚符查车储揭"
)
_COMPOUND_SURNAMES = (
    "欧阳",
    "司马",
    "诸葛",
    "上官",
    "东方",
    "皇甫",
    "尉迟",
    "公孙",
    "慕容",
    "夏侯",
)
_NUMERAL_CHARS = frozenset("0123456789零〇一二两三四五六七八九十百千")
_TITLES = re.compile(
    r"校长助理|副校长|校长|助理|老师|教师|主任|书记|园长|院长|教授|教研员|局长|督学|专家|组长|"
    r"副局长|科长|股长|所长|博士|理事长|秘书长|队长|主席|会长|部长|处长|厅长|站长"
)
# What may stand between a name and its title: 等, a count, a modifier (赵青等3名骨干教师).
_TITLE_MOD = re.compile(
    r"(?:等)?(?:" + numbers.NUM + r"[位名个])?(?:骨干|青年|优秀|年轻|新|任课|学科|挂职|"
    r"支教|交流|特级|资深|带队|随行|数学|语文|英语|科学|音乐|美术|体育|书法|教学|教务|"
    r"德育|名)?(?:副)?$"
)
# The end of a name list: "王敏、刘洋等5名同学".
_ETC = re.compile(
    r"等(?=(?:" + numbers.NUM + r"[位名个])?[\u4e00-\u9fff]{0,4}?(?:老师|教师|同学|学生|专家|代表|"
    r"领导|校长|成员|骨干|同志))"
)
# Characters that are function words and never part of a name in these messages.
_NOT_NAME_CHARS = frozenset(
    "的了又也我你他她们是就都还和与及等把被给到去从向对着过吗呢吧啊在将已各每该来校课"
)
_NOT_NAMES = frozenset(
    {
        "全体",
        "青年",
        "骨干",
        "各位",
        "两位",
        "诸位",
        "学校",
        "班主任",
        "教导",
        "年级",
        "数学",
        "语文",
        "英语",
        "科学",
        "音乐",
        "美术",
        "体育",
        "全校",
        "本校",
        "我校",
        "带队",
        "指导",
        "优秀",
        "专职",
        "兼职",
        "退休",
        "新任",
        "在职",
        "支教",
        "帮扶",
        "代课",
        "任课",
        "授课",
        "听课",
        "评课",
        "主讲",
        "执教",
        "中心",
        "名师",
        "特级",
        "高级",
        "一级",
        "二级",
        "三级",
        "宣传",
        "大队",
        "教务",
        "政教",
        "德育",
        "后勤",
    }
)

_COUNT_BEFORE_TITLE = re.compile(numbers.NUM + r"[位名]$")
# A counted group of people before its title: 两位轮岗老师, 3名骨干教师
_COUNTED_GROUP = re.compile(numbers.NUM + r"[位名个][\u4e00-\u9fff]{0,4}$")
# What may follow a name in a list: another item, a title, a count, a verb of going.
_NAME_FOLLOW = re.compile(
    r"[、和与及,。;!?:()\n ]|的|博士|老师|校长|主任|[两二三四五六七八九十\d][位名]|"
    r"[到去在来赴从一共等也都已于为对给被将正带作做主讲执教上参分获同跟负挂任]|"
    r"前往|致辞|表示|介绍|宣读|$"
)
_TITLE_RX = re.compile(r"《([^《》\n]{1,60})》")
_ONLINE_RX = re.compile(longest_of(ONLINE_WORDS))
_OFFLINE_RX = re.compile(longest_of(OFFLINE_WORDS) + r"(?!长)")  # 到校长室
_SYNC_FALLBACK = re.compile(r"(?:上|授|讲|执教)了?[^,。;!?\n]{0,10}课")


def _subject_table() -> tuple[re.Pattern[str], dict[str, str]]:
    by_form = {f: s for s, forms in SUBJECT_FORMS.items() for f in forms}
    rx = re.compile(longest_of(by_form))
    return rx, by_form


_SUBJECT_RX, _SUBJECT_OF = _subject_table()
# A subject as a field of its own: followed by its lesson count ("科学1节", "美术 两节"),
# or after a form label ("学科:美术").
_SUBJECT_FIELD = re.compile(r"\s*(?:" + numbers.NUM + r")\s*(?:节|堂|课时)|\s*[)）]|\s*$|\n")
_SUBJECT_LABEL = re.compile(r"(?:学科|科目|课程)[:]\s*$|[(（]$")


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
    home: str | None = None  # the reporting school a list header names
    default_day: date | None = None  # the header's day, for an item that names none
    # a subject-less clause continuing the one before it: (its people, its school)
    implied: tuple[tuple[str, ...], str | None] | None = None
    quotes: list[tuple[int, int]] = field(default_factory=list)  # “…” themes and slogans
    roster_forms: dict[str, str] = field(default_factory=dict)  # written school forms → names
    implied_self: bool = False  # 我 was put in front of a subject-less report
    home_dest: str | None = None  # the header's destination ("江滨到淤上送课:")
    people: tuple[str, ...] = ()  # the header's people ("这周我的联盟工作:")
    register: bool = False  # a line under a list header (see _Inherit)
    receives: bool = False

    def in_quote(self, i: int) -> bool:
        """Inside a quoted theme (“阅读伴我成长”): its words are not the writer's."""
        return bool(self.quotes) and any(a < i < b for a, b in self.quotes)

    def note(self, msg: str) -> None:
        if msg not in self.notes:
            self.notes.append(msg)


@dataclass(frozen=True)
class _Inherit:
    """What a list header or an earlier clause passes to the parts after it."""

    home: str | None = None  # the reporting school ("二小本周送教登记")
    kind: _Word | None = None  # the kind of kind-less items (送教登记)
    day: date | None = None  # the header's day
    week: str = ""  # 下/下下/上: the week of bare weekdays in items
    subject: tuple[str, ...] | None = None  # people of the clause before
    subject_school: str | None = None
    dest: str | None = None  # "江滨到淤上送课:" names the destination too
    people: tuple[str, ...] = ()  # "这周我的联盟工作:" the sender for every item
    header_day: date | None = None  # the list header's own day, for an item's 上午/下午
    register: bool = False  # a line under a list header
    receives: bool = False  # the header's school receives ("齐小接受送教情况汇总")


_NO_INHERIT = _Inherit()  # frozen, so one instance serves every part that inherits nothing


# A reply that only reacts to what it quotes: thanks, praise, acknowledgement.
_ACK = re.compile(
    r"^\s*(?:收到|好的|好嘞|明白|知道了|ok|OK|Ok|嗯嗯|嗯|好滴|没问题|可以)\s*[,.!。~ ]+"
)
_REACTION = re.compile(
    r"^\s*(?:@\S+\s*)?(?:谢谢|感谢|多谢|辛苦|点赞|赞|太棒|真棒|好棒|学习了|受益|不客气|"
    r"厉害|优秀|棒|给力|期待|佩服|向.{1,8}学习)"
)
# The sign-up words at the end of a 接龙 header: what is left is the event.
_QUOTED = re.compile(r"“[^”\n]{1,30}”|\"[^\"\n]{1,30}\"|「[^」\n]{1,30}」")
_SIGNUP_TAIL = re.compile(
    r"#?接龙|(?:活动)?(?:报名|签到|登记|接龙|统计)(?:表|名单)?(?=\s*[:(]|\s*$)"
)
# What a sign-up line may hold beside the name: a title, its subject, a remark like 报名.
_SIGNUP_REST = re.compile(
    r"[\s,、。.:()]*(?:老师|校长|主任)?[\s,、。.:()]*"
    r"(?:语文|数学|英语|科学|音乐|美术|体育|道法|信息技术|书法|心理|劳动)?[\s,、。.:()]*"
    r"(?:报名|参加|已报|\+1)?[\s,、。.!]*"
)
_BARE_NAME = re.compile(r"([\u4e00-\u9fff]{2,4}?)(?:老师|校长|主任)?\s*(?:报名|参加|\+1)?")
_INLINE_HEADER = re.compile(r"^[^,;。:\n]{2,24}?[:]")
# a header that names a visit (a delivery or inspection) as what was done
_VISIT_HEAD = re.compile(r"送教|送课|送培|走教|视导|督导|调研|指导")
_STEPS = re.compile(
    r"分[两二三四五六七八九十\d]+(?:步|个环节|个阶段|个部分|部分|项)|流程|环节|议程|步骤"
)
_HEADER_WEEK = re.compile(r"(下下|下|上)(?:个)?(?:周|星期|礼拜)")
_BARE_WEEKDAY = re.compile(r"(?<![上下本这个每])(?:周|星期|礼拜)(?=[一二三四五六日天1-7])")
# Leading words that are neither subject nor verb: 又, 也, 还, 今天上午 (dates are skipped apart).
_ADVERBIAL = re.compile(r"(?P<p>为了|为|根据|按照|依据|依托|围绕|结合|本着)[^,。;!?\n]{1,40}?[,]")
_PURPOSE = re.compile(r"\s*(?:为了|为)[^,。;!?\n]{2,40}?[,]")
_LEAD_FILLER = re.compile(
    r"(?:又|也|还|再|就|都|一起|已经|已|刚刚|刚|于|在今天|的时候|先|首先|后来|然后|接着|随后|最后|第[一二三四五六七八\d]节(?:课)?"
    # how it was done, before the verb: "晚上还线上参加了读书分享"
    r"|线上|线下|网上|在线|远程|结束后|课后|会后|之后)"
)
# A clause that starts with what was done: a verb of going or doing, or 和/跟 + a companion.
_ACTOR_START = re.compile(
    r"(?:和|跟|同|与|陪同?|带着?|随)[\u4e00-\u9fff]{1,10}?(?:老师|校长|主任|一起|一道|去|到|来|赴|在|给|为)"
    r"|(?:去|到|来到|赴|前往|下到|走进|深入|回到|回|跑了?一?趟)(?!了解|过|年|过来|看看|答|复|应|忆|顾)"
    r"|在[^,。;!?\n]{1,12}?(?:上|开展|参加|听|讲|做|执教|举行|组织|送|召开|进行|交流)"
    r"|(?:给|为)(?!了|推进|提升|促进|加强|进一步|深化|落实|助力|更好|切实|全面|让|使|确保|帮助)"
    r"|(?:上了|讲了|听了|参加了?|执教了?|主讲了?|做了|开展了|组织了|送了|带了|承担了)"
)
_NOT_ACTOR_START = re.compile(r"(?:在[^,。;!?\n]{0,14}?(?:指导|带领|支持|组织|关心|部署|安排)下)")


def _shift_weeks(text: str, week: str) -> str:
    """Put a header's week (下周联盟活动安排) in front of the items' bare weekdays (①周二)."""
    if not week:
        return text
    return _BARE_WEEKDAY.sub(lambda m: week + m.group(), text)


def _place(r: ParsedReport, own: frozenset[str]) -> frozenset[str]:
    if r.to_school:
        return frozenset({r.to_school})
    return frozenset(r.schools) - own


def _same_event(
    a: ParsedReport, b: ParsedReport, *, strict: bool = False, own: frozenset[str] = frozenset()
) -> bool:
    """Whether b only goes on telling a: same day (or none) and same place (or none).
    `own` are the schools of whoever tells it (the sender's): where they come from is not
    where it happens. `strict`: every field the same (a list item repeated)."""
    if strict:
        return a._fields() == b._fields()
    if a.date is not None and b.date is not None and a.date != b.date:
        return False
    pa, pb = _place(a, own), _place(b, own)
    return not (pa and pb and not (pa & pb if not (a.to_school and b.to_school) else pa == pb))


_TALLY_LINE_COUNT = re.compile(
    r"(?:" + numbers.NUM + r")(?:余|多)?(?:节|堂|课时|次|场|人次|人|名|位)"
)
_TALLY_HEADER = re.compile(
    r"本月|这个月|上个?月|本学期|这学期|上学期|今年|去年|本学年|这学年|全年|至今|迄今|以来|累计|"
    r"(?<![\d月])(?:\d{1,2}|[一二三四五六七八九十]{1,2})月(?![\d一二三四五六七八九十初中底])|"
    r"统计|汇总|合计|各校|各成员校|各学校"
)
_TALLY_FILLER = re.compile(r"[\s:,、.;()()/|·-]+|共|合计|累计|计|老师|校长")


def _one_visit(a: ParsedReport, b: ParsedReport, own: frozenset[str]) -> bool:
    """Whether two list items are parts of one activity: the spec splits where parts
    differ in date, in destination or in kind, so items that differ in none of them (its
    morning and afternoon, two teachers' lessons) are one record. Exchanges are each
    teacher's own."""
    if a.intent != "activity" or b.intent != "activity" or a.kind != b.kind:
        return False
    if a.date is None or a.date != b.date:
        return False
    pa, pb = _place(a, own), _place(b, own)
    return not pa or not pb or pa == pb


def _combine(recs: list[ParsedReport]) -> ParsedReport:
    if not recs:
        return CHAT
    if len(recs) == 1:
        return recs[0]
    return replace(recs[0], records=tuple(recs))


class ReportParser:
    """Turns one chat message into a ParsedReport. Build once; `parse` is pure and fast."""

    def __init__(
        self, roster: Roster, cache_dir: Path | None = None, *, strict: bool = False
    ) -> None:
        self.roster = roster
        self.gazetteer = Gazetteer(roster)
        self._strict = strict  # tests: let exceptions through instead of answering chat
        self._words = _word_table()
        self._word_rx = re.compile(longest_of(self._words))
        vocab = {w: "kw" for w in self._words}
        names = self.gazetteer.words()
        vocab.update(names)
        self._tk = new_tokenizer(
            Path(cache_dir) if cache_dir is not None else None, vocab, frozenset(names)
        )

    # -- entry point -----------------------------------------------------------------------

    def parse(
        self,
        text: str,
        sent_at: datetime,
        sender: str | None = None,
        *,
        quoted: str | None = None,
        sender_school: str | None = None,
    ) -> ParsedReport:
        """One message → its reports (`ParsedReport.reports`; `records` when several).

        `sender` is the roster name of who sent it: their school stands for 我/我校 and for
        a report that leaves its subject out. `sender_school` gives that school when the
        roster does not know the sender. `quoted` is the text of a message this one replies
        to, when the platform passes it apart: it is never read as part of the reply, and
        a reply that only reacts to it is chat. Never raises: anything unexpected is
        logged and answered as `chat`."""
        token = _SENDER_SCHOOL.set(sender_school if isinstance(sender_school, str) else None)
        memo = _MEMO.set({})  # parts read twice (a clause, then its group) are read once
        try:
            return self._parse(text, sent_at, sender, quoted)
        except Exception:
            if self._strict:
                raise
            log.exception("parser failed on a message of %d characters", len(text or ""))
            return CHAT
        finally:
            _MEMO.reset(memo)
            _SENDER_SCHOOL.reset(token)

    def _parse(
        self, raw: str, sent_at: datetime, sender: str | None, quoted: str | None = None
    ) -> ParsedReport:
        text = normalize(raw)
        if not text:
            return CHAT
        if text[0] == "/":
            return COMMAND
        if not isinstance(sent_at, datetime):
            sent_at = datetime.now(CHINA)
        if sent_at.tzinfo is None:
            sent_at = sent_at.replace(tzinfo=CHINA)
        sender = sender.strip() if isinstance(sender, str) and sender.strip() else None
        text, had_quote = strip_quote(text)
        had_quote = had_quote or bool(quoted and quoted.strip())
        if not text:
            return CHAT
        if text[0] == "/":
            return COMMAND
        if had_quote:
            if _REACTION.match(text):
                return CHAT  # "谢谢张老师,孩子们很喜欢!": a comment on the quoted report
            # "好的,下周三我们…一起集体备课": the answer's own report follows the 好的
            text = _ACK.sub("", text, count=1) or text
            got = self._message(text, sent_at, sender)
            # a reply reports only what it dates itself; "黄老师的讲座太精彩了,我们溪南的老师
            # 都说受益匪浅" comments on the quoted report
            return got if got.reports and all(r.date for r in got.reports) else CHAT
        return self._message(text, sent_at, sender)

    def _message(self, text: str, sent_at: datetime, sender: str | None) -> ParsedReport:
        text = self._week_of_message(text, sent_at)
        parts = list_parts(text)
        if parts is not None and parts.numbered:
            return self._parse_list(parts, sent_at, sender)
        if parts is not None:
            inherit = self._header_inherit(parts.header, sent_at, sender)
            if self._tally_list(parts, inherit, sent_at):
                return CHAT
            got = self._parse_segments(
                list(parts.items),
                sent_at,
                sender,
                inherit,
            )
            if got is not None:
                return got
        counted = counted_parts(text) if parts is None else None
        if counted is not None:
            # "今天解小两件事:…;…": the lead's count says how many reports its parts are
            lead, segments = counted
            inherit = self._header_inherit(lead, sent_at, sender)
            recs = [self._one(seg, sent_at, sender, inherit) for seg in segments]
            if all(r.is_report for r in recs):
                return _combine(recs)
        got = self._parse_clauses(text, sent_at, sender)
        if got is not None:
            return got
        return self._one(text, sent_at, sender)

    # -- several reports -----------------------------------------------------------------

    def _parse_list(self, parts: ListParts, sent_at: datetime, sender: str | None) -> ParsedReport:
        """A numbered or 接龙 list: one record per item, each inheriting the header's
        reporting school, kind and day (and its week for bare weekdays)."""
        inherit = self._header_inherit(parts.header, sent_at, sender)
        # chat lines in a list ("收到") add nothing and do not make it more than sign-ups
        items = [it for it in parts.items if not _REPLY.match(normalize(it))] or list(parts.items)
        names = [self._names_only(it) for it in items]
        if all(n is not None for n in names):
            # a 接龙 of sign-ups (names only) is the header's one event with them as teachers
            event = _SIGNUP_TAIL.sub("", parts.header)
            signed = tuple(p for n in names for p in (n or ()))
            # they take part, not the sender: "今天参加联片教研的老师签到" has them as subject
            r = self._one(event, sent_at, sender, _Inherit(people=signed, subject=signed))
            if not r.is_report:
                return CHAT
            people = tuple(dict.fromkeys([*r.teachers, *signed]))
            r = replace(r, teachers=people, missing=tuple(m for m in r.missing if m != "teachers"))
            if r.kind == "lesson_delivery" and r.to_school is None and len(r.schools) == 1:
                # "5月12日淤上乡小学送教报名": people sign up to go there, from wherever they are
                r = replace(
                    r,
                    from_school=None,
                    to_school=r.schools[0],
                    missing=tuple(m for m in r.missing if m != "to_school"),
                )
            return r
        if _STEPS.search(parts.header):
            # "今天的送教分三步: 1. … 2. … 3. …": numbered steps of one event
            return self._one("\n".join([parts.header, *parts.items]), sent_at, sender)
        if self._tally_list(parts, inherit, sent_at):
            return CHAT  # "各校本学期同步课堂: 1. 齐小 12节 2. 解小 10节": counts, no event
        recs: list[ParsedReport] = []
        told: list[list[str]] = []  # the items each record is read from
        own = frozenset(
            x for x in (self.roster.school_of(sender), _SENDER_SCHOOL.get(), inherit.home) if x
        )
        for item in parts.items:
            r = self._one(_shift_weeks(item, inherit.week), sent_at, sender, inherit)
            if not r.is_report or (recs and _same_event(recs[-1], r, strict=True)):
                continue
            if recs and _one_visit(recs[-1], r, own):
                told[-1].append(item)  # "今天送教: 1. 上午… 2. 下午…": parts of one event
                continue
            recs.append(r)
            told.append([item])
        for i, items in enumerate(told):
            if len(items) > 1:
                text = _shift_weeks("\n".join(items), inherit.week)
                whole = self._one(text, sent_at, sender, inherit)
                if whole.is_report:
                    recs[i] = whole
        for line in parts.footer:  # a line after the list: a report only on its own
            r = self._one(line, sent_at, sender, replace(inherit, kind=None))
            if r.is_report:
                recs.append(r)
        if len(recs) >= 2 and not parts.footer:
            # items read as several reports may be the parts of the one visit the header tells
            visit = self._visit_parts(parts, sent_at, sender)
            if visit is not None:
                return visit
        return _combine(recs)

    def _visit_parts(
        self, parts: ListParts, sent_at: datetime, sender: str | None
    ) -> ParsedReport | None:
        """ "实小今天到城北小学送教: 1. 黄丽萍上示范课 2. 陈志强做讲座 3. 一起评课": a header
        that reports a visit (a delivery or an inspection, its day and where it went) over
        items with no day and no school of their own lists what the visit held: one record
        (spec: parts differing in date, destination or kind split; a lesson, a talk and a
        review given on one visit are the visit's)."""
        if not _VISIT_HEAD.search(parts.header):
            return None
        head = self._one(parts.header, sent_at, sender)
        if not (head.is_report and head.kind in ("lesson_delivery", "inspection") and head.date):
            return None
        if not (head.to_school or head.schools):
            return None
        today = sent_at.date()
        for item in parts.items:
            masked, _ = _mask_titles(normalize(item))
            if any(
                h.day and not h.deadline and h.form != "tod" for h in self._dates(masked, today)
            ):
                return None  # an item on a day of its own is a report of its own
            ctx = self._ctx(item, sent_at, sender)
            if any(m.name and m.name not in head.schools for m in self._schools(ctx)):
                return None  # …and so is one somewhere else
        whole = self._one("\n".join([parts.header, *parts.items]), sent_at, sender)
        if not whole.is_report or whole.kind != head.kind:
            whole = replace(head, teachers=tuple(dict.fromkeys([*head.teachers, *whole.teachers])))
        return whole

    def _elsewhere(
        self, seg: str, prev: ParsedReport, r: ParsedReport, own: frozenset[str]
    ) -> bool:
        """A part of another kind that puts itself somewhere else than the report before
        it is another event, even at the sender's own school ("…上午去齐小送教 下午在二小
        参加了磨课", "…下午回实小参加了集体备课晚上还线上参加了读书分享"): 在/回/到 + a
        school other than the earlier place, or online when the earlier part was not."""
        if r.kind == prev.kind or r.intent != "activity" or prev.intent != "activity":
            return False
        masked = normalize(seg)
        if _ONLINE_RX.search(masked) and prev.mode != "online":
            return True
        there = _place(prev, own) or frozenset(prev.schools)
        for a, _, name, _ in self.gazetteer.exact(masked):
            if _LOCATED_AT.search(masked, max(0, a - 2), a) and name not in there:
                return True
        return False

    def _tally_list(self, parts: ListParts, inherit: _Inherit, sent_at: datetime) -> bool:
        """A table of totals: its header names a span longer than a week or each school
        (本学期, 11月, 各校, 统计) and no day, and every line is only a name and a count."""
        return (
            inherit.day is None
            and bool(_TALLY_HEADER.search(parts.header))
            and all(self._tally_line(it, sent_at) for it in parts.items)
        )

    def _tally_line(self, item: str, sent_at: datetime) -> bool:
        """A list line that is only who or which school and a count ("齐小 12节",
        "张炜 3次"), with no day: a line of a table of totals, not an event."""
        text = normalize(item)
        if not _TALLY_LINE_COUNT.search(text) or any(
            h.day for h in self._dates(text, sent_at.date())
        ):
            return False
        spans = [(a, b) for a, b, _, _ in self.gazetteer.exact(text)]
        spans += [(a, b) for a, b, _ in self.gazetteer.find_people(text)]
        spans += [m.span() for m in _SUBJECT_RX.finditer(text)]
        spans += [m.span() for m in _TALLY_LINE_COUNT.finditer(text)]
        rest = [True] * len(text)
        for a, b in spans:
            rest[a:b] = [False] * (b - a)
        return not _TALLY_FILLER.sub("", "".join(c for c, r in zip(text, rest, strict=True) if r))

    def _parse_segments(
        self, segments: list[str], sent_at: datetime, sender: str | None, inherit: _Inherit
    ) -> ParsedReport | None:
        """Lines or clauses read one by one; a part that reports nothing new (no report,
        or the same day and place as the report before it) joins the part before it.
        None when fewer than two reports remain: the caller reads the text as one."""
        groups: list[list[str]] = []
        reps: list[ParsedReport] = []
        again: set[int] = set()  # groups that repeat the kind of the report before them
        own = frozenset(
            x for x in (self.roster.school_of(sender), _SENDER_SCHOOL.get(), inherit.home) if x
        )
        for seg in segments:
            r = self._one(_shift_weeks(seg, inherit.week), sent_at, sender, inherit)
            if not r.is_report and reps and reps[-1].is_report and _AGAIN.search(seg):
                # "…给淤上上了同步课堂音乐,下午又给黄田镇校上了一节": 又 + a teaching verb
                # does the same thing again; somewhere else it is another report of that kind
                last = reps[-1]
                code = last.kind or last.exchange_kind or ""
                kind = _Word(0, 0, "", code, last.intent == "exchange", False)
                r2 = self._one(
                    _shift_weeks(seg, inherit.week), sent_at, sender, replace(inherit, kind=kind)
                )
                if r2.is_report and not _same_event(last, r2, own=own):
                    groups.append([seg])
                    reps.append(r2)
                    again.add(len(groups) - 1)
                    continue
            if groups and (
                not r.is_report
                or (
                    reps[-1].is_report
                    and _same_event(reps[-1], r, own=own)
                    and not self._elsewhere(seg, reps[-1], r, own)
                )
            ):
                groups[-1].append(seg)
            elif groups and not reps[-1].is_report:
                # a leading chat part ("这周事情挺多") is dropped when it names no school and
                # nobody; otherwise it may hold the subject and stays with the report after it
                lead = "".join(groups[-1])
                if self._names_something(lead, sent_at, sender):
                    groups[-1].append(seg)
                else:
                    groups[-1] = [seg]
                reps[-1] = r
            else:
                groups.append([seg])
                reps.append(r)
        if len(groups) >= 2 and sum(1 for r in reps if r.is_report) >= 2:
            # "周二去城北小学送课,周四去和平中心学校送课,都是语文两节": a last clause that
            # starts with 都/均 and reports nothing itself says it of every report before it
            last = "".join(groups[-1])
            tail = _SHARED_TAIL.search(last)
            if tail and not self._one(tail.group(1), sent_at, sender, inherit).is_report:
                groups[-1] = [last[: tail.start()]]
                groups = [[*g, "," + tail.group(1)] for g in groups]
        if len(groups) < 2:
            return None
        recs: list[ParsedReport] = []
        prev: ParsedReport | None = None
        for gi, g in enumerate(groups):
            text = "".join(g) if not any("\n" in x for x in g) else "\n".join(g)
            own_inherit = inherit
            if prev is not None and prev.is_report:
                school = (self.roster.school_of(sender) if sender in prev.teachers else None) or (
                    prev.from_school
                    or (prev.schools[0] if len(prev.schools) == 1 else inherit.subject_school)
                )
                # the narrator goes on: the sender when they were in it, else its people
                people = (sender,) if sender and sender in prev.teachers else prev.teachers
                # …and on the same day unless the part names its own (…,然后又去城关小学听评课)
                own_inherit = replace(
                    inherit, subject=people, subject_school=school, day=prev.date or inherit.day
                )
                if gi in again:
                    code = prev.kind or prev.exchange_kind or ""
                    own_inherit = replace(
                        own_inherit, kind=_Word(0, 0, "", code, prev.intent == "exchange", False)
                    )
            r = self._one(_shift_weeks(text, inherit.week), sent_at, sender, own_inherit)
            if r.is_report:
                recs.append(r)
                prev = r
        if len(recs) < 2:
            return None
        return _combine(recs)

    def _parse_clauses(
        self, text: str, sent_at: datetime, sender: str | None
    ) -> ParsedReport | None:
        """ "这周二我去淤上送教,周四又和叶老师到黄田听评课": clauses on different days."""
        if "各" in text or "分别" in text:
            text = _EACH.sub(_each_apart, text)
        if "次" in text:
            text = count_apart(text) or text
        masked, _ = _mask_titles(text)
        hits = self._dates(masked, sent_at.date())
        if (len(hits) < 2 and not THEN.search(masked)) or is_form(text):
            return None  # a second report starts at a date of its own
        cuts = clause_starts(
            masked,
            [
                (h.start, h.form == "tod")
                for h in hits
                if (h.day is not None or h.form == "tod") and not h.deadline and not h.postponed_to
            ],
        )
        if not cuts:
            return None
        # cheap test first: a second report needs an event word after the first cut
        light = _Ctx(
            text,
            masked,
            sent_at,
            sent_at.date(),
            sender,
            None,
            WordBounds(masked, self._tk, self._cut_memo()),
            [],
            hits,
        )
        starts = [w.start for w in self._words_in(light, everywhere=True)]
        starts += [m.start() for m in _AGAIN.finditer(masked)]  # 又给…上了一节: the same again
        head = _INLINE_HEADER.match(masked)
        if not (head and any(w < head.end() for w in starts)) and (
            not any(w >= cuts[0] for w in starts) or not any(w < cuts[-1] for w in starts)
        ):
            return None
        inherit = _NO_INHERIT
        if (
            head
            and cuts
            and cuts[0] <= head.end() + 3
            and not any(h.start < head.end() for h in hits if h.form != "wk" or h.day is not None)
        ):
            # "本周一农场:周二…;周三…;周四…": the words before the colon head the list
            inherit = self._header_inherit(text[: head.end()], sent_at, sender)
            cuts = [c for c in cuts if c > head.end()]
            text_body = text[head.end() :]
            cuts = [c - head.end() for c in cuts]
            bounds = [0, *cuts, len(text_body)]
            segments = [text_body[a:b] for a, b in pairwise(bounds) if text_body[a:b].strip()]
        else:
            bounds = [0, *cuts, len(text)]
            segments = [text[a:b] for a, b in pairwise(bounds) if text[a:b].strip()]
        if len(segments) < 2:
            return None
        return self._parse_segments(segments, sent_at, sender, inherit)

    def _week_of_message(self, text: str, sent_at: datetime) -> str:
        """ "下周我的安排:周一去黄田送教,周三…": bare weekdays after a week word with no
        weekday of its own are in that week."""
        if not _HEADER_WEEK.search(text) or not _BARE_WEEKDAY.search(text):
            return text
        masked, _ = _mask_titles(text)
        hits = self._dates(masked, sent_at.date())
        for m in _HEADER_WEEK.finditer(masked):
            if any(h.start <= m.start() < h.end for h in hits):
                continue
            return text[: m.end()] + _shift_weeks(text[m.end() :], m.group(1))
        return text

    def _header_inherit(self, header: str, sent_at: datetime, sender: str | None) -> _Inherit:
        if not header.strip():
            return _NO_INHERIT
        ctx = self._ctx(header, sent_at, sender)
        words = [w for w in self._words_in(ctx) if not w.weak]
        kind = words[0] if words else None
        if kind is not None:
            kind = _Word(0, 0, kind.word, kind.code, kind.exchange, False)
        mentions = self._schools(ctx, header=True)
        named = list(dict.fromkeys(s.name for s in mentions if s.name and s.how != "self"))
        selfish = [s for s in mentions if s.how == "self"]
        home = named[0] if len(named) == 1 else None
        dest = None
        if len(named) == 2 and kind is not None:  # "本月江滨到淤上送课:": both sides for every item
            origin, dest = self._directions(ctx, mentions, ())
            home = origin if origin and dest else None
            dest = dest if home else None
        if home is None and not named and selfish:
            home = ctx.sender_school  # "本周我校联盟工作小结"
        subject = None
        if any(s.written in ("我", "本人") for s in selfish) and ctx.sender:
            subject = (ctx.sender,)  # "这周我的联盟工作": each item is the sender's
        day = next((h.day for h in ctx.hits if h.day and not h.deadline and h.form != "tod"), None)
        wk = _HEADER_WEEK.search(ctx.masked)
        week = (
            wk.group(1)
            if wk and not any(h.form == "wk" and h.start <= wk.start() < h.end for h in ctx.hits)
            else ""
        )
        return _Inherit(
            home=home,
            kind=kind,
            day=day,
            week=week,
            dest=dest,
            people=subject or (),
            header_day=day,
            register=True,
            receives=bool(_RECEIVING.search(ctx.masked)),
        )

    def _names_something(self, text: str, sent_at: datetime, sender: str | None) -> bool:
        ctx = self._ctx(text, sent_at, sender)
        return bool(self._schools(ctx) or self._people(ctx)[0])

    def _names_only(self, item: str) -> tuple[str, ...] | None:
        """The names of a sign-up line ("3. 刘文斌", "黄丽萍老师"), or None when it says more."""
        text = normalize(item)
        found = self.gazetteer.find_people(text)
        rest = text
        names = []
        for a, b, name in sorted(found, reverse=True):
            rest = rest[:a] + rest[b:]
            names.append(name)
        if not names:
            m = _BARE_NAME.fullmatch(text.strip())
            if not m or not self._name_like(m.group(1)):
                return None
            return (m.group(1),)
        if _SIGNUP_REST.fullmatch(rest):
            return tuple(reversed(names))
        return None

    # -- one report ------------------------------------------------------------------------

    @staticmethod
    def _cut_memo() -> dict[str, tuple[int, ...]] | None:
        memo = _MEMO.get()
        if memo is None:
            return None
        return memo.setdefault("cuts", {})

    def _dates(self, masked: str, today: date) -> list[DateHit]:
        """Date phrases, without the weekdays that are the first character of a school's
        name: in "本周一农场:周二…" 一农场 is the school and 本周 only the week."""
        memo = _MEMO.get()
        key = ("dates", masked, today)
        if memo is not None and key in memo:
            return list(memo[key])
        hits = self._dates_uncached(masked, today)
        if memo is not None:
            memo[key] = tuple(hits)
        return hits

    def _dates_uncached(self, masked: str, today: date) -> list[DateHit]:
        hits = find_dates(masked, today)
        if not any(h.form == "wk" for h in hits):
            return hits
        firsts = self.gazetteer.first_chars

        def glued(h: DateHit) -> bool:
            if masked[h.end - 1] not in firsts:
                return False
            around = masked[h.start : h.end + 8]
            return any(0 < a < h.end - h.start < b for a, b, _, _ in self.gazetteer.exact(around))

        return [h for h in hits if not (h.form == "wk" and glued(h))]

    def _ctx(self, text: str, sent_at: datetime, sender: str | None) -> _Ctx:
        masked, titles = _mask_titles(text)
        today = sent_at.date()
        return _Ctx(
            text,
            masked,
            sent_at,
            today,
            sender,
            self.roster.school_of(sender) or _SENDER_SCHOOL.get(),
            WordBounds(masked, self._tk, self._cut_memo()),
            titles,
            self._dates(masked, today),
            quotes=[m.span() for m in _QUOTED.finditer(masked)],
            roster_forms=self.gazetteer.school_forms,
        )

    def _one(
        self, text: str, sent_at: datetime, sender: str | None, inherit: _Inherit | None = None
    ) -> ParsedReport:
        inherit = inherit or _NO_INHERIT
        memo = _MEMO.get()
        key = (text, sent_at, sender, inherit)
        if memo is not None and key in memo:
            return memo[key]
        got = self._one_uncached(text, sent_at, sender, inherit)
        if memo is not None:
            memo[key] = got
        return got

    def _one_uncached(
        self, text: str, sent_at: datetime, sender: str | None, inherit: _Inherit
    ) -> ParsedReport:
        text = text.strip()
        if not text:
            return CHAT
        ctx = self._ctx(text, sent_at, sender)
        at = self._subjectless(ctx)
        if at is not None:
            if inherit.subject is not None or inherit.subject_school is not None:
                ctx.implied = (inherit.subject or (), inherit.subject_school)
            elif ctx.sender_school is not None and sender is not None:
                # reads as if it began with 我 (the spec's convention)
                ctx = self._ctx(text[:at] + "我" + text[at:], sent_at, sender)
                ctx.implied_self = True
        ctx.home = inherit.home
        ctx.home_dest = inherit.dest
        ctx.people = inherit.people
        ctx.register = inherit.register
        ctx.receives = inherit.receives
        main = self._main_word(ctx)
        if inherit.kind is not None and (main is None or main.weak):
            main = inherit.kind  # a weak word (听课15人) gives way to the header's kind
        if main is None or self._is_chat(ctx, main):
            return CHAT
        if not ctx.hits and inherit.day is not None:
            ctx.default_day = inherit.day
        elif inherit.header_day is not None and all(h.form == "tod" for h in ctx.hits):
            # a time of day has no day of its own: "10月28日安排: 1. 上午 …" is the 28th's
            ctx.default_day = inherit.header_day
        got = self._build(ctx, main)
        if got.kind == "meeting" and self._outside_meeting(ctx, main):
            return CHAT
        return got

    def _outside_meeting(self, ctx: _Ctx, main: _Word) -> bool:
        """ "下周一我去市里开会", "县政府召开常务会议": a meeting of a body beyond the
        alliance, naming no school, nothing that ties it to the alliance and no other
        activity (在县教育局参加了送教下乡工作总结会 is the alliance's)."""
        masked = ctx.masked
        if not _FIRST["outside"] & frozenset(masked):
            return False
        s0, s1 = _sentence_at(masked, main.start)
        if not _OUTSIDE.search(masked, s0, s1) or _ALLIANCE_TIE.search(masked):
            return False
        # the sender's own school, added by 我, does not tie it: only a school named
        return all(m.how == "self" for m in self._schools(ctx)) and all(
            w.code == "meeting" for w in self._words_in(ctx)
        )

    def _subjectless(self, ctx: _Ctx) -> int | None:
        """Where 我 would stand in a report that starts with what was done ("下周三去解小
        送教", "今天和黄丽萍老师去城北小学上了两节课"), or None when it has a subject."""
        masked = ctx.masked
        pos = 0
        hits = {h.start: h for h in ctx.hits}
        while pos < len(masked):
            if masked[pos] in " ,。:;!~、\n":
                pos += 1
            elif pos in hits:
                pos = hits[pos].end
            else:
                m = _LEAD_FILLER.match(masked, pos) or self._adverbial(ctx, pos)
                if not m or m.end() == pos:
                    break
                pos = m.end()
        m = _ACTOR_START.match(masked, pos)
        if m is None or _NOT_ACTOR_START.match(masked, pos):
            return None
        if self.gazetteer.school_at(masked, pos):
            return None  # "和平中心校被评为…": a school's name that starts like 和 + someone
        return pos

    def _adverbial(self, ctx: _Ctx, pos: int) -> re.Match[str] | None:
        """A leading adverbial clause that is not the subject: "为充分发挥…作用,",
        "根据结对学校的需求,", "在县教育局的指导下,"."""
        m = _ADVERBIAL.match(ctx.masked, pos)
        if m is None:
            return None
        if m.group("p") in ("为", "为了") and (
            self.gazetteer.exact(m.group()) or "课" in m.group()
        ):
            return None  # 为淤上乡小学上了一节课,: whom it was for
        return m

    # -- kind --------------------------------------------------------------------------------

    def _words_in(self, ctx: _Ctx, everywhere: bool = True) -> list[_Word]:
        # Grammar words after the first strong vocabulary word never become the main word
        # (it comes first), so one scan of the whole text serves every caller.
        everywhere = True
        memo = _MEMO.get()
        key = ("words", ctx.masked, everywhere)
        if memo is not None and key in memo:
            return list(memo[key])
        out = self._words_uncached(ctx, everywhere)
        if memo is not None:
            memo[key] = tuple(out)
        return out

    def _words_uncached(self, ctx: _Ctx, everywhere: bool) -> list[_Word]:
        out: list[_Word] = []
        taken: list[tuple[int, int]] = []
        for m in self._word_rx.finditer(ctx.masked):
            entry = self._words[m.group()]
            taken.append(m.span())
            if entry is not None:
                out.append(_Word(m.start(), m.end(), m.group(), entry[0], entry[1], entry[2]))
        # Only the first event word can be the main one: grammar words after the first
        # strong vocabulary word matter only when the caller splits clauses.
        limit = (
            len(ctx.masked)
            if everywhere
            else next((w.start for w in out if not w.weak), len(ctx.masked))
        )
        masked = ctx.masked
        # Events told by their grammar rather than by a vocabulary word: any 会 that is
        # held, things sent in a counted quantity, lessons sent, going somewhere to 交流
        # for a period. They give way to a vocabulary word on the same characters.
        for (rx, code, exchange, _), gate in zip(_GRAMMAR_WORDS, _GRAMMAR_GATES, strict=True):
            if not gate.search(masked):
                continue  # cheap test first
            for m in rx.finditer(masked):
                if m.start() >= limit:
                    break
                a, b = m.span("w")
                if any(x < b and a < y for x, y in taken):
                    continue
                c0, c1 = _clause_at(ctx.masked, a)
                same = [w for w in out if c0 <= w.start < c1 and not w.weak]
                modifier = code in _HEAD_KINDS and any(0 <= a - w.end <= 3 for w in same)
                if same and not modifier:
                    continue  # "去城北小学上了两节数学示范课": the word names the event
                # …but "支教欢送会": a 会 headed by a kind word is the meeting
                if exchange and not _EXCHANGE_PERIOD.search(ctx.masked):
                    continue
                out.append(_Word(a, b, m.group("w"), code, exchange, False))
        # "送去了语文、数学、英语三门公开课": lessons sent to a school are a delivery; the
        # lesson word says what was sent (not 送去了…课桌, 课外书)
        if "课" in masked and "送" in masked or "带去" in masked:
            for m in _SENT_LESSONS.finditer(masked, 0, limit + 20):
                g = "w" if m.group("w") else "w2"  # 送 + a subject or count: 送英语课, 送两节课
                if not any(x < m.end(g) and m.start(g) < y for x, y in taken):
                    out.append(
                        _Word(m.start(g), m.end(g), m.group(g), "lesson_delivery", False, False)
                    )
        # A student word that names an aid programme ("手拉手"教育帮扶, 手拉手结对捐助) is not
        # the event: what is done in it is (the gift).
        for i, w in enumerate(out):
            if w.code == "student_activity" and not w.weak and _AID_AFTER.match(masked, w.end):
                out[i] = replace(w, weak=True)
            elif w.word == "联谊" and _TEACHING_BEFORE.search(masked, max(0, w.start - 3), w.start):
                out[i] = replace(w, code="joint_research")  # teachers' 教学联谊 (试课, 评课)
        # "听了两节课": listening to lessons is research, unless something says more (视导)
        for m in _LISTENED.finditer(masked, 0, limit + 8) if "听" in masked else ():
            if not any(x < m.end() and m.start() < y for x, y in taken):
                out.append(_Word(m.start(), m.start() + 1, "听", "joint_research", False, True))
        out.sort(key=lambda w: w.start)
        return out

    def _main_word(self, ctx: _Ctx) -> _Word | None:
        words = self._words_in(ctx)
        if not words:
            return self._sync_fallback(ctx)
        masked = ctx.masked
        notices = [m.span() for m in _NOTICE_SPAN.finditer(masked)]
        # a leading purpose ("为了提升学校的教研水平,") names aims, not the event
        aim = _PURPOSE.match(masked)
        if aim and not (self.gazetteer.exact(aim.group()) or "课" in aim.group()):
            notices.append(aim.span())
        # "送教、教研、同步课堂的开展情况": a topic word after a list of event words makes
        # each of them only the topic
        topic_list: set[int] = set()
        for i in range(len(words) - 1, -1, -1):
            w = words[i]
            listed = i + 1 in topic_list and _LIST_GAP.match(masked[w.end : words[i + 1].start])
            if listed or _TOPIC_AFTER.match(masked, w.end):
                topic_list.add(i)
        # "送教总结会", "跟岗研修总结会": words glued before a head word only say what the
        # head event was about
        modifier: set[int] = set()
        for i in range(len(words) - 2, -1, -1):
            w, nxt = words[i], words[i + 1]
            glued = not _GAP_BREAK.search(masked[w.end : nxt.start]) and nxt.start - w.end <= 6
            if glued and (self._is_head(nxt) or (i + 1) in modifier):
                modifier.add(i)
        live: list[_Word] = []
        for i, w in enumerate(words):
            if i in modifier:
                continue  # "送教总结会": the meeting is the event
            if i in topic_list or _TOPIC_BEFORE.search(masked, 0, w.start):
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
        before = re.split(r"[,。;!?\n]", masked[max(0, w.start - 14) : w.start])[-1]
        for hints, code in CONTEST_HINTS:
            if any(h in before for h in hints):
                return code
        return "competition"

    def _sync_fallback(self, ctx: _Ctx) -> _Word | None:
        """ "通过直播为淤上、黄田中心校两校上了一节音乐课": teaching another school online."""
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
        if _CORRECTION.match(masked):
            return True  # "更正:…", "补充一下…": about a message already sent
        s0, s1 = _sentence_at(masked, main.start)
        sentence = masked[s0:s1]
        first = _SENTENCE.match(masked)
        c1 = _clause_at(masked, main.start)[1]
        if any(
            not _embedded_question(masked, s0 + q.start(), c1) for q in _QUESTION.finditer(sentence)
        ) or (first and first.end() <= s0 and _QUESTION.search(first.group())):
            return True
        hits = ctx.hits
        moved = any(h.postponed_to and h.day for h in hits)
        if (_CANCEL.search(masked) or _NOT_HAPPENING.search(masked)) and not moved:
            return True
        if _THANKS_ANY.search(masked) and (ctx.implied_self or not _SELF.search(masked)):
            return True  # the sender thanks those who did it; their own report is theirs
        if (
            _EVALUATION.search(masked)
            and not dated_early(hits)
            and "了" not in masked.replace("太精彩了", "")
        ):
            return True  # a comment on an event ("…的示范课讲得非常好")
        if main.exchange and _EXCHANGE_DIARY.search(masked):
            return True  # "今天是我在齐小支教的第三周了": a day of an exchange already recorded
        if (
            (_POSTPONE.search(masked) or _MOVED.search(masked))
            and not moved
            and not (main.exchange and _UNDATED.search(masked))
        ):  # an exchange "时间另行通知" has no dates yet
            return True  # moved with no new day, or a room change: nothing to record
        dated = any(h.day for h in hits if not h.deadline and h.form != "tod")
        if _THANKS.match(sentence) and not dated:
            return True
        if _CONGRATS.match(masked) and not dated:
            return True
        # A total ("本学期送教12次") says there is no one event, unless the total sits in a
        # clause of its own beside a dated event: "今天召开协调会,确定本学期送教12次".
        c0, c1 = _clause_at(masked, main.start)
        total = next(
            (t for t in _TOTALS.finditer(masked) if not dated or c0 <= t.start() < c1), None
        )
        if total and (
            not dated
            or (
                _PERIOD_WORD.search(masked)
                if total.group()[-1] in "名位人"
                else _PERIOD_SCOPE.search(masked)
            )
        ):
            return True
        if self._not_one_event(ctx, main, sentence, (c0, c1)):
            return True
        if _REQUEST_START.match(masked):
            return True  # "请各班周五前交作业检查表": a request, not a report
        if (_DIRECTIVE.search(sentence) or _OPINION.search(sentence)) and not dated:
            return True  # "各校要积极开展…", "我觉得同课异构挺好": no event happened
        # "参加同课异构的老师请8点在校门口集合": about getting there
        return bool(_LOGISTICS.search(masked) and not _PAST.search(masked) and not main.exchange)

    @staticmethod
    def _not_one_event(ctx: _Ctx, main: _Word, sentence: str, clause: tuple[int, int]) -> bool:
        """Sentences about an activity that report no one event of it (vocab: nonreports)."""
        masked = ctx.masked
        if not _NOT_ONE_GATE.search(masked):
            return False  # none of the words below: one search instead of a dozen
        chars = frozenset(masked)  # each rule below is tried only if its words can start here
        c0, c1 = clause
        own_clause = masked[c0:c1]
        # days the message names, not counting the weekday of a routine (每周三)
        # a routine is said in the event's own clause ("…开展了集体备课,老师们一直讨论到很晚"
        # is one evening's)
        habit = _HABITUAL.search(masked, c0, c1) if chars & _FIRST["habitual"] else None
        series = bool(
            habit
            and _SERIES_START.search(masked, _sentence_at(masked, habit.start())[0], habit.start())
        )
        # a weekday in the routine's own clause is the routine's (每月最后一个周五)
        routine = (
            (habit.start(), _clause_at(masked, habit.start())[1])
            if habit and not series
            else (0, 0)
        )
        days = [
            h
            for h in ctx.hits
            if h.day
            and not h.deadline
            and h.form != "tod"
            and not routine[0] <= h.start < routine[1]
        ]
        # a sum over a span of days: "这学期一共上了同步课堂二十三节", "开学以来送课11节"
        if (
            not days
            and ("节" in chars or "堂" in chars or "人次" in masked)
            and (
                _CUMULATIVE.search(sentence) and _SPAN.search(masked) or _LONG_SPAN.search(sentence)
            )
            and _TALLY_COUNT.search(sentence)
            and not _NTH_TIME.search(sentence)  # "这学期第一次到齐小送教,上了两节": one visit
        ):
            return True  # (lessons over a term or a year need no summing word: 本学期送教12节)
        # a routine: "每周四下午开展集体备课" (a series with a start is read as its first day)
        if habit and not days and not series:
            return True
        # an honour: "在县赛课中荣获一等奖", "被评为…先进单位"; the contest is a report only
        # when its own clause says it was held or taken part in, or the sender won
        for m in _AWARD.finditer(masked) if chars & _FIRST["award"] else ():
            a0, a1 = _clause_at(masked, m.start())
            if "我" in masked[a0:a1]:
                continue
            if ((a0, a1) == (c0, c1) or not _AWARD_HELD.search(own_clause)) and _sentence_at(
                masked, m.start()
            ) == _sentence_at(masked, main.start):
                return True
        # a memory: "还记得第一次去解小送教", "五年前曾在齐小支教"
        for m in _RECOLLECTION.finditer(own_clause) if chars & _FIRST["recollection"] else ():
            if m.group() != "年前" or (
                m.start() and own_clause[m.start() - 1] in "几多十两三四五六七八九0123456789"
            ):
                return True
        # asked, conditional or stayed away from: "周四的教研要准备什么", "如果路通了…就去",
        # "…开放日我们不参加了"
        # (in a clause after the event's, a question word after a verb of asking or a topic
        # noun is what was asked or discussed: "…送课,孩子们都问什么时候再来", "…课题是怎样…")
        s0 = _sentence_at(masked, main.start)[0]
        asking = chars & _FIRST["question"] and any(
            not _TOPIC_LEAD.search(sentence, max(0, m.start() - 4), m.start())
            and not _embedded_question(masked, s0 + m.start(), c1)
            for m in _ASKING.finditer(sentence)
        )
        if asking or (chars & _FIRST["absent"] and _ABSENT.search(sentence)):
            return True
        # not done, not yet or not sure: "齐小今天还没送教", "明天大概去…,还不确定"; a
        # negation right before the event word ("没送教", "未开展")
        # (大概二十个老师, 可能有30人: a number said roughly is no doubt about the event)
        unsure = (
            (chars & _FIRST["unsure"] and _UNSURE.search(sentence) is not None)
            or (chars & _FIRST["not_yet"] and _NOT_YET.search(own_clause))
            or (
                chars & _FIRST["hedge"]
                and any(
                    not _ROUGH_COUNT.match(own_clause, m.end()) for m in _HEDGE.finditer(own_clause)
                )
            )
        )
        if unsure or _NEGATED.search(masked, max(0, main.start - 3), main.start):
            return True
        if (
            chars & _FIRST["conditional"]
            and any(
                m.group() != "的话" or _IF_END.match(sentence, m.end())
                for m in _CONDITION.finditer(sentence)
            )
            and not _PAST.search(own_clause)
            and not any(h.day and h.day <= ctx.today for h in days if c0 <= h.start < c1)
        ):
            return True  # (用校长的话说: 的话 as "words" is no condition; 今天去…送教,如果…:
            # the day's event is done, the condition is about another time)
        # the sender's own coming late or leaving early, said ahead ("我可能晚点到")
        late = _ATTENDANCE.search(sentence) if chars & _FIRST["attendance"] else None
        if (
            late
            and sentence[late.start() - 1 : late.start()] not in ("推", "延")
            and not _NOT_LATE.search(sentence, max(0, late.start() - 3), late.start())
            and sentence[late.end() : late.end() + 1] not in _GOES_ON  # 先走进课堂
            and "了" not in sentence
        ):
            return True  # (推迟到明天 is a postponement)
        # a statement about a kind of activity: "送教下乡是联盟的一项常规工作",
        # "二小是全县第一批开展送教下乡的学校"
        # ("本次质量分析会首先是观课环节" tells of one event: 本次/这次/此次 point at it)
        # Only two shapes: the kind of activity is the subject of 是 (送教下乡是…), or 是 comes
        # before it and the clause ends in 的 + what the subject is (…是…开展送教下乡的学校).
        # A cleft "上示范课的是黄丽萍老师" names who did it: a report.
        dated = days or any(h.form == "tod" for h in ctx.hits)  # 上午 alone is today
        if dated or "是" not in chars or _THIS_ONE.search(own_clause):
            return False
        if _KIND_IS.match(masked, main.end):
            return True
        cop = _COPULA.search(masked, c0, main.start)
        return bool(
            cop
            and masked[cop.start() - 1 : cop.start()] != "的"
            and _DE_NOUN_END.search(masked, main.end, c1)
        )

    # -- the record ------------------------------------------------------------------------

    def _build(self, ctx: _Ctx, main: _Word) -> ParsedReport:
        exchange = main.exchange
        hits = ctx.hits
        day, hit = self._pick_date(ctx, hits, main, exchange)
        if ctx.default_day is not None and (day is None or (hit is not None and hit.form == "tod")):
            day = ctx.default_day
        schools = self._schools(ctx)
        people, name_ends = self._people(ctx)
        teachers = tuple(dict.fromkeys(p for _, _, p in people))
        if ctx.people:
            teachers = tuple(dict.fromkeys([*ctx.people, *teachers]))
        extra_schools = [ctx.home] if ctx.home else []
        if ctx.home_dest and not any(
            s.name and s.name not in (ctx.home, ctx.home_dest) for s in schools
        ):
            extra_schools.append(ctx.home_dest)
        if ctx.implied is not None:  # "…,周四又到城北听评课": the subject of the clause before
            teachers = tuple(dict.fromkeys([*ctx.implied[0], *teachers]))
            if ctx.implied[1]:
                extra_schools.append(ctx.implied[1])
        for name in extra_schools:
            if all(s.name != name for s in schools):
                schools.insert(0, SchoolMention(0, 0, name, "", "home"))
        if self.gazetteer.namesakes:  # 张伟 when there are 张伟(城关) and 张伟(解乡)
            named_schools = [x.name for x in schools if x.name]
            resolved = []
            for t in teachers:
                who, note = self.gazetteer.resolve_namesake(t, named_schools, ctx.sender_school)
                if note:
                    ctx.note(note)
                resolved.append(who)
            teachers = tuple(dict.fromkeys(resolved))
        for s in schools:
            if s.how == "unknown":
                ctx.note(f"学校“{s.written}”不在名册中,按原文记录")
            elif s.how in ("fuzzy", "partial") and s.written != s.name:
                ctx.note(f"“{s.written}”按“{s.name}”记录")
        if any(s.how == "self" for s in schools) and ctx.sender_school is None:
            ctx.note("发送人不在名册中,无法确定“我/我校”指哪所学校")

        # 我 alone says who, not which school: "我觉得同课异构挺好" names no event
        explicit = any(
            s.how != "self" or (ctx.sender_school and s.written not in ("我", "本人"))
            for s in schools
        )
        # A postponement to a new day is a planned activity on that day (the conventions),
        # also when it names no school: the reply asks for the schools.
        moved = any(h.postponed_to and h.day for h in hits)
        held = None if explicit else self._held_event(ctx, main, day, name_ends)
        if (
            not explicit
            and not people
            and not ctx.people  # a list's sign-ups take part
            and not ctx.home  # a list's header names the school that reports ("城关这周的:")
            and not _SCHOOL_GROUP.search(ctx.masked)
            and not moved
            and not held
        ):
            return CHAT  # no school, no group, nobody named: a comment on an event, not a report
        if not explicit and day is None and held != "placed":
            return CHAT  # "张炜老师的示范课讲得太好了": no date and no school
        if self._own_report(ctx, main, schools, teachers):
            # "这周两次送课:周二城北小学科学1节": a teacher's report naming nobody and no
            # school that acts is their own, from their school
            teachers = (ctx.sender or "",)
            schools.insert(0, SchoolMention(0, 0, ctx.sender_school or "", "", "self"))
        names = [s.name for s in schools if s.name]
        school_list = tuple(dict.fromkeys(names))

        subject = self._subject(ctx, tuple((s.start, s.end) for s in schools if s.how == "unknown"))
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
                # "11月16日起…,时间为11月16日至明年7月15日": the range that starts that day
                ranged = next((h.range_end for h in hits if h.day == day and h.range_end), None)
                # "7月6日…开展支教活动,至7月26日,为期二十天…": a day after 至 ends the range,
                # and an explicit range beats a stated duration
                until = next(
                    (
                        h.day
                        for h in hits
                        if h.day
                        and h.day > day
                        and h.start > 0
                        and ctx.masked[h.start - 1] == "至"
                        and not h.deadline
                    ),
                    None,
                )
                end = (
                    hit.range_end
                    if hit and hit.range_end
                    else ranged or until or period_end(ctx.masked, day)
                )
            if day is None:
                status = "planned" if future else "done"
            else:
                status = "done" if day <= ctx.today else "planned"
            origin, dest = self._directions(ctx, schools, teachers)
            for f, v in (
                ("date", day),
                ("end_date", end),
                ("from_school", origin),
                ("to_school", dest),
                ("teachers", teachers),
            ):
                if not v:
                    missing.append(f)
            return ParsedReport(
                "exchange",
                None,
                status,
                day,
                end,
                school_list,
                origin,
                dest,
                teachers,
                subject,
                None,
                participants,
                None,
                None,
                main.code,
                tuple(missing),
                tuple(ctx.notes),
            )

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
        elif (
            hit is not None
            and later_today(hit.time_of_day, ctx.sent, hit.clock)
            and not (_PAST.search(ctx.masked, *_clause_at(ctx.masked, main.start)) and not future)
        ):
            status = "planned"  # "今天下午4点…开展了…" sent at three is done all the same
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
        # 《》 in a gift names what was given (《十万个为什么》等图书), not a lesson or a talk
        title = (
            ctx.titles[0] if ctx.titles and ctx.titles[0] and kind != "resource_support" else None
        )
        return ParsedReport(
            "activity",
            kind,
            status,
            day,
            None,
            school_list,
            origin,
            dest,
            teachers,
            subject,
            title,
            participants,
            mode,
            numbers.lessons(_without_so_far(ctx.masked)),
            None,
            tuple(missing),
            tuple(ctx.notes),
        )

    @staticmethod
    def _held_event(ctx: _Ctx, main: _Word, day: date | None, name_ends: set[int]) -> str | None:
        """A news sentence telling that an event was held ("…捐赠仪式在镇雄县举行", "春晚18日
        举行", "…培训班正式结束", "…研讨会在双流区举办,代表300多人参加") reports it even
        when its organiser is not a school and nobody is named: the event is the sentence's
        subject or object and a holding verb states that it took place. "placed" when the
        sentence also says where it was held or how many took part (a record without a date),
        "dated" when it has only its day; None for a comment on an event."""
        masked = ctx.masked
        s0, s1 = _sentence_at(masked, main.start)
        verb = _HELD.search(masked, s0, s1)
        if verb is None or (
            verb.start() < main.start
            and not _HELD_DONE.match(masked, verb.end())
            and (_FUTURE.search(masked, s0, s1) or _MODAL.search(masked, s0, verb.start()))
        ):
            return None  # "要开展送教", "将开展送教": the verb leads a plan, not what was done
        if _PLACE_HELD.search(masked, s0, s1) or numbers.participants(
            numbers.headcounts(masked[s0:s1], frozenset(e - s0 for e in name_ends))
        ):
            return "placed"
        return "dated" if day is not None else None

    # -- dates -------------------------------------------------------------------------------

    @staticmethod
    def _pick_date(
        ctx: _Ctx, hits: list[DateHit], main: _Word, exchange: bool
    ) -> tuple[date | None, DateHit | None]:
        usable = [h for h in hits if h.day is not None and not h.deadline]
        if not usable:
            return None, None
        moved = [h for h in usable if h.postponed_to]
        if moved:
            h = moved[-1]
            # "下周三…,原定周二改到周三": a bare weekday is in the week the message set
            weeks = [
                x
                for x in usable
                if x.form == "wk"
                and x is not h
                and x.day is not None
                and ctx.masked[x.start] not in "周星礼"
            ]
            other = weeks[0].day if weeks else None
            if (
                h.form == "wk"
                and ctx.masked[h.start] in "周星礼"
                and other is not None
                and h.day is not None
            ):
                shift = (other - timedelta(days=other.weekday())) - (
                    h.day - timedelta(days=h.day.weekday())
                )
                h = replace(h, day=h.day + shift)
            return h.day, h
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

    def _schools(self, ctx: _Ctx, header: bool = False) -> list[SchoolMention]:
        memo = _MEMO.get()
        key = ("schools", ctx.masked, ctx.sender_school, header)
        if memo is not None and key in memo:
            return list(memo[key])
        out = self._schools_uncached(ctx, header)
        if memo is not None:
            memo[key] = tuple(out)
        return out

    def _schools_uncached(self, ctx: _Ctx, header: bool = False) -> list[SchoolMention]:
        gaz = self.gazetteer
        masked, bounds = ctx.masked, ctx.bounds
        cands: list[
            tuple[int, int, str, str, str, int]
        ] = []  # start, end, name, written, how, rank
        exact_spans = []
        for a, b, name, written in gaz.exact(masked):
            al = _ALLIANCE_AFTER.match(masked, b)
            if (
                al
                and not header
                and not _ALLIANCE_ACTS.match(masked, al.end())
                and not self._opens_clause(ctx, a)
            ):
                continue  # "漳平市实验小学教育联盟" names the alliance, not the school
            # …but when the alliance holds the event, its core school takes part:
            # "江滨小学教共体在黄田镇中心学校举行交流会"
            # Two-character aliases must be whole words (解小 is not in 了解小组), unless the
            # words around them are the ones a school takes (齐小和解小的学生: jieba sees 和解).
            if (
                len(written) <= 2
                and not (
                    (a == 0 or masked[a - 1] in _SHORT_BEFORE) and _CORE_AFTER.match(masked, b)
                )
                and not (a in bounds and b in bounds)
            ):
                continue
            generic = written in gaz.generic_forms
            cands.append((a, b, name, written, "exact", 1 if generic else 3))
            if not generic:
                exact_spans.append((a, b))
        for m0 in _UNKNOWN_SUFFIX.finditer(masked):
            m = self._suffix_on_boundary(ctx, m0)
            if m is None:
                continue  # 城南小学部分: the school word is 小学, and 部分 another word
            if _ALLIANCE_AFTER.match(masked, m.end()):
                continue  # the 小学 of an alliance name
            inside = next(((x, y) for x, y in exact_spans if x <= m.start() and m.end() <= y), None)
            if inside is not None:
                # the 小学 of a roster name, unless a place or an ordinal glued in front makes
                # it another school's name: 城东第二实验小学 is not 实验小学
                if (
                    inside[0] == 0
                    or not _ALL_HAN.match(masked, inside[0] - 1)
                    or masked[inside[0] - 1] in _SHORT_BEFORE
                ):
                    continue  # nothing glued in front (the cheap test: no cut needed)
                if self._other_level(masked, inside):
                    # 县实验小学: an admin level the roster school's name does not have there
                    a = inside[0] - 1
                    cands.append(
                        (a, inside[1], masked[a : inside[1]], masked[a : inside[1]], "unknown", 0)
                    )
                    continue
                lo = max((h.end for h in ctx.hits if h.end <= inside[0]), default=0)
                a = self._name_start(ctx, lo, inside[0], "校")
                if (
                    a is not None
                    and a < inside[0]
                    and self._proper_prefix(ctx, a, inside[0])
                    and (gaz.resolve_written(masked[a : inside[1]]) is None)
                ):
                    cands.append(
                        (a, inside[1], masked[a : inside[1]], masked[a : inside[1]], "unknown", 0)
                    )
                continue
            # a school name never starts inside a date: 上周五一农场小学, 下周三江滨小学
            lo = max((h.end for h in ctx.hits if h.end <= m.start()), default=0)
            a = self._name_start(ctx, lo, m.start(), m.group())
            if (
                a is not None
                and any(a <= x and y <= m.end() and (x, y) != (a, m.end()) for x, y in exact_spans)
                and not self._proper_prefix(ctx, a, m.start())
            ):
                continue  # "教共体江滨小学": the roster name with a word glued in front
            hit = gaz.resolve_written(masked[a : m.end()]) if a is not None else None
            if hit is None:
                # A slip can move word boundaries: 于 of 于上乡小学 reads as a preposition and
                # ends the walk too early, 从江宾小学 reads as the place 从江 and goes too far.
                # Try every spelling from six characters back, longest first.
                for b0 in range(max(lo, m.start() - 6), m.start() - 1):
                    frag = masked[b0 : m.end()]
                    if b0 != a and _ALL_HAN.fullmatch(frag):
                        hit = gaz.resolve_written(frag)
                        if hit:
                            a = b0
                            break
            if hit and a is not None:  # a hit always has its start (a, or the b0 it came from)
                cands.append((a, m.end(), hit[0], masked[a : m.end()], hit[1], 2))
            elif a is not None and (
                masked[a - 1 : a] == "等" or _COUNT_OF_SCHOOLS.search(masked, max(0, a - 6), a)
            ):
                continue  # "新乐小学、护国小学等远端学校", "40所希望小学": a kind of school, not a name
            elif a is not None and self._field_label(ctx, a, m):
                continue  # "受赠学校:黄田镇中心学校": the form's field name, not a school
            elif a is not None:
                # a campus after the school's name is part of it: 柳青小学金绣路校区
                campus = _CAMPUS.match(masked, m.end())
                end = campus.end() if campus else m.end()
                faculty = masked.find("大学", a, m.start()) if m.group() == "学院" else -1
                if faculty > a:
                    end = faculty + 2  # 湖北师范大学文学院: a faculty; the university is the school
                written = masked[a:end]
                if ctx.bounds.tag(written) == "n":
                    continue  # 师范大学, 师范学院: a common noun naming a kind of school
                cands.append((a, end, written, written, "unknown", 0))

        def school_context(end: int) -> bool:
            # 黄田镇校 says school by itself; a bare place name needs a school's context
            return masked[end - 1] in "校小" or _CORE_AFTER.match(masked, end) is not None

        for i in gaz.core_starts(masked, _CORE_BEFORE):
            # the cheap context test comes first (inside cores_at); word boundaries may need a cut
            for end, name, how in gaz.cores_at(masked, i, school_context):
                if i in bounds and end in bounds:
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
            if m.group() == "本校" and any(
                x < m.start() for x, _y in taken if x >= _sentence_at(masked, m.start())[0]
            ):
                continue  # "保联小学的陈丁老师同时给本校和…": this school is the one just named
            if not any(x <= m.start() < y for x, y in taken) and not ctx.in_quote(m.start()):
                out.append(
                    SchoolMention(m.start(), m.end(), ctx.sender_school or "", m.group(), "self")
                )
        come = _COME_TO_SCHOOL.search(masked) if ctx.home is None else None
        if (
            come
            and not any(s.how == "self" for s in out)
            and not self._invited(masked, out, come.start())
        ):
            # "实小黄丽萍来校做讲座" from 城关: 来校 without a name comes to the sender's school
            out.append(
                SchoolMention(come.start() + 1, come.end(), ctx.sender_school or "", "校", "self")
            )
        out.sort(key=lambda s: s.start)
        return out

    @staticmethod
    def _invited(masked: str, schools: list[SchoolMention], i: int) -> bool:
        """Whether the 来校 at i follows an invitation by a school named before it in its
        sentence: the school that invites is the one they come to ("城关小学邀请…专家来校")."""
        s0 = _sentence_at(masked, i)[0]
        inv = _INVITE.search(masked, s0, i)
        return inv is not None and any(s0 <= s.start < inv.start() for s in schools)

    @staticmethod
    def _opens_clause(ctx: _Ctx, i: int) -> bool:
        """Whether only dates stand between the clause start and i: the clause's subject
        ("11月23日,漳平市实验小学教育联盟…推进会在城关小学召开")."""
        c0, _ = _clause_at(ctx.masked, i)
        pos = c0
        while pos < i:
            h = next((h for h in ctx.hits if h.start == pos), None)
            if h is not None:
                pos = h.end
            elif ctx.masked[pos] in " ,。;!\n":
                pos += 1
            else:
                return False
        return pos == i

    @staticmethod
    def _suffix_on_boundary(ctx: _Ctx, m: re.Match[str]) -> re.Match[str] | None:
        """The school word of `m`, shortened until it ends on a word boundary (小学部分 →
        小学), or None."""
        nxt = ctx.masked[m.end() : m.end() + 1]
        if (
            not nxt
            or not _ALL_HAN.match(nxt)
            or not (
                m.group().endswith("部")
                or ctx.bounds.is_word(ctx.masked[m.end() - 1 : m.end() + 1])
            )
        ):
            return m  # nothing glued after it could move the boundary
        if m.end() in ctx.bounds:
            return m
        for end in range(m.end() - 1, m.start() + 1, -1):
            if end in ctx.bounds:
                m2 = _UNKNOWN_SUFFIX.fullmatch(ctx.masked, m.start(), end)
                if m2:
                    return m2
        return None

    @staticmethod
    def _proper_prefix(ctx: _Ctx, a: int, b: int) -> bool:
        """Whether masked[a:b], glued before a roster form, is part of another school's
        name (城东第二实验小学 is not 实验小学): a place, a name or an ordinal."""
        prefix = ctx.masked[a:b]
        if re.search(r"第[一二三四五六七八九十\d]+$|[县市区镇乡村路街]$", prefix):
            return True
        i = a
        while i < b:
            j = min(ctx.bounds.next(i), b)
            if ctx.bounds.tag(ctx.masked[i:j])[:2] in ("ns", "nr", "nz"):
                return True
            i = j
        return False

    @staticmethod
    def _function_word(ctx: _Ctx, word: str, rest: str) -> bool:
        """A word that cannot be part of a school's name: a preposition, conjunction,
        adverb, pronoun, particle or time word by jieba's tags (就是二小, 为了…学校); a verb
        that takes a place as its object (来自, 走进, 感谢二小); or any verb right before a
        roster form or a bare 学校/小学 (起到二小, 提升学校). Other verbs can be names
        (前进小学, 大成实验学校, 抬头小学)."""
        tag = ctx.bounds.tag(word)
        if not tag:
            return False
        if tag[0] in "pcdruyeot" or tag in ("ad", "vd", "q", "f"):
            return True
        if tag != "v":
            return False  # 实验 (vn) is the noun in 实验二小
        return (
            word in _COVERBS or _BARE_SCHOOL.fullmatch(rest) is not None or rest in ctx.roster_forms
        )

    def _other_level(self, masked: str, span: tuple[int, int]) -> bool:
        """Whether the admin word glued before a roster form (县|实验小学) is one the roster
        school's own name does not have before that form (漳平市实验小学): another town's
        school. "市实验小学" stays the roster's (its name has 市 there)."""
        level = masked[span[0] - 1]
        if level not in "县区镇乡旗" or (
            span[0] >= 2
            and _ALL_HAN.match(masked, span[0] - 2)
            and masked[span[0] - 2] not in _SHORT_BEFORE
        ):
            return False  # only a bare level word (县实验小学), not a place's last character
        written = masked[span[0] : span[1]]
        hit = self.gazetteer.resolve_written(written)
        if hit is None:
            return False
        name = hit[0]
        i = name.find(written)
        return (
            written not in self.gazetteer.generic_forms
            and not (i > 0 and name[i - 1] == level)
            and self.gazetteer.resolve_written(level + written) in (None, hit)
            and level + written not in (self.gazetteer.school_forms)
        )

    @staticmethod
    def _area_noun(ctx: _Ctx, at: int) -> bool:
        """Whether the words before `at` are a proper name and a two-character common noun
        ending in 区 (阳光社区, 平顶山矿区): a named place a school is named after, not an
        admin district (高新区) nor a kind of area (贫困地区小学: those regions' schools)."""
        a = ctx.bounds.prev(at)
        word = ctx.masked[a:at]
        if not (len(word) == 2 and word.endswith("区") and ctx.bounds.tag(word) == "n"):
            return False
        return ctx.bounds.tag(ctx.masked[ctx.bounds.prev(a) : a])[:2] in ("nr", "ns", "nz")

    @staticmethod
    def _district_word(ctx: _Ctx, word: str, levels: int) -> bool:
        """Whether a word that usually ends a name (山区 "mountain area") is here the admin
        level of a place above another one (铜|山区|汉王镇): a place word, ending with an
        admin character, with a lower level after it."""
        return levels >= 2 and bool(_ADMIN_END.search(word)) and ctx.bounds.tag(word) == "ns"

    @staticmethod
    def _surname_word(ctx: _Ctx, prev: int, start: int) -> bool:
        """Whether a one-character word that usually ends a name (周 "week") is here the
        surname or place character jieba tags it as, with the rest of the name after it
        (周|南|实验中学, 周|溪|小学). Dates are found before: 下周一, 周三 never reach here."""
        return start - prev == 1 and ctx.bounds.tag(ctx.masked[prev]) == "nr"

    @staticmethod
    def _list_item_start(ctx: _Ctx, lo: int, start: int) -> int | None:
        """In a list of schools (雷公庙小学、中河口小学、尧天坪小学) an item is one bare name:
        when the item before the 、 ends with a school word, the name runs from the 、 even
        where jieba cuts its first characters off as single ones (中|河口, 尧|天|坪)."""
        masked = ctx.masked
        mark = masked.rfind("、", max(lo, start - 6), start)
        if mark < 0 or mark + 1 == start or mark <= lo:
            return None
        between = masked[mark + 1 : start]
        if not _ALL_HAN.fullmatch(between) or not _NOT_NAME_CHARS.isdisjoint(between):
            return None
        if not re.search(r"(?:学|校|小|中|园|点)$", masked[max(0, mark - 2) : mark]):
            return None
        i = mark + 1
        while i < start:  # only characters jieba could not read as words
            j = ctx.bounds.next(i)
            if j - i > 1:
                return None
            i = j
        return mark + 1

    @staticmethod
    def _position_in_name(ctx: _Ctx, lo: int, prev: int, start: int, suffix_start: int) -> bool:
        """Whether the one-character position word at `prev` (上 中 下 前 后 …, which jieba
        cuts off: 下|孟) is part of a school's name: it follows the admin word of a place
        (四川理县下孟小学), which takes a name after it, never a position word, or it opens
        the clause (,上栗小学的老师…), where no noun stands for it to follow."""
        masked = ctx.masked
        if start - prev != 1 or ctx.bounds.tag(masked[prev]) != "f":
            return False
        if prev == 0 or masked[prev - 1] in ",。;!?\n ":
            return True  # …or it opens the clause: a position word needs a noun before it
        before = ctx.bounds.prev(prev)
        word = masked[before:prev]
        return (
            before >= lo
            and len(word) == 1
            and word in "县镇乡"
            and _ALL_HAN.match(masked, before - 1) is not None
            and masked[before - 1] not in _SHORT_BEFORE
        )

    @staticmethod
    def _field_label(ctx: _Ctx, a: int, m: re.Match[str]) -> bool:
        """Whether the school word of `m`, with the words from `a`, is a form's field name:
        it starts a line (or a 【】 label) and a colon follows, and no place, name or
        ordinal stands before the school word (接收学校:, 结对学校:; 城北小学: is a header)."""
        masked = ctx.masked
        return (
            masked[m.end() : m.end() + 1] in (":", "】")
            and (a == 0 or masked[a - 1] in "\n【|")
            and not ReportParser._proper_prefix(ctx, a, m.start())
        )

    @staticmethod
    def _predicate_before(ctx: _Ctx, lo: int, prev: int, start: int) -> bool:
        """Whether the word at `start` (the leftmost read into a name so far) is a verb
        whose subject is the word at `prev`: a noun that is no place, a pronoun, an adverb
        or a count ("三人|莅临|八一小学", "学生们|慰问|…", "又|慰问|…"). A verb after a
        preposition, another verb, a place or the clause start begins the name itself
        (到前进小学, 县抬头小学); 希望 is the school type 希望小学, not a verb there."""
        masked = ctx.masked
        first = masked[start : ctx.bounds.next(start)]
        if len(first) < 2 or ctx.bounds.tag(first) != "v" or first in _SCHOOL_TYPE_VERBS:
            return False
        word = masked[prev:start]
        if prev < lo or not _ALL_HAN.fullmatch(word) or _ADMIN_END.search(word):
            return False
        tag = ctx.bounds.tag(word)
        if _headcount(masked, prev, start):
            return True
        return tag[:1] in ("n", "r", "d", "m", "q", "k") and tag[:2] not in ("ns", "nt")

    @staticmethod
    def _place_then_verb(ctx: _Ctx, lo: int, at: int) -> bool:
        """Whether a place and its admin word end right before `at`, with at most a noun in
        between: 张掖市|综合|实践学校 (not 来集镇受|帮扶学校)."""
        m = _PLACE_THEN_VERB.search(ctx.masked, lo, at)
        if m is None:
            return False
        between = ctx.masked[m.start() + 1 : at]
        return not between or ctx.bounds.tag(between)[:1] == "n" or ctx.bounds.tag(between) == "vn"

    def _name_start(self, ctx: _Ctx, lo: int, suffix_start: int, suffix: str) -> int | None:
        """Walk back over words from a school word to where an unknown school's name starts
        (not before `lo`)."""
        masked = ctx.masked
        start = suffix_start
        last = ""
        # An ordinal before the school word is part of the name and not of its place:
        # 锡林浩特市第十二小学 walks as far as 锡林浩特市第三小学.
        ordinal = _ORDINAL_END.search(masked, max(lo, suffix_start - 6), suffix_start)
        base = ordinal.start() if ordinal else suffix_start
        place_words = -1  # words read since the last admin word (-1: none read yet)
        levels = 0  # admin words read
        while start > lo:
            prev = ctx.bounds.prev(start)
            word = masked[prev:start]
            if _ADMIN_END.search(word):
                place_words = 0
                levels += 1
            elif place_words >= 0:
                # before an admin word stands its place name, nouns or single characters
                # (狮子岗乡, 三里镇, 锡林浩特市 cut to characters); a verb there is not: 收看|成都市第七中学
                # …unless a hierarchy of places follows and nothing stands before the word:
                # the top of 自贡市荣县乐德镇 is a place whatever jieba tags it
                tag = ctx.bounds.tag(word)
                if (
                    len(word) >= 2
                    and tag
                    and tag[0] not in "nmj"
                    and not (
                        levels >= 2
                        and place_words == 0
                        and (prev == lo or not _ALL_HAN.match(masked, prev - 1))
                    )
                ):
                    break
                place_words += 1
            # Past six characters only the place hierarchy goes on: 江西省吉安市吉州区樟山中心小学,
            # 龙岩市新罗区西陂街道中心小学 (a place name before an admin word, or one itself, a
            # place name of up to four characters before its admin word: 狮子岗乡, 三阁司镇), and
            # a university before the school it runs (上海师范大学附属青浦重固学校)
            far = (
                base - prev > 6
                and not (
                    _ADMIN_END.search(word)
                    or ctx.bounds.tag(word).startswith("ns")
                    or _ADMIN_END.fullmatch(last)
                    or _PLACE_ADMIN.match(masked, prev)
                    or (masked.startswith("附属", start) and _SCHOOL_WORD.search(word))
                )
                or suffix_start - prev > 16
            )
            last = word
            if len(word) == 1 and word in _PLACE_PREP and _PLACE_ADMIN.match(masked, start):
                break  # 在许市中学, 在新乡市…: the preposition before a place is not in its name
            if (
                len(word) >= 2
                and ctx.bounds.tag(word) == "v"
                and _BARE_SCHOOL.fullmatch(masked[start : suffix_start + len(suffix)])
                and self._place_then_verb(ctx, lo, prev)
            ):
                start = prev  # 张掖市综合实践学校: after a place and its admin word the verb names the school
                continue
            if start < suffix_start and self._predicate_before(ctx, lo, prev, start):
                # "一行三人莅临八一小学", "老师们慰问阳光小学": a verb after its subject is the
                # sentence's predicate, and the name starts after it
                start = ctx.bounds.next(start)
                break
            if (
                prev < lo
                or (
                    word in _STOP_TOKENS
                    and not self._district_word(ctx, word, levels)
                    and not (start < suffix_start and self._surname_word(ctx, prev, start))
                )
                # a pronoun or determiner (某小学, 该小学: no name) or the plural suffix 们
                or (len(word) == 1 and ctx.bounds.tag(word) in ("r", "k"))
                or _headcount(masked, prev, start)
                or not _ALL_HAN.fullmatch(word)
                or _COUNTED.fullmatch(word)
                or word in ctx.roster_forms
                or far
                or self._word_rx.fullmatch(word)
                or (_SCHOOL_WORD.fullmatch(word) and not masked.startswith("附属", start))
                or _ORGANISATION_END.search(word)
                or (
                    len(word) >= 2
                    and self._function_word(ctx, word, masked[start : suffix_start + len(suffix)])
                )
            ):
                if (
                    word in _STOP_TOKENS
                    and len(word) == 1
                    and prev > lo
                    and masked[prev - 1] in "省市县区镇乡旗"
                    and start < suffix_start  # a name char after it (not 市中小学)
                    and not far
                ):
                    # 四川理县下孟小学: after an admin word a new place name starts, and a
                    # character that is usually a function word (下, 上, 中) is its first
                    start = prev
                    continue
                if (
                    word in _STOP_TOKENS
                    and len(word) == 1
                    and (
                        _ADMIN_NEAR.match(masked, prev)
                        or re.match(r"[\u4e00-\u9fff]{0,2}[村屯寨庄]", masked[start : start + 3])
                        and (prev == 0 or prev > lo and masked[prev - 1] in "到去在和与、,。\n ")
                    )
                ):
                    start = (
                        prev  # 上栗镇, 全南县, 到上村教学点: a one-character word in a place name
                    )
                elif self._position_in_name(ctx, lo, prev, start, suffix_start):
                    start = prev  # 理县下孟小学, ,上栗小学: a position character in the name
                    continue  # …and the place before it goes on
                break
            start = prev
        item = self._list_item_start(ctx, lo, start)
        if item is not None:
            return item
        if start > lo and start < suffix_start:
            first = masked[start : ctx.bounds.next(start)]
            if (
                len(first) >= 2
                and first[0] in _PLACE_PREP
                and ctx.bounds.tag(first)[:2] in ("nr", "ns")
                and suffix_start - start >= 3
                and ctx.bounds.tag(masked[ctx.bounds.prev(start) : start])[:1] in ("n", "r", "k")
                and ctx.bounds.tag(masked[ctx.bounds.prev(start) : start])[:2] != "ns"
            ):
                # "学生向东溪小学捐赠", "老师到南湾小学": jieba read the preposition and the
                # name's first character as one name (向东); after a subject it is the
                # preposition, and the school's name starts after it
                start += 1
        if (
            suffix in ("小学", "中学", "学校")
            and _AREA_ONLY.search(masked, start, suffix_start)
            and not self._area_noun(ctx, suffix_start)
        ):
            return None  # 江苏省小学校长: the province's primary-school principals
        length = suffix_start - start
        numeral = suffix[0] in "一二三四五六七八九十0123456789"
        if suffix.endswith("进修学校"):  # 教师进修学校 names itself; a college, not an office
            return start
        if length >= 2 or (numeral and length == 1 and masked[start] in "县市区"):
            return start
        if (
            suffix in ("完小", "小学", "中学")
            and length == 1
            and masked[start] in "一二三四五六七八九十"
            and (start == 0 or masked[start - 1] in _CORE_BEFORE)
        ):
            return start  # 到三完小: a numbered school
        return None

    # -- people ------------------------------------------------------------------------------

    def _people(self, ctx: _Ctx) -> tuple[list[tuple[int, int, str]], set[int]]:
        masked = ctx.masked
        found = [p for p in self.gazetteer.find_people(masked) if not ctx.in_quote(p[0])]
        spans = [(a, b) for a, b, _ in found]

        def add(a: int, b: int, name: str) -> None:
            found.append((a, b, name))
            spans.append((a, b))
            similar = self.gazetteer.similar_person(name)
            ctx.note(
                f"人员“{name}”不在名册中,按原文记录" + (f"(是否为“{similar}”?)" if similar else "")
            )

        # Names the roster does not know, by where a name stands in Chinese: before a title
        # (李红副校长, 王芳、李明两位老师, 赵青等骨干教师), after one (督学周建国, 青年教师阿依古丽),
        # and in a list with a name already found (张炜、王芳到齐小; 我和王芳).
        titles = list(_TITLES.finditer(masked))
        anchors = [m.start() for m in titles] + [m.start() for m in _ETC.finditer(masked)]
        for end0 in sorted(set(anchors)):
            if end0 < 2 or not _ALL_HAN.match(masked, end0 - 1):
                continue
            mod = _TITLE_MOD.search(masked, max(0, end0 - 14), end0)
            end = mod.start() if mod else end0
            if end == end0 and masked.startswith("教师", end0):
                continue  # 教师 right after a word is a job (卓越教师, 乡村教师); a name takes 老师
            if any(x < end <= y for x, y in spans):
                continue
            got = self._name_before(ctx, end, spans)
            if got is not None:
                add(got[0], end, got[1])
        for m in titles:
            nxt = masked[m.end() : m.end() + 1]
            if (
                nxt in (",", ":")
                and _COUNTED_GROUP.search(masked, max(0, m.start() - 8), m.start())
                and not any(x <= m.end() + 1 < y for x, y in spans)
            ):
                # "两位轮岗老师,王敏和赵青": a counted group, then its members by name
                got = self._name_after(ctx, m.end() + 1, spans)
                if got is not None:
                    add(m.end() + 1, got[0], got[1])
                continue
            if (
                not nxt
                or nxt in _NOT_NAME_CHARS
                or not _ALL_HAN.match(nxt)
                or any(x <= m.end() < y for x, y in spans)
            ):
                continue  # cheap test first: no name can start there
            got = self._name_after(ctx, m.end(), spans, after_title=True)
            if got is not None:
                add(m.end(), got[0], got[1])
        selves = [
            m
            for m in _SELF.finditer(masked)
            if m.group() in ("我", "本人") and not ctx.in_quote(m.start())
        ]
        grew = True
        while grew:  # extend every list in both directions until nothing new is found
            grew = False
            for a, b in sorted({(x, y) for x, y in spans} | {m.span() for m in selves}):
                if b < len(masked) and masked[b] in "、和与及":
                    got = self._name_after(ctx, b + 1, spans)
                    if got is not None:
                        add(b + 1, got[0], got[1])
                        grew = True
                if a > 1 and masked[a - 1] in "、和与及":
                    got = self._name_before(ctx, a - 1, spans)
                    if got is not None:
                        add(got[0], a - 1, got[1])
                        grew = True
        if ctx.sender and selves:
            found.append((selves[0].start(), selves[0].end(), ctx.sender))
        found.sort()
        # "张炜、马欣瑞两位老师": the count starts where the name list ends
        return found, {b for _, b, _ in found}

    def _name_after(
        self, ctx: _Ctx, start: int, known: list[tuple[int, int]], *, after_title: bool = False
    ) -> tuple[int, str] | None:
        """An unknown name starting at `start` that ends where a name may end."""
        masked = ctx.masked
        for n in (3, 2, 4):
            end = start + n
            if end > len(masked) or any(x < end and start < y for x, y in known):
                continue
            if not _NAME_FOLLOW.match(masked, end) and not any(h.start == end for h in ctx.hits):
                continue  # a name ends at a list mark, a title, a verb, or a date (督学周建国今天…)
            if self._name_ok(ctx, start, end, tagged=after_title):
                return end, masked[start:end]
        return None

    def _name_ok(self, ctx: _Ctx, a: int, b: int, *, tagged: bool = False) -> bool:
        """Whether masked[a:b] can be a person's name: a surname and one or two more
        characters (or a name jieba tags as one, after a title: 阿依古丽), on a word
        boundary, not a dictionary word of another kind (全体, 骨干, 分别), not a date
        (周三), and without the function characters names do not hold (周三我, 周四又)."""
        cand = ctx.masked[a:b]
        if not 2 <= len(cand) <= 4 or not _ALL_HAN.fullmatch(cand) or cand in _NOT_NAMES:
            return False
        if not _NOT_NAME_CHARS.isdisjoint(cand) or ctx.in_quote(a):
            return False
        if any(h.start < b and a < h.end for h in ctx.hits):
            return False
        tag = ctx.bounds.tag(cand)
        if tag and not tag.startswith("nr"):
            return False
        surname = cand[0] in _SURNAMES or cand[:2] in _COMPOUND_SURNAMES
        if not surname and not tagged:
            return False
        # After a title a name without a Han surname (阿依古丽, 巴特尔) is one jieba tags as a
        # name or cannot read at all (it falls apart into single characters).
        oov = (
            tagged
            and len(cand) >= 3
            and (not surname or len(cand) == 4)
            and not tag.startswith("nr")
            and b in ctx.bounds
            and self._unreadable(ctx, a, b)
        )
        if not surname and not (tag.startswith("nr") or oov):
            return False
        if (
            len(cand) == 4
            and cand[:2] not in _COMPOUND_SURNAMES
            and not tag.startswith("nr")
            and not oov
        ):
            return False  # four characters only with a two-character surname: 欧阳明华
        if self._word_rx.search(cand) or self.gazetteer.exact(cand):
            return False
        return a in ctx.bounds

    @staticmethod
    def _unreadable(ctx: _Ctx, a: int, b: int) -> bool:
        """Whether jieba reads masked[a:b] only as single characters or names (努尔/兰):
        a transliterated or minority name it does not know, not ordinary words."""
        i = a
        while i < b:
            j = ctx.bounds.next(i)
            if j > b:
                return False
            if j - i > 1 and not ctx.bounds.tag(ctx.masked[i:j]).startswith("nr"):
                return False
            i = j
        return True

    def _name_like(self, cand: str) -> bool:
        """A bare sign-up line's name (no context to check against)."""
        if not (cand[0] in _SURNAMES or cand[:2] in _COMPOUND_SURNAMES) or cand in _NOT_NAMES:
            return False
        if len(cand) == 4 and cand[:2] not in _COMPOUND_SURNAMES:
            return False
        return (
            bool(_ALL_HAN.fullmatch(cand))
            and _NOT_NAME_CHARS.isdisjoint(cand)
            and not (self._word_rx.search(cand))
            and not self.gazetteer.exact(cand)
        )

    def _name_before(
        self, ctx: _Ctx, end: int, known: list[tuple[int, int]]
    ) -> tuple[int, str] | None:
        masked = ctx.masked
        if any(x < end <= y for x, y in known):
            return None
        for n in (4, 3, 2):
            a = end - n
            if a < 0:
                continue
            if a > 0 and masked[a - 1] in _NUMERAL_CHARS:
                continue  # "60余名老师": a count, not a name
            if any(x < end and a < y for x, y in known):
                continue
            if self._name_ok(ctx, a, end):
                return a, masked[a:end]
        return None

    # -- subject, mode, directions ---------------------------------------------------------------

    @staticmethod
    def _subject(ctx: _Ctx, names: tuple[tuple[int, int], ...] = ()) -> str | None:
        text = ctx.text  # titles included: 《小学语文大单元作业设计》 states the subject
        found: list[str] = []
        seen: list[tuple[re.Match[str], bool]] = []  # (match, stated as a subject)
        for m in _SUBJECT_RX.finditer(text):
            if any(a <= m.start() and m.end() <= b for a, b in names):
                continue  # 张掖市综合实践学校: a school's name says what the school is
            subj = _SUBJECT_OF[m.group()]
            after = text[m.end() : m.end() + 6]
            before = text[max(0, m.start() - 4) : m.start()]
            if any(after.startswith(w) for w in SUBJECT_NOT_AFTER):
                continue
            seen.append(
                (
                    m,
                    subj in LOOSE_SUBJECTS
                    or any(after.startswith(w) for w in SUBJECT_CONTEXT_AFTER)
                    or any(before.endswith(w) for w in SUBJECT_CONTEXT_BEFORE)
                    or _SUBJECT_FIELD.match(text, m.end()) is not None
                    or _SUBJECT_LABEL.search(before) is not None,
                ),
            )
        # "音乐、体育、美术、英语学科": a list of subjects shares the context of its last
        for i in range(len(seen) - 2, -1, -1):
            (m, ok), (nxt, nxt_ok) = seen[i], seen[i + 1]
            if not ok and nxt_ok and _LIST_GAP.match(text[m.end() : nxt.start()]):
                seen[i] = (m, True)
        for m, ok in seen:
            subj = _SUBJECT_OF[m.group()]
            if ok and subj not in found:
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

    def _own_report(
        self, ctx: _Ctx, main: _Word, schools: list[SchoolMention], teachers: tuple[str, ...]
    ) -> bool:
        if (
            teachers
            or main.exchange
            or main.code not in _OWN_KINDS
            or not ctx.sender
            or not ctx.sender_school
        ):
            return False
        person = self.roster.person(ctx.sender)
        if person is None or person.role != "teacher":
            return False  # a principal's report names its school's work, not their own
        if any(s.how in ("self", "home") for s in schools) or ctx.people or ctx.implied is not None:
            return False
        if _GROUP_AT_WORK.search(ctx.masked) or is_form(ctx.text):
            return False  # (a form names who took part in a field of its own, or nobody)
        if _ASKS_OTHERS.search(ctx.masked) or any(
            s.start and ctx.masked[s.start - 1] == "请" for s in schools
        ):
            return False  # "…改到下午第三节,请城北小学注意时间": the sender arranges it
        named = [s for s in schools if s.name]
        if all(s.name == ctx.sender_school for s in named):
            return False  # "解小明天的公开课…" from 解小: the school's event, not a visit
        return bool(named) and not any(_SCHOOL_ACTS.match(ctx.masked, s.end) for s in named)

    def _directions(
        self, ctx: _Ctx, schools: list[SchoolMention], teachers: tuple[str, ...]
    ) -> tuple[str | None, str | None]:
        """(from_school, to_school) of a delivery or an exchange; None where unclear."""
        if (
            ctx.home
            and ctx.home_dest
            and {s.name for s in schools if s.name} <= {ctx.home, ctx.home_dest}
        ):
            return ctx.home, ctx.home_dest
        masked = ctx.masked
        ms = [s for s in schools if s.name]
        origin_idx: list[int] = []
        dest_idx: list[int] = []
        for i, s in enumerate(ms):
            if _ORIGIN_BEFORE.search(masked, max(0, s.start - 4), s.start):
                origin_idx.append(i)
            elif _DEST_BEFORE.search(masked, max(0, s.start - 4), s.start) or (
                (i == 0 or s.how == "self") and _DEST_AFTER.match(masked, s.end)
            ):
                dest_idx.append(i)
        for i in list(dest_idx):  # 到齐小和解小送教: a list after a destination continues it
            j = i + 1
            while j < len(ms) and _LIST_GAP.match(masked[ms[j - 1].end : ms[j].start]):
                if j not in dest_idx:
                    dest_idx.append(j)
                j += 1
        if ctx.register and not origin_idx and not dest_idx:
            got = self._register_line(ctx, ms)
            if got is not None:
                return got
        if not origin_idx and not dest_idx:
            # "上周解小:周二二小送教两节", "二小张炜老师来校送教": the school before the
            # delivery word delivers; a header's school then receives
            actor = [
                i
                for i, s in enumerate(ms)
                if s.how != "home" and _ACTOR_BEFORE_KIND.match(masked, s.end)
            ]
            if len(actor) == 1:
                origin_idx = actor
                dest_idx = [
                    i for i, s in enumerate(ms) if i not in actor and s.name != ms[actor[0]].name
                ]
        if (
            not origin_idx
            and not dest_idx
            and len(ms) >= 2
            and _PARTNER.match(masked[ms[0].end : ms[1].start])
        ):
            # "实小与结对的三所学校——桂林、溪南、和平开展了送教": the subject goes to its partners
            origin_idx = [0]
            dest_idx = [i for i in range(1, len(ms)) if ms[i].name != ms[0].name]
        dests = {ms[i].name for i in dest_idx}
        origins = {ms[i].name for i in origin_idx}
        if not origins and dest_idx:
            first = min(dest_idx)
            if _DEST_AFTER.match(masked, ms[first].end):  # 一农场小学迎来了福海二小的送教团队
                origins = {s.name for s in ms[first + 1 :]} - dests
            else:  # 福海二小张炜…到一农场小学送教
                origins = {s.name for s in ms[:first]} - dests
        if not origins:  # nobody said where they came from: the named teachers' school
            origins = {self.roster.school_of(t) for t in teachers} - {None} - dests
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
        if origin is None and dest is None and ctx.home and len(names) == 2 and ctx.home in names:
            origin = ctx.home  # "下下周实小送教安排: 周二 城关小学": the header's school goes
            dest = names[0] if names[1] == origin else names[1]
        if origin == dest:  # one school on both sides: keep the side a verb named
            origin, dest = (None, dest) if dest_idx else (origin, None)
        return origin, dest

    @staticmethod
    def _register_line(ctx: _Ctx, ms: list[SchoolMention]) -> tuple[str | None, str | None] | None:
        """A delivery line under a list header that names one school and no verb of going
        (本周送教情况 / 张炜 12月14日 齐小 数学 2节): a register lists where the lessons
        went, from the header's school (none when the header names none: the teachers'
        school is not added). Under a receiving header (齐小接受送教情况) the line's school
        is where they came from; 来校/到校 comes to the header's school."""
        others = list(dict.fromkeys(s.name for s in ms if s.name and s.name != ctx.home))
        if len(others) != 1:
            return None
        (line_school,) = others
        if ctx.home and (
            ctx.receives or _TO_THE_SCHOOL.search(ctx.masked) or _COME_HERE.search(ctx.masked)
        ):
            return line_school, ctx.home  # (江滨叶潇潇来送英语课: 来 comes to the header's)
        if _TO_THE_SCHOOL.search(ctx.masked):
            return None
        return ctx.home, line_school


_CLAUSE = re.compile(r"[^,。;!?\n]*(?:[,。;!?\n]+|$)")


def _without_so_far(masked: str) -> str:
    """The text with every clause that counts what was done so far blanked out."""
    m = _SO_FAR.search(masked)
    while m is not None:
        a, b = _clause_at(masked, m.start())
        masked = masked[:a] + " " * (b - a) + masked[b:]
        m = _SO_FAR.search(masked, b)
    return masked


def dated_early(hits: list[DateHit]) -> bool:
    return any(h.day for h in hits if not h.deadline and h.form != "tod")


def _embedded_question(masked: str, at: int, event_end: int) -> bool:
    """A question word at `at` in a clause after the event's, after a verb of asking or
    discussing or a topic noun in its clause: what was asked or talked about, no question
    to the group ("…送课,孩子们都问什么时候再来", "…商量了下周上什么内容")."""
    if at < event_end or masked[at] in "?吗":
        return False
    return bool(_ASKED_LEAD.search(masked, _clause_at(masked, at)[0], at))


def _clause_at(text: str, i: int) -> tuple[int, int]:
    """The clause around i: from after the separator before it to after the one ending it."""
    before = _UP_TO_LAST_SEP.match(text, 0, i)
    after = _SEP_RUN.search(text, i)
    return (before.end() if before else 0), (after.end() if after else len(text))


_CLAUSE_SEPS = ",。;!?\n"
_UP_TO_LAST_SEP = re.compile(r"[\s\S]*[" + _CLAUSE_SEPS + "]")  # greedy: ends after the last one
_SEP_RUN = re.compile("[" + _CLAUSE_SEPS + "]+")


def _sentence_at(text: str, i: int) -> tuple[int, int]:
    """The _SENTENCE around i. A sentence starts at 0 or right after a run of terminators,
    so its start is found with one backward-looking match instead of walking them all."""
    if not 0 <= i < len(text):
        for m in _SENTENCE.finditer(text):
            if m.start() <= i < max(m.end(), m.start() + 1):
                return m.start(), m.end()
        return 0, len(text)
    head = _BEFORE_SENTENCE.match(text, 0, i + 1)
    start = head.end() if head else 0
    m = _SENTENCE.match(text, start)  # it always matches: [^…]* then a run of terminators or $
    return start, m.end() if m else len(text)


_BEFORE_SENTENCE = re.compile(
    r"[\s\S]*[。!?;\n](?=[^。!?;\n])"
)  # greedy: up to the last sentence start


def _has_vague_date(hits: list[DateHit]) -> bool:
    return any(h.day is None for h in hits)
