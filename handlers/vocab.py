"""Chinese display names of the schema codes and fields (replies, /修改, export)."""
from __future__ import annotations

KIND_CN = {
    "lesson_delivery": "送教下乡",
    "sync_class": "同步课堂",
    "joint_research": "联合教研",
    "demo_lesson": "示范课",
    "lecture_training": "讲座培训",
    "meeting": "会议",
    "student_activity": "学生活动",
    "competition": "比赛",
    "inspection": "视导检查",
    "resource_support": "资源支持",
    "open_day": "开放日",
}
EXCHANGE_CN = {
    "rotation": "交流轮岗",
    "support_teaching": "支教",
    "shadowing": "跟岗学习",
    "secondment": "挂职",
}
MODE_CN = {"online": "线上", "offline": "线下"}
STATUS_CN = {"done": "已完成", "planned": "计划中"}

SUBJECTS = ("语文", "数学", "英语", "科学", "道德与法治", "音乐", "美术", "体育", "信息技术", "劳动",
            "综合实践", "心理健康", "书法", "物理", "化学", "生物", "历史", "地理", "政治")

# Chinese field names accepted by /修改 (first name is the display name).
FIELD_NAMES: dict[str, tuple[str, ...]] = {
    "date": ("日期", "时间", "活动日期", "开始日期"),
    "end_date": ("结束日期", "截止日期"),
    "kind": ("类型", "种类", "活动类型"),
    "exchange_kind": ("交流类型", "交流方式"),
    "status": ("状态",),
    "schools": ("学校", "参与学校"),
    "from_school": ("派出学校", "来自", "派出校", "送出学校"),
    "to_school": ("接收学校", "去往", "接收校", "受援学校"),
    "teachers": ("教师", "老师", "人员", "参与教师"),
    "subject": ("学科", "科目"),
    "title": ("课题", "标题", "题目", "书名"),
    "participants": ("人数", "参与人数", "听课人数"),
    "mode": ("方式", "形式", "线上线下"),
    "lessons": ("节数", "课时", "课数"),
}
FIELD_CN = {k: v[0] for k, v in FIELD_NAMES.items()}
FIELD_LOOKUP = {name: key for key, names in FIELD_NAMES.items() for name in (*names, key)}


def kind_label(intent: str | None, kind: str | None, exchange_kind: str | None) -> str:
    if intent == "exchange":
        return EXCHANGE_CN.get(exchange_kind or "", "教师交流")
    return KIND_CN.get(kind or "", "活动")


def reverse(mapping: dict[str, str]) -> dict[str, str]:
    return {v: k for k, v in mapping.items()}
