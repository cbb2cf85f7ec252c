"""/总结: the 学年度工作总结 Word draft, its numbers checked against /统计 and /进度."""

from __future__ import annotations

import io
import os
import re
from pathlib import Path

import pytest
from docx import Document

from handlers.router import CommandDenied, UserError
from tests.integration.test_commands import CORE, FUHAI, QI, XIE, YI


def _doc(reply):
    assert reply.attachment is not None and reply.attachment.filename.endswith(".docx")
    assert reply.link and reply.link in reply.text
    return Document(io.BytesIO(reply.attachment.content))


def _tables(doc) -> list[list[list[str]]]:
    return [[[c.text for c in row.cells] for row in t.rows] for t in doc.tables]


def test_summary_counts_equal_stats_and_progress(world):
    reply = world.run("吴学红", "/总结 本学年", private=True)
    assert reply.attachment.filename == f"{FUHAI}_2026-2027学年工作总结.docx"
    doc = _doc(reply)
    keep = os.environ.get("ALLIANCE_BOT_KEEP_RENDER")  # to look at the draft
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        (Path(keep) / "summary.docx").write_bytes(reply.attachment.content)
    text = "\n".join(p.text for p in doc.paragraphs)
    heads = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading 1")]
    assert heads == ["一、基本情况", "二、主要工作及成效", "三、存在问题", "四、下一步打算"]
    assert doc.paragraphs[0].text == f"{FUHAI}2026-2027学年度工作总结"
    assert f"核心校为{CORE},成员校 3 所:{QI}、{XIE}、{YI}" in text and "共建型" in text

    stats = world.run("吴学红", "/统计 本学年").text
    kinds = _tables(doc)[0]
    assert kinds[0][:2] == ["活动种类", "次数"]
    for row in kinds[1:]:
        if row[0] == "合计":
            assert f"合计 {row[1]} 次" in stats
        else:
            assert f"· {row[0]} {row[1]} 次" in stats, row
    total = re.search(r"合计 (\d+) 次", stats).group(1)
    assert f"共开展联盟活动 {total} 次" in text
    # Per school, the same counts as /统计's 各校 lines.
    for school in (CORE, QI, XIE, YI):
        line = next(ln for ln in stats.splitlines() if ln.startswith(f"【{school}】"))
        n = sum(int(x) for x in re.findall(r"(\d+)", line.split("】")[1].split(";")[0]))
        assert f"{school}:参与活动 {n} 次" in text

    # Exchanges with names and periods; targets behind as 存在问题, the same count as /进度.
    assert "孙慧霞:福海县第二小学 → 一农场小学,交流轮岗,2026-09-01 至 2027-07-31" in text
    progress = world.run("吴学红", "/进度").text
    behind = re.search(r"落后 (\d+) 项", progress).group(1)
    assert f"落后 {behind} 项" in text
    problems = text.split("三、存在问题")[1].split("四、下一步打算")[0]
    assert problems.count(",落后:") == int(behind)
    # Representative activities come from the records, with their original text.
    assert "原始记录:11月5日张炜老师到解乡小学送教,数学《分数的意义》,听课15人" in text
    assert text.rstrip().endswith("(三)") or "(三)" in text.split("四、下一步打算")[1]


def test_summary_permissions_and_empty_year(world):
    with pytest.raises(UserError, match="核心校"):
        world.run("好吾兰", "/总结")  # principal of a member school
    with pytest.raises(CommandDenied):
        world.run("张炜", "/总结")  # a teacher
    admin = world.run("管理员", "/总结 2025-2026", group_alliance=FUHAI, private=True)
    text = "\n".join(p.text for p in _doc(admin).paragraphs)
    assert "本期间台账中没有已完成的活动记录" in text and "教师交流 0 项" in text
