"""ReportParser: one rule per test group, each with varied wording, schools and people.

Messages are sent on Wednesday 2026-11-18 at 20:00 (+08:00) unless a case says otherwise,
against the example roster (the scoring roster's schools and people).
"""

from __future__ import annotations

import json
import os
from datetime import datetime
from pathlib import Path

import pytest

from handlers.reports import ParsedReport, ReportParser
from handlers.vocab import EXAMPLE_SENT_AT

# the shared folder beside the checkout (a worktree elsewhere can point at it)
SHARED = Path(
    os.environ.get("ALLIANCE_BOT_SHARED") or Path(__file__).resolve().parents[2].parent / "shared"
)
CORPUS = Path(__file__).resolve().parents[1] / "data" / "corpus"
SENT = datetime.fromisoformat(EXAMPLE_SENT_AT)


def parse(
    parser: ReportParser, text: str, sender: str | None = "张炜", sent: str | None = None
) -> dict:
    at = datetime.fromisoformat(sent) if sent else SENT
    return parser.parse(text, at, sender).to_dict()


def check(got: dict, expected: dict) -> None:
    for key, want in expected.items():
        have = got[key]
        if key in ("schools", "teachers"):
            have, want = sorted(have), sorted(want)
        assert have == want, f"{key}: want {want!r}, got {have!r} in {got}"


# --- intent -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "/统计 本月 解乡小学",
        "  /help",
        "／导出 10月",
        "/帮助 送教记录怎么补录",
    ],
)
def test_command(parser: ReportParser, text: str) -> None:
    assert parse(parser, text) == ParsedReport("command").to_dict()


@pytest.mark.parametrize(
    "text, sender",
    [
        ("收到,我这边马上转发给各位老师。", "刘文斌"),
        ("好的,辛苦了👍明天见!", "叶潇潇"),
        ("祝各位老师教师节快乐!🌹🌹🌹", "邱克红"),
        # totals, not one event
        ("本月共开展送教4次,听课教师累计120人次", "吴学红"),
        ("本学期共有200人次参加了联盟送教活动", "郑建华"),
        # questions
        ("明天去实小听课几点集合?在哪里上车?", "苏雅琴"),
        ("明天的同步课堂还上吗?设备好像有点问题。", "吴丽琼"),
        ("齐乡小学明天上午有示范课吗?我想去听", "马欣瑞"),
        ("请问下周的送教是哪位老师上课？", "张茂玉"),
        ("這學期的示範課錄像在哪裡下載?", "黄丽萍"),
        ("下周三城北小学的同课异构是否改到下午", "陈志强"),
        # cancellations and moves without a new day
        ("原定明天到福海二小的送教活动取消了", "许鲁湘"),
        ("今天的教研活动因雨取消", "卢志米"),
        ("国庆假期后第一周暂停送教", "陈志强"),
        ("昨天的同步课堂没去成,设备坏了", "吴丽琼"),
        ("下周的送教推迟,时间另行通知", "郑建华"),
        ("今天下午的培训改在三楼会议室", "叶潇潇"),
        # notices, forwarded policy, directives
        (
            "【转发】关于开展2026年秋季学期教学常规检查的通知,请各校于9月15日前上报自查表。",
            "吴丽琼",
        ),
        ("关于开展联盟同课异构活动的通知已发邮箱,请查收", "吴学红"),
        ("县里下发了关于交流轮岗的新政策,大家可以看看", "好吾兰"),
        ("教育局通知:下周三全县开展教学常规检查", "郑建华"),
        ("各校要积极开展同课异构活动,认真做好记录", "黄丽萍"),
        ("请各校于周五前上报本学期送教计划", "郑建华"),
        # logistics and paperwork about an activity
        ("送教的车已经安排好了，明天7点出发", "孙慧霞"),
        ("送教活动的照片请发到群里", "张炜"),
        ("送教课件已上传到群文件", "孙慧霞"),
        ("下周送教的名单出来了", "马欣瑞"),
        ("明天去福海二小参加同课异构的老师请8点在校门口集合", "林晓燕"),
        ("江滨小学老师们,明天的同课异构记得带听课本", "卢志米"),
        ("解乡小学下周的课表已经发群里了,请查收。", "好吾兰"),
        # totals, plans without one event, replies, personal news, comments
        ("本月送教3次,听课教师120人次", "许鲁湘"),
        ("本学期我校共开展送教活动6次,受益教师200余人次", "卢志米"),
        ("今年我校共有5名教师参加支教", "张凤琴"),
        ("我们学校下周要迎接督导检查,大家准备一下", "张茂玉"),
        ("好的,我们学校派两位老师参加下周的培训", "吴丽琼"),
        ("下周我校将到齐小送教", "张炜"),  # announced without its day
        ("10月我校将到桂林中心学校送教", "郑建华"),
        ("收到，明天准时到实小参加教研活动", "苏雅琴"),
        ("我明天请假,同步课堂请马老师帮忙看一下", "林晓燕"),
        ("张炜老师的示范课讲得太好了,值得学习!", "刘文斌"),
        ("大家辛苦了,今天的送教很成功👏", "黄丽萍"),
        ("感谢实小老师的精彩送教!", "马欣瑞"),
        ("祝贺我校张炜老师在县赛课中获一等奖!", "张凤琴"),
        ("@全体 国庆放假期间请注意安全,假期作业不要布置太多。", "黄丽萍"),
        ("我下学期要去新民小学支教吗?好像还没定吧", "陈志强"),
        ("我觉得同课异构这种形式挺好的", "张炜"),
        ("实小本周的教研活动照常进行", "黄丽萍"),
        ("今年以来淤上乡小学已接受江滨小学送教8次", "吴丽琼"),
        ("本周五前请各校将送教总结发到邮箱", "郑建华"),
        ("下周一溪南中心学校停课一天，原定的同步课堂顺延", "苏雅琴"),
        ("昨天的示范课视频谁有?发我一下", "马欣瑞"),
        ("转:教育部关于进一步加强中小学教师交流轮岗工作的通知", "好吾兰"),
        # no vocabulary at all
        ("今天周六,大家好好休息,下周继续加油💪", "张炜"),
        ("好的,周一我把材料交到教导处。", "刘文斌"),
    ],
)
def test_chat(parser: ReportParser, text: str, sender: str) -> None:
    assert parse(parser, text, sender) == ParsedReport("chat").to_dict()


