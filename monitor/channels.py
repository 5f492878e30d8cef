"""Other channels than email: Teams, Slack and the like through apprise, from the same outbox."""
from __future__ import annotations

import logging
from email.message import EmailMessage
from typing import TYPE_CHECKING

from monitor.models import OutboxMessage
from monitor.notifier import MessageRefused, Transport

if TYPE_CHECKING:  # pragma: no cover
    from monitor.settings import Settings

log = logging.getLogger(__name__)

APPRISE_KIND = "apprise"


def apprise_reference(index: int) -> str:
    """What an apprise outbox row keeps in recipients: the URL's position on its route, never the URL (a secret)."""
    return f"apprise:{index}"


class AppriseTransport:
    """Delivers an outbox row of kind "apprise" to one of its route's apprise URLs (Teams, Slack, json://...)."""

    def __init__(self, settings: "Settings") -> None:
        self.settings = settings

    def _url(self, row: OutboxMessage) -> str:
        route = self.settings.routes.get(row.route)
        urls = list(route.apprise) if route else []
        references = [r for r in row.recipients or () if str(r).startswith("apprise:")]
        if not references:
            raise MessageRefused(f"outbox {row.id} names no apprise URL of route {row.route!r}")
        index = int(str(references[0]).split(":", 1)[1])
        if index >= len(urls):
            raise MessageRefused(f"route {row.route!r} no longer has apprise URL number {index + 1}")
        return urls[index].get_secret_value()

    def deliver(self, row: OutboxMessage, message: EmailMessage) -> None:
        """Send the row's subject and plain text; a refusal or an unreachable service is retried later."""
        import apprise  # only when a route has apprise URLs: it is a large import

        notifier = apprise.Apprise()
        if not notifier.add(self._url(row)):
            raise MessageRefused(f"an apprise URL of route {row.route!r} is not one apprise understands")
        ok = notifier.notify(title=row.subject, body=row.body_text, body_format=apprise.NotifyFormat.TEXT)
        if not ok:
            # Not a ConnectionFailure: one unreachable chat service must not hold back the email alerts.
            raise MessageRefused(f"the apprise channel of route {row.route!r} did not accept the message")

    def close(self) -> None:
        """Nothing to release: apprise opens a connection per notification."""


class ChannelTransport:
    """Sends apprise rows through apprise and every other row through the email transport."""

    def __init__(self, email: Transport, settings: "Settings") -> None:
        self.email = email
        self.apprise = AppriseTransport(settings)

    def deliver(self, row: OutboxMessage, message: EmailMessage) -> None:
        """Deliver row by its kind."""
        (self.apprise if row.kind == APPRISE_KIND else self.email).deliver(row, message)

    def close(self) -> None:
        """Close both transports."""
        self.email.close()
        self.apprise.close()
