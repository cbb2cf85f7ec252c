"""External assessment scores (import) and the bundled assessment of an alliance.

`import_scores(session, path)` reads an xlsx or csv with the columns 学校/school,
年度/year, 得分/score and optionally 排名/rank (county rank, 1 = best). Everything is
checked first; any error names the file, the row and the column, and nothing is written.

`assess(...)` computes each school's score (an imported score wins over the completion
score from the targets), the core school's bundled score and the exemption.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal, overload

from sqlmodel import Session, col, select

from handlers.targets import (
    TargetResult,
    _count_rule,
    alliance_schools,
    bundled_score,
    completion_score,
    evaluate,
    improved_schools,
)
from storage.models import ExternalScore, School
from storage.types import utcnow

COLUMNS = {
    "school": ("学校", "school", "学校名称"),
    "year": ("年度", "year", "年份"),
    "score": ("得分", "score", "分数"),
    "rank": ("排名", "rank", "县排名", "county_rank"),
}


class ScoreImportError(ValueError):
    """Bad input file; the message lists every problem with file, row and column."""


@dataclass(frozen=True)
class ScoreImportResult:
    created: int
    updated: int

    @property
    def total(self) -> int:
        return self.created + self.updated


def _read_rows(path: Path) -> list[list[Any]]:
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        from openpyxl import load_workbook

        wb = load_workbook(path, read_only=True, data_only=True)
        ws = wb.worksheets[0]
        rows = [list(r) for r in ws.iter_rows(values_only=True)]
        wb.close()
        return rows
    if path.suffix.lower() in (".csv", ".txt"):
        raw = path.read_bytes()
        # Excel on Chinese Windows saves CSV as GBK (code page 936); gb18030 reads all of it.
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                text = raw.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:  # pragma: no cover - gb18030 decodes any byte string
            raise ScoreImportError(f"{path}: 无法识别文件编码,请另存为 UTF-8 或 GBK 的 CSV")
        return [list(r) for r in csv.reader(io.StringIO(text, newline=""))]
    raise ScoreImportError(f"{path}: 只支持 .xlsx 或 .csv 文件")


def _col_letter(i: int) -> str:
    s = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(65 + r) + s
    return s


@overload
def _number(v: Any, integer: Literal[True]) -> int | None: ...
@overload
def _number(v: Any, integer: Literal[False]) -> float | None: ...


def _number(v: Any, integer: bool) -> float | int | None:
    if v is None or (isinstance(v, str) and not v.strip()):
        return None
    if isinstance(v, bool):
        raise ValueError
    if isinstance(v, (int, float)):
        n = v
    else:
        n = float(str(v).strip().rstrip("分名"))
    if integer:
        if float(n) != int(n):
            raise ValueError
        return int(n)
    return float(n)


def import_scores(session: Session, path: str | Path) -> ScoreImportResult:
    path = Path(path)
    if not path.exists():
        raise ScoreImportError(f"{path}: 文件不存在")
    rows = _read_rows(path)
    if not rows:
        raise ScoreImportError(f"{path}: 文件是空的")
    header = [str(h).strip().lower() if h is not None else "" for h in rows[0]]
    cols: dict[str, int] = {}
    for key, names in COLUMNS.items():
        for i, h in enumerate(header):
            if h in {n.lower() for n in names}:
                cols[key] = i
                break
    missing = [COLUMNS[k][0] for k in ("school", "year", "score") if k not in cols]
    if missing:
        raise ScoreImportError(
            f"{path} 第1行: 缺少列 {'、'.join(missing)}(需要 学校、年度、得分,可选 排名)"
        )
    schools = session.exec(select(School)).all()
    lookup = {s.name: s.id for s in schools}
    for s in schools:
        for a in s.aliases or []:
            lookup.setdefault(a, s.id)

    errors: list[str] = []
    parsed: dict[tuple[int, int], tuple[float, int | None, int]] = {}
    for n, row in enumerate(rows[1:], start=2):
        if all(v is None or str(v).strip() == "" for v in row):
            continue

        def cell(key: str, row: list[Any] = row) -> Any:  # bound now, not at call time
            i = cols.get(key)
            return row[i] if i is not None and i < len(row) else None

        def where(key: str, n: int = n) -> str:
            return f"{path} 第{n}行 {_col_letter(cols[key])}列({COLUMNS[key][0]})"

        name = str(cell("school") or "").strip()
        school_id = lookup.get(name)
        if not name:
            errors.append(f"{where('school')}: 学校为空")
        elif school_id is None:
            errors.append(f"{where('school')}: 名册中没有学校“{name}”")
        year = score = rank = None
        try:
            year = _number(cell("year"), True)
            if year is None or not 2000 <= year <= 2100:
                raise ValueError
        except ValueError:
            errors.append(f"{where('year')}: 年度应为四位年份,而不是“{cell('year')}”")
            year = None
        try:
            score = _number(cell("score"), False)
            if score is None or score < 0:
                raise ValueError
        except ValueError:
            errors.append(f"{where('score')}: 得分应为不小于 0 的数字,而不是“{cell('score')}”")
        if "rank" in cols:
            try:
                rank = _number(cell("rank"), True)
                if rank is not None and rank < 1:
                    raise ValueError
            except ValueError:
                errors.append(f"{where('rank')}: 排名应为正整数,而不是“{cell('rank')}”")
        if school_id is not None and year is not None and score is not None:
            if (school_id, year) in parsed:
                errors.append(
                    f"{where('school')}: “{name}”{year}年度与第{parsed[(school_id, year)][2]}行重复"
                )
            parsed[(school_id, year)] = (score, rank, n)
    if errors:
        raise ScoreImportError("\n".join(errors))

    created = updated = 0
    for (school_id, year), (score, rank, _n) in parsed.items():
        row = session.exec(
            select(ExternalScore).where(
                ExternalScore.school_id == school_id, ExternalScore.year == year
            )
        ).first()
        if row is None:
            row = ExternalScore(school_id=school_id, year=year)
            created += 1
        else:
            updated += 1
        row.score = score
        row.county_rank = rank
        row.source = path.name
        row.imported_at = utcnow()
        session.add(row)
    session.flush()
    return ScoreImportResult(created, updated)


# -- the bundled assessment ------------------------------------------------------------


@dataclass(frozen=True)
class SchoolScore:
    school: str
    score: float | None
    source: str  # external | targets | none
    rank: int | None = None
    previous_rank: int | None = None

    @property
    def source_cn(self) -> str:
        return {"external": "导入得分", "targets": "指标完成度", "none": "无数据"}[self.source]


@dataclass(frozen=True)
class Assessment:
    year: int
    alliance: str
    core: SchoolScore | None
    members: list[SchoolScore]
    bundled: float | None
    own_weight: float
    members_weight: float
    threshold: int
    exempt_by: list[str] = field(default_factory=list)
    results: list[TargetResult] = field(default_factory=list)
    records: int = 0  # live records dated in the year

    @property
    def has_data(self) -> bool:
        """Any record counted or score imported for the year (else: 该年度没有记录)."""
        return self.records > 0 or any(
            s.source == "external" for s in ([self.core] if self.core else []) + self.members
        )


def assess(
    session: Session, alliance_id: int, year: int, settings: Any, rules: list, today: dt.date
) -> Assessment:
    info = alliance_schools(session, alliance_id)
    a = settings.assessment
    ref = min(today, dt.date(year, 12, 31))
    results = evaluate(
        session,
        alliance_id,
        rules,
        ref,
        terms=settings.terms,
        milestones=a.milestones,
        annual_year=year,
    )
    names = [n for n in (info.core, *info.members) if n]
    ids = (
        dict(
            session.exec(
                select(col(School.name), col(School.id)).where(col(School.name).in_(names))
            ).all()
        )
        if names
        else {}
    )
    ext: dict[tuple[int, int], ExternalScore] = {}
    if ids:
        for e in session.exec(
            select(ExternalScore).where(
                col(ExternalScore.school_id).in_(ids.values()),
                col(ExternalScore.year).in_((year, year - 1)),
            )
        ):
            ext[(e.school_id, e.year)] = e

    def core_done(r: TargetResult) -> int:
        if not info.core:
            return r.done
        counted = _count_rule(
            session, alliance_id, replace(r.rule, unit="pair"), r.period, info.core, (info.core,)
        )
        return counted.get((info.core, "done"), 0)

    def score_of(name: str, alliance_level: bool) -> SchoolScore:
        sid = ids.get(name)
        # A school not in the roster has no imported score.
        cur = ext.get((sid, year)) if sid is not None else None
        prev = ext.get((sid, year - 1)) if sid is not None else None
        rank = cur.county_rank if cur else None
        prev_rank = prev.county_rank if prev else None
        if cur is not None and cur.score is not None:
            return SchoolScore(name, round(cur.score, 1), "external", rank, prev_rank)
        if alliance_level:
            # The core's own score: the alliance-level targets, counting only the activities
            # the core school took part in (an open day a member school held alone is not
            # the core's work).
            mine = [(core_done(r), r.minimum) for r in results if r.school is None]
        else:
            mine = [(r.done, r.minimum) for r in results if r.school == name]
        sc = completion_score(mine)
        return SchoolScore(name, sc, "targets" if sc is not None else "none", rank, prev_rank)

    core = score_of(info.core, True) if info.core else None
    members = [score_of(m, False) for m in info.members]
    exempt_by = improved_schools(
        {m.school: m.previous_rank for m in members},
        {m.school: m.rank for m in members},
        a.rank_improvement_exemption,
    )
    bundled = None
    if core is not None and core.score is not None:
        bundled = bundled_score(
            core.score,
            [m.score for m in members if m.score is not None],
            a.own_weight,
            a.members_weight,
            exempt=bool(exempt_by),
        )
    from sqlalchemy import func

    from storage.models import Record

    n_records = session.exec(
        select(func.count(col(Record.id))).where(
            col(Record.alliance_id) == alliance_id,
            col(Record.deleted) == False,  # noqa: E712
            col(Record.date) >= dt.date(year, 1, 1),
            col(Record.date) <= dt.date(year, 12, 31),
        )
    ).one()
    return Assessment(
        year,
        info.name,
        core,
        members,
        bundled,
        a.own_weight,
        a.members_weight,
        a.rank_improvement_exemption,
        exempt_by,
        results,
        int(n_records),
    )