@pytest.mark.parametrize(
    "text",
    [
        "",
        " ",
        "\n\n",
        "\x00\x07\x1b",
        "🎉🎉🎉👍",
        "[微笑][强]",
        "《",
        "《未闭合的书名",
        "》》《《",
        "\ud800孤立代理",
        "a" * 10_000,
        "送教" * 5_000,
        "我" * 10_000,
        "\u200b\ufeff",
        "99月99日送教",
        "上上上周三",
        "一二三四五六七八九十百千万",
    ],
)
def test_never_raises_on_odd_input(parser: ReportParser, text: str) -> None:
    got = parser.parse(text, SENT, "张炜")
    assert got.intent in ("chat", "activity", "exchange", "command")


def test_sender_unknown_or_missing(parser: ReportParser) -> None:
    for sender in (None, "", "不在名册的人"):
        got = parse(parser, "今天我校陈志强老师到齐小送教", sender)
        check(
            got,
            {
                "intent": "activity",
                "kind": "lesson_delivery",
                "to_school": "齐干吉迭乡小学",
                "teachers": ["陈志强"],
                "from_school": "漳平市实验小学",
            },
        )


def test_naive_send_time_is_read_as_china_time(parser: ReportParser) -> None:
    got = parser.parse("昨天我到齐小送教", datetime(2026, 11, 18, 20, 0), "张炜")
    assert got.date.isoformat() == "2026-11-17"


def test_to_dict_is_the_schema_object(parser: ReportParser) -> None:
    got = parse(
        parser,
        "11月20日我到齐小送教,数学《分数的意义》,听课教师15人。",
        sent="2026-11-23T10:15:00+08:00",
    )
    assert got == {
        "intent": "activity",
        "kind": "lesson_delivery",
        "status": "done",
        "date": "2026-11-20",
        "end_date": None,
        "schools": ["福海县第二小学", "齐干吉迭乡小学"],
        "from_school": "福海县第二小学",
        "to_school": "齐干吉迭乡小学",
        "teachers": ["张炜"],
        "subject": "数学",
        "title": "分数的意义",
        "participants": 15,
        "mode": None,
        "lessons": None,
        "exchange_kind": None,
        "missing": [],
        "notes": [],
    }
    json.dumps(got, ensure_ascii=False)


# --- kind: the main event wins ----------------------------------------------------------


@pytest.mark.parametrize(
    "text, sender, kind",
    [
        ("送教活动中我上了一节示范课,齐小老师听课", "马欣瑞", "lesson_delivery"),
        ("今天江滨小学送培到黄田镇中心学校", "卢志米", "lesson_delivery"),
        ("昨天我到解小走教,上了两节美术课", "孙慧霞", "lesson_delivery"),
        ("今天实小与城北小学开展同课异构展示活动", "陈志强", "joint_research"),
        ("今天江滨小学卢志米老师来我校上了一节示范课", "邱克红", "demo_lesson"),
        ("今天城北小学与新民小学举行学生书法比赛", "郑建华", "student_activity"),
        ("今日福海二小、解乡小学两校联合举行学生篮球比赛", "张凤琴", "student_activity"),
        ("今天实小举行教师书法比赛", "郑建华", "competition"),
        ("今天城关小学召开支教教师座谈会", "刘文斌", "meeting"),
        ("今天在福海二小召开送教工作总结会", "吴学红", "meeting"),
        ("实小和溪南中心学校本周五召开联盟协调会,商定本学期送教安排", "郑建华", "meeting"),
        ("今天溪南中心学校近20名教师到实小现场观摩教学开放日活动", "苏雅琴", "open_day"),
        ("下周二黄田中心校开放日,欢迎江滨、淤上的老师来指导", "邱克红", "open_day"),
        ("今天郑建华校长带领实小教研团队到新民小学调研指导,并与教师座谈", "黄丽萍", "inspection"),
        ("县教研室今天到一农场小学视导,听了三节课", "许鲁湘", "inspection"),
        ("上周三我校学生到一农场小学开展手拉手活动,两校学生互赠图书", "孙慧霞", "student_activity"),
        ("江滨小学今天通过直播为淤上、黄田中心校两校上了一节音乐课", "叶潇潇", "sync_class"),
        ("今天福海二小马欣瑞老师上了一节语文示范课,解乡小学老师在线观摩", "好吾兰", "demo_lesson"),
        ("今天齐小老师参加了二小组织的线上业务培训", "张茂玉", "lecture_training"),
        ("前天我去黄田镇校做了一场读书分享", "叶潇潇", "lecture_training"),
        ("实小今天举行科学教师实验技能比赛", "陈志强", "competition"),
    ],
)
def test_kind(parser: ReportParser, text: str, sender: str, kind: str) -> None:
    got = parse(parser, text, sender)
    assert (got["intent"], got["kind"]) == ("activity", kind), got


