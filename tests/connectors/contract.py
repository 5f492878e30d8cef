"""The contract every connector keeps: subclass ConnectorContract and provide a `contract_connector` fixture.

The fixture returns a connector whose (fake) source serves at least three items and nothing else new while
the test runs.
"""
from __future__ import annotations

import json
from datetime import timezone

from connectors.base import ITEM_KINDS, Batch, Connector

MAX_BATCHES = 50


def fetch_all(connector: Connector, cursor=None) -> tuple[list, object]:
    """Fetch until the connector says there is no more; return the items and the final cursor."""
    items = []
    for _ in range(MAX_BATCHES):
        batch = connector.fetch(cursor)
        assert isinstance(batch, Batch)
        items.extend(batch.items)
        if batch.next_cursor is not None:
            cursor = batch.next_cursor
        if not batch.has_more:
            return items, cursor
    raise AssertionError(f"the connector still had more after {MAX_BATCHES} batches")


class ConnectorContract:
    """Tests every connector must pass."""

    def test_a_first_poll_returns_items_each_once(self, contract_connector):
        items, _ = fetch_all(contract_connector)
        keys = [(i.platform, i.external_id) for i in items]
        assert len(items) >= 3
        assert len(keys) == len(set(keys))

    def test_items_are_well_formed(self, contract_connector):
        items, _ = fetch_all(contract_connector)
        for item in items:
            assert item.kind in ITEM_KINDS
            assert isinstance(item.text, str)
            assert item.external_id and isinstance(item.external_id, str)
            assert item.created_at.tzinfo is not None
            assert item.created_at.utcoffset() == timezone.utc.utcoffset(None)
            assert item.account == contract_connector.account.name
            assert item.raw is not None, "the raw payload is kept beside the normalised fields"

    def test_polling_again_from_the_final_cursor_returns_nothing_new(self, contract_connector):
        items, cursor = fetch_all(contract_connector)
        again, _ = fetch_all(contract_connector, cursor)
        seen = {(i.platform, i.external_id) for i in items}
        assert [i for i in again if (i.platform, i.external_id) not in seen] == []

    def test_the_cursor_survives_being_stored_as_json(self, contract_connector):
        _, cursor = fetch_all(contract_connector)
        assert json.loads(json.dumps(cursor)) == cursor
