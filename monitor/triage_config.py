"""The [triage] section: working hours, response targets and the decision table, with the policy's defaults."""
from __future__ import annotations

import re
from datetime import date, time
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_TARGET = re.compile(r"^\s*(?:(next)|(\d+))\s+working\s+(day|days|hour|hours)\s*$", re.IGNORECASE)

# Where a decision's alert goes: "label" is the label's route ([alerts] label_routes or the keyword rule's own),
# "default" is [alerts] default_route; anything else names a route under [routes].
ROUTE_ALIASES = ("label", "default")

DEFAULT_DECISIONS: dict[str, dict[str, Any]] = {
    "complaint_hwd": dict(
        title="Complaint about us", case="complaint", routes=["label", "default"], first_response="5 working days",
        hide="never",  # legitimate criticism is never hidden by the monitor: a person decides
        resolution="20 working days", reply_counts_as="acknowledged", reply_template="reply_complaint_hwd",
        own_items=False,  # complaints and questions are what other people say, never the organisation's own words
        action="A complaint about the organisation: follow the complaints procedure. Acknowledge it within the "
        "target, reply at the earliest opportunity and take the conversation to a private channel (policy 1.6); "
        "never ask for personal details in public."),
    "complaint_service": dict(
        title="Complaint about a service", case="feedback", routes=["label"], first_response="1 working day",
        reply_template="reply_complaint_service", signposting="service", own_items=False, hide="never",
        action="Feedback about a health or care service: record it, thank the person and signpost them privately "
        "(PALS, independent complaints advocacy, the commissioner, the Ombudsman)."),
    "question": dict(
        title="Question needing a reply", case="reply_needed", routes=["label"], first_response="next working day",
        reply_template="reply_question", own_items=False,
        auto_reply=False,  # the draft leaves the answer for a person to write
        action="Reply by the next working day."),
    "confidential": dict(
        title="Personal data in public", routes=["label"], urgent=True, hide="recommended",
        action="Hide the comment, then contact the person privately to explain why; do not repeat their details "
        "in public."),
    "safeguarding": dict(
        title="Safeguarding concern", routes=["label"], urgent=True, hide="never", auto_reply=False, own_items=False,
        signposting="safeguarding", takes_over=True,
        action="Contact the person now through a private channel; never hide or auto-answer this post. "
        "If life is at risk, call 999."),
    "abusive": dict(
        title="Abusive or discriminatory content", routes=["label"], hide="recommended",
        action="Hide the content (policy 1.1); keep a record; report it to the platform if it threatens anyone."),
    "spam": dict(
        title="Spam or scam", routes=["label"], hide="recommended",
        action="Hide or delete it; report impersonation to the platform."),
    "off_brand": dict(
        title="Off-brand post", routes=["label"],
        action="Edit the post so the name and branding are used correctly (policy 1.5)."),
    "photo_consent": dict(
        title="Photo without a consent record", routes=["label"],
        action="Record the consent of everyone pictured, or remove the photo (policy 1.3)."),
    "praise": dict(title="Praise", alert=False, own_items=False,
                   action="Thank the person; consider sharing it (with their permission)."),
}

DEFAULT_SIGNPOSTING = {
    "service": (
        "We are not able to investigate complaints about NHS or care services ourselves, but we can point you to "
        "the people who can:\n"
        "- the Patient Advice and Liaison Service (PALS) of the hospital or service concerned;\n"
        "- Cloverleaf Advocacy, the independent NHS complaints advocacy service in Derbyshire, free of charge;\n"
        "- the service itself, or the commissioner, NHS Derby and Derbyshire Integrated Care Board;\n"
        "- if you are still not satisfied, the Parliamentary and Health Service Ombudsman.\n"
        "For council-funded social care: the council's complaints team, then the Local Government and Social "
        "Care Ombudsman."
    ),
    "safeguarding": (
        "Samaritans: call 116 123, free, any time. NHS 111, option 2, for a mental health crisis. "
        "If life is at risk, call 999."
    ),
}


def parse_target(value: str) -> tuple[int, str]:
    """A response target such as "5 working days", "next working day" or "4 working hours" as (count, unit)."""
    match = _TARGET.match(value)
    if not match:
        raise ValueError(f"{value!r} is not a target like \"5 working days\", \"next working day\" or "
                         "\"4 working hours\"")
    count = 1 if match.group(1) else int(match.group(2))
    unit = "hours" if match.group(3).lower().startswith("hour") else "days"
    return count, unit