@pytest.mark.parametrize(
    "text, sender, exchange_kind",
    [
        ("2026年9月1日起,我校陈志强老师到桂林中心学校交流轮岗一学年。", "郑建华", "rotation"),
        ("今天我从江滨小学到黄田镇中心学校交流任教", "叶潇潇", "rotation"),
        ("我9月起从淤上乡小学交流到江滨小学任教,为期一学年", "吴丽琼", "rotation"),
        ("我9月起在淤上乡小学驻校支教,至明年1月结束", "卢志米", "support_teaching"),
        ("9月起我校张炜老师到齐小顶岗支教", "张凤琴", "support_teaching"),
        ("我校林晓燕老师下周一开始到福海二小跟岗学习两周", "好吾兰", "shadowing"),
        ("9月15日至16日,一农场小学许鲁湘校长来我校挂职学习", "张凤琴", "secondment"),
    ],
)
def test_exchange_kind(parser: ReportParser, text: str, sender: str, exchange_kind: str) -> None:
    got = parse(parser, text, sender)
    assert (got["intent"], got["exchange_kind"], got["kind"]) == (
        "exchange",
        exchange_kind,
        None,
    ), got
    assert got["mode"] is None and got["lessons"] is None and got["title"] is None


# --- dates and status -------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, sender, sent, date, status",
    [
        (
            "今天下午实小和城北小学开展同课异构",
            "陈志强",
            "2026-09-10T17:05:00+08:00",
            "2026-09-10",
            "done",
        ),
        (
            "今天下午实小和城北小学开展同课异构",
            "陈志强",
            "2026-09-10T09:05:00+08:00",
            "2026-09-10",
            "planned",
        ),
        (
            "下午实小和城北小学开展同课异构",
            "陈志强",
            "2026-09-10T09:05:00+08:00",
            "2026-09-10",
            "planned",
        ),
        (
            "今天上午齐小通过专递课堂接收福海二小的美术课",
            "张茂玉",
            "2026-11-23T11:40:00+08:00",
            "2026-11-23",
            "done",
        ),
        (
            "本周三我校承办了联盟教学质量分析会",
            "好吾兰",
            "2026-09-25T17:45:00+08:00",
            "2026-09-23",
            "done",
        ),
        (
            "本月25号江滨小学举办教学开放日",
            "叶潇潇",
            "2026-11-02T09:10:00+08:00",
            "2026-11-25",
            "planned",
        ),
        (
            "黄田镇中心学校拟于11.20召开教共体班主任工作交流会",
            "邱克红",
            "2026-10-23T10:20:00+08:00",
            "2026-11-20",
            "planned",
        ),
        ("11.6我和马欣瑞去齐小听评课", "张炜", "2026-11-09T19:20:00+08:00", "2026-11-06", "done"),
        (
            "本月23号实小将举办联盟学生文艺汇演,各成员校请于22日前报送节目",
            "郑建华",
            "2026-10-19T09:15:00+08:00",
            "2026-10-23",
            "planned",
        ),
        ("原定明天的送教改到下周三,我校到齐小", "张炜", None, "2026-11-25", "planned"),
        # a postponement to a new day is a planned activity on it, even without a school
        (
            "原定本周四的同步课堂推迟到下周二",
            "马欣瑞",
            "2026-11-23T16:00:00+08:00",
            "2026-12-01",
            "planned",
        ),
        (
            "下周起每周三下午实小通过同步课堂为城北小学上一节美术课",
            "陈志强",
            None,
            "2026-11-25",
            "planned",
        ),
        ("上禮拜五我和馬欣瑞到一農場小學送教", "张炜", None, "2026-11-13", "done"),
        ("週三下午福海二小和解小开展同课异构活动", "张炜", None, "2026-11-18", "done"),
        (
            "月底实小将联合城北小学开展读书分享会,共读《小王子》",
            "黄丽萍",
            None,
            "2026-11-30",
            "planned",
        ),
        ("12月28日福海二小到齐小送教", "张炜", "2027-01-04T10:00:00+08:00", "2026-12-28", "done"),
        ("1月5日福海二小到齐小送教", "张炜", "2026-12-28T10:00:00+08:00", "2027-01-05", "planned"),
        ("福海二小吴学红校长带队到我校开展教学常规检查", "张茂玉", None, None, "done"),
        ("昨天我到齐小送教,今天又去了解小", "张炜", None, "2026-11-17", "done"),
        # a clock time later than the message makes today's event planned
        (
            "今天下午四点半,江滨小学教共体联席会议在江滨小学召开",
            "叶潇潇",
            "2026-11-20T16:00:00+08:00",
            "2026-11-20",
            "planned",
        ),
        (
            "今天下午3点,江滨小学召开联席会议",
            "叶潇潇",
            "2026-11-20T16:00:00+08:00",
            "2026-11-20",
            "done",
        ),
        (
            "下午5:30江滨小学召开联席会议",
            "叶潇潇",
            "2026-11-20T16:00:00+08:00",
            "2026-11-20",
            "planned",
        ),
        (
            "今天上午9:00-11:30,江滨小学与淤上乡小学通过钉钉开展线上集体备课",
            "卢志米",
            "2026-11-20T12:00:00+08:00",
            "2026-11-20",
            "done",
        ),
    ],
)
def test_date_and_status(
    parser: ReportParser, text: str, sender: str, sent: str | None, date: str | None, status: str
) -> None:
    got = parse(parser, text, sender, sent)
    assert (got["date"], got["status"]) == (date, status), got


