"""Roster from an .xlsx workbook (one sheet per table): same result as the TOML."""

from __future__ import annotations

import tomllib

import pytest
from openpyxl import Workbook
from sqlmodel import Session

from storage.db import make_engine, upgrade
from storage.queries import roster_tree
from storage.roster import RosterError, load_roster
from storage.roster_import import import_roster_file
from tests.conftest import SAMPLE_ROSTER

CN = {
    "alliances": ("联盟", {"name": "名称", "mode": "模式", "core": "核心校", "members": "成员校"}),
    "schools": ("学校", {"name": "名称", "aliases": "简称"}),
    "people": (
        "人员",
        {
            "name": "姓名",
            "school": "学校",
            "role": "角色",
            "wecom_userid": "wecom_userid",
            "qq": "QQ",
        },
    ),
    "groups": (
        "群",
        {
            "platform": "平台",
            "chat_id": "chat_id",
            "alliance": "联盟",
            "webhook_key": "webhook_key",
            "purpose": "purpose",
        },
    ),
}


def workbook_from_toml(path, out, chinese: bool):
    data = tomllib.loads(SAMPLE_ROSTER.read_text(encoding="utf-8"))
    wb = Workbook()
    wb.remove(wb.active)
    for key, (title, cols) in CN.items():
        ws = wb.create_sheet(title if chinese else key)
        fields = list(cols)
        ws.append([cols[f] if chinese else f for f in fields])
        for t in data.get(key, []):
            ws.append(
                [
                    "、".join(v) if isinstance(v, list) else (int(v) if f == "qq" and v else v)
                    for f in fields
                    for v in [t.get(f)]
                ]
            )
    wb.save(out)
    return out


@pytest.mark.parametrize("chinese", [False, True])
def test_xlsx_roster_imports_like_the_toml(tmp_path, chinese):
    xlsx = workbook_from_toml(SAMPLE_ROSTER, tmp_path / "名册.xlsx", chinese)
    a, b = load_roster(SAMPLE_ROSTER), load_roster(xlsx)
    assert (a.alliances, a.schools, a.people, a.groups) == (
        b.alliances,
        b.schools,
        b.people,
        b.groups,
    )
    e1, e2 = make_engine(f"sqlite:///{tmp_path}/a.db"), make_engine(f"sqlite:///{tmp_path}/b.db")
    upgrade(e1), upgrade(e2)
    import_roster_file(e1, str(SAMPLE_ROSTER))
    import_roster_file(e2, str(xlsx))
    with Session(e1) as s1, Session(e2) as s2:
        assert roster_tree(s1) == roster_tree(s2)


def test_xlsx_roster_error_names_sheet_entry_and_field(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.title = "people"
    ws.append(["name", "school", "role"])
    ws.append(["张炜", "不存在的学校", "teacher"])
    wb.save(tmp_path / "bad.xlsx")
    with pytest.raises(RosterError) as e:
        load_roster(tmp_path / "bad.xlsx")
    assert (
        "bad.xlsx" in str(e.value) and "school" in str(e.value) and "不存在的学校" in str(e.value)
    )
    (tmp_path / "junk.xlsx").write_bytes(b"not a zip")
    with pytest.raises(RosterError, match="不是有效的 .xlsx"):
        load_roster(tmp_path / "junk.xlsx")
