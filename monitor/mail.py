"""Turning an outbox row into an email message, safe against header injection."""
from __future__ import annotations

import base64
import hashlib
import re
from email.message import EmailMessage
from email.utils import format_datetime, formataddr, parseaddr

from monitor.models import OutboxMessage
from monitor.settings import Settings

_LINE_BREAKS = re.compile(r"[\r\n\x0b\x0c\x1c-\x1e\x85\u2028\u2029]+")
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")


def header_safe(value: str, limit: int = 200) -> str:
    """value as one header line: line breaks and control characters folded to spaces, length capped."""
    value = _CONTROL.sub("", _LINE_BREAKS.sub(" ", value)).strip()
    return value if len(value) <= limit else value[: limit - 1] + "…"


def message_id_for(row: OutboxMessage, domain: str) -> str:
    """A Message-ID fixed by the outbox row, so a re-sent message is recognisably the same one."""
    digest = hashlib.sha256(row.dedupe_key.encode("utf-8")).hexdigest()[:16]
    return f"<hwd-monitor.{row.id}.{digest}@{domain}>"


def build_message(row: OutboxMessage, settings: Settings) -> EmailMessage:
    """The email for an outbox row: plain text and HTML alternatives, inline images by Content-ID."""
    message = EmailMessage()
    sender = settings.smtp.sender if settings.smtp else f"Social media monitor <monitor@{settings.organisation.mail_domain}>"
    name, address = parseaddr(sender)
    message["From"] = formataddr((header_safe(name), address))
    recipients = [header_safe(r) for r in row.recipients] or [f"{row.route}@{settings.organisation.mail_domain}"]
    message["To"] = ", ".join(recipients)
    message["Subject"] = header_safe(row.subject, limit=250)
    message["Date"] = format_datetime(row.created_at)
    message["Message-ID"] = message_id_for(row, settings.organisation.mail_domain)
    message["X-HWD-Route"] = header_safe(row.route)
    message["X-HWD-Kind"] = header_safe(row.kind)
    if row.urgent:
        message["X-Priority"] = "1"
        message["Importance"] = "high"
    message.set_content(row.body_text)
    if row.body_html:
        message.add_alternative(row.body_html, subtype="html")
        if row.attachments:
            html_part = message.get_payload()[-1]
            for attachment in row.attachments:
                maintype, _, subtype = attachment.get("mime", "image/png").partition("/")
                html_part.add_related(
                    base64.b64decode(attachment["base64"]),
                    maintype=maintype,
                    subtype=subtype,
                    cid=f"<{attachment['cid']}>",
                    filename=attachment.get("filename"),
                )
    return message