def test_date_missing_is_reported(parser: ReportParser) -> None:
    got = parse(parser, "实小向和平中心校赠送图书600册", "黄丽萍")
    assert got["date"] is None and "date" in got["missing"]


@pytest.mark.parametrize(
    "text, sender, sent, expected",
    [
        (
            "2026年9月1日起,我校陈志强老师到桂林中心学校交流轮岗一学年。",
            "郑建华",
            "2026-09-01T08:20:00+08:00",
            {"date": "2026-09-01", "end_date": "2027-07-31", "status": "done"},
        ),
        (
            "我校张炜老师9月起到齐干吉迭乡小学支教一学年",
            "张凤琴",
            "2026-09-28T10:00:00+08:00",
            {"date": "2026-09-01", "end_date": "2027-07-31", "status": "done"},
        ),
        (
            "9月起,实小黄丽萍老师到城北小学挂职教学副校长一学期。",
            "郑建华",
            "2026-09-03T10:00:00+08:00",
            {"date": "2026-09-01", "end_date": "2027-01-31"},
        ),
        (
            "今天学校安排我明年2月起到解乡小学支教一学期。",
            "孙慧霞",
            "2026-09-14T17:30:00+08:00",
            {"date": "2027-02-01", "end_date": "2027-07-15", "status": "planned"},
        ),
        (
            "从下个月起,我校刘文斌老师到实小跟岗学习一个月",
            "刘文斌",
            "2026-11-23T16:00:00+08:00",
            {"date": "2026-12-01", "end_date": "2026-12-31", "status": "planned"},
        ),
        (
            "我校林晓燕老师下周一开始到福海二小跟岗学习两周。",
            "好吾兰",
            "2026-09-04T12:00:00+08:00",
            {"date": "2026-09-07", "end_date": "2026-09-20", "status": "planned"},
        ),
        (
            "城关小学下周一到周三派两名教师到实小跟岗学习",
            "刘文斌",
            "2026-10-26T17:20:00+08:00",
            {"date": "2026-11-02", "end_date": "2026-11-04", "teachers": []},
        ),
        (
            "我9月起在淤上乡小学驻校支教,至明年1月结束,任教一年级数学。",
            "卢志米",
            "2026-11-13T21:00:00+08:00",
            {"date": "2026-09-01", "end_date": "2027-01-31", "subject": "数学"},
        ),
        (
            "9月15日至16日,一农场小学许鲁湘校长来我校挂职学习",
            "张凤琴",
            "2026-09-17T10:10:00+08:00",
            {"date": "2026-09-15", "end_date": "2026-09-16"},
        ),
        (
            "11月2日起城北小学陈志强老师到新民小学支教三个月",
            "郑建华",
            None,
            {"date": "2026-11-02", "end_date": "2027-02-01"},
        ),
        (
            "我校林晓燕老师9月1日至11月30日到福海二小跟岗学习一学期",
            "好吾兰",
            None,
            {"date": "2026-09-01", "end_date": "2026-11-30"},
        ),  # an explicit range beats the duration
        (
            "本学期齐小拟派2名青年教师到福海二小跟岗学习,时间待定。",
            "张茂玉",
            "2026-09-07T09:00:00+08:00",
            {"date": None, "end_date": None, "status": "planned", "participants": 2},
        ),
    ],
)
def test_exchange_periods(
    parser: ReportParser, text: str, sender: str, sent: str | None, expected: dict
) -> None:
    got = parse(parser, text, sender, sent)
    assert got["intent"] == "exchange", got
    check(got, expected)


