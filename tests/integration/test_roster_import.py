"""Roster import: idempotent, updates in place, rejects bad files whole (SQLite and PostgreSQL)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func
from sqlmodel import Session, select

from storage.models import Alliance, AllianceMember, ChatGroup, Identity, Person, School
from storage.queries import roster_from_db, roster_tree
from storage.roster import RosterError, load_roster
from storage.roster_import import import_roster_file
from tests.conftest import SAMPLE_ROSTER

TABLES = (Alliance, School, AllianceMember, Person, Identity, ChatGroup)

BASE = """
[[alliances]]
name = "测试联盟"
mode = "共建型"
core = "中心小学"
members = ["东村小学", "西村小学"]

[[schools]]
name = "中心小学"
aliases = ["中心小"]

[[schools]]
name = "东村小学"
aliases = ["东村小"]

[[people]]
name = "王老师"
school = "东村小学"
role = "teacher"
qq = "123456"
"""


def snapshot(engine) -> dict:
    with Session(engine) as s:
        out = {}
        for t in TABLES:
            rows = s.exec(select(t)).all()
            out[t.__name__] = sorted(
                tuple(
                    sorted(
                        (k, repr(v))
                        for k, v in r.model_dump().items()
                        if k not in ("created_at", "updated_at", "confirmed_at")
                    )
                )
                for r in rows
            )
        return out


def counts(engine) -> dict[str, int]:
    with Session(engine) as s:
        return {t.__name__: s.exec(select(func.count()).select_from(t)).one() for t in TABLES}


def write(tmp_path: Path, text: str, name: str = "roster.toml") -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def test_sample_roster_imports_and_twice_changes_nothing(engine):
    first = import_roster_file(engine, str(SAMPLE_ROSTER))
    assert first.created["alliance"] == 3 and first.created["person"] == 19
    before = snapshot(engine)
    second = import_roster_file(engine, str(SAMPLE_ROSTER))
    assert not second.changed, second.describe()
    assert snapshot(engine) == before
    assert counts(engine)["Identity"] == 38  # every person has a WeCom id and a QQ number


def test_eval_roster_round_trips_through_database(engine):
    path = Path(__file__).resolve().parents[2].parent / "shared" / "eval" / "roster.toml"
    if not path.exists():
        pytest.skip("shared/eval not present")
    roster = load_roster(path)
    import_roster_file(engine, str(path))
    with Session(engine) as s:
        back = roster_from_db(s)
    assert {a.name: (a.core, set(a.members)) for a in back.alliances} == {
        a.name: (a.core, set(a.members)) for a in roster.alliances
    }
    assert {p.name: p.school for p in back.people} == {p.name: p.school for p in roster.people}
    assert {x.name: set(x.aliases) for x in back.schools} == {
        x.name: set(x.aliases) for x in roster.schools
    }


def test_edited_file_updates_in_place(engine, tmp_path):
    import_roster_file(engine, str(write(tmp_path, BASE)))
    with Session(engine) as s:
        teacher_id = s.exec(select(Person).where(Person.name == "王老师")).one().id
    edited = BASE.replace('role = "teacher"', 'role = "principal"').replace(
        'aliases = ["东村小"]', 'aliases = ["东村小", "东小"]'
    )
    summary = import_roster_file(engine, str(write(tmp_path, edited)))
    assert summary.updated == {"school": 1, "person": 1}
    with Session(engine) as s:
        p = s.exec(select(Person).where(Person.name == "王老师")).one()
        assert (p.id, p.role) == (teacher_id, "principal")
        assert s.exec(select(School).where(School.name == "东村小学")).one().aliases == [
            "东村小",
            "东小",
        ]


@pytest.mark.parametrize(
    "mutation, entry, field, words",
    [
        (
            lambda t: t.replace('school = "东村小学"', 'school = "南村小学"'),
            "[[people]] 第1项 (王老师)",
            "school",
            "未知学校“南村小学”",
        ),
        (
            lambda t: t.replace('aliases = ["东村小"]', 'aliases = ["东村小", "中心小"]'),
            "[[schools]] (东村小学)",
            "aliases",
            "简称“中心小”同时属于“中心小学”和“东村小学”",
        ),
        (
            lambda t: (
                t + '\n[[alliances]]\nname = "另一联盟"\nmode = "共建型"\ncore = "北山小学"\n'
                'members = ["西村小学"]\n'
            ),
            "[[alliances]] 第2项 (另一联盟)",
            "members",
            "已属于同类型(共建型)联盟“测试联盟”",
        ),
        (
            lambda t: t.replace('role = "teacher"', 'role = "headmaster"'),
            "[[people]] 第1项 (王老师)",
            "role",
            "“headmaster”不是有效角色",
        ),
        (
            lambda t: t.replace('mode = "共建型"', 'mode = "共享型"'),
            "[[alliances]] 第1项 (测试联盟)",
            "mode",
            "“共享型”不是有效的模式",
        ),
        (lambda t: t.replace('name = "测试联盟"', 'name = "测试联盟'), "TOML 语法", None, ""),
        (
            lambda t: t.replace('qq = "123456"', 'qq = "12a456"'),
            "[[people]] 第1项 (王老师)",
            "qq",
            "QQ 号应为数字",
        ),
        (
            lambda t: (
                t + '\n[[groups]]\nplatform = "wechat"\nchat_id = "1"\nalliance = "测试联盟"\n'
            ),
            "[[groups]] 第1项",
            "platform",
            "“wechat”不是有效平台",
        ),
        (
            lambda t: (
                t + '\n[[groups]]\nplatform = "onebot"\nchat_id = "1"\nalliance = "无名联盟"\n'
            ),
            "[[groups]] 第1项",
            "alliance",
            "未知联盟“无名联盟”",
        ),
        (
            lambda t: t.replace('[[people]]\nname = "王老师"', '[[people]]\nnme = "王老师"'),
            "[[people]] 第1项",
            "nme",
            "未知字段",
        ),
    ],
)
def test_invalid_roster_names_file_entry_field_and_writes_nothing(
    engine, tmp_path, mutation, entry, field, words
):
    import_roster_file(engine, str(SAMPLE_ROSTER))
    before = snapshot(engine)
    path = write(tmp_path, mutation(BASE), "bad.toml")
    with pytest.raises(RosterError) as info:
        import_roster_file(engine, str(path))
    err = info.value
    assert err.file == str(path)
    assert err.entry == entry
    assert err.field == field
    assert words in str(err)
    assert str(path) in str(err)
    assert snapshot(engine) == before


def test_alias_conflict_with_existing_database_school_rolls_back(engine, tmp_path):
    import_roster_file(engine, str(write(tmp_path, BASE)))
    before = snapshot(engine)
    other = """
