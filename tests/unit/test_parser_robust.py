"""No input makes the parser raise; the batch command keeps its output aligned."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime, timedelta, timezone

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from handlers.reports import ReportParser
from handlers.reports.batch import run_parse_cli
from handlers.vocab import EXAMPLE_ROSTER
from storage.roster import load_roster

# Characters the rules look at, so random text often reaches deep into them.
_PIECES = (
    "今天",
    "昨天",
    "上周三",
    "下下周二",
    "周五",
    "本月25号",
    "月底",
    "11月20日",
    "11.20",
    "9月起",
    "明年2月起",
    "至明年1月",
    "一学年",
    "一学期",
    "两周",
    "3个月",
    "送教",
    "同步课堂",
    "同课异构",
    "示范课",
    "讲座",
    "会议",
    "手拉手",
    "比赛",
    "视导",
    "赠送",
    "开放日",
    "轮岗",
    "支教",
    "跟岗",
    "挂职",
    "齐小",
    "二小",
    "城官",
    "福海2小",
    "解小",
    "江滨",
    "城关二小",
    "青山中学",
    "我",
    "我校",
    "我们",
    "张炜",
    "马欣瑞",
    "王芳",
    "老师",
    "校长",
    "两位",
    "十二位",
    "30余名",
    "节",
    "各一节",
    "《",
    "》",
    "“",
    "”",
    "、",
    ",",
    "。",
    "?",
    "吗",
    "取消",
    "推迟到",
    "改到",
    "线上",
    "到",
    "来",
    "从",
    "在",
    "数学",
    "语文",
    "科学实验器材",
    "共",
    "次",
    "第",
    "/",
    "\n",
    " ",
    "🎉",
    "\x00",
    "\ud800",
    "１２",
    "齊",
    "週",
    "學",
    "[微笑]",
)

messages = st.lists(st.one_of(st.sampled_from(_PIECES), st.text(max_size=4)), max_size=30).map(
    "".join
)
send_times = st.builds(
    lambda d, h, off: (
        datetime(2026, 1, 1, tzinfo=timezone(timedelta(hours=off))) + timedelta(days=d, hours=h)
    ),
    st.integers(0, 800),
    st.integers(0, 23),
    st.integers(-12, 14),
)
senders = st.one_of(
    st.none(), st.sampled_from(["张炜", "卢志米", "郑建华", "", "不认识"]), st.text(max_size=5)
)


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=messages, sent=send_times, sender=senders)
def test_never_raises(parser: ReportParser, text: str, sent: datetime, sender: str | None) -> None:
    got = parser.parse(text, sent, sender)
    d = got.to_dict()
    json.dumps(d, ensure_ascii=False)
    assert d["intent"] in ("chat", "command", "activity", "exchange")
    if not got.is_report:
        assert all(v in (None, []) for k, v in d.items() if k != "intent")
    else:
        assert (d["kind"] is None) == (d["intent"] == "exchange")
        if got.end_date is not None:
            assert got.date is not None and got.end_date >= got.date


@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=st.text(max_size=200))
def test_never_raises_on_any_unicode(parser: ReportParser, text: str) -> None:
    parser.parse(text, datetime(2026, 11, 18, 20, tzinfo=timezone(timedelta(hours=8))), "张炜")


def test_lenient_mode_answers_chat_instead_of_raising(tmp_path, monkeypatch) -> None:
    lenient = ReportParser(load_roster(EXAMPLE_ROSTER), tmp_path)

    def boom(*_a, **_k):
        raise RuntimeError("bug")

    monkeypatch.setattr(lenient, "_main_word", boom)
    assert lenient.parse("今天我到齐小送教", datetime.now(UTC), "张炜").intent == "chat"


# --- the batch command ------------------------------------------------------------------


def _run(lines: list[str], tmp_path, roster: str = str(EXAMPLE_ROSTER)) -> tuple[int, list[dict]]:
    out = io.StringIO()
    code = run_parse_cli(roster, io.StringIO("\n".join(lines) + "\n"), out, str(tmp_path / "cache"))
    return code, [json.loads(line) for line in out.getvalue().splitlines()]


def test_batch_keeps_order_ids_and_extra_keys(tmp_path) -> None:
    lines = [
        json.dumps(
            {
                "id": "a",
                "text": "11月20日我到齐小送教",
                "sent_at": "2026-11-23T10:15:00+08:00",
                "sender": "张炜",
                "expect": {"intent": "activity"},
            },
            ensure_ascii=False,
        ),
        json.dumps(
            {
                "id": "b",
                "text": "/统计 本月",
                "sent_at": "2026-11-23T10:15:00+08:00",
                "sender": "张炜",
            }
        ),
    ]
    code, out = _run(lines, tmp_path)
    assert code == 0
    assert [o["id"] for o in out] == ["a", "b"]
    assert out[0]["intent"] == "activity" and out[0]["date"] == "2026-11-20"
    assert out[1]["intent"] == "command"


def test_batch_survives_bad_lines(tmp_path, capsys) -> None:
    lines = [
        "not json",
        json.dumps({"id": "x"}),
        json.dumps({"id": "y", "text": 5}),
        "[1, 2]",
        json.dumps(
            {"id": "z", "text": "今天我到齐小送教", "sent_at": "yesterday", "sender": "张炜"},
            ensure_ascii=False,
        ),
    ]
    code, out = _run(lines, tmp_path)
    assert code == 0 and len(out) == 5
    assert [o["id"] for o in out] == [None, "x", "y", None, "z"]
    for o in out[:4]:
        assert o["intent"] == "chat" and all(
            v in (None, []) for k, v in o.items() if k not in ("id", "intent")
        )
    assert out[4]["intent"] == "activity"
    err = capsys.readouterr().err
    assert "第 1 行" in err and "第 5 行" in err


def test_batch_bad_roster_exits_2(tmp_path, capsys) -> None:
    bad = tmp_path / "roster.toml"
    bad.write_text("[[schools]]\nname = 1\n", "utf-8")
    assert run_parse_cli(str(bad), io.StringIO(""), io.StringIO()) == 2
    assert "roster.toml" in capsys.readouterr().err
    assert run_parse_cli(str(tmp_path / "missing.toml"), io.StringIO(""), io.StringIO()) == 2


def test_batch_runs_without_a_writable_cache(tmp_path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("", "utf-8")
    out = io.StringIO()
    line = json.dumps(
        {
            "id": "a",
            "text": "今天我到齐小送教",
            "sent_at": "2026-11-23T10:15:00+08:00",
            "sender": "张炜",
        },
        ensure_ascii=False,
    )
    assert run_parse_cli(str(EXAMPLE_ROSTER), io.StringIO(line), out, str(blocker / "cache")) == 0
    assert json.loads(out.getvalue())["intent"] == "activity"


def test_private_tokenizer_leaves_global_jieba_alone(parser: ReportParser) -> None:
    from handlers.reports.segment import jieba

    assert parser._tk is not jieba.dt
    assert "福海二小" not in getattr(jieba.dt, "FREQ", {}) or jieba.dt.FREQ["福海二小"] == 0
