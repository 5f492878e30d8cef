"""Connector names mapped to their classes, imported only when an account uses them."""
from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ValidationError

from connectors import options as _options

if TYPE_CHECKING:  # pragma: no cover
    from connectors.base import Connector
    from monitor.settings import AccountSettings


@dataclass(frozen=True)
class ConnectorSpec:
    """Where a connector's class lives and which options it takes."""

    target: str  # "module:Class"
    options: type[BaseModel]


CONNECTORS: dict[str, ConnectorSpec] = {
    "replay": ConnectorSpec("connectors.replay:ReplayConnector", _options.ReplayOptions),
    "facebook": ConnectorSpec("connectors.facebook:FacebookConnector", _options.FacebookOptions),
    "twitter": ConnectorSpec("connectors.twitter:TwitterConnector", _options.TwitterOptions),
}


def validate_account_options(connector: Any, options: dict[str, Any]) -> tuple[BaseModel | None, list[str]]:
    """Check an account's connector-specific keys; return the options and one sentence per problem."""
    from monitor.settings import _sentences

    if not isinstance(connector, str):
        return None, []  # the account's own validation says connector is missing
    spec = CONNECTORS.get(connector)
    if spec is None:
        known = ", ".join(sorted(CONNECTORS))
        return None, [f"connector {connector!r} is unknown (known connectors: {known})"]
    try:
        return spec.options.model_validate(options), []
    except ValidationError as exc:
        return None, [f"{s} (for a {connector} account)" if s.endswith("is missing") else s for s in _sentences(exc, [])]


def connector_for(account: "AccountSettings") -> "Connector":
    """Build the connector an account names, importing its module only now."""
    from monitor.errors import MonitorError

    spec = CONNECTORS[account.connector]
    module_name, _, class_name = spec.target.partition(":")
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        raise MonitorError(
            f"account {account.name}: the {account.connector} connector cannot be loaded ({exc})"
        ) from None
    return getattr(module, class_name)(account)