class Decision(BaseModel):
    """What happens to an item with one label: the case it opens, where its alert goes, what a person should do."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    title: str = ""
    case: Literal["complaint", "feedback", "reply_needed"] | None = None
    routes: list[str] = ["label"]
    alert: bool = True
    urgent: bool = False
    action: str = ""
    reply_template: str | None = None
    signposting: str | None = None
    first_response: str | None = None
    resolution: str | None = None
    reply_counts_as: Literal["acknowledged", "responded"] = "responded"
    hide: Literal["no", "recommended", "auto", "never"] = "no"  # never: no automatic hide of the item at all
    auto_reply: bool = True  # False: the drafted reply is never sent without approval, whatever auto_send says
    own_items: bool = True  # whether the organisation's own posts are decided on for this label
    # The whole item is this route's to handle: the item's other reasons go in this one alert, its case is this
    # route's, and no reply is drafted (a person at risk gets a person, not a template).
    takes_over: bool = False

    @field_validator("first_response", "resolution")
    @classmethod
    def _target_readable(cls, value: str | None) -> str | None:
        if value is not None:
            parse_target(value)
        return value

    @field_validator("routes")
    @classmethod
    def _some_route(cls, routes: list[str]) -> list[str]:
        if not routes:
            raise ValueError("at least one route is needed (\"label\", \"default\" or a route name)")
        return routes


class Triage(BaseModel):
    """Working hours, bank holidays, switches for automatic actions, and the decision table."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    working_days: list[str] = ["mon", "tue", "wed", "thu", "fri"]
    opens: time = time(9, 0)
    closes: time = time(17, 0)
    bank_holidays: str = "ENG"  # a UK subdivision of the holidays library (ENG, WLS, SCT, NIR); "" for none
    closed_days: list[date] = []  # extra days the office is shut (e.g. between Christmas and New Year)
    auto_send_replies: bool = False  # send drafted private replies without `cases approve`
    private_replies: bool = True  # draft a private reply on the platform for cases with a reply template
    private_route: str | None = None  # a private=true route that receives every case in full
    signposting: dict[str, str] = {}
    safeguarding_lines: list[str] = []  # local adult and children's safeguarding numbers, verified before use
    reply_templates: dict[str, str] = {}  # name -> Jinja2 text, overriding monitor/templates/<name>.txt.j2
    decisions: dict[str, Decision] = Field(default_factory=lambda: {k: Decision(**v) for k, v in DEFAULT_DECISIONS.items()})

    @field_validator("working_days")
    @classmethod
    def _known_days(cls, days: list[str]) -> list[str]:
        days = [d.lower()[:3] for d in days]
        unknown = [d for d in days if d not in WEEKDAYS]
        if unknown or not days:
            raise ValueError(f"expected day names from {', '.join(WEEKDAYS)} (got {', '.join(unknown) or 'none'})")
        return days

    @field_validator("bank_holidays")
    @classmethod
    def _known_subdivision(cls, value: str) -> str:
        if value and value.upper() not in ("ENG", "WLS", "SCT", "NIR"):
            raise ValueError("expected ENG, WLS, SCT, NIR or \"\" (no bank holidays)")
        return value.upper()

    @field_validator("decisions", mode="before")
    @classmethod
    def _merged_over_defaults(cls, given: Any) -> Any:
        if not isinstance(given, dict):
            return given
        merged: dict[str, Any] = {k: dict(v) for k, v in DEFAULT_DECISIONS.items()}
        for key, value in given.items():
            merged[key] = {**merged.get(key, {}), **value} if isinstance(value, dict) else value
        return merged

    @model_validator(mode="after")
    def _hours_make_sense(self) -> "Triage":
        if self.closes <= self.opens:
            raise ValueError("closes must be later than opens")
        return self

    def decision(self, key: str) -> Decision | None:
        """The decision for key (e.g. complaint_hwd, spam), or None when the table has none."""
        return self.decisions.get(key)

    def signposting_text(self, name: str) -> str:
        """The signposting text called name, with the local safeguarding lines after the national ones."""
        text = self.signposting.get(name, DEFAULT_SIGNPOSTING.get(name, ""))
        if name == "safeguarding" and self.safeguarding_lines:
            text += "\n" + "\n".join(self.safeguarding_lines)
        return text


KNOWN_KEYS = frozenset(DEFAULT_DECISIONS)


def triage_problems(triage: Triage, routes: dict[str, Any], rule_labels: set[str] | frozenset[str] = frozenset()) -> list[str]:
    """One sentence per problem: unknown routes, rows no finding can reach, reply templates that cannot be used."""
    problems = []
    for key in triage.decisions:
        if key == "complaint":
            problems.append("triage.decisions.complaint: complaints are decided as complaint_hwd (about the "
                            "organisation) or complaint_service (about a service); name one of those")
        elif key not in KNOWN_KEYS and key not in rule_labels:
            problems.append(f"triage.decisions.{key}: no detector or keyword rule gives this label")
    problems.extend(_template_problems(triage))
    named = [(f"triage.decisions.{key}.routes", r) for key, d in triage.decisions.items() for r in d.routes]
    if triage.private_route:
        named.append(("triage.private_route", triage.private_route))
    for where, route in named:
        if route in ROUTE_ALIASES:
            continue
        if routes and route not in routes:
            problems.append(f"{where}: route {route!r} is not defined under [routes] (defined: {', '.join(sorted(routes))})")
    if triage.private_route and triage.private_route in routes and not routes[triage.private_route].private:
        problems.append(f"triage.private_route: route {triage.private_route!r} must have private = true, "
                        "since it receives personal data unredacted")
    return problems


def _template_problems(triage: Triage) -> list[str]:
    from importlib.resources import files

    from jinja2 import Environment, TemplateSyntaxError

    problems = []
    for name, source in triage.reply_templates.items():
        try:
            Environment().parse(source)
        except TemplateSyntaxError as exc:
            problems.append(f"triage.reply_templates.{name}: not a usable template ({exc.message}, line {exc.lineno})")
    shipped = files("monitor") / "templates"
    for key, decision in triage.decisions.items():
        name = decision.reply_template
        if name and name not in triage.reply_templates and not (shipped / f"{name}.txt.j2").is_file():
            problems.append(f"triage.decisions.{key}.reply_template: there is no template {name!r} "
                            "(add it under [triage.reply_templates] or as monitor/templates/NAME.txt.j2)")
    return problems
