"""The 台账 as the bureau prints it: page setup read back with openpyxl, and a real render
through LibreOffice headless (skipped with a message where LibreOffice is not installed).

Set ALLIANCE_BOT_KEEP_RENDER=/some/dir to keep the PDF and PNG pages for a look."""

from __future__ import annotations

import datetime as dt
import io
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook

from handlers.export import ACTIVITY_HEADERS, export_workbook
from handlers.periods import parse_period
from handlers.vocab import KIND_CN
from tests.integration.test_commands import CORE, FUHAI, NOW, QI, XIE, YI

TODAY = NOW.date()
KIND_NAMES = list(KIND_CN.values())
EXPORTED = dt.datetime(2026, 11, 20, 10, 30, tzinfo=NOW.tzinfo)
MESSAGES = (
    "10月{d}日福海二小张炜、马欣瑞两位老师到{school}送教,上了两节数学课《分数的意义》。\n"
    "课后与{school}数学组评课研讨,参加教师 {n} 人。",
    "今天下午我校与{school}开展线下联合教研,主题“双减”背景下的作业设计。\n"
    "张炜老师作专题发言,{school}校长总结。\n参加教师 {n} 人。",
    "{d}号同步课堂:二小张炜给{school}上了两节数学课,{school}学生 {n} 人参加。",
)


def add_eleven(w) -> None:
    """With the seeded nine, twenty activities this term: two- and three-line messages,
    several schools each, as teachers write them."""
    members = [QI, XIE, YI]
    for i in range(11):
        school = members[i % 3]
        w.add(
            "张炜",
            kind=("lesson_delivery", "joint_research", "sync_class")[i % 3],
            date=f"2026-10-{i + 1:02d}",
            schools=[CORE, school],
            from_school=CORE,
            to_school=school,
            teachers=["张炜", "马欣瑞"],
            subject="数学",
            title="分数的意义",
            participants=10 + i,
            lessons=2,
            mode="offline",
            source=MESSAGES[i % 3].format(d=i + 1, school=school, n=10 + i),
        )


def _book(w, period_word: str = "本学期"):
    period = parse_period(period_word, TODAY)
    data = export_workbook(
        w.session, w.alliances[FUHAI], period, w.settings, today=TODAY, exported_at=EXPORTED
    )
    return data, load_workbook(io.BytesIO(data))


def test_every_sheet_has_title_print_setup_and_repeated_header(world):
    add_eleven(world)
    _, wb = _book(world)
    assert wb.sheetnames == ["汇总", "活动台账", "交流轮岗", "进度", "考核"]
    for ws in wb.worksheets:
        assert ws["A1"].value == f"{FUHAI} {ws.title}"
        assert ws["A2"].value == (
            "期间:2026-2027学年第一学期(2026-09-01至2027-01-31)    导出时间:2026-11-20 10:30"
        )
        assert ws.page_setup.orientation == "landscape"
        assert ws.page_setup.paperSize == 9  # A4
        assert ws.sheet_properties.pageSetUpPr.fitToPage is True
        assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (1, 0)
        assert "&P" in ws.oddFooter.center.text
    for name in ("活动台账", "交流轮岗", "进度", "考核"):
        ws = wb[name]
        assert ws.print_title_rows == "$3:$3"
        assert ws.freeze_panes == "A4"
        assert ws.auto_filter.ref.startswith("A3:")
    ws = wb["活动台账"]
    assert tuple(c.value for c in ws[3]) == ACTIVITY_HEADERS
    cell = ws.cell(4, ACTIVITY_HEADERS.index("原始消息") + 1)
    assert cell.alignment.wrap_text and cell.border.left.style == "thin"
    # A three-line message gets a row tall enough for every line.
    long_row = next(
        n
        for n in range(4, ws.max_row + 1)
        if "\n" in str(ws.cell(n, ACTIVITY_HEADERS.index("原始消息") + 1).value)
    )
    assert ws.row_dimensions[long_row].height >= 3 * 13.5
    total = [c.value for c in ws[ws.max_row]]
    assert total[0] == "合计" and total[1] == f"{ws.max_row - 4} 条"


