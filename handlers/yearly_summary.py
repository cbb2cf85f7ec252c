"""The 学年度工作总结 draft every alliance hands to the bureau each July, as a Word file.

Structure as such reports are written: 一、基本情况; 二、主要工作及成效 (by kind with counts,
lessons and subjects, exchanges with names and periods, targets met, representative
activities); 三、存在问题 (the targets behind); 四、下一步打算 (headed blanks for the principal).
Every number is counted from the records (`handlers.tally`, the same counts as /统计) or
from the targets (`handlers.targets.evaluate`, as /进度); nothing is invented. Where the
records say nothing, the draft says so and leaves room to write.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from typing import Any

from handlers.export import is_behind, period_text
from handlers.periods import Period
from handlers.tally import Tally, exchanges_in, representative, tally
from handlers.targets import PERIOD_CN, AllianceSchools, TargetResult, alliance_schools, evaluate
from handlers.vocab import EXCHANGE_CN, KIND_CN, MODE_CN, STATUS_CN

BODY_FONT = "仿宋"  # official documents: 仿宋 body, 黑体 headings, 方正小标宋/宋体 title
HEADING_FONT = "黑体"
TITLE_FONT = "宋体"
DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@dataclass
class SummaryData:
    alliance: str
    mode: str
    info: AllianceSchools
    period: Period
    tally: Tally
    exchanges: list[Any]
    results: list[TargetResult]
    examples: list[Any]
    judged_at: dt.date


def collect(
    session: Any, alliance_id: int, period: Period, settings: Any, rules: list, today: dt.date
) -> SummaryData:
    from storage.models import Alliance

    info = alliance_schools(session, alliance_id)
    alliance = session.get(Alliance, alliance_id)
    schools = [s for s in (info.core, *info.members) if s]
    ref = min(today, period.end)
    results = evaluate(
        session,
        alliance_id,
        rules,
        ref,
        terms=settings.terms,
        milestones=settings.assessment.milestones,
    )
    return SummaryData(
        info.name,
        alliance.mode if alliance else "",
        info,
        period,
        tally(session, alliance_id, period, schools),
        exchanges_in(session, alliance_id, period),
        results,
        representative(session, alliance_id, period),
        ref,
    )


def summary_title(data: SummaryData) -> str:
    label = data.period.label
    if label.endswith("学年"):
        return f"{data.alliance}{label}度工作总结"
    return f"{data.alliance}{label}工作总结"


def kind_sentence(t: Tally) -> str:
    if not t.total:
        return "本期间台账中没有已完成的活动记录。"
    parts = []
    for k in t.kinds():
        extra = []
        if k.lessons:
            extra.append(f"{k.lessons} 节")
        if k.online:
            extra.append(f"线上 {k.online} 次")
        part = f"{k.label} {k.count} 次" + (f"({'、'.join(extra)})" if extra else "")
        parts.append(part)
    return f"共开展联盟活动 {t.total} 次,其中" + "、".join(parts) + "。"


def _school_sentence(data: SummaryData) -> list[str]:
    out = []
    for s in (data.info.core, *data.info.members):
        if not s:
            continue
        per = data.tally.by_school.get(s, {})
        n = sum(per.values())
        if not n:
            out.append(f"{s}:台账中没有参与活动的记录。")
            continue
        kinds = "、".join(
            f"{KIND_CN.get(k, k)} {v} 次"
            for k, v in sorted(
                per.items(), key=lambda kv: list(KIND_CN).index(kv[0]) if kv[0] in KIND_CN else 99
            )
        )
        out.append(f"{s}:参与活动 {n} 次({kinds})。")
    return out


def _exchange_line(r: Any) -> str:
    who = "、".join(r.teachers) if r.teachers else "(未写教师)"
    kind = EXCHANGE_CN.get(r.exchange_kind or "", "交流")
    until = r.end_date.isoformat() if r.end_date else "结束日期未定"
    status = "" if r.status == "done" else f"({STATUS_CN.get(r.status, r.status)})"
    return (
        f"{who}:{r.from_school or '?'} → {r.to_school or '?'},{kind},"
        f"{r.date.isoformat()} 至 {until}{status}"
    )


def _example_line(r: Any) -> str:
    parts = [r.date.isoformat(), KIND_CN.get(r.kind or "", "活动")]
    if r.from_school or r.to_school:
        parts.append(f"{r.from_school or '?'}→{r.to_school or '?'}")
    elif r.schools:
        parts.append("、".join(r.schools))
    if r.teachers:
        parts.append("、".join(r.teachers))
    what = (r.subject or "") + (f"《{r.title}》" if r.title else "")
    if r.lessons:
        what += f" {r.lessons} 节"
    if what:
        parts.append(what)
    if r.participants:
        parts.append(f"{r.participants} 人参加")
    if r.mode:
        parts.append(MODE_CN.get(r.mode, r.mode))
    return ",".join(parts) + "。"


def _school_label(r: TargetResult, info: AllianceSchools) -> str:
    return r.school or f"联盟整体({info.core or info.name})"


def _set_fonts(doc: Any) -> None:
    from docx.oxml.ns import qn
    from docx.shared import Pt

    def apply(style: Any, name: str, size: float, bold: bool | None = None) -> None:
        style.font.name = name
        style.font.size = Pt(size)
        if bold is not None:
            style.font.bold = bold
        rpr = style.element.get_or_add_rPr()
        rfonts = rpr.find(qn("w:rFonts"))
        if rfonts is None:
            rfonts = rpr.makeelement(qn("w:rFonts"), {})
            rpr.append(rfonts)
        for attr in ("w:ascii", "w:hAnsi", "w:eastAsia"):
            rfonts.set(qn(attr), name)

    apply(doc.styles["Normal"], BODY_FONT, 14)  # 四号 body, as county documents use
    apply(doc.styles["Title"], TITLE_FONT, 20, True)
    apply(doc.styles["Heading 1"], HEADING_FONT, 16, False)
    apply(doc.styles["Heading 2"], BODY_FONT, 14, True)
    for name in ("Title", "Heading 1", "Heading 2"):
        doc.styles[name].font.color.rgb = None


def _table(
    doc: Any, headers: list[str], rows: list[list[Any]], widths_cm: list[float] | None = None
) -> None:
    from docx.shared import Cm, Pt

    table = doc.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    table.autofit = widths_cm is None
    for cell, h in zip(table.rows[0].cells, headers, strict=False):
        cell.text = h
        for run in cell.paragraphs[0].runs:
            run.font.bold = True
            run.font.size = Pt(11)
    for row in rows:
        cells = table.add_row().cells
        for cell, v in zip(cells, row, strict=False):
            cell.text = "" if v is None else str(v)
            for run in cell.paragraphs[0].runs:
                run.font.size = Pt(11)
    if widths_cm:
        for col, w in zip(table.columns, widths_cm, strict=False):
            col.width = Cm(w)  # the grid LibreOffice and WPS read
        for row in table.rows:
            for cell, w in zip(row.cells, widths_cm, strict=False):
                cell.width = Cm(w)


def build_docx(data: SummaryData, generated_at: str) -> bytes:
    """The draft as .docx bytes."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    doc = Document()
    for section in doc.sections:
        section.page_height, section.page_width = Cm(29.7), Cm(21.0)
        section.top_margin = section.bottom_margin = Cm(2.5)
        section.left_margin = section.right_margin = Cm(2.6)
    _set_fonts(doc)
    t = data.tally
    info = data.info

    def para(text: str, *, indent: bool = True) -> None:
        p = doc.add_paragraph(text)
        if indent:
            p.paragraph_format.first_line_indent = Pt(28)

    title = doc.add_paragraph(summary_title(data), style="Title")
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    note = doc.add_paragraph(
        f"(草稿:由联盟助手根据台账记录生成于 {generated_at},"
        f"统计期间 {period_text(data.period)};"
        "数字均来自记录,请核对后补充完善)"
    )
    note.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for run in note.runs:
        run.font.size = Pt(11)

    # 一、基本情况
    doc.add_heading("一、基本情况", level=1)
    members = list(info.members)
    para(
        f"{data.alliance}为{data.mode or '(模式未填写)'}学校联盟,"
        f"核心校为{info.core or '(未设核心校)'},"
        f"成员校 {len(members)} 所:{'、'.join(members) if members else '无'}。"
    )
    para(
        f"{period_text(data.period)},联盟台账共登记已完成的活动 {t.total} 次、"
        f"教师交流 {len(data.exchanges)} 项"
        + (f",另有计划中的活动 {t.planned} 项。" if t.planned else "。")
    )

    # 二、主要工作及成效
    doc.add_heading("二、主要工作及成效", level=1)
    doc.add_heading("(一)联盟活动开展情况", level=2)
    para(kind_sentence(t))
    if t.total:
        _table(
            doc,
            ["活动种类", "次数", "线上", "线下", "未注明", "节数", "参与人数"],
            [
                [k.label, k.count, k.online, k.offline, k.unstated, k.lessons, k.participants]
                for k in t.kinds()
            ]
            + [
                [
                    "合计",
                    t.total,
                    sum(k.online for k in t.kinds()),
                    sum(k.offline for k in t.kinds()),
                    sum(k.unstated for k in t.kinds()),
                    sum(k.lessons for k in t.kinds()),
                    sum(k.participants for k in t.kinds()),
                ]
            ],
        )
    doc.add_heading("(二)各校参与情况", level=2)
    for line in _school_sentence(data):
        para(line)
    doc.add_heading("(三)课堂教学与学科覆盖", level=2)
    if t.subjects:
        total_lessons = sum(t.subjects.values())
        subjects = "、".join(
            f"{s} {n} 节" for s, n in sorted(t.subjects.items(), key=lambda kv: -kv[1])
        )
        para(
            f"送教、同步课堂、示范课共上课 {total_lessons} 节,涉及 {len(t.subjects)} 个学科:"
            f"{subjects}。"
        )
    else:
        para("台账中没有写明学科和节数的课堂教学记录。")
    sync_rows = [
        [s, sum(v.values()), "、".join(sorted(x for x in v if x)) or "未写学科"]
        for s, v in t.sync_lessons.items()
        if s in info.members and v
    ]
    if sync_rows:
        para("同步课堂各成员校节数和学科:")
        _table(doc, ["成员校", "同步课堂节数", "学科"], sync_rows, [4.5, 3.0, 8.3])
    doc.add_heading("(四)教师交流", level=2)
    if data.exchanges:
        para(f"共 {len(data.exchanges)} 项教师交流:")
        for r in data.exchanges:
            doc.add_paragraph(_exchange_line(r), style="List Bullet")
    else:
        para("台账中没有教师交流记录。")
    got = {r.to_school for r in data.exchanges if r.to_school and r.status == "done"}
    missing = [m for m in members if m not in got]
    if missing and members:
        para(f"尚未接收交流教师的成员校:{'、'.join(missing)}。")
    doc.add_heading("(五)指标完成情况", level=2)
    met = [r for r in data.results if r.done >= r.minimum]
    para(
        f"截至 {data.judged_at.isoformat()},共 {len(data.results)} 项指标,已完成 {len(met)} 项,"
        f"落后 {sum(1 for r in data.results if is_behind(r))} 项。"
    )
    if data.results:
        _table(
            doc,
            ["学校", "指标", "完成/要求", "完成率", "进度"],
            [
                [
                    _school_label(r, info),
                    f"{r.rule.label}({PERIOD_CN[r.rule.period]})",
                    f"{r.done}/{r.minimum}{r.rule.unit_word}",
                    f"{r.percent}%",
                    r.status_text(),
                ]
                for r in data.results
            ],
            [3.4, 3.6, 2.0, 1.6, 5.2],
        )
    doc.add_heading("(六)典型活动", level=2)
    if data.examples:
        for r in data.examples:
            doc.add_paragraph(_example_line(r), style="List Number")
            if r.source_text:
                quote = doc.add_paragraph("原始记录:" + r.source_text.strip())
                quote.paragraph_format.left_indent = Pt(28)
                for run in quote.runs:
                    run.font.size = Pt(11)
    else:
        para("台账中没有已完成的活动记录。")

    # 三、存在问题
    doc.add_heading("三、存在问题", level=1)
    behind = [r for r in data.results if is_behind(r)]
    if behind:
        para("按里程碑进度,以下指标落后:")
        for r in behind:
            doc.add_paragraph(
                f"{_school_label(r, info)} {r.rule.label}:{r.done}/{r.minimum}"
                f"{r.rule.unit_word},{r.status_text()}。",
                style="List Bullet",
            )
    else:
        para("按里程碑进度,各项指标没有落后。")
    para("(其他问题请补充:)")

    # 四、下一步打算
    doc.add_heading("四、下一步打算", level=1)
    for head in ("(一)", "(二)", "(三)"):
        doc.add_paragraph(f"{head}", style="Heading 2")
        para("")
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def summary_filename(alliance: str, period: Period) -> str:
    import re

    return re.sub(r'[\\/:*?"<>|\s]+', "_", f"{alliance}_{period.label}工作总结") + ".docx"
