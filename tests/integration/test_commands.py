"""Principal commands through a real Router + HandlerContext on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlmodel import Session, select

from bot.config import Settings
from bot.files import DataDirFiles, download_base
from handlers.commands import build_router
from handlers.context import HandlerContext
from handlers.events import ChatRef, IncomingMessage, Reply
from handlers.records import save_report, undo
from handlers.router import CommandDenied, UserError, split_command
from storage.models import Alliance, ExternalScore, InboundMessage, Person, Record, School
from storage.queries import alliance_of_school
from storage.roster_import import import_roster_file
from tests.conftest import SAMPLE_ROSTER

TZ = dt.timezone(dt.timedelta(hours=8))
NOW = dt.datetime(2026, 11, 20, 10, 0, tzinfo=TZ)
ROUTER = build_router()
FUHAI = "福海县第二小学联盟"
ZHANGPING = "漳平市实验小学教育联盟"
CORE = "福海县第二小学"
QI, XIE, YI = "齐干吉迭乡小学", "解乡小学", "一农场小学"


@dataclass
class World:
    session: Session
    settings: Settings
    alliances: dict[str, int]

    def person(self, name: str) -> Person:
        return self.session.exec(select(Person).where(Person.name == name)).one()

    def ctx(
        self,
        name: str,
        *,
        group_alliance: str | None = None,
        now: dt.datetime = NOW,
        public_url: str = "",
        private: bool = False,
    ) -> HandlerContext:
        p = self.person(name)
        alliance = (
            self.session.get(Alliance, self.alliances[group_alliance])
            if group_alliance
            else alliance_of_school(self.session, p.school_id)
        )
        msg = IncomingMessage(
            platform="wecom",
            route="wecom-aibot",
            chat=ChatRef("wecom", name, "private") if private else ChatRef("wecom", "g1"),
            sender_id=name,
            text="",
            message_id=uuid.uuid4().hex,
            sent_at=now,
        )
        return HandlerContext(
            message=msg,
            session=self.session,
            settings=self.settings,
            now=now,
            person=p,
            school=self.session.get(School, p.school_id),
            alliance=alliance,
            public_url=public_url or download_base(self.settings),
            router=ROUTER,
            files=DataDirFiles(self.settings.data_path),
        )

    def run(self, name: str, text: str, **kw) -> Reply:
        """Dispatch as the message handler does (`Router.run`: find, role check, command);
        user errors are raised, not answered, so tests can match them."""
        word, args = split_command(text)
        assert ROUTER.find(word) is not None, word
        return ROUTER.run(self.ctx(name, **kw), word, args)

    def add(self, reporter: str, alliance: str = FUHAI, *, source: str = "", **fields):
        values = {"intent": "activity", "status": "done", "schools": [], "teachers": [], **fields}
        if isinstance(values.get("date"), str):
            values["date"] = dt.date.fromisoformat(values["date"])
        if isinstance(values.get("end_date"), str):
            values["end_date"] = dt.date.fromisoformat(values["end_date"])
        p = self.person(reporter)
        inbound = InboundMessage(
            platform="wecom",
            message_id=uuid.uuid4().hex,
            route="wecom-aibot",
            chat_id="g1",
            sender_id=reporter,
            raw_text=source or "上报",
            sent_at=NOW,
            person_id=p.id,
        )
        self.session.add(inbound)
        self.session.flush()
        res = save_report(
            self.session,
            values,
            alliance_id=self.alliances[alliance],
            person_id=p.id,
            reporter_name=p.name,
            message_id=inbound.id,
            source_text=source or f"{reporter}的上报",
        )
        self.session.flush()
        # A new record comes back as a read-only snapshot (storage fast path); tests change
        # records, so hand them the session's instance.
        return self.session.get(Record, res.record.id)


def seed(w: World) -> dict[str, int]:
    ids = {}
    ids["sync1"] = w.add(
        "张炜",
        kind="sync_class",
        date="2026-10-10",
        schools=[CORE, XIE],
        lessons=6,
        subject="数学",
        mode="online",
        teachers=["张炜"],
    ).id
    w.add(
        "张炜",
        kind="sync_class",
        date="2026-10-17",
        schools=[CORE, XIE],
        lessons=4,
        subject="语文",
        mode="online",
    )
    w.add(
        "孙慧霞", kind="joint_research", date="2026-10-20", schools=[CORE, XIE, QI], mode="online"
    )
    w.add("林晓燕", kind="joint_research", date="2026-10-21", schools=[XIE], mode="offline")
    w.add("林晓燕", kind="joint_research", date="2026-10-22", schools=[XIE])
    rec = w.add(
        "张炜",
        kind="lesson_delivery",
        date="2026-11-05",
        schools=[CORE, XIE],
        from_school=CORE,
        to_school=XIE,
        teachers=["张炜"],
        subject="数学",
        title="分数的意义",
        participants=15,
        lessons=2,
        source="11月5日张炜老师到解乡小学送教,数学《分数的意义》,听课15人",
    )
    w.add("马欣瑞", kind="lesson_delivery", date="2026-11-05", schools=[XIE], to_school=XIE)
    ids["delivery"] = rec.id
    w.add("吴学红", kind="inspection", date="2026-11-10", schools=[CORE, QI])
    w.add(
        "吴学红",
        kind="meeting",
        date="2026-10-30",
        schools=[CORE, QI, XIE, YI],
        source="联盟校长论坛在二小召开",
    )
    ids["planned"] = w.add(
        "吴学红", kind="meeting", date="2026-12-10", schools=[CORE], status="planned"
    ).id
    ids["exchange"] = w.add(
        "吴学红",
        intent="exchange",
        exchange_kind="rotation",
        date="2026-09-01",
        end_date="2027-07-31",
        schools=[CORE, YI],
        from_school=CORE,
        to_school=YI,
        teachers=["孙慧霞"],
    ).id
    ids["undated"] = w.add("张茂玉", kind="student_activity", schools=[QI]).id
    gone = w.add(
        "张炜", kind="lesson_delivery", date="2026-11-06", schools=[CORE, QI], to_school=QI
    )
    undo(w.session, gone, actor=None, message_id=None)
    ids["deleted"] = gone.id
    ids["other"] = w.add(
        "刘文斌",
        ZHANGPING,
        kind="lesson_delivery",
        date="2026-11-05",
        schools=["漳平市实验小学", "城关小学"],
        to_school="城关小学",
    ).id
    w.session.flush()
    return ids


@pytest.fixture
def world(engine, tmp_path: Path):
    import_roster_file(engine, str(SAMPLE_ROSTER))
    with Session(engine, expire_on_commit=False) as s:
        zp = s.exec(select(School).where(School.name == "漳平市实验小学")).one()
        s.add(Person(name="管理员", school_id=zp.id, role="admin"))
        s.commit()
        alliances = {a.name: a.id for a in s.exec(select(Alliance)).all()}
        w = World(s, Settings(data_dir=str(tmp_path / "data")), alliances)
        w.ids = seed(w)
        yield w
        s.rollback()


def block(text: str, header: str) -> str:
    """The lines of one 【school】 block of a progress reply."""
    out, on = [], False
    for line in text.splitlines():
        if line.startswith("【"):
            on = line.startswith(header)
        if on:
            out.append(line)
    return "\n".join(out)


# -- /进度 --------------------------------------------------------------------------------


def test_progress_principal_whole_alliance(world):
    text = world.run("吴学红", "/进度").text
    lines = text.splitlines()
    assert lines[0] == f"{FUHAI} 指标进度(截至 2026-11-20)"
    assert lines[1] == "共 25 项,落后 4 项,最近截止 2026-12-23"
    assert lines[2] == f"· 联盟整体({CORE}):正常,下一节点 12月23日"
    assert lines[3] == f"· {QI}:落后 1 项(送教),截止 12月23日"
    assert lines[4] == f"· {XIE}:落后 1 项(核心校视导),截止 12月23日"
    assert lines[5] == f"· {YI}:落后 2 项(送教、核心校视导),截止 12月23日"
    assert lines[6] == f"看一所学校:/进度 {QI}"
    assert len(lines) == 7 and "城关" not in text
    md = world.run("吴学红", "/进度").markdown
    assert '<font color="warning">落后 2 项</font>' in md and "⟦" not in text

    xie = world.run("吴学红", f"/进度 {XIE}").text
    assert "· 同步课堂节数 10/20节 50%(本学年)" in xie
    assert "· 同步课堂学科 2/2科 100%(本学年)\n  已完成" in xie
    assert "· 线上研修 1/8次 12%" in xie
    assert "· 线下教研 2/4次 50%" in xie  # offline and unstated both count
    assert "· 送教 1/1次 100%(本学期)" in xie  # two reports, one record
    assert "· 核心校视导 0/2次 0%(本学期)\n  落后:还需 2 次,截止 2026-12-23" in xie
    assert "· 接收交流教师 0/1人次" in xie
    qi = world.run("吴学红", f"/进度 {QI}").text
    assert "· 送教 0/1次" in qi  # the undone record does not count
    assert "· 核心校视导 1/2次 50%(本学期)\n  进度正常(2026-12-23 前达到 2)" in qi
    assert "· 接收交流教师 1/1人次" in world.run("吴学红", f"/进度 {YI}").text
    core = world.run("吴学红", f"/进度 {CORE}").text
    assert "· 联盟会议 1/2次 50%(本学期) 计划中 1" in core
    assert "· 校长论坛 1/1次 100%" in core
    assert "· 班主任交流会 0/1次 0%" in core
    for reply in (xie, qi, core):
        assert len(reply.splitlines()) <= 20


def test_progress_one_school_and_teacher(world):
    text = world.run("吴学红", "/进度 解小").text
    assert text.startswith(f"{XIE} 指标进度") and QI not in text
    t = world.run("林晓燕", "/进度").text
    assert t.startswith(f"{XIE} 指标进度") and QI not in t and "联盟整体" not in t
    core_teacher = world.run("张炜", "/进度").text
    assert "联盟会议" in core_teacher and XIE not in core_teacher
    with pytest.raises(UserError, match=QI):
        world.run("林晓燕", f"/进度 {QI}")


def test_progress_past_period_judged_at_its_end(world):
    text = world.run("吴学红", "/进度 上学年").text
    assert "截至 2026-08-31" in text and "落后 7 项(同步课堂节数、同步课堂学科等)" in text
    assert "同步课堂节数 0/20节" in world.run("吴学红", "/进度 解小 上学年").text


# -- /统计 --------------------------------------------------------------------------------


def test_stats_counts(world):
    text = world.run("吴学红", "/统计 本学期").text
    lines = text.splitlines()
    assert lines[0] == f"{FUHAI} 活动统计"
    assert lines[1] == "期间:2026-2027学年第一学期(2026-09-01~2027-01-31)"
    assert "合计 8 次" in lines  # planned and deleted records are left out
    assert "· 同步课堂 2 次(线上 2、线下 0)" in lines
    assert "· 联合教研 3 次(线上 1、线下 1、未注明 1)" in lines
    assert f"【{XIE}】送教下乡1、同步课堂2、联合教研3、会议1;同步课堂 10 节(数学、语文)" in lines
    assert f"【{YI}】会议1" in lines
    one = world.run("吴学红", f"/统计 {QI} 2026年11月").text
    assert one.splitlines()[0] == f"{QI} 活动统计" and "合计 1 次" in one  # the inspection
    assert "没有已完成的活动" in world.run("吴学红", "/统计 2025").text


# -- /明细 --------------------------------------------------------------------------------


def test_details_paging_and_reporters(world):
    text = world.run("吴学红", "/明细").text
    lines = text.splitlines()
    assert lines[0] == f"{FUHAI} 活动明细 共 11 条,第 1/2 页"  # six a page
    assert lines[1] == f"#{world.ids['planned']} 2026-12-10 会议(计划中)"
    d = world.ids["delivery"]
    i = lines.index(f"#{d} 2026-11-05 送教下乡")
    assert lines[i + 1] == f"  {CORE}→{XIE} · 张炜 · 数学《分数的意义》2节 · 15人"
    assert lines[i + 2] == "  上报:张炜、马欣瑞"
    assert lines[-1] == "下一页:/明细 第2页"
    assert f"#{world.ids['deleted']} " not in text and "城关" not in text
    assert len(lines) <= 20
    p2 = world.run("吴学红", "/明细 第2页").text
    assert "第 2/2 页" in p2 and f"#{world.ids['undated']} 日期未明 学生活动" in p2
    assert f"#{world.ids['exchange']} 2026-09-01~2027-07-31 交流轮岗" in p2
    with pytest.raises(UserError, match="只有 2 页"):
        world.run("吴学红", "/明细 3")


def test_details_filters(world):
    text = world.run("吴学红", "/明细 送教 解乡小学 本月").text
    assert text.splitlines()[0] == f"{XIE} 活动明细(2026年11月) 共 1 条,第 1/1 页"
    assert f"#{world.ids['delivery']} 2026-11-05 送教下乡" in text
    assert "共 1 条" in world.run("吴学红", "/明细 交流").text
    t = world.run("林晓燕", "/明细").text  # the teacher: own school only
    assert t.startswith(f"{XIE} 活动明细 共 7 条")
    assert "视导检查" not in t
    with pytest.raises(UserError, match="不认识“火星”"):
        world.run("吴学红", "/明细 火星")


# -- /交流 --------------------------------------------------------------------------------


def test_exchanges(world):
    lines = world.run("吴学红", "/交流").text.splitlines()
    assert lines[0] == f"{FUHAI} 教师交流(截至 2026-11-20)"
    assert lines[1] == "正在进行 1 项:"
    assert lines[2] == f"#{world.ids['exchange']} 孙慧霞 交流轮岗"
    assert lines[3] == f"  {CORE}→{YI},至 2027-07-31"
    assert lines[4] == f"2026-2027学年尚未接收交流教师:{QI}、{XIE}"


# -- /考核 --------------------------------------------------------------------------------


def _scores(w: World, year: int, values: dict[str, tuple[float, int | None]]) -> None:
    for name, (score, rank) in values.items():
        sid = w.session.exec(select(School.id).where(School.name == name)).one()
        w.session.add(ExternalScore(school_id=sid, year=year, score=score, county_rank=rank))
    w.session.flush()


def test_assessment_bundled(world):
    _scores(world, 2025, {QI: (50, 20), XIE: (50, 10), YI: (50, 15)})
    _scores(world, 2026, {CORE: (90, 3), QI: (60, 18), XIE: (80, 9), YI: (70, 14)})
    text = world.run("吴学红", "/考核 2026").text
    lines = text.splitlines()
    assert lines[0] == f"{FUHAI} 2026年捆绑考核(百分制)"
    assert lines[1] == "考核期间:2026年(自然年 2026-01-01至2026-12-31)"
    assert lines[2] == f"核心校 {CORE}:本校 90.0 分(导入得分)"
    # 0.8 × 90 + (60 + 80 + 70) × 0.2 ÷ 3
    assert lines[3] == "捆绑得分 = 本校 90.0×80% + 成员校(60.0 + 80.0 + 70.0)×20%÷3 = 86.0 分"
    assert lines[4] == "成员校(每校占核心校捆绑得分的 20%÷3 = 6.7%):"
    assert f"· {YI} 70.0 分(导入得分,县排名 14(上年 15))" in lines
    assert "怎么算(百分制,满分 100):" in lines and "豁免" in text
    assert "年度" not in text and len(lines) <= 20


def test_assessment_exemption(world):
    _scores(world, 2025, {QI: (50, 20), XIE: (50, 10), YI: (50, 15)})
    _scores(world, 2026, {CORE: (90, 3), QI: (60, 18), XIE: (80, 9), YI: (70, 10)})
    lines = world.run("吴学红", "/考核").text.splitlines()
    assert (
        lines[3] == f"豁免:{YI}县排名比上年提升 5 名或以上,核心校捆绑得分按本校得分计 = 90.0 分。"
    )


def test_assessment_from_targets(world):
    from handlers.targets import completion_score

    lines = world.run("吴学红", "/考核 2026").text.splitlines()
    # core: annual alliance targets: meetings 1/4, open day 0/1, forum 1/1, 班主任 0/1
    own = completion_score([(1, 4), (0, 1), (1, 1), (0, 1)])
    assert lines[2] == f"核心校 {CORE}:本校 {own:.1f} 分(指标完成度)"
    assert any(line.startswith(f"· {XIE} ") and "指标完成度" in line for line in lines)
    with pytest.raises(UserError, match="自然年"):
        world.run("吴学红", "/考核 本学期")


def test_core_score_not_moved_by_an_open_day_without_the_core(world):
    before = world.run("吴学红", "/考核 2026").text.splitlines()[2]
    world.add("许鲁湘", kind="open_day", date="2026-11-12", schools=[YI])  # a member alone
    assert world.run("吴学红", "/考核 2026").text.splitlines()[2] == before
    world.add("吴学红", kind="open_day", date="2026-11-13", schools=[CORE, QI])
    assert world.run("吴学红", "/考核 2026").text.splitlines()[2] != before


def test_assessment_of_a_year_without_records(world):
    text = world.run("吴学红", "/考核 2025").text
    assert text.splitlines()[0] == f"{FUHAI} 2025年捆绑考核(百分制)"
    assert "该年度没有记录" in text and "0.0 分" not in text


# -- the permission matrix -------------------------------------------------------------

PEOPLE = {  # role: (person, a school of their own alliance, a school of another alliance)
    "teacher": ("林晓燕", XIE, "城关小学"),
    "principal": ("好吾兰", XIE, "城关小学"),
    "admin": ("管理员", "城关小学", XIE),
}
COMMANDS = ("进度", "统计", "明细", "交流", "考核", "导出")
EXPECT = {
    "teacher": {
        "进度": ("ok", "error"),
        "明细": ("ok", "error"),
        "统计": ("denied", "denied"),
        "交流": ("denied", "denied"),
        "考核": ("denied", "denied"),
        "导出": ("denied", "denied"),
    },
    "principal": {c: ("ok", "error") for c in COMMANDS},
    "admin": {c: ("ok", "ok") for c in COMMANDS},
}
TAKES_SCHOOL = {"进度", "统计", "明细"}


@pytest.mark.parametrize("role", list(PEOPLE))
def test_permission_matrix(world, role):
    """role × (own alliance, other alliance) × every command: ok, refused by role, or an
    error naming the school of the other alliance; and no other alliance's data leaks."""
    name, own, other = PEOPLE[role]
    got, want = {}, {}
    for command in COMMANDS:
        for i, where in enumerate(("own", "other")):
            if where == "own":
                text = f"/{command} {own}" if command in TAKES_SCHOOL else f"/{command}"
            else:
                text = (
                    f"/{command} {other}"
                    if role != "admin" or command in TAKES_SCHOOL
                    else f"/{command} {FUHAI}"
                )
            try:
                reply = world.run(name, text)
                outcome = "ok"
            except CommandDenied:
                outcome = "denied"
            except UserError as e:
                outcome = "error" if other in str(e) else f"error without the school: {e}"
            got[(command, where)] = outcome
            want[(command, where)] = EXPECT[role][command][i]
            if outcome == "ok" and role != "admin":
                assert "城关" not in reply.text and ZHANGPING not in reply.text, (command, where)
            if outcome == "ok" and role == "admin" and where == "other" and command != "导出":
                assert XIE in reply.text or FUHAI in reply.text, command
    assert got == want


def test_principal_in_another_alliances_group_sees_only_own(world):
    text = world.run("吴学红", "/统计", group_alliance=ZHANGPING).text
    assert text.startswith(FUHAI) and "城关" not in text
    admin = world.run("管理员", "/统计", group_alliance=FUHAI).text
    assert admin.startswith(FUHAI)


def test_every_command_has_help():
    for name in COMMANDS:
        spec = ROUTER.find(name)
        assert spec.summary and spec.usage.startswith("用法") and spec.example
    assert ROUTER.find("progress").name == "进度" and ROUTER.find("export").name == "导出"