# --- schools ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, sender, schools",
    [
        # aliases, the sender's own school, invited schools
        ("今天我到齐小送教", "张炜", ["福海县第二小学", "齐干吉迭乡小学"]),
        (
            "本周三我校承办了联盟教学质量分析会,福海二小、齐小、一农场小学的校长参加",
            "好吾兰",
            ["解乡小学", "福海县第二小学", "齐干吉迭乡小学", "一农场小学"],
        ),
        (
            "下周二黄田中心校开放日,欢迎江滨、淤上的老师来指导",
            "邱克红",
            ["黄田镇中心学校", "庆元县江滨小学", "淤上乡小学"],
        ),
        (
            "今天福海二小的同步课堂上了两节,齐小和解小的学生同步收看",
            "马欣瑞",
            ["福海县第二小学", "齐干吉迭乡小学", "解乡小学"],
        ),
        ("本月23号实小将举办联盟学生文艺汇演", "郑建华", ["漳平市实验小学"]),
        (
            "今天齐小老师参加了二小组织的线上业务培训",
            "张茂玉",
            ["福海县第二小学", "齐干吉迭乡小学"],
        ),
        # a report that starts with what was done is the sender's own (spec convention)
        ("今天到吾祠送教", "陈志强", ["新桥中心学校", "漳平市实验小学"]),
        # typos, digits, partial names
        ("今天城官小学到我校送教", "许鲁湘", ["城关小学", "一农场小学"]),
        ("昨天下午我和黄丽萍去城官送课", "陈志强", ["漳平市实验小学", "城关小学"]),
        ("11月16日福海2小张炜老师到解乡小学上了示范课", "刘文斌", ["福海县第二小学", "解乡小学"]),
        ("今天县2小与齐小开展集体备课", "张茂玉", ["福海县第二小学", "齐干吉迭乡小学"]),
        (
            "今天我们学校和西南中心校一起开展了数学集体备课",
            "黄丽萍",
            ["漳平市实验小学", "溪南中心学校"],
        ),
        ("今天江宾小学和于上乡小学开展联片教研", "叶潇潇", ["庆元县江滨小学", "淤上乡小学"]),
        ("今天齐干吉叠乡小学开展教学开放日", "张茂玉", ["齐干吉迭乡小学"]),
        ("今天我和叶潇潇到黄田送教", "卢志米", ["庆元县江滨小学", "黄田镇中心学校"]),
        # a place name that is also a word (和平) counts inside a list of schools
        (
            "今天实小通过专递课堂为溪南、和平两所学校上了三节数学课",
            "郑建华",
            ["漳平市实验小学", "溪南中心学校", "和平中心学校"],
        ),
        (
            "昨天我校与桂林、新桥两所学校一起开展线上教研",
            "郑建华",
            ["漳平市实验小学", "桂林中心学校", "新桥中心学校"],
        ),
        ("今天新明小学举行青年教师赛课", "陈志强", ["新民小学"]),
        ("今天漳平实验学校承办联盟教研活动", "刘文斌", ["漳平市实验小学"]),
        # unknown schools kept as written, offices are not schools, a college is
        ("11月16日福海2小张炜老师到城关二小上了示范课", "刘文斌", ["福海县第二小学", "城关二小"]),
        (
            "今天漳平一中的王强老师和龙岩学院的李教授来实小做讲座",
            "郑建华",
            ["漳平一中", "龙岩学院", "漳平市实验小学"],
        ),
        ("县教育局督导组今天到江滨小学督导,听课5节", "叶潇潇", ["庆元县江滨小学"]),
        ("县教研室今天到一农场小学视导", "许鲁湘", ["一农场小学"]),
        ("今天城关中学的老师来城关小学听评课", "刘文斌", ["城关中学", "城关小学"]),
        # words that contain an alias but are not a school
        ("了解小组合作学习的同课异构今天在二小举行", "张炜", ["福海县第二小学"]),
        ("今天我们学校和兄弟学校开展同课异构,乡村学校特色发展", "陈志强", ["漳平市实验小学"]),
        # 教共体 glued before a roster name does not make an unknown school
        ("今天教共体江滨小学举办教学开放日", "卢志米", ["庆元县江滨小学"]),
        # a date right before a (misspelt) name is not part of it
        ("上周五一农厂小学举行家长开放日", "许鲁湘", ["一农场小学"]),
        (
            "下周三江宾小学和黄田镇中心学校开展英语同课异构",
            "卢志米",
            ["庆元县江滨小学", "黄田镇中心学校"],
        ),
        ("前天我去黄天镇校做了一场读书分享", "叶潇潇", ["庆元县江滨小学", "黄田镇中心学校"]),
        (
            "上周三至周五,实小开展了教学开放周活动,城北、新民等校60余名老师到校观摩",
            "黄丽萍",
            ["漳平市实验小学", "城北小学", "新民小学"],
        ),
        # an alliance named after its core school is not that school
        # an alliance holding the event counts its core school (dev2 h068's convention) …
        (
            "昨天,漳平市实验小学教育联盟在新桥中心学校举行同课异构教学研讨活动",
            "郑建华",
            ["新桥中心学校", "漳平市实验小学"],
        ),
        # … an alliance only named does not
        (
            "下周三,溪南中心学校将承办漳平市实验小学教育联盟的同课异构活动",
            "苏雅琴",
            ["溪南中心学校"],
        ),
    ],
)
def test_schools(parser: ReportParser, text: str, sender: str, schools: list[str]) -> None:
    got = parse(parser, text, sender)
    assert got["intent"] == "activity", got
    check(got, {"schools": schools})


def test_unknown_school_and_typo_are_noted(parser: ReportParser) -> None:
    got = parse(parser, "今天我到城官小学和青山小学送教", "陈志强")
    assert "学校“青山小学”不在名册中,按原文记录" in got["notes"]
    assert "“城官小学”按“城关小学”记录" in got["notes"]


