"""Composing an alert about one item: subject, plain text and HTML, personal data removed unless the route is private."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Iterable
from zoneinfo import ZoneInfo

from classifiers.base import Finding
from monitor.mail import header_safe
from monitor.models import StoredItem
from monitor.redact import personal_spans, redact
from monitor.render import render
from monitor.settings import Settings

LABEL_TITLES = {
    "complaint": "Complaint",
    "question": "Question needing a reply",
    "praise": "Praise",
    "confidential": "Personal data in public",
    "safeguarding": "Safeguarding concern",
    "abusive": "Abusive or discriminatory content",
    "spam": "Spam or scam",
    "off_brand": "Off-brand post",
    "photo_consent": "Photo without a consent record",
}
URGENT_LABELS = frozenset({"safeguarding", "confidential"})
# Most urgent first: decides which label names the alert.
PRIORITY = ("safeguarding", "confidential", "abusive", "complaint", "question", "spam", "off_brand", "photo_consent", "praise")
RECOMMENDATIONS = {
    "safeguarding": "Contact the person now through a private channel; never hide or auto-answer this post. "
    "If life is at risk, call 999.",
    "confidential": "Hide the comment, then contact the person privately to explain why; do not repeat their details in public.",
    "abusive": "Hide the content (policy 1.1); keep a record; report it to the platform if it threatens anyone.",
    "complaint": "Reply at the earliest opportunity and take the conversation to a private channel (policy 1.6); "
    "never ask for personal details in public.",
    "question": "Reply by the next working day.",
    "spam": "Hide or delete it; report impersonation to the platform.",
    "off_brand": "Edit the post so the name and branding are used correctly (policy 1.5).",
    "photo_consent": "Record the consent of everyone pictured, or remove the photo (policy 1.3).",
    "praise": "Thank the person; consider sharing it (with their permission).",
}
PLATFORM_TITLES = {"facebook": "Facebook", "twitter": "X", "replay": "Replayed"}
KIND_TITLES = {
    "post": "post", "comment": "comment", "reply": "reply", "mention": "mention",
    "visitor_post": "visitor post", "rating": "recommendation", "message": "private message",
}
SAFEGUARDING_SIGNPOSTING = (
    "Samaritans: call 116 123, free, any time. NHS 111, option 2, for a mental health crisis. "
    "If life is at risk, call 999."
)


@dataclass(frozen=True)
class Alert:
    """A composed alert, ready to be written to the outbox."""

    subject: str
    body_text: str
    body_html: str
    urgent: bool
    labels: tuple[str, ...]


@dataclass(frozen=True)
class Reason:
    """One reason for an alert: a row of the decision table and the findings that chose it."""

    key: str  # complaint_hwd, safeguarding, ...
    label: str
    title: str
    urgent: bool
    action: str
    findings: tuple[Finding, ...] = ()
    signposting: str = ""
    hide: str = "never"


@dataclass(frozen=True)
class CaseSummary:
    """What an alert says about the case an item opened."""

    id: int
    kind: str
    first_response_due: datetime | None
    resolution_due: datetime | None
    drafted_reply: str | None
    reply_needs_approval: bool
    reply_deadline: datetime | None = None
    answered: list[str] = field(default_factory=list)  # how the person has already heard back, if they have
    responded: bool = False


CASE_TITLES = {"complaint": "complaint (complaints procedure)", "feedback": "feedback about a service",
               "reply_needed": "reply needed"}


def _title(finding: Finding) -> dict[str, object]:
    return {
        "title": LABEL_TITLES.get(finding.label, finding.label.replace("_", " ").capitalize()),
        "target": finding.target,
        "target_title": {"hwd": "about us", "service": "about a service"}.get(finding.target or "", finding.target),
        "score": finding.score,
        "evidence": finding.evidence,
    }


def ordered_labels(findings: Iterable[Finding]) -> list[str]:
    """The findings' labels, most urgent first, each once."""
    labels = {f.label for f in findings}
    known = [label for label in PRIORITY if label in labels]
    return known + sorted(labels - set(known))


