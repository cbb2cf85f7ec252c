"""Fixtures shared by the parser's unit tests."""

from __future__ import annotations

import pytest

from handlers.reports import ReportParser
from handlers.vocab import EXAMPLE_ROSTER
from storage.roster import load_roster


@pytest.fixture(scope="module")
def parser(tmp_path_factory: pytest.TempPathFactory) -> ReportParser:
    """The parser over the example roster, strict (errors raise), with its own cache folder
    per test module."""
    return ReportParser(load_roster(EXAMPLE_ROSTER), tmp_path_factory.mktemp("cache"), strict=True)
