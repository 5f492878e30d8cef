"""Composing an alert about one item: subject, plain text and HTML, personal data removed unless the route is private."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from classifiers.base import Finding
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


def compose_alert(settings: Settings, item: StoredItem, findings: list[Finding], route: str) -> Alert:
    """The alert for item's findings on route, with personal data removed unless the route is private."""
    labels = ordered_labels(findings)
    urgent = bool(URGENT_LABELS & set(labels))
    route_settings = settings.routes.get(route)
    private = bool(route_settings and route_settings.private)
    spans = personal_spans(findings)
    text = item.text if private else redact(item.text, spans)
    platform_title = PLATFORM_TITLES.get(item.platform, item.platform.capitalize())
    headline = LABEL_TITLES.get(labels[0], labels[0])
    others = [LABEL_TITLES.get(label, label) for label in labels[1:]]
    if others:
        headline += " (also: " + ", ".join(o.lower() for o in others) + ")"
    subject = f"{'[URGENT] ' if urgent else ''}{headline}: {platform_title} {KIND_TITLES.get(item.kind, item.kind)}"
    if item.author_name:
        subject += f" by {item.author_name}"
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
        "findings": [_title(f) for f in sorted(findings, key=lambda f: labels.index(f.label))],
        "recommendations": [RECOMMENDATIONS[label] for label in labels if label in RECOMMENDATIONS],
        "signposting": SAFEGUARDING_SIGNPOSTING if "safeguarding" in labels else "",
        "organisation": settings.organisation.name,
        "route": route,
        "item_ref": f"{item.platform}:{item.external_id}",
    }
    return Alert(
        subject=subject,
        body_text=render("alert.txt.j2", **context),
        body_html=render("alert.html.j2", **context),
        urgent=urgent,
        labels=tuple(labels),
    )