@pytest.mark.parametrize(
    "text, sender, from_school, to_school",
    [
        ("11月20日我到齐小送教", "张炜", "福海县第二小学", "齐干吉迭乡小学"),
        ("今天我和孙慧霞老师去解小开展送课下乡", "马欣瑞", "福海县第二小学", "解乡小学"),
        (
            "下周三我校将组织“送教下乡”,地点在桂林中心小学",
            "郑建华",
            "漳平市实验小学",
            "桂林中心学校",
        ),
        (
            "10月8日,福海二小张炜、马欣瑞、孙慧霞三位老师到一农场小学送教",
            "吴学红",
            "福海县第二小学",
            "一农场小学",
        ),
        ("一农场小学今天迎来了福海二小的送教团队", "许鲁湘", "福海县第二小学", "一农场小学"),
        ("今天城官小学到我校送教", "许鲁湘", "城关小学", "一农场小学"),
        ("今天江滨小学卢志米老师来我校送课", "邱克红", "庆元县江滨小学", "黄田镇中心学校"),
        (
            "今天张炜老师到齐小送教",
            "吴学红",
            "福海县第二小学",
            "齐干吉迭乡小学",
        ),  # the teacher's school
        ("今天由实小为新民小学送教", "黄丽萍", "漳平市实验小学", "新民小学"),
        ("今天我们到齐小和解小送教", "张炜", "福海县第二小学", None),  # two destinations
        ("今天我从江宾小学到黄田镇中心学校送教", "叶潇潇", "庆元县江滨小学", "黄田镇中心学校"),
        ("今天实小和城关小学的老师到溪南送教", "陈志强", None, "溪南中心学校"),  # two origins
    ],
)
def test_lesson_delivery_direction(
    parser: ReportParser, text: str, sender: str, from_school: str | None, to_school: str | None
) -> None:
    got = parse(parser, text, sender)
    check(got, {"kind": "lesson_delivery", "from_school": from_school, "to_school": to_school})


@pytest.mark.parametrize(
    "text, sender, from_school, to_school",
    [
        ("我校陈志强老师今天到桂林中心学校交流轮岗", "郑建华", "漳平市实验小学", "桂林中心学校"),
        ("今天我从江滨小学到黄田镇中心学校交流任教", "叶潇潇", "庆元县江滨小学", "黄田镇中心学校"),
        ("我9月起在淤上乡小学驻校支教", "卢志米", "庆元县江滨小学", "淤上乡小学"),
        ("一农场小学许鲁湘校长今天来我校挂职学习", "张凤琴", "一农场小学", "福海县第二小学"),
        ("城关小学下周一到周三派两名教师到实小跟岗学习", "刘文斌", "城关小学", "漳平市实验小学"),
    ],
)
def test_exchange_direction(
    parser: ReportParser, text: str, sender: str, from_school: str, to_school: str
) -> None:
    got = parse(parser, text, sender)
    check(got, {"intent": "exchange", "from_school": from_school, "to_school": to_school})


# --- people -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, sender, teachers",
    [
        ("今天我和孙慧霞老师去解小送课", "马欣瑞", ["马欣瑞", "孙慧霞"]),
        ("11.6我和马欣瑞去齐小听评课,齐小张茂玉校长全程参与", "张炜", ["张炜", "马欣瑞", "张茂玉"]),
        ("福海二小吴学红校长带队到我校开展教学常规检查", "张茂玉", ["吴学红"]),
        ("实小向和平中心校赠送图书600册,感谢郑校长牵线", "黄丽萍", []),  # surname + title left out
        ("今天我校与淤上乡小学开展线上集体备课", "卢志米", []),  # 我校 adds a school, not a person
        ("今天我上了一节汇报课,好吾兰校长和老师们前来听课", "林晓燕", ["林晓燕", "好吾兰"]),
        ("今天我和王芳老师、李明华老师到齐小听评课", "林晓燕", ["林晓燕", "王芳", "李明华"]),
        ("今天实小王芳、李明两位老师到城北小学送教", "郑建华", ["王芳", "李明"]),
        ("今天城关小学欧阳明华老师到新民小学上示范课", "刘文斌", ["欧阳明华"]),
        # names listed next to a known person need no title
        ("今天我和王芳去齐小送教", "张炜", ["张炜", "王芳"]),
        ("今天陈志强、王芳到城北小学送教", "郑建华", ["陈志强", "王芳"]),
        ("今天王芳、陈志强老师到城北小学送教", "郑建华", ["王芳", "陈志强"]),
        ("今天我和同事到齐小送教", "张炜", ["张炜"]),
        ("上周三我和高年级学生到齐小开展手拉手", "张炜", ["张炜"]),
        ("今天城北小学60余名老师到新民小学听评课", "陈志强", []),
        ("今天我和馬欣瑞老師到一農場小學送教", "张炜", ["张炜", "马欣瑞"]),
        ("今天城北小学的老师和英语老师一起到新民小学听评课", "陈志强", []),
        ("感谢郑校长,今天城北小学的数学老师到新民小学听评课", "陈志强", []),
    ],
)
def test_teachers(parser: ReportParser, text: str, sender: str, teachers: list[str]) -> None:
    got = parse(parser, text, sender)
    assert got["intent"] == "activity", got
    check(got, {"teachers": teachers})


