"""Fixtures the integration modules share: pytest finds them here, so a test module need not
import a fixture by name (which shadows it with each test's argument)."""

from tests.integration.test_commands import world

__all__ = ["world"]
