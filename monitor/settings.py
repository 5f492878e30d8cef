"""The configuration: one TOML file, validated at load, every problem reported at once."""
from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, SecretStr, ValidationError

from monitor.errors import ConfigError
from monitor.secrets import SecretRef, resolve_secret
from monitor.settings_sections import (  # noqa: F401 - the sections are part of this module's interface
    DEFAULT_THEMES, AccountSettings, Alerts, Database, Detectors, Digest, KeywordRule, Logging, Organisation,
    Outbox, Retention, Route, Schedule, Smtp, Summary,
)
from monitor.triage_config import Triage, triage_problems


class Settings(BaseModel):
    """The whole configuration, as loaded from one TOML file."""

    model_config = ConfigDict(extra="forbid", frozen=True, arbitrary_types_allowed=True)

    source: Path | None = None
    organisation: Organisation = Organisation()
    database: Database = Database()
    outbox: Outbox = Outbox()
    smtp: Smtp | None = None
    routes: dict[str, Route] = {}
    alerts: Alerts = Alerts()
    accounts: list[AccountSettings] = []
    keyword_rules: list[KeywordRule] = []
    detectors: Detectors = Detectors()
    classifiers: dict[str, dict[str, Any]] = {}  # each detector validates its own section
    services: list[dict[str, Any]] = []
    brand: dict[str, Any] = {}
    triage: Triage = Triage()
    schedule: Schedule = Schedule()
    summary: Summary = Summary()
    digest: Digest = Digest()
    retention: Retention = Retention()
    logging: Logging = Logging()

    def account(self, name: str) -> AccountSettings:
        """The account called name; raise ConfigError when there is none."""
        for account in self.accounts:
            if account.name == name:
                return account
        known = ", ".join(a.name for a in self.accounts) or "none"
        raise ConfigError([f"there is no account called {name!r} (configured: {known})"])

    def route_for(self, label: str, rule_route: str | None = None) -> str:
        """The route an alert for label goes to: the rule's own, the label's, else the default."""
        return rule_route or self.alerts.label_routes.get(label) or self.alerts.default_route

    def secret_values(self) -> list[str]:
        """Every configured secret's value, so logs and messages can be checked and scrubbed."""
        values: list[str] = []

        def walk(node: Any) -> None:
            if isinstance(node, SecretStr):
                if node.get_secret_value():
                    values.append(node.get_secret_value())
            elif isinstance(node, BaseModel):
                for name in type(node).model_fields:
                    walk(getattr(node, name))
            elif isinstance(node, dict):
                for v in node.values():
                    walk(v)
            elif isinstance(node, (list, tuple)):
                for v in node:
                    walk(v)

        walk(self)
        return values


