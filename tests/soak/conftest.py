"""The long versions of the reliability suites: skipped unless HWD_SOAK=1 (`make soak`)."""
from __future__ import annotations

import os

import pytest


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Skip every soak test unless HWD_SOAK=1."""
    if os.environ.get("HWD_SOAK") == "1":
        return
    skip = pytest.mark.skip(reason="a soak test: run with HWD_SOAK=1 (make soak)")
    for item in items:
        if "tests/soak/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(skip)
