"""Deciding what happens to an item once the detectors have spoken: which alerts go to which route."""
from __future__ import annotations

import logging
from collections import defaultdict
from typing import Any

from sqlalchemy.orm import Session

from classifiers.base import Finding
from monitor.alerts import compose_alert
from monitor.models import StoredItem
from monitor.outbox import outbox_row
from monitor.settings import Settings

log = logging.getLogger(__name__)

# Praise is counted in the digest, not alerted: an alert is for something a person must do.
NOT_ALERTED = frozenset({"praise"})


def findings_by_route(settings: Settings, findings: list[Finding]) -> dict[str, list[Finding]]:
    """The findings that call for an alert, grouped by the route each goes to."""
    grouped: dict[str, list[Finding]] = defaultdict(list)
    for finding in findings:
        if finding.label not in NOT_ALERTED:
            grouped[settings.route_for(finding.label, finding.route)].append(finding)
    return dict(grouped)


def decide(session: Session, settings: Settings, item: StoredItem, findings: list[Finding]) -> list[dict[str, Any]]:
    """The outbox messages item's findings call for: one alert per item and route, none for backfilled items."""
    if item.quiet:
        return []  # backfilled before monitoring started: recorded, not alerted
    messages = []
    for route, routed in findings_by_route(settings, findings).items():
        alert = compose_alert(settings, item, routed, route)
        messages.append(outbox_row(
            settings,
            dedupe_key=f"alert:{item.platform}:{item.external_id}:{route}",
            kind="alert",
            route=route,
            subject=alert.subject,
            body_text=alert.body_text,
            body_html=alert.body_html,
            item_id=item.id,
            urgent=alert.urgent,
        ))
    return messages
