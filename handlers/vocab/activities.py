"""Activity kinds (schema field `kind`, codes fixed by report-schema.md): one entry each.

An entry is everything the code knows about a kind: its Chinese label (replies, /统计,
export, reminders), the words the parser recognises, the short words /明细 and /进度 accept,
and examples. Every example is a parser test (tests/unit/test_parser_vocab.py): sent on
Wednesday 2026-11-18 at 20:00 +08:00 by the example's sender, against the example roster,
it must give the fields listed. Add a word, add an example.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from handlers.vocab.examples import Example


@dataclass(frozen=True)
class ActivityKind:
    code: str
    label: str
    words: tuple[str, ...]
    # Words that make a report only when no other kind word is present ("来指导" next to an
    # open day is an invitation, not an inspection).
    weak: tuple[str, ...] = ()
    # Kinds whose words are compound heads: in "送教总结会" the meeting is the event and
    # 送教 only says what it was about.
    head: bool = False
    # Short words a principal types in /明细 and /进度 besides the label and the code.
    command_words: tuple[str, ...] = ()
    examples: tuple[Example, ...] = field(default=(), repr=False)


ACTIVITY_KINDS: tuple[ActivityKind, ...] = (
    ActivityKind(
        "lesson_delivery",
        "送教下乡",
        command_words=("送教", "送课"),
        words=("送教下乡", "送课下乡", "送教", "送课", "送培", "走教", "送教到校", "送课到校"),
        examples=(
            (
                "今天我到齐小送教,数学两节",
                "张炜",
                {
                    "kind": "lesson_delivery",
                    "lessons": 2,
                    "subject": "数学",
                    "from_school": "福海县第二小学",
                    "to_school": "齐干吉迭乡小学",
                    "teachers": ["张炜"],
                },
            ),
            (
                "昨天城關小學劉文斌老師到新民小學送課,上了一堂語文課《秋天的雨》",
                "郑建华",
                {
                    "kind": "lesson_delivery",
                    "date": "2026-11-17",
                    "from_school": "城关小学",
                    "to_school": "新民小学",
                    "teachers": ["刘文斌"],
                    "lessons": 1,
                    "title": "秋天的雨",
                },
            ),
            (
                "上周五江滨小学送培到黄田镇中心学校,培训教师40余人",
                "卢志米",
                {
                    "kind": "lesson_delivery",
                    "date": "2026-11-13",
                    "participants": 40,
                    "to_school": "黄田镇中心学校",
                    "from_school": "庆元县江滨小学",
                },
            ),
            (
                "送教活动中我上了一节示范课,解小二十多位老师听课👍",
                "马欣瑞",
                {"kind": "lesson_delivery", "participants": 20, "lessons": 1, "date": None},
            ),
        ),
    ),
    ActivityKind(
        "sync_class",
        "同步课堂",
        command_words=("同步课",),
        words=(
            "同步课堂",
            "专递课堂",
            "名师课堂",
            "网络课堂",
            "双师课堂",
            "远程互动课",
            "远程互动课堂",
            "同步课",
            "专递课",
            "课堂专递",
            "专递互动课堂",
            "同步直播",
            "同步教学",
            "远程授课",
            "直播授课",
            "远程教学",
            "空中课堂",
            "直播课堂",
            "互动课堂",
            "在线课堂",
            "云课堂",
            "直播课",
            "同步直播课",
        ),
        examples=(
            (
                "明天上午实小通过同步课堂给城北小学上两节数学课",
                "陈志强",
                {
                    "kind": "sync_class",
                    "status": "planned",
                    "date": "2026-11-19",
                    "mode": "online",
                    "lessons": 2,
                    "subject": "数学",
                    "schools": ["漳平市实验小学", "城北小学"],
                },
            ),
            (
                "今天江濱小學通過專遞課堂為淤上鄉小學上了一節美術課",
                "叶潇潇",
                {
                    "kind": "sync_class",
                    "mode": "online",
                    "lessons": 1,
                    "subject": "美术",
                    "schools": ["庆元县江滨小学", "淤上乡小学"],
                },
            ),
        ),
    ),
    ActivityKind(
        "joint_research",
        "联合教研",
        command_words=("教研", "研修"),
        words=(
            "联片教研",
            "集体备课",
            "磨课",
            "同课异构",
            "异课同构",
            "听评课",
            "听课评课",
            "网络研修",
            "网路研修",
            "课题研讨",
            "作业设计研讨",
            "教研活动",
            "教研",
            "研讨课",
            "研讨活动",
            "研讨",
            "说课",
            "主题教研",
            "校本研修",
            "异构教学",
            "异构",
            "线上研修",
            "研修",
            "研修活动",
            "研课",
            "议课",
            "观课议课",
            "评课议课",
            "课例研讨",
        ),
        weak=("评课", "备课", "听课"),
        examples=(
            (
                "今天下午实小和城北小学开展英语同课异构,15位老师参加评课",
                "黄丽萍",
                {
                    "kind": "joint_research",
                    "subject": "英语",
                    "participants": 15,
                    "schools": ["漳平市实验小学", "城北小学"],
                    "teachers": [],
                },
            ),
            (
                "周一我和孙慧霞去解小听评课,共听了三节数学课",
                "马欣瑞",
                {
                    "kind": "joint_research",
                    "date": "2026-11-16",
                    "lessons": 3,
                    "teachers": ["马欣瑞", "孙慧霞"],
                    "schools": ["福海县第二小学", "解乡小学"],
                },
            ),
            (
                "今晚三校線上集體備課,主題是單元作業設計",
                "苏雅琴",
                {
                    "kind": "joint_research",
                    "mode": "online",
                    "status": "done",
                    "date": "2026-11-18",
                },
            ),
        ),
    ),
    ActivityKind(
        "demo_lesson",
        "示范课",
        command_words=("公开课",),
        words=(
            "示范课",
            "公开课",
            "观摩课",
            "展示课",
            "汇报课",
            "示范教学",
            "优质课展示",
            "优质课",
            "示范引领课",
        ),
        examples=(
            (
                "昨天江滨小学卢志米老师来我校上了一节数学示范课《圆的认识》",
                "邱克红",
                {
                    "kind": "demo_lesson",
                    "mode": "offline",
                    "lessons": 1,
                    "title": "圆的认识",
                    "teachers": ["卢志米"],
                    "schools": ["庆元县江滨小学", "黄田镇中心学校"],
                },
            ),
            (
                "下周三我在城北小学上一节公开课《匆匆》,欢迎各位老师来听",
                "陈志强",
                {
                    "kind": "demo_lesson",
                    "status": "planned",
                    "date": "2026-11-25",
                    "title": "匆匆",
                    "teachers": ["陈志强"],
                    "schools": ["漳平市实验小学", "城北小学"],
                },
            ),
        ),
    ),
    ActivityKind(
        "lecture_training",
        "讲座培训",
        command_words=("讲座", "培训"),
        words=(
            "专题讲座",
            "讲座",
            "业务培训",
            "培训",
            "读书分享",
            "阅读分享",
            "读书交流",
            "分享会",
            "经验分享",
            "专题分享",
            "专题报告",
            "学术报告",
            "培训会",
            "研修班",
            "培训班",
            "报告会",
            "专家报告",
            "读书会",
        ),
        head=True,
        examples=(
            (
                "前天我去黄田镇校做了一场读书分享,分享的书是《给教师的建议》,三十多位老师参加",
                "叶潇潇",
                {
                    "kind": "lecture_training",
                    "title": "给教师的建议",
                    "participants": 30,
                    "date": "2026-11-16",
                    "teachers": ["叶潇潇"],
                },
            ),
            (
                "今天淤上乡小学组织全体教师参加线上培训,共18人",
                "吴丽琼",
                {"kind": "lecture_training", "mode": "online", "participants": 18},
            ),
        ),
    ),
    ActivityKind(
        "meeting",
        "会议",
        words=(
            "联席会议",
            "会议",
            "协调会",
            "总结会",
            "校长论坛",
            "论坛",
            "质量分析会",
            "分析会",
            "班主任工作交流会",
            "交流会",
            "座谈会",
            "推进会",
            "部署会",
            "布置会",
            "汇报会",
            "观摩会",
            "经验交流会",
            "推介会",
            "启动会",
            "工作会",
            "例会",
            "现场会",
            "动员会",
            "碰头会",
            "表彰会",
            "家长会",
            "恳谈会",
            "联席会",
            "签约仪式",
            "启动仪式",
            "揭牌仪式",
            "结对仪式",
            "调度会",
            "研讨会",
            "年会",
        ),
        weak=("开会",),
        head=True,
        examples=(
            (
                "实小和溪南中心学校本周五召开联盟协调会,商定本学期送教安排",
                "郑建华",
                {
                    "kind": "meeting",
                    "status": "planned",
                    "date": "2026-11-20",
                    "schools": ["漳平市实验小学", "溪南中心学校"],
                },
            ),
            (
                "今天在福海二小召开送教工作总结会",
                "吴学红",
                {"kind": "meeting", "date": "2026-11-18"},
            ),
            (
                "下周二解乡小学召开交流轮岗教师座谈会",
                "好吾兰",
                {
                    "intent": "activity",
                    "kind": "meeting",
                    "date": "2026-11-24",
                    "status": "planned",
                },
            ),
            # a 研讨会 held is a conference (研讨 alone, 研讨课 are research)
            (
                "明天上午城北小学召开城乡教育一体化研讨会",
                "郑建华",
                {
                    "kind": "meeting",
                    "date": "2026-11-19",
                    "status": "planned",
                    "schools": ["城北小学"],
                },
            ),
        ),
    ),
    ActivityKind(
        "student_activity",
        "学生活动",
        words=(
            "手拉手",
            "学生互访",
            "研学",
            "联谊",
            "文艺汇演",
            "汇演",
            "文艺演出",
            "学生体育比赛",
            "共读一本书",
            "共读",
            "运动会",
            "展演",
            "春晚",
            "联欢会",
            "研学旅行",
            "夏令营",
            "冬令营",
            "艺术节",
            "科技节",
            "读书节",
            "游学",
            "主题队会",
            "亲子阅读",
            "互访",
            "联欢",
        ),
        examples=(
            (
                "上周三我校六年级学生到一农场小学开展手拉手活动",
                "孙慧霞",
                {
                    "kind": "student_activity",
                    "date": "2026-11-11",
                    "schools": ["福海县第二小学", "一农场小学"],
                    "teachers": [],
                },
            ),
            (
                "今天城北小学与新民小学举行学生书法比赛,60名学生参赛",
                "郑建华",
                {"kind": "student_activity", "participants": 60, "subject": "书法"},
            ),
        ),
    ),
    ActivityKind(
        "competition",
        "比赛",
        words=(
            "教师基本功竞赛",
            "基本功竞赛",
            "基本功比赛",
            "基本功大赛",
            "技能比赛",
            "技能竞赛",
            "赛课",
            "课件制作比赛",
            "优质课评比",
            "展评",
            "优质课比赛",
            "说课比赛",
            "教学比武",
            "教学竞赛",
            "教学大赛",
            "比赛",
            "竞赛",
            "大赛",
            "评比",
            "擂台赛",
        ),
        head=True,
        examples=(
            (
                "实小今天举行青年教师赛课,9位老师参赛,我执教的《将相和》获一等奖🎉",
                "黄丽萍",
                {
                    "kind": "competition",
                    "participants": 9,
                    "title": "将相和",
                    "teachers": ["黄丽萍"],
                },
            ),
            (
                "解乡小学今天下午举行数学课件制作比赛,12位老师参赛",
                "林晓燕",
                {"kind": "competition", "subject": "数学", "participants": 12},
            ),
        ),
    ),
    ActivityKind(
        "inspection",
        "视导检查",
        command_words=("视导",),
        words=(
            "教学常规检查",
            "常规检查",
            "教学检查",
            "互查互评",
            "互查",
            "常规自查",
            "自查",
            "视导",
            "教学视导",
            "调研",
            "督导",
            "专项检查",
            "评估检查",
            "蹲点指导",
            "调研指导",
            "巡课",
            "推门听课",
        ),
        weak=("指导", "检查", "评估", "验收"),
        examples=(
            (
                "县教研室今天到一农场小学视导,听了三节课",
                "许鲁湘",
                {"kind": "inspection", "lessons": 3, "schools": ["一农场小学"], "teachers": []},
            ),
            (
                "福海二小吴学红校长带队到我校开展教学常规检查",
                "张茂玉",
                {"kind": "inspection", "mode": "offline", "teachers": ["吴学红"], "date": None},
            ),
        ),
    ),
    ActivityKind(
        "resource_support",
        "资源支持",
        words=("赠送", "捐赠", "捐助", "捐献", "赠书", "援助", "捐建", "资助", "援建", "赠予"),
        weak=("仪器设备", "图书", "物资"),
        examples=(
            (
                "实小向和平中心校赠送图书600册、体育器材一批",
                "黄丽萍",
                {
                    "kind": "resource_support",
                    "participants": None,
                    "subject": None,
                    "schools": ["漳平市实验小学", "和平中心学校"],
                },
            ),
            (
                "一农场小学收到福海二小捐赠的仪器设备一批,价值约3万元",
                "许鲁湘",
                {"kind": "resource_support", "date": None, "participants": None},
            ),
        ),
    ),
    ActivityKind(
        "open_day",
        "开放日",
        words=("教学开放日", "开放日", "开放周", "开放活动", "校园开放日"),
        head=True,
        examples=(
            (
                "下周二黄田中心校开放日,欢迎江滨、淤上的老师来指导",
                "邱克红",
                {
                    "kind": "open_day",
                    "status": "planned",
                    "date": "2026-11-24",
                    "schools": ["黄田镇中心学校", "庆元县江滨小学", "淤上乡小学"],
                },
            ),
        ),
    ),
)


# Contest words are competition by default and student_activity when students, sports or
# arts are what the contest is about. Who competes decides first (教师书法比赛 is a teachers'
# contest), then what the contest is about (学生 absent: 书法比赛 is the pupils').
CONTEST_WORDS = ("比赛", "竞赛", "大赛", "评比", "擂台赛")
CONTEST_HINTS: tuple[tuple[tuple[str, ...], str], ...] = (
    (("教师", "老师", "青年", "班主任", "校长"), "competition"),
    (("学生", "孩子", "同学", "少先队", "少年", "小学生", "幼儿", "年级"), "student_activity"),
    (("课件", "基本功", "技能", "说课", "优质课", "教学", "赛课", "命题", "教案"), "competition"),
    (
        (
            "体育",
            "运动",
            "书法",
            "联谊",
            "拔河",
            "篮球",
            "足球",
            "跳绳",
            "合唱",
            "朗诵",
            "绘画",
            "演讲",
            "征文",
            "手抄报",
            "艺术",
            "歌咏",
            "舞蹈",
            "田径",
            "诗词",
        ),
        "student_activity",
    ),
)
