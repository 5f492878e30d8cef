"""Draining the outbox: each message sent once, in order, retried with backoff when sending fails."""
from __future__ import annotations

import logging
import os
import re
import smtplib
import ssl
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from pathlib import Path
from threading import Event, Lock
from typing import TYPE_CHECKING, Iterator, Protocol

from sqlalchemy import select

from monitor.crashpoints import crashpoint
from monitor.logsetup import scrub
from monitor.mail import build_message
from monitor.models import OutboxMessage, utcnow
from monitor.secrets import reveal

if TYPE_CHECKING:  # pragma: no cover
    from monitor.app import App
    from monitor.settings import Settings, Smtp

log = logging.getLogger(__name__)
_FLUSH_LOCK = Lock()
FLUSH_PAGE = 200


class ConnectionFailure(Exception):
    """The mail server could not be reached or dropped us: nothing after this message can go either."""


class MessageRefused(Exception):
    """The mail server refused this one message: the others can still go."""


class Transport(Protocol):
    """Somewhere messages go: an SMTP server or a folder of .eml files."""

    def deliver(self, row: OutboxMessage, message: EmailMessage) -> None:
        """Deliver message; raise ConnectionFailure or MessageRefused."""

    def close(self) -> None:
        """Release the connection, if any."""


class FolderTransport:
    """Writes each message as an .eml file: the demo's outbox, and the fallback when no SMTP is configured."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)

    def path_for(self, row: OutboxMessage) -> Path:
        """The file a row is written to: fixed by the row, so writing it twice is impossible."""
        slug = re.sub(r"[^a-z0-9]+", "-", row.kind.lower()).strip("-") or "message"
        return self.folder / f"{row.id:08d}-{slug}.eml"

    def deliver(self, row: OutboxMessage, message: EmailMessage) -> None:
        """Write the message atomically; an existing file means it was written before a crash."""
        target = self.path_for(row)
        if target.exists():
            return
        temporary = target.with_suffix(".tmp")
        try:
            fd = os.open(temporary, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "wb") as handle:
                handle.write(message.as_bytes())
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temporary, target)
        except OSError as exc:
            raise ConnectionFailure(f"cannot write {target}: {exc.strerror or exc}") from None

    def close(self) -> None:
        """Nothing to release."""


class SmtpTransport:
    """Sends through an SMTP server (plain, STARTTLS or SSL; optional login), one connection per drain."""

    def __init__(self, smtp: "Smtp") -> None:
        self.smtp = smtp
        self._connection: smtplib.SMTP | None = None

    def _connect(self) -> smtplib.SMTP:
        settings = self.smtp
        timeout = settings.timeout.total_seconds()
        try:
            context = ssl.create_default_context(cafile=str(settings.ca_file) if settings.ca_file else None)
            if settings.security == "ssl":
                connection: smtplib.SMTP = smtplib.SMTP_SSL(
                    settings.host, settings.effective_port, timeout=timeout, context=context
                )
            else:
                connection = smtplib.SMTP(settings.host, settings.effective_port, timeout=timeout)
                if settings.security == "starttls":
                    connection.starttls(context=context)
            if settings.username:
                connection.login(settings.username, reveal(settings.password) or "")
        except smtplib.SMTPAuthenticationError:
            raise ConnectionFailure("the SMTP server refused the login (check [smtp] username and password)") from None
        except (OSError, smtplib.SMTPException) as exc:
            raise ConnectionFailure(f"cannot reach the SMTP server {settings.host}:{settings.effective_port} ({exc})") from None
        return connection

    def deliver(self, row: OutboxMessage, message: EmailMessage) -> None:
        """Send message to the row's recipients."""
        if not row.recipients:
            raise MessageRefused(f"route {row.route!r} has no email recipients configured")
        if self._connection is None:
            self._connection = self._connect()
        try:
            refused = self._connection.send_message(message, to_addrs=list(row.recipients))
        except smtplib.SMTPRecipientsRefused as exc:
            raise MessageRefused(f"every recipient was refused ({', '.join(exc.recipients)})") from None
        except (smtplib.SMTPDataError, smtplib.SMTPSenderRefused) as exc:
            if 500 <= exc.smtp_code < 600:
                raise MessageRefused(f"the server refused the message ({exc.smtp_code})") from None
            self.close()
            raise ConnectionFailure(f"the server deferred the message ({exc.smtp_code})") from None
        except (OSError, smtplib.SMTPException) as exc:
            self.close()
            raise ConnectionFailure(f"sending failed ({exc})") from None
        if refused:
            log.warning("outbox %s: some recipients were refused: %s", row.id, ", ".join(refused))

    def close(self) -> None:
        """Say goodbye to the server."""
        if self._connection is not None:
            try:
                self._connection.quit()
            except (OSError, smtplib.SMTPException):
                pass
            self._connection = None


