"""The configuration's sections: one pydantic model each, with its defaults and its own checks."""
from __future__ import annotations

import re
from datetime import time, timedelta
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr, field_validator, model_validator

from monitor.durations import parse_duration


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


_EMAIL = re.compile(r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")


class Route(_Section):
    """Who receives one kind of alert, and whom to escalate to."""

    email: list[str] = []
    escalation: list[str] = []
    apprise: list[SecretStr] = []
    private: bool = False  # a private route receives personal data unredacted
    description: str = ""

    @field_validator("email", "escalation")
    @classmethod
    def _plain_addresses(cls, addresses: list[str]) -> list[str]:
        for address in addresses:
            if not _EMAIL.fullmatch(address):
                raise ValueError(f"{address!r} is not a plain email address (write it like name@example.org)")
        return addresses


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
