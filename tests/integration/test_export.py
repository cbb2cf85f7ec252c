"""The xlsx 台账 cell by cell, /导出 with its one-time link, and the score import."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import Workbook, load_workbook
from sqlmodel import select

from handlers.export import ACTIVITY_HEADERS, EXCHANGE_HEADERS, display_width, export_workbook
from handlers.periods import parse_period
from handlers.scores import ScoreImportError, import_scores
from storage.models import DownloadLink, ExternalScore
from tests.integration.test_commands import CORE, FUHAI, NOW, QI, XIE, YI

TODAY = NOW.date()


def _book(w) -> Workbook:
    period = parse_period("本学期", TODAY)
    data = export_workbook(w.session, w.alliances[FUHAI], period, w.settings, today=TODAY)
    return load_workbook(io.BytesIO(data))


def _row(ws, n: int) -> list:
    return [c.value for c in ws[n]]


def test_activity_sheet_cell_by_cell(world):
    wb = _book(world)
    assert wb.sheetnames == ["汇总", "活动台账", "交流轮岗", "进度", "考核"]
    ws = wb["活动台账"]
    assert tuple(_row(ws, 3)) == ACTIVITY_HEADERS
    assert ws.freeze_panes == "A4"
    assert ws.auto_filter.ref == f"A3:O{ws.max_row - 1}"  # the last row is the total
    assert ws.max_row == 3 + 9 + 1  # 9 dated activities; deleted, undated, other alliance left out
    first = _row(ws, 4)
    assert first[0] == world.ids["sync1"]
    assert first[1] == dt.datetime(2026, 10, 10)
    assert ws["B4"].number_format == "yyyy-mm-dd"
    assert first[2:] == [
        "同步课堂",
        "已完成",
        f"{CORE}、{XIE}",
        None,
        "张炜",
        "数学",
        None,
        None,
        "线上",
        6,
        "张炜",
        "张炜的上报",
        None,
    ]
    rows = {r[0]: r for r in (_row(ws, n) for n in range(4, ws.max_row))}
    d = rows[world.ids["delivery"]]
    assert d[1] == dt.datetime(2026, 11, 5)
    assert d[2:] == [
        "送教下乡",
        "已完成",
        f"{CORE}、{XIE}",
        f"{CORE}→{XIE}",
        "张炜",
        "数学",
        "分数的意义",
        15,
        None,
        2,
        "张炜、马欣瑞",
        "11月5日张炜老师到解乡小学送教,数学《分数的意义》,听课15人",
        None,
    ]
    assert rows[world.ids["planned"]][3] == "计划中"
    assert world.ids["deleted"] not in rows and world.ids["other"] not in rows
    # widths fit the longest value, CJK counting double
    assert ws.column_dimensions["B"].width == 12
    assert ws.column_dimensions["E"].width == 16  # capped: longer school lists wrap
    assert ws.column_dimensions["N"].width == min(56, display_width(d[13]) + 2)
    assert display_width("解乡小学 ab") == 11


def test_other_sheets(world):
    wb = _book(world)
    ex = wb["交流轮岗"]
    assert tuple(_row(ex, 3)) == EXCHANGE_HEADERS
    assert _row(ex, 4) == [
        world.ids["exchange"],
        "交流轮岗",
        "孙慧霞",
        CORE,
        YI,
        dt.datetime(2026, 9, 1),
        dt.datetime(2027, 7, 31),
        None,
        "已完成",
        "吴学红",
        "吴学红的上报",
    ]
    assert ex["F4"].number_format == ex["G4"].number_format == "yyyy-mm-dd"
    assert ex.freeze_panes == "A4" and ex.auto_filter.ref == "A3:K4"

    pr = wb["进度"]
    assert _row(pr, 3)[:3] == ["学校", "指标", "周期"]
    assert pr.max_row == 3 + 3 * 7 + 4
    rows = [_row(pr, n) for n in range(4, pr.max_row + 1)]
    sync = next(r for r in rows if r[0] == XIE and r[1] == "同步课堂节数")
    assert sync == [
        XIE,
        "同步课堂节数",
        "本学年",
        dt.datetime(2026, 9, 1),
        dt.datetime(2027, 8, 31),
        10,
        20,
        0.5,
        0,
        "进度正常",
    ]
    meet = next(r for r in rows if r[1] == "联盟会议")
    assert meet[0] == f"联盟整体({CORE})" and meet[5:9] == [1, 2, 0.5, 1]

    ka = wb["考核"]
    assert _row(ka, 3) == [
        "学校",
        "类别",
        "得分(百分制)",
        "得分来源",
        "县排名",
        "上年县排名",
        "说明",
    ]
    assert _row(ka, 4)[:2] == [CORE, "核心校"] and _row(ka, 4)[3] == "指标完成度"
    assert [_row(ka, n)[0] for n in range(5, 8)] == [QI, XIE, YI]
    assert _row(ka, 8)[0] == "捆绑得分" and _row(ka, 8)[6].startswith("捆绑得分 = 本校")
    assert (
        _row(ka, 9)[0] == "考核期间" and _row(ka, 9)[6] == "2026年(自然年 2026-01-01至2026-12-31)"
    )
    assert not any("年度" in str(v) for r in ka.iter_rows(values_only=True) for v in r if v)


def test_export_command_link_and_file(world):
    reply = world.run("吴学红", "/导出 本学期", public_url="https://bot.example.cn/")
    # asked in a group that cannot be answered privately: a one-time link, never the file
    assert reply.attachment is None and reply.private is None
    link = world.session.exec(select(DownloadLink)).one()
    assert link.filename == f"{FUHAI}_台账_2026-2027学年第一学期.xlsx"
    assert reply.link == f"https://bot.example.cn/download/{link.token}"
    assert reply.link in reply.text and "24小时" in reply.text
    assert len(link.token) >= 24 and link.used_at is None
    assert link.alliance_id == world.alliances[FUHAI]
    assert link.expires_at == NOW + dt.timedelta(hours=24)
    saved = world.settings.data_path / link.path
    assert link.path.startswith("exports/")
    # the summary a principal reads first, then the ledger itself
    assert load_workbook(io.BytesIO(saved.read_bytes())).sheetnames[:2] == ["汇总", "活动台账"]
    again = world.run("吴学红", "/导出")
    assert again.link.startswith("http://127.0.0.1:8080/download/") and again.link != reply.link


# -- score import -------------------------------------------------------------------------


def test_import_scores_csv_and_xlsx(world, tmp_path):
    f = tmp_path / "scores.csv"
    f.write_text(
        "学校,年度,得分,排名\n解小,2026,88.5,7\n一农场小学,2026,70,\n", encoding="utf-8-sig"
    )
    res = import_scores(world.session, f)
    assert (res.created, res.updated) == (2, 0)
    rows = world.session.exec(select(ExternalScore).order_by(ExternalScore.id)).all()
    assert [(r.year, r.score, r.county_rank) for r in rows] == [(2026, 88.5, 7), (2026, 70.0, None)]
    wb = Workbook()
    wb.active.append(["school", "year", "score", "rank"])
    wb.active.append(["解乡小学", 2026, 90, 5])
    x = tmp_path / "scores.xlsx"
    wb.save(x)
    assert import_scores(world.session, x).updated == 1
    assert (
        world.session.exec(select(ExternalScore.score).where(ExternalScore.county_rank == 5)).one()
        == 90.0
    )


def test_import_scores_errors_write_nothing(world, tmp_path):
    f = tmp_path / "bad.csv"
    f.write_text(
        "学校,年度,得分\n解乡小学,2026,80\n火星小学,2026,70\n一农场小学,26,x\n", encoding="utf-8"
    )
    with pytest.raises(ScoreImportError) as e:
        import_scores(world.session, f)
    msg = str(e.value)
    assert f"{f} 第3行 A列(学校): 名册中没有学校“火星小学”" in msg
    assert f"{f} 第4行 B列(年度)" in msg and f"{f} 第4行 C列(得分)" in msg
    assert world.session.exec(select(ExternalScore)).all() == []
    g = tmp_path / "nocol.csv"
    g.write_text("学校,年度\n解乡小学,2026\n", encoding="utf-8")
    with pytest.raises(ScoreImportError, match="第1行: 缺少列 得分"):
        import_scores(world.session, g)
