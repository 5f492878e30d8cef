"""The configuration: one TOML file, validated at load, every problem reported at once."""
from __future__ import annotations

import os
import re
import tomllib
from datetime import time, timedelta
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError, field_validator, model_validator

from monitor.durations import parse_duration
from monitor.errors import ConfigError
from monitor.secrets import SecretRef, resolve_secret
from monitor.triage_config import Triage, triage_problems


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _duration(value: Any) -> timedelta:
    if isinstance(value, timedelta):
        return value
    return parse_duration(value)


class Organisation(_Section):
    """Who the monitor works for: names, handles and the contact details it publishes."""

    name: str = "Healthwatch Derbyshire"
    short_name: str = "HWD"
    other_names: list[str] = ["Healthwatch", "HWD"]
    handles: dict[str, str] = {}
    published_phones: list[str] = []
    published_emails: list[str] = []
    published_postcodes: list[str] = []
    staff_names: list[str] = []
    timezone: str = "Europe/London"
    mail_domain: str = "monitor.invalid"


class Database(_Section):
    url: str = "sqlite:///var/monitor.db"
    echo: bool = False

    @field_validator("url")
    @classmethod
    def _known_database(cls, url: str) -> str:
        if not url.startswith(("sqlite:///", "postgresql+psycopg://")):
            raise ValueError("expected a sqlite:///PATH or postgresql+psycopg://USER@HOST/DB address")
        return url


class Outbox(_Section):
    folder: Path = Path("var/outbox")
    retry_first: timedelta = timedelta(seconds=30)
    retry_max: timedelta = timedelta(hours=1)

    _durations = field_validator("retry_first", "retry_max", mode="before")(_duration)


class Smtp(_Section):
    host: str
    port: int = 0  # 0: the usual port for the security mode
    security: Literal["plain", "starttls", "ssl"] = "starttls"
    username: str | None = None
    password: SecretStr | None = None
    sender: str = "Social media monitor <monitor@localhost>"
    timeout: timedelta = timedelta(seconds=30)
    ca_file: Path | None = None  # a private CA's certificate, for a mail server whose certificate it signed

    _durations = field_validator("timeout", mode="before")(_duration)

    @property
    def effective_port(self) -> int:
        """The port to connect to: the configured one, or the usual one for the security mode."""
        return self.port or {"plain": 25, "starttls": 587, "ssl": 465}[self.security]


class Route(_Section):
    """Who receives one kind of alert, and whom to escalate to."""

    email: list[str] = []
    escalation: list[str] = []
    apprise: list[SecretStr] = []
    private: bool = False  # a private route receives personal data unredacted
    description: str = ""


class Alerts(_Section):
    """Which route each label's alerts go to; anything unlisted goes to the default route."""

    default_route: str = "comms"
    admin_route: str = "admin"
    label_routes: dict[str, str] = {}


class AccountSettings(BaseModel):
    """One watched account: its connector, how often to poll it, and the connector's own options."""

    model_config = ConfigDict(extra="forbid", frozen=True, arbitrary_types_allowed=True)

    name: str
    connector: str
    poll_every: timedelta = timedelta(minutes=5)
    backfill: timedelta = timedelta(days=7)
    alert_on_backfill: bool = False
    enabled: bool = True
    options: Any = None  # the connector's options model, validated by the connector registry

    _durations = field_validator("poll_every", "backfill", mode="before")(_duration)


class KeywordRule(_Section):
    """A configured rule: words, phrases or regular expressions that give a label and a route."""

    name: str
    label: str
    route: str | None = None
    words: list[str] = []
    phrases: list[str] = []
    patterns: list[str] = []
    case_sensitive: bool = False
    score: float = Field(default=1.0, ge=0.0, le=1.0)

    @model_validator(mode="after")
    def _has_something_to_match(self) -> "KeywordRule":
        if not (self.words or self.phrases or self.patterns):
            raise ValueError("a keyword rule needs words, phrases or patterns")
        return self

    @field_validator("patterns")
    @classmethod
    def _patterns_compile(cls, patterns: list[str]) -> list[str]:
        for pattern in patterns:
            try:
                re.compile(pattern)
            except re.error as exc:
                raise ValueError(f"{pattern!r} is not a valid regular expression ({exc})") from None
        return patterns


class Detectors(_Section):
    enabled: list[str] = [
        "keywords", "complaint", "confidential", "safeguarding", "abusive", "spam", "off_brand", "photo_consent",
    ]