def test_unknown_person_is_noted_with_a_likely_match(parser: ReportParser) -> None:
    got = parse(parser, "今天实小陈智强老师到城北小学送教", "郑建华")
    assert got["teachers"] == ["陈智强"]
    assert "人员“陈智强”不在名册中,按原文记录(是否为“陈志强”?)" in got["notes"]


# --- subject, title, mode, counts -------------------------------------------------------


@pytest.mark.parametrize(
    "text, subject",
    [
        ("今天我到齐小送教,数学《分数的意义》", "数学"),
        ("今天江滨小学和黄田镇中心学校开展英语同课异构", "英语"),
        (
            "今天我听了实小黄丽萍老师的讲座《小学语文大单元作业设计》",
            "语文",
        ),  # stated inside the title
        ("今天实小、城关小学三校开展道德与法治集体备课", "道德与法治"),
        ("今天实小、城关小学开展道法集体备课", "道德与法治"),
        ("解乡小学今天下午举行数学课件制作比赛", "数学"),
        ("今天实小通过专递课堂给新桥中心校上科学课", "科学"),
        ("今天福海二小数学组到齐小听评课", "数学"),
        ("今天江滨小学到淤上鄉小學送教,上了一節音樂課", "音乐"),
        ("今天实小到城关小学送教,信息科技一节", "信息技术"),
        ("今天实小到城关小学送教,语文、数学各一节", None),  # two subjects
        ("今天江滨小学将给淤上乡小学捐赠一批科学实验器材", None),  # a thing, not a lesson
        ("实小今天向和平中心校赠送体育器材一批", None),
        ("今天实小到城关小学送教,执教《圆的认识》", None),  # never inferred from a title
        ("今天城关小学和实小开展同课异构,这所学校历史悠久", None),
    ],
)
def test_subject(parser: ReportParser, text: str, subject: str | None) -> None:
    got = parse(parser, text, "刘文斌")
    assert got["intent"] == "activity", got
    assert got["subject"] == subject, got


@pytest.mark.parametrize(
    "text, title",
    [
        ("今天我到齐小送教,数学《分数的意义》", "分数的意义"),
        ("前天我去黄田镇校做了一场读书分享,分享的书是《给教师的建议》", "给教师的建议"),
        ("今天我到齊小送教,語文《秋天的雨》", "秋天的雨"),  # simplified in the output
        ("今天我到齐小送教,语文〈秋天的雨〉", "秋天的雨"),
        ("今天我到齐小送教,“书香童年”主题", None),  # quotes are not a title
        ("今天我到齐小送教,语文《秋天的雨", None),  # unbalanced
    ],
)
def test_title(parser: ReportParser, text: str, title: str | None) -> None:
    got = parse(parser, text)
    assert got["intent"] == "activity" and got["title"] == title, got


@pytest.mark.parametrize(
    "text, sender, mode",
    [
        ("今天我校与淤上乡小学开展线上集体备课", "卢志米", "online"),
        ("今天福海二小马欣瑞老师上了一节语文示范课,解乡小学老师在线观摩", "好吾兰", "online"),
        ("今天一农场小学和福海二小通过视频连线开展云端手拉手", "许鲁湘", "online"),
        ("今天实小和城北小学通过腾讯会议开展集体备课", "陈志强", "online"),
        ("今天实小、城关小学、和平中心学校三校线下联合开展集体备课", "黄丽萍", "offline"),
        ("昨天江滨小学卢志米老师来我校上了一节数学示范课", "邱克红", "offline"),
        ("今天郑建华校长带队到新民小学实地调研指导", "黄丽萍", "offline"),
        ("今天实小和城北小学线上线下同步开展集体备课", "陈志强", None),
        ("今天我到齐小送教", "张炜", None),  # going to a school does not set mode
        ("今天实小通过同步课堂给城北小学上课", "陈志强", "online"),  # every sync class
        ("今天實小和城北小學開展網路研修", "陈志强", "online"),  # Taiwan wording
    ],
)
def test_mode(parser: ReportParser, text: str, sender: str, mode: str | None) -> None:
    got = parse(parser, text, sender)
    assert got["intent"] == "activity" and got["mode"] == mode, got


@pytest.mark.parametrize(
    "text, sender, participants, lessons",
    [
        ("11月20日我到齐小送教,数学《分数的意义》,听课教师15人。", "张炜", 15, None),
        ("明天上午我校陈志强、黄丽萍两位老师通过专递课堂给新桥中心校上科学课", "郑建华", 2, None),
        ("10月8日,福海二小张炜、马欣瑞、孙慧霞三位老师到一农场小学送教,共上三节课", "吴学红", 3, 3),
        ("今天我到城关小学上了一节展示课《鲸》,城关小学十余位老师听课", "陈志强", 10, 1),
        ("今天江滨小学专家团队到淤上乡小学开展教学视导,共听课六节", "吴丽琼", None, 6),
        ("下周三我校将组织送教下乡,地点在桂林中心小学,语文、数学各一节", "郑建华", None, 2),
        ("今天实小与城北小学开展共读一本书活动,两校100余名学生参加", "黄丽萍", 100, None),
        ("今天城关小学、新民小学等六所学校18名教师参加联盟基本功比赛", "刘文斌", 18, None),
        ("今天实小向和平中心校赠送图书600册", "黄丽萍", None, None),
        ("今天我和孙慧霞老师去解小送课,上了两节语文课,解小三年级全体学生参加", "马欣瑞", None, 2),
        ("今天江滨小学送培到黄田镇中心学校,參訓教師四十余人,共三堂课", "卢志米", 40, 3),
        # "共有N位" is the headcount of a dated event, not a total of events
        ("今天我們學校和城關小學開展了語文集體備課📚,共有十六位老師參加", "陈志强", 16, None),
    ],
)
def test_counts(
    parser: ReportParser, text: str, sender: str, participants: int | None, lessons: int | None
) -> None:
    got = parse(parser, text, sender)
    assert got["intent"] == "activity", got
    assert (got["participants"], got["lessons"]) == (participants, lessons), got


