"""Errors the command line turns into plain sentences."""
from __future__ import annotations


class MonitorError(Exception):
    """A problem a person can fix, said in one sentence."""


class ConfigError(MonitorError):
    """The configuration has problems: one sentence each, all reported at once."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = list(problems)


class InputError(MonitorError):
    """Input given on the command line or in a file was not usable; nothing was changed."""