[[alliances]]
name = "第二联盟"
mode = "协作型"
core = "北山小学"
members = ["南山小学"]

[[schools]]
name = "北山小学"
aliases = ["东村小"]
"""
    with pytest.raises(RosterError, match="已属于数据库中的学校“东村小学”"):
        import_roster_file(engine, str(write(tmp_path, other, "other.toml")))
    assert snapshot(engine) == before


def test_school_in_two_alliances_of_different_modes_is_allowed(engine, tmp_path):
    text = (
        BASE
        + '\n[[alliances]]\nname = "协作联盟"\nmode = "协作型"\ncore = "北山小学"\nmembers = ["西村小学"]\n'
    )
    import_roster_file(engine, str(write(tmp_path, text)))
    assert counts(engine)["AllianceMember"] == 5


def test_roster_tree_is_readable(engine):
    import_roster_file(engine, str(SAMPLE_ROSTER))
    with Session(engine) as s:
        tree = roster_tree(s)
    assert tree.startswith("福海县第二小学联盟 (共建型)\n├─ 福海县第二小学 [核心校]")
    assert "张炜 · 教师 (企业微信 ZhangWei" in tree
    assert "群: wecom wrFuHaiPrincipals (校长群)" in tree


def test_missing_file_and_bad_encoding(tmp_path):
    with pytest.raises(RosterError, match="无法读取"):
        load_roster(tmp_path / "none.toml")
    bad = tmp_path / "gbk.toml"
    bad.write_bytes('[[schools]]\nname = "中心小学"\n'.encode("gbk"))
    with pytest.raises(RosterError, match="UTF-8"):
        load_roster(bad)