class Schedule(_Section):
    outbox_every: timedelta = timedelta(minutes=1)
    health_check_at: time = time(8, 0)
    misfire_grace: timedelta = timedelta(minutes=15)

    _durations = field_validator("outbox_every", "misfire_grace", mode="before")(_duration)

    @field_validator("health_check_at")
    @classmethod
    def _not_in_the_clock_change_hour(cls, at: time) -> time:
        if at.hour == 1:
            raise ValueError("no job may run between 01:00 and 02:00: the October clock change runs it twice")
        return at


class Summary(_Section):
    """Where the demo and the `summary` step write the weekly HTML report."""

    folder: Path = Path("var/reports")


DEFAULT_THEMES: dict[str, list[str]] = {
    "GP access": ["gp", "surgery", "doctor's appointment", "doctors appointment", "gp appointment", "8am", "receptionist",
                  "gp practice", "call back", "callback"],
    "Dentistry": ["dentist", "dentists", "dental", "nhs dentist", "toothache", "tooth", "teeth"],
    "Urgent and emergency care": ["a&e", "a and e", "emergency department", "urgent care", "minor injuries", "111",
                                  "trolley", "walk-in"],
    "Mental health": ["mental health", "crisis team", "cmht", "camhs", "anxiety", "depression", "adhd", "autism",
                      "radbourne", "kingsway", "therapy", "counselling"],
    "Hospital discharge": ["discharge", "discharged", "sent home", "care package", "bed blocking"],
    "Care homes": ["care home", "nursing home", "residential home", "carers", "home care", "social care"],
    "Pharmacy": ["pharmacy", "pharmacist", "chemist", "prescription", "prescriptions", "meds", "medication"],
    "Ambulance": ["ambulance", "paramedic", "paramedics", "emas", "999"],
    "Communication": ["no reply", "nobody replied", "not told", "never told", "no letter", "phone call",
                      "didn't explain", "no one explained", "communication", "ignored"],
    "Staff attitude": ["rude", "dismissive", "attitude", "unkind", "uncaring", "lovely staff", "brilliant staff",
                       "patronising"],
    "Waiting times": ["waiting list", "wait", "waiting", "waited", "on hold", "queue", "delay",
                      "delayed", "still waiting"],
}


class Digest(_Section):
    """The weekly digest: when it is sent, to whom, the feedback themes, and the up-to-date check (policy 1.4)."""

    day: Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"] = "mon"
    at: time = time(8, 0)
    grace: timedelta = timedelta(days=3)  # a digest missed while the daemon was down is still sent this late
    route: str = "comms"
    stale_after_days: int = Field(default=14, ge=1)
    stale_check_at: time = time(9, 0)
    cost_per_read: float = Field(default=0.0, ge=0)  # used for accounts whose options name no cost_per_read
    currency: str = "US$"
    themes: dict[str, list[str]] = DEFAULT_THEMES

    _durations = field_validator("grace", mode="before")(_duration)

    @field_validator("at", "stale_check_at")
    @classmethod
    def _not_in_the_clock_change_hour(cls, at: time) -> time:
        if at.hour == 1:
            raise ValueError("no job may run between 01:00 and 02:00: the October clock change runs it twice")
        return at

    @field_validator("themes")
    @classmethod
    def _themes_have_words(cls, themes: dict[str, list[str]]) -> dict[str, list[str]]:
        empty = [name for name, words in themes.items() if not [w for w in words if w.strip()]]
        if empty:
            raise ValueError(f"each theme needs at least one keyword (none for: {', '.join(empty)})")
        return themes


class Retention(_Section):
    """How long what people wrote is kept (UK GDPR storage limitation); cases keep their trail, texts redacted."""

    raw_payload_days: int = Field(default=365, ge=1)  # the platforms' payloads as fetched
    text_days: int = Field(default=730, ge=1)  # texts, authors, evidence, drafted replies, labels
    outbox_days: int = Field(default=90, ge=1)  # the bodies of messages already sent

    @model_validator(mode="after")
    def _texts_outlive_payloads(self) -> "Retention":
        if self.text_days < self.raw_payload_days:
            raise ValueError(f"text_days ({self.text_days}) must be at least raw_payload_days "
                             f"({self.raw_payload_days}): a payload holds the text too")
        return self


class Logging(_Section):
    level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"


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
