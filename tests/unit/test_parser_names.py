"""ReportParser: where school names and people's names start and end, by general facts of
Chinese rather than phrase lists. Each case is worded unlike the corpus line that prompted
the rule. Sent on Wednesday 2026-11-18 at 20:00 (+08:00), against the example roster.
"""

from __future__ import annotations

from datetime import datetime

import pytest

from handlers.reports import ReportParser
from handlers.vocab import EXAMPLE_ROSTER, EXAMPLE_SENT_AT
from storage.roster import load_roster

SENT = datetime.fromisoformat(EXAMPLE_SENT_AT)


@pytest.fixture(scope="module")
def parser(tmp_path_factory: pytest.TempPathFactory) -> ReportParser:
    return ReportParser(load_roster(EXAMPLE_ROSTER), tmp_path_factory.mktemp("cache"), strict=True)


def parse(parser: ReportParser, text: str, sender: str | None = "郑建华") -> dict:
    return parser.parse(text, SENT, sender).to_dict()


# --- a roster alias inside another school's longer name -------------------------------------


@pytest.mark.parametrize(
    "text, schools",
    [
        # 实小 is 实验小学 shortened (as 附小 is 附属小学): a place before it names another school
        ("11月12日,南通崇川实小的六位老师来城关小学开展送教活动。", ["南通崇川实小", "城关小学"]),
        # 小学校 is the full form of 小学, also after 实验: the roster's 实验小学 is not inside it
        ("11月16日,海门东洲实验小学校举行了数学教研活动。", ["海门东洲实验小学校"]),
        # the roster's own alias, with nothing glued before it, stays the roster school
        ("实小组织了数学教研活动", ["漳平市实验小学"]),
    ],
)
def test_alias_inside_a_longer_name_is_another_school(
    parser: ReportParser, text: str, schools: list[str]
) -> None:
    assert sorted(parse(parser, text)["schools"]) == sorted(schools)