# --- whole messages as teachers write them ----------------------------------------------


def test_traditional_emoji_and_line_breaks(parser: ReportParser) -> None:
    text = "11月20日，福海二小馬欣瑞老師赴解鄉小學開展送教下鄉活動🎉\n執教數學《雞兔同籠》\n聽課教師二十三人👍"
    got = parse(parser, text, "吴学红", "2026-11-23T09:00:00+08:00")
    check(
        got,
        {
            "intent": "activity",
            "kind": "lesson_delivery",
            "status": "done",
            "date": "2026-11-20",
            "schools": ["福海县第二小学", "解乡小学"],
            "from_school": "福海县第二小学",
            "to_school": "解乡小学",
            "teachers": ["马欣瑞"],
            "subject": "数学",
            "title": "鸡兔同笼",
            "participants": 23,
            "mode": None,
            "lessons": None,
        },
    )


def test_full_width_digits(parser: ReportParser) -> None:
    got = parse(
        parser, "１１月２０日我到齐小送教，听课教师１５人", "张炜", "2026-11-23T09:00:00+08:00"
    )
    check(got, {"date": "2026-11-20", "participants": 15})


def test_missing_fields_for_the_reply(parser: ReportParser) -> None:
    got = parse(parser, "实小向和平中心校赠送图书600册", "黄丽萍")
    assert got["missing"] == ["date"]
    got = parse(parser, "今天到城官送教", None)  # no sender: nobody stands for the subject
    assert "from_school" in got["missing"] and "teachers" in got["missing"]
    got = parse(parser, "我校张炜老师到齐干吉迭乡小学支教", "张凤琴")
    assert got["intent"] == "exchange" and got["missing"][:2] == ["date", "end_date"]


# --- the scoring set --------------------------------------------------------------------


def _score(gold: Path, tmp_path: Path) -> tuple[dict[str, str], str]:
    import subprocess
    import sys

    from handlers.reports.batch import run_parse_cli

    pred = tmp_path / (gold.stem + ".pred.jsonl")
    with open(gold, encoding="utf-8") as fin, open(pred, "w", encoding="utf-8") as fout:
        assert (
            run_parse_cli(str(SHARED / "eval" / "roster.toml"), fin, fout, str(tmp_path / "cache"))
            == 0
        )
    out = subprocess.run(
        [sys.executable, str(SHARED / "eval" / "score.py"), str(gold), str(pred)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    last = out.strip().splitlines()[-1]
    return dict(item.split("=") for item in last.split()), out


# issue 11's targets on the public sets, and a floor on the project corpus's train part
# (its held-out part is only reported, in docs/parser.md, never tested against)
@pytest.mark.skipif(not (SHARED / "eval" / "score.py").exists(), reason="shared eval folder absent")
@pytest.mark.parametrize(
    "gold, field_min, exact_min",
    [
        (SHARED / "eval" / "dev.jsonl", 0.98, 0.95),
        (SHARED / "eval" / "dev2.jsonl", 0.98, 0.95),
        (SHARED / "eval" / "dev-multi.jsonl", 1.0, 1.0),
        (CORPUS / "train.jsonl", 0.95, 0.80),
    ],
)
def test_set_scores(gold: Path, field_min: float, exact_min: float, tmp_path: Path) -> None:
    if not gold.exists():
        pytest.skip(f"{gold} absent")
    figures, out = _score(gold, tmp_path)
    assert float(figures["field_accuracy"]) >= field_min, out
    assert float(figures["record_exact"]) >= exact_min, out
    assert int(figures["false_records"]) == 0, out


@pytest.mark.skipif(
    not (SHARED / "eval" / "dev.jsonl").exists(), reason="shared eval folder absent"
)
def test_dev_set_score(tmp_path: Path) -> None:
    import subprocess
    import sys

    from handlers.reports.batch import run_parse_cli

    gold = SHARED / "eval" / "dev.jsonl"
    pred = tmp_path / "pred.jsonl"
    with open(gold, encoding="utf-8") as fin, open(pred, "w", encoding="utf-8") as fout:
        assert (
            run_parse_cli(str(SHARED / "eval" / "roster.toml"), fin, fout, str(tmp_path / "cache"))
            == 0
        )
    out = subprocess.run(
        [sys.executable, str(SHARED / "eval" / "score.py"), str(gold), str(pred)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    last = out.strip().splitlines()[-1]
    figures = dict(item.split("=") for item in last.split())
    assert float(figures["field_accuracy"]) >= 0.97, out
    assert int(figures["false_records"]) == 0, out
