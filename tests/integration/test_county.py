"""The county view: /总览, /统计 全县, /导出 全县, /进度 联盟名 for the admin."""

from __future__ import annotations

import io
import re

import pytest
from openpyxl import load_workbook

from handlers.router import CommandDenied, UserError
from tests.integration.test_commands import FUHAI, ZHANGPING

QINGYUAN = "庆元县江滨小学教共体"


def test_overview_lists_every_alliance_in_one_line(world):
    reply = world.run("管理员", "/总览")
    lines = reply.text.splitlines()
    assert lines[0] == "全县联盟总览(2026-2027学年第一学期,截至 2026-11-20)"
    assert lines[1].startswith("3 个联盟、15 所学校;记录 ")
    for name in (FUHAI, ZHANGPING, QINGYUAN):
        [line] = [ln for ln in lines if ln.startswith(f"· {name}:")]
        assert re.fullmatch(
            rf"· {name}:记录 \d+ 条,(落后 \d+ 项|无落后)"
            r"(,下一截止 \d+月\d+日|,指标已全部完成)",
            line,
        ), line
    fuhai = next(ln for ln in lines if ln.startswith(f"· {FUHAI}"))
    progress = world.run("管理员", f"/进度 {FUHAI}").text
    behind = re.search(r"落后 (\d+) 项", progress.splitlines()[1]).group(1)
    assert f"落后 {behind} 项" in fuhai and "记录 10 条" in fuhai  # 9 activities + 1 exchange
    assert len(lines) <= 20 and '<font color="warning">' in reply.markdown


def test_county_commands_are_for_the_admin_only(world):
    with pytest.raises(CommandDenied):
        world.run("吴学红", "/总览")
    with pytest.raises(UserError, match="仅限管理员"):
        world.run("吴学红", "/统计 全县")
    with pytest.raises(UserError, match="仅限管理员"):
        world.run("吴学红", "/导出 全县")


def test_county_stats_adds_up_the_alliances(world):
    text = world.run("管理员", "/统计 全县 本学期").text
    lines = text.splitlines()
    assert lines[0] == "全县活动统计"
    total = int(re.search(r"合计 (\d+) 次", text).group(1))
    per = {}
    for name in (FUHAI, ZHANGPING, QINGYUAN):
        [line] = [ln for ln in lines if ln.startswith(f"· {name} ")]
        per[name] = int(re.match(rf"· {name} (\d+) 次", line).group(1))
        own = world.run("管理员", f"/统计 {name} 本学期").text if name != QINGYUAN else ""
        if own:
            assert f"合计 {per[name]} 次" in own
    assert sum(per.values()) == total == 9


def test_county_export_one_workbook(world):
    reply = world.run("管理员", "/导出 全县 本学期", private=True)
    assert reply.attachment.filename == "全县_台账_2026-2027学年第一学期.xlsx"
    wb = load_workbook(io.BytesIO(reply.attachment.content))
    assert wb.sheetnames == ["全县汇总", FUHAI, ZHANGPING, QINGYUAN]
    s = wb["全县汇总"]
    assert s["A1"].value == "全县联盟活动汇总"
    assert s["A2"].value.startswith("期间:2026-2027学年第一学期(2026-09-01至2027-01-31)")
    header = [c.value for c in s[3]]
    rows = {
        r[0]: dict(zip(header, r, strict=False)) for r in s.iter_rows(min_row=4, values_only=True)
    }
    assert rows[FUHAI]["已完成活动"] == 8 and rows["合计"]["已完成活动"] == 9
    assert s.print_title_rows == "$3:$3" and s.page_setup.orientation == "landscape"
    fuhai = wb[FUHAI]
    assert fuhai["A1"].value == f"{FUHAI} 活动台账"
    assert fuhai.max_row == 3 + 9  # header + the 9 dated activities of the term
