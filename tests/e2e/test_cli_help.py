"""Every subcommand's --help: a Chinese description, help on every option; --version."""

from __future__ import annotations

import argparse
import re

import pytest

from bot.cli import build_parser, main

CJK = re.compile(r"[\u4e00-\u9fff]")


def parsers(ap: argparse.ArgumentParser, path: tuple[str, ...] = ()):
    yield path, ap
    for action in ap._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from parsers(sub, (*path, name))


def test_every_subcommand_has_chinese_help_and_option_help():
    seen = 0
    for path, p in parsers(build_parser()):
        seen += 1
        if path:
            assert p.description and CJK.search(p.description), path
        for a in p._actions:
            if isinstance(a, argparse._SubParsersAction) or a.help == argparse.SUPPRESS:
                continue  # hidden options (serve --worker-index) are for the bot's own use
            assert a.help and CJK.search(a.help), (path, a.dest)
    assert seen >= 15


@pytest.mark.parametrize(
    "cmd, words",
    [
        (("parse",), ["JSON", "text"]),
        (("scores", "import"), ["学校", "年度", "得分", "GBK"]),
        (("simulate",), ["逐行输入", "wecom-ws"]),
        (("notify",), ["发件箱"]),
    ],
)
def test_input_formats_are_described(capsys, cmd, words):
    with pytest.raises(SystemExit):
        main([*cmd, "--help"])
    out = capsys.readouterr().out
    for w in words:
        assert w in out


def test_version(capsys):
    with pytest.raises(SystemExit) as e:
        main(["--version"])
    assert e.value.code == 0
    assert re.fullmatch(r"alliance-bot \d+\.\d+\.\d+.*\n", capsys.readouterr().out)
