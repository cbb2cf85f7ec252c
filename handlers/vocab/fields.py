"""Record fields by their Chinese names: replies, /修改 and export headers.

Each field: its Chinese label (the display name) and the other names /修改 accepts.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FieldName:
    code: str  # the schema field
    label: str
    words: tuple[str, ...] = ()  # other names accepted by /修改
    example: str = ""  # a /修改 argument using it


FIELDS: tuple[FieldName, ...] = (
    FieldName("date", "日期", ("时间", "活动日期", "开始日期"), "日期 11月20日"),
    FieldName("end_date", "结束日期", ("截止日期",), "结束日期 2027-07-31"),
    FieldName("kind", "类型", ("种类", "活动类型"), "类型 送教下乡"),
    FieldName("exchange_kind", "交流类型", ("交流方式",), "交流类型 支教"),
    FieldName("status", "状态", (), "状态 已完成"),
    FieldName("schools", "学校", ("参与学校",), "学校 实小、城北小学"),
    FieldName("from_school", "派出学校", ("来自", "派出校", "送出学校"), "派出学校 福海二小"),
    FieldName("to_school", "接收学校", ("去往", "接收校", "受援学校"), "接收学校 解乡小学"),
    FieldName("teachers", "教师", ("老师", "人员", "参与教师"), "教师 张炜"),
    FieldName("subject", "学科", ("科目",), "学科 数学"),
    FieldName("title", "课题", ("标题", "题目", "书名"), "课题 圆的认识"),
    FieldName("participants", "人数", ("参与人数", "听课人数"), "人数 15"),
    FieldName("mode", "方式", ("形式", "线上线下"), "方式 线上"),
    FieldName("lessons", "节数", ("课时", "课数"), "节数 2"),
)