def reasons_from_labels(findings: list[Finding]) -> list[Reason]:
    """Reasons made from the findings' labels alone (no decision table): one per label, most urgent first."""
    return [
        Reason(key=label, label=label, title=LABEL_TITLES.get(label, label), urgent=label in URGENT_LABELS,
               action=RECOMMENDATIONS.get(label, ""), findings=tuple(f for f in findings if f.label == label),
               signposting=SAFEGUARDING_SIGNPOSTING if label == "safeguarding" else "")
        for label in ordered_labels(findings)
    ]


def local_time(settings: Settings, moment: datetime | None) -> str:
    """moment as the organisation's local time, e.g. "Mon 23 Nov 17:00"."""
    if moment is None:
        return ""
    return moment.astimezone(ZoneInfo(settings.organisation.timezone)).strftime("%a %d %b %H:%M")


def _subject(settings: Settings, item: StoredItem, headline: str, urgent: bool, case: CaseSummary | None) -> str:
    platform_title = PLATFORM_TITLES.get(item.platform, item.platform.capitalize())
    subject = f"{'[URGENT] ' if urgent else ''}{headline}: {platform_title} {KIND_TITLES.get(item.kind, item.kind)}"
    if item.author_name:
        subject += f" by {header_safe(item.author_name, limit=80)}"
    if case is not None and not urgent:
        if not case.answered and case.first_response_due is not None:
            subject += f" (reply by {local_time(settings, case.first_response_due)})"
        elif not case.responded and case.resolution_due is not None:
            subject += f" (full response by {local_time(settings, case.resolution_due)})"
        elif case.answered:
            subject += " (already answered)"
    return header_safe(subject, limit=250)


def compose_alert(settings: Settings, item: StoredItem, findings: list[Finding], route: str,
                  reasons: list[Reason] | None = None, case: CaseSummary | None = None,
                  private: bool | None = None) -> Alert:
    """The alert for item's findings on route, with personal data removed unless the route is private."""
    reasons = reasons or reasons_from_labels(findings)
    labels = [r.label for r in reasons]
    urgent = any(r.urgent for r in reasons)
    if private is None:
        route_settings = settings.routes.get(route)
        private = bool(route_settings and route_settings.private)
    spans = personal_spans(findings)
    text = item.text if private else redact(item.text, spans)
    platform_title = PLATFORM_TITLES.get(item.platform, item.platform.capitalize())
    headline = reasons[0].title
    if len(reasons) > 1:
        headline += " (also: " + ", ".join(r.title.lower() for r in reasons[1:]) + ")"
    shown = [f for r in reasons for f in r.findings] or findings
    context = {
        "headline": headline,
        "urgent": urgent,
        "platform_title": platform_title,
        "kind_title": KIND_TITLES.get(item.kind, item.kind),
        "author": item.author_name,
        "created_at": item.created_at,
        "permalink": item.permalink,
        "text": text,
        "redacted": bool(spans) and not private,
        "findings": [_title(f) for f in shown],
        "recommendations": [r.action for r in reasons if r.action],
        "signposting": "\n\n".join(dict.fromkeys(r.signposting for r in reasons if r.signposting)),
        "case": case,
        "case_title": CASE_TITLES.get(case.kind, case.kind) if case else "",
        "due_first": local_time(settings, case.first_response_due) if case else "",
        "due_resolution": local_time(settings, case.resolution_due) if case else "",
        "reply_deadline": local_time(settings, case.reply_deadline) if case else "",
        "organisation": settings.organisation.name,
        "route": route,
        "item_ref": f"{item.platform}:{item.external_id}",
    }
    return Alert(
        subject=_subject(settings, item, headline, urgent, case),
        body_text=render("alert.txt.j2", **context),
        body_html=render("alert.html.j2", **context),
        urgent=urgent,
        labels=tuple(labels),
    )