def test_percentages_are_numbers_and_summary_has_totals(world):
    add_eleven(world)
    _, wb = _book(world)
    pr = wb["进度"]
    header = [c.value for c in pr[3]]
    col = header.index("完成率") + 1
    values = [pr.cell(n, col) for n in range(4, pr.max_row + 1)]
    assert values and all(isinstance(c.value, (int, float)) and 0 <= c.value <= 1 for c in values)
    assert all(c.number_format == "0%" for c in values)

    def ratio(school: str, label: str) -> float:
        n = next(
            n
            for n in range(4, pr.max_row + 1)
            if pr.cell(n, 1).value == school and pr.cell(n, 2).value == label
        )
        return pr.cell(n, col).value

    assert ratio(XIE, "同步课堂节数") == 0.5  # 6 + 4 seeded lessons of 20
    assert ratio(YI, "同步课堂节数") == 0.3  # 3 of the eleven, 2 lessons each

    # 汇总 counts are /统计's counts.
    stats = world.run("吴学红", "/统计 本学期").text
    s = wb["汇总"]
    rows = [[c.value for c in r] for r in s.iter_rows(min_row=3)]
    first = rows[: next(i for i, r in enumerate(rows) if str(r[0]).startswith("二、"))]
    kinds = {r[0]: r for r in first if r[0] in KIND_NAMES + ["合计"]}
    assert "合计" in kinds and len(kinds) >= 5
    for name, r in kinds.items():
        if name == "合计":
            assert f"合计 {r[1]} 次" in stats
        else:
            assert f"· {name} {r[1]} 次" in stats
    assert kinds["同步课堂"][1:3] == [5, 2]  # 2 seeded online, 3 offline of the eleven
    by_school = {r[0]: r for r in rows if r and r[1] in ("核心校", "成员校")}
    assert set(by_school) == {CORE, QI, XIE, YI}
    at = next(i for i, r in enumerate(rows) if str(r[0]).startswith("三、"))
    header = rows[at + 1]
    matrix = {
        r[0]: dict(zip(header, r, strict=False))
        for r in rows[at + 2 :]
        if r[0] and r[0] != "合计" and not str(r[0]).startswith("共 ")
    }
    assert set(matrix) == {f"联盟整体({CORE})", QI, XIE, YI}
    assert matrix[XIE]["同步课堂节数"] == 0.5 and matrix[YI]["同步课堂节数"] == 0.3
    assert matrix[f"联盟整体({CORE})"]["联盟会议"] == 0.5 and matrix[XIE]["联盟会议"] is None
    pct_cell = next(c for c in s[at + 3 + 3] if isinstance(c.value, float))
    assert pct_cell.number_format == "0%"
    behind = sum(m["落后项数"] for m in matrix.values())
    progress = world.run("吴学红", "/进度").text
    assert f"落后 {behind} 项" in progress


def test_user_text_starting_with_equals_is_text_not_formula(world):
    world.add(
        "张炜",
        kind="meeting",
        date="2026-10-09",
        schools=[CORE],
        source='=HYPERLINK("http://evil.example","点我")',
    )
    data, wb = _book(world)
    ws = wb["活动台账"]
    col = ACTIVITY_HEADERS.index("原始消息") + 1
    cells = [ws.cell(n, col) for n in range(4, ws.max_row + 1)]
    evil = next(c for c in cells if str(c.value).startswith("=HYPERLINK"))
    assert evil.data_type == "s"
    assert b"<f>" not in data


def _soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def _pdf_pages(pdf: Path) -> list[str]:
    out = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, check=True, text=True
    ).stdout
    return [p for p in out.split("\f") if p.strip()]


def test_activity_ledger_of_twenty_records_prints_on_two_landscape_pages(world, tmp_path):
    soffice = _soffice()
    if soffice is None or shutil.which("pdftotext") is None:
        pytest.skip(
            "LibreOffice (soffice) 或 poppler-utils 未安装: apt-get install -y "
            "libreoffice-calc poppler-utils"
        )
    add_eleven(world)
    data, wb = _book(world)
    n_records = wb["活动台账"].max_row - 4
    assert n_records == 20
    xlsx = tmp_path / "ledger.xlsx"
    xlsx.write_bytes(data)
    profile = tmp_path / "lo-profile"
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(xlsx),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    pdf = tmp_path / "ledger.pdf"
    keep = os.environ.get("ALLIANCE_BOT_KEEP_RENDER")
    if keep and shutil.which("pdftoppm"):
        Path(keep).mkdir(parents=True, exist_ok=True)
        shutil.copy(pdf, Path(keep) / "ledger.pdf")
        subprocess.run(
            ["pdftoppm", "-png", "-r", "60", str(pdf), str(Path(keep) / "page")], check=True
        )
    pages = _pdf_pages(pdf)
    ledger = [p for p in pages if f"{FUHAI} 活动台账" in p]
    assert 1 <= len(ledger) <= 2, f"活动台账 takes {len(ledger)} pages"
    # Landscape: every page is wider than tall.
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    w, h = (float(x) for x in info.split("Page size:")[1].split("pts")[0].split(" x "))
    assert w > h and round(w) == 842  # A4 landscape, 842 × 595 pt
    # Every column is on the page (fit to width): each header, and the last column's text.
    first = ledger[0]
    for header in ACTIVITY_HEADERS:
        assert header in first.replace(" ", ""), header
    text = "".join(ledger).replace(" ", "")
    assert "校长总结。" in text  # the second line of a three-line 原始消息
    assert "参加教师19人" in text  # and its third
