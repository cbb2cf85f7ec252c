"""What makes a sentence that names an activity not a report of one: one entry per reason.

The parser finds an event word first; these are the words that say the sentence is about
something else than one concrete event that happened or is announced for a day — a tally
over a period, a routine, an honour, a memory, the sender's own lateness. Each entry: its
code, a Chinese label, the words, and examples that are parser tests
(tests/unit/test_parser_vocab.py: each must parse as `chat`; sent on Wednesday 2026-11-18
at 20:00 +08:00 against the example roster). The grammar around the words (which clause,
which count, whether a day is named) is the parser's: see docs/parser.md, "Chat".
"""

from __future__ import annotations

from dataclasses import dataclass, field

from handlers.vocab.examples import Example


@dataclass(frozen=True)
class NonReport:
    code: str
    label: str
    words: tuple[str, ...]
    # words that must follow the entry's word in the same clause for it to count
    # (an honour is 获 + a prize: 获一等奖, not 获得好评)
    objects: tuple[str, ...] = ()
    examples: tuple[Example, ...] = field(default=(), repr=False)


NON_REPORTS: tuple[NonReport, ...] = (
    # A count of lessons or events summed over a span of time is a tally, not one event:
    # these words sum (共, 累计) or open the span (至今, 以来); the span words themselves
    # (本月, 本学期…) are the parser's period words.
    NonReport(
        "cumulative",
        "累计",
        words=(
            "累计",
            "共计",
            "合计",
            "总计",
            "总共",
            "一共",
            "共",
            "至今",
            "迄今",
            "以来",
            "截至",
            "截止",
            "盘点",
            "统计",
        ),
        examples=(
            ("这学期城北小学一共上了同步课堂二十三节", "黄丽萍", {}),
            ("开学以来我校已到新民小学送课11节", "陈志强", {}),
            ("两校结对至今,江滨已去淤上送教十余次", "叶潇潇", {}),
        ),
    ),
    # 每 + a span of time: something done regularly, not one event (unless a start is
    # given: 下周起每周三 is a series that starts on a day, read as its first occurrence).
    NonReport(
        "habitual",
        "常规",
        words=(
            "每周",
            "每星期",
            "每个星期",
            "每月",
            "每个月",
            "每学期",
            "每个学期",
            "每学年",
            "每年",
            "每天",
            "每日",
            "每两周",
            "每双周",
            "每半月",
            # ongoing or regular practice
            "一直",
            "经常",
            "常常",
            "长期",
            "定期",
            "常态化",
        ),
        examples=(
            ("新民小学每周四下午开展语文集体备课", "郑建华", {}),
            ("按联盟章程,成员校每学期举办一次教学开放日", "郑建华", {}),
            ("溪南中心校经常组织青年教师磨课", "苏雅琴", {}),
        ),
    ),
    # An honour or a prize: the news is the award, the contest only where it was won.
    NonReport(
        "award",
        "获奖",
        words=("喜获", "斩获", "摘得", "夺得", "获得", "获"),
        objects=(
            "奖",
            "称号",
            "荣誉",
            "冠军",
            "亚军",
            "季军",
            "第一名",
            "第二名",
            "第三名",
            "先进",
        ),
        examples=(
            ("在昨天的县赛课中,城关小学刘文斌老师获得一等奖", "郑建华", {}),
            ("好消息!11月10日的州课件制作比赛,解小林晓燕老师获特等奖", "好吾兰", {}),
        ),
    ),
    # Rated or honoured as something: the verb is the honour itself.
    NonReport(
        "honour",
        "荣誉",
        words=("荣获", "获评", "被评为", "评为", "被授予", "授予", "入选"),
        examples=(
            ("实小被评为全市集体备课先进集体", "郑建华", {}),
            ("11月9日,黄丽萍老师执教的同步课堂《落花生》入选省级优课", "郑建华", {}),
        ),
    ),
    # Looking back: a memory of an event, not a report of it.
    NonReport(
        "recollection",
        "回忆",
        words=(
            "回想",
            "回忆",
            "回顾当年",
            "想起",
            "记得",
            "那时候",
            "那时",
            "当年",
            "曾经",
            "年前",
        ),
        examples=(
            ("还记得第一次去解小送教,孩子们围着我们问个不停", "马欣瑞", {}),
            ("五年前我曾经在齐小支教过一年", "张炜", {}),
        ),
    ),
    # Question words (besides 吗, ?, 几点, 哪里, 谁 …, which the parser has always read):
    # asking what, how or how many about an activity reports none.
    NonReport(
        "question",
        "提问",
        words=("什么", "怎么", "怎样", "多少", "哪个", "哪所", "哪天"),
        examples=(
            ("明天的集体备课要带什么材料", "黄丽萍", {}),
            ("下周三去城北小学送课怎么安排", "陈志强", {}),
        ),
    ),
    # Not done, not yet, or not sure: a negated or hedged activity reports none.
    NonReport(
        "not_yet",
        "尚未",
        words=("还没", "还未", "尚未", "并未"),  # in the event's own clause
        examples=(("城北小学这周还没开展听评课", "刘文斌", {}),),
    ),
    NonReport(
        "unsure",
        "未定",
        words=("没定", "未定", "不确定", "不一定", "说不定"),  # anywhere in its sentence
        examples=(("后天去溪南送课,时间还不确定", "黄丽萍", {}),),
    ),
    # Maybe: a hedge in the event's own clause (not a rough number: 大概二十个老师).
    NonReport(
        "hedge",
        "也许",
        words=("大概", "也许", "或许", "可能", "估计"),
        examples=(("后天也许去溪南送课,等通知", "黄丽萍", {}),),
    ),
    # A condition: the activity happens only if something else does, so nothing is fixed.
    NonReport(
        "conditional",
        "假设",
        words=("如果", "假如", "要是", "万一", "倘若", "若是", "的话"),
        examples=(
            ("如果路通了,周四我们就去淤上送教", "叶潇潇", {}),
            ("明天不下雨的话,一农场的开放日照常", "许鲁湘", {}),
        ),
    ),
    # Staying away from an event: the sender's school or people will not take part.
    NonReport(
        "absent",
        "不参加",
        words=("不参加", "不参与", "不派人", "不过去", "就不去"),
        examples=(
            ("周五实小的教学开放日城北小学不参加了", "刘文斌", {}),
            ("下周的联片教研我们学校不派人了", "苏雅琴", {}),
        ),
    ),
    # A correction of an earlier message opens with its word: the pipeline applies it to
    # the record it corrects; the parser records nothing new.
    NonReport(
        "correction",
        "更正",
        words=("更正", "纠正", "勘误", "修正", "订正", "补充", "补充一下", "补充说明"),
        examples=(
            ("更正:周二去城关小学送课的是陈志强", "郑建华", {}),
            ("补充说明:昨天的集体备课在实小三楼", "黄丽萍", {}),
        ),
    ),
    # Things made about an event: the event word before them is only what they are about.
    NonReport(
        "about",
        "报道",
        words=(
            "新闻",
            "报道",
            "推文",
            "通讯稿",
            "新闻稿",
            "宣传稿",
            "文章",
            "稿子",
            "海报",
            "开展情况",
            "进展情况",
            "经验",
            "做法",
            "成效",
            "成果",
            "的事",
            "这件事",
            "的事情",
        ),
        examples=(
            ("城关小学昨天送课的新闻写得很生动", "郑建华", {}),
            ("我在公众号上看到了新民小学前天开放日的报道", "黄丽萍", {}),
        ),
    ),
    # The sender telling how they will come: late, leaving early.
    NonReport(
        "attendance",
        "迟到早退",
        words=(
            "晚点到",
            "晚一点到",
            "晚些到",
            "晚到",
            "迟到",
            "早退",
            "提前走",
            "提前离开",
            "先走",
        ),
        examples=(
            ("明天的联片教研我要晚一点到,大家先开始", "黄丽萍", {}),
            ("下午的同步课堂我可能要提前走", "叶潇潇", {}),
        ),
    ),
    # A meeting held by or at a body beyond the alliance — a government, a party office, the
    # city or county as a place ("去市里开会", "县政府召开常务会议") — is the teacher's or the
    # government's business, not an alliance activity (parser: only for a meeting that
    # names no school and no tie to the alliance, ALLIANCE_TIES; a training there is
    # professional learning and stays a report).
    NonReport(
        "outside",
        "联盟以外",
        words=(
            "市里",
            "县里",
            "区里",
            "省里",
            "镇里",
            "乡里",
            "局里",
            "政府",
            "县委",
            "市委",
            "区委",
            "党委",
            "人大",
            "政协",
            "党校",
            "教育局",
            "教体局",
            "教育厅",
        ),
        examples=(
            ("后天上午我得去区里开会,下午的课调一下", "黄丽萍", {}),
            ("乡政府下周一召开防汛工作会议", "郑建华", {}),
            ("明天我去县委党校开会", "叶潇潇", {}),
        ),
    ),
)

# Words that tie a meeting to the alliance's work wherever it is held: "县教育局召开联盟
# 工作推进会" is the alliance's meeting (with any activity word beside the meeting: 送教…总结会).
ALLIANCE_TIES: tuple[str, ...] = (
    "联盟",
    "教共体",
    "共同体",
    "集团",
    "联片",
    "片区",
    "结对",
    "帮扶",
    "校际",
    "两校",
    "各校",
    "成员校",
    "联合体",
    "城乡",
)