def load_settings(path: str | os.PathLike[str]) -> Settings:
    """Read and validate the TOML file at path; raise ConfigError listing every problem."""
    path = Path(path)
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError([f"{path}: no such configuration file"]) from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError([f"{path}: not valid TOML ({exc})"]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError([f"{path}: cannot be read ({exc})"]) from None
    return settings_from_dict(raw, source=path)


def settings_from_dict(raw: dict[str, Any], source: Path | None = None) -> Settings:
    """Validate an already parsed configuration; raise ConfigError listing every problem."""
    from connectors.registry import validate_account_options

    where = f"{source}: " if source else ""
    problems: list[str] = []
    raw = dict(raw)
    raw = _resolve_secrets(raw, [], problems)

    accounts_raw = raw.pop("accounts", [])
    if not isinstance(accounts_raw, list):
        problems.append("accounts: expected a list of [[accounts]] tables")
        accounts_raw = []
    settings: Settings | None = None
    try:
        settings = Settings.model_validate({**raw, "source": source})
    except ValidationError as exc:
        problems.extend(_sentences(exc, prefix=[]))

    accounts: list[AccountSettings] = []
    seen: set[str] = set()
    for index, entry in enumerate(accounts_raw):
        label = f"accounts[{index + 1}]"
        if not isinstance(entry, dict):
            problems.append(f"{label}: expected a table with name and connector")
            continue
        label = f"{label} ({entry.get('name', 'unnamed')})"
        base_keys = set(AccountSettings.model_fields) - {"options"}
        base = {k: v for k, v in entry.items() if k in base_keys}
        options = {k: v for k, v in entry.items() if k not in base_keys}
        account_problems: list[str] = []
        if isinstance(entry.get("name"), str):
            if entry["name"] in seen:
                account_problems.append(f"name {entry['name']!r} is used by another account; names must be unique")
            seen.add(entry["name"])
        option_model, option_problems = validate_account_options(base.get("connector"), options)
        account_problems.extend(option_problems)
        try:
            account = AccountSettings.model_validate({**base, "options": option_model})
        except ValidationError as exc:
            account_problems[:0] = _sentences(exc, prefix=[])
        else:
            accounts.append(account)
        problems.extend(f"{label}: {p}" for p in account_problems)

    if settings is not None:
        problems.extend(_cross_checks(settings))
    if problems:
        raise ConfigError([where + p for p in problems])
    assert settings is not None
    return settings.model_copy(update={"accounts": accounts})


def _cross_checks(settings: Settings) -> list[str]:
    from classifiers.registry import validate_detector_settings

    problems: list[str] = []
    routes = settings.routes
    named = [("alerts.default_route", settings.alerts.default_route), ("alerts.admin_route", settings.alerts.admin_route)]
    named += [(f"alerts.label_routes.{k}", v) for k, v in settings.alerts.label_routes.items()]
    named += [(f"keyword_rules ({r.name}).route", r.route) for r in settings.keyword_rules if r.route]
    named.append(("digest.route", settings.digest.route))
    for key, route in named:
        if routes and route not in routes:
            problems.append(f"{key}: route {route!r} is not defined under [routes] (defined: {', '.join(sorted(routes))})")
    problems.extend(validate_detector_settings(settings))
    problems.extend(triage_problems(settings.triage, routes, {r.label for r in settings.keyword_rules}))
    try:
        from zoneinfo import ZoneInfo

        ZoneInfo(settings.organisation.timezone)
    except Exception:
        problems.append(f"organisation.timezone: {settings.organisation.timezone!r} is not a known time zone")
    if settings.smtp is not None:
        for name, route in settings.routes.items():
            if not route.email:
                problems.append(f"routes.{name}.email: at least one address is needed when [smtp] is configured")
    return problems


def _resolve_secrets(node: Any, path: list[str], problems: list[str]) -> Any:
    """Replace every { env = ... } or { file = ... } table by the secret it names."""
    if isinstance(node, dict):
        ref = SecretRef.from_table(node)
        if ref is not None:
            try:
                return resolve_secret(ref)
            except ValueError as exc:
                problems.append(f"{_dotted(path)}: {exc}")
                return SecretStr("")  # a placeholder, so the missing secret is reported once
        return {k: _resolve_secrets(v, path + [str(k)], problems) for k, v in node.items()}
    if isinstance(node, list):
        return [_resolve_secrets(v, path + [str(i)], problems) for i, v in enumerate(node)]
    return node


def _dotted(loc: list[str] | tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int) or (isinstance(part, str) and part.isdigit()):
            out += f"[{int(part) + 1}]"
        else:
            out += ("." if out else "") + str(part)
    return out


def _sentences(exc: ValidationError, prefix: list[str]) -> list[str]:
    """One plain sentence per pydantic error: the key, then what was expected."""
    sentences = []
    for error in exc.errors(include_url=False):
        loc = [p for p in error["loc"] if p not in ("function-after", "function-before")]
        key = _dotted(prefix + list(loc)) or "(top level)"
        kind = error["type"]
        if kind == "missing":
            sentences.append(f"{key} is missing")
        elif kind == "extra_forbidden":
            sentences.append(f"{key} is not a known setting")
        elif kind in ("value_error", "assertion_error"):
            message = str(error.get("ctx", {}).get("error", error["msg"]))
            sentences.append(f"{key}: {message}")
        else:
            shown = error.get("input")
            if isinstance(shown, SecretStr) or "password" in key or "token" in key or "secret" in key:
                shown = "(hidden)"
            sentences.append(f"{key}: {error['msg'].lower()} (got {shown!r})")
    return sentences