def transport_for(settings: "Settings", email: Transport | None = None) -> Transport:
    """SMTP when [smtp] is configured, otherwise .eml files in [outbox] folder; chat channels beside either."""
    from monitor.channels import ChannelTransport

    email = email or (SmtpTransport(settings.smtp) if settings.smtp else FolderTransport(settings.outbox.folder))
    if any(route.apprise for route in settings.routes.values()):
        return ChannelTransport(email, settings)
    return email


@dataclass
class FlushResult:
    """What one drain of the outbox did."""

    sent: int = 0
    failed: int = 0
    held: bool = False  # a connection failure stopped the drain


def backoff(settings: "Settings", attempts: int) -> timedelta:
    """How long to wait before the next attempt: doubling from retry_first, capped at retry_max."""
    first, cap = settings.outbox.retry_first, settings.outbox.retry_max
    return min(cap, first * (2 ** max(0, attempts - 1)))


def flush_outbox(app: "App", transport: Transport | None = None, stop: Event | None = None,
                 now: datetime | None = None) -> FlushResult:
    """Send every due message in order; a message is marked sent in its own transaction right after it goes."""
    with _FLUSH_LOCK:  # two drains at once could send one message twice
        return _flush(app, transport or transport_for(app.settings), stop, now)


def _pending_rows(app: "App") -> Iterator[OutboxMessage]:
    """The pending messages in order, read a page at a time: a long outage's backlog is never all in memory."""
    last_id = 0
    while True:
        with app.db.reading() as session:
            page = list(session.scalars(
                select(OutboxMessage)
                .where(OutboxMessage.state == "pending", OutboxMessage.id > last_id)
                .order_by(OutboxMessage.id)
                .limit(FLUSH_PAGE)
            ))
        if not page:
            return
        yield from page
        last_id = page[-1].id


def _flush(app: "App", transport: Transport, stop: Event | None, now: datetime | None) -> FlushResult:
    result = FlushResult()
    now = now or utcnow()
    try:
        for row in _pending_rows(app):
            if stop is not None and stop.is_set():
                break
            if row.next_attempt_at > now:
                if row.failure == "connection":
                    result.held = True
                    break  # keep the order: nothing overtakes a message waiting for the server
                continue
            try:
                transport.deliver(row, build_message(row, app.settings))
            except ConnectionFailure as exc:
                _record_failure(app, row.id, "connection", str(exc), now)
                result.failed += 1
                result.held = True
                break
            except MessageRefused as exc:
                _record_failure(app, row.id, "message", str(exc), now)
                result.failed += 1
                continue
            _mark_sent(app, row, now)
            result.sent += 1
            crashpoint("after_send")
    finally:
        transport.close()
    return result


def _mark_sent(app: "App", row: OutboxMessage, now: datetime) -> None:
    from monitor.mail import message_id_for

    with app.db.transaction() as session:
        stored = session.get(OutboxMessage, row.id)
        stored.state, stored.sent_at = "sent", utcnow()
        stored.attempts += 1
        stored.failure, stored.last_error = None, None
        stored.message_id = message_id_for(row, app.settings.organisation.mail_domain)


def _record_failure(app: "App", row_id: int, failure: str, error: str, now: datetime) -> None:
    with app.db.transaction() as session:
        stored = session.get(OutboxMessage, row_id)
        stored.attempts += 1
        stored.failure, stored.last_error = failure, scrub(error)
        stored.next_attempt_at = now + backoff(app.settings, stored.attempts)
    level = logging.WARNING if stored.attempts == 1 else logging.DEBUG
    log.log(level, "outbox %s not sent (attempt %d, next at %s): %s", row_id, stored.attempts,
            stored.next_attempt_at.isoformat(timespec="seconds"), scrub(error))
