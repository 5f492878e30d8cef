"""A connector the tests script: each fetch does what the next step of its script says."""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, SecretStr

from connectors.base import Batch, Connector, Item


class FakeOptions(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    token: SecretStr = SecretStr("fake-token-1")


class FakeConnector(Connector):
    """Plays `script`: an exception instance is raised, a list of (id, text) pairs is returned as items."""

    name = "fake"
    platform = "fake"
    script: ClassVar[list[Any]] = []
    calls: ClassVar[int] = 0

    def fetch(self, cursor):
        FakeConnector.calls += 1
        step = FakeConnector.script.pop(0) if FakeConnector.script else []
        if isinstance(step, Exception):
            raise step
        items = [Item(platform="fake", account=self.account.name, external_id=i, kind="comment", text=t,
                      created_at=datetime.now(timezone.utc), raw={"id": i}) for i, t in step]
        return Batch(items=items, next_cursor={"calls": FakeConnector.calls})
