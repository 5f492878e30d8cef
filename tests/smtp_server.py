"""A real SMTP server for tests: aiosmtpd on loopback, recording every message it accepts."""
from __future__ import annotations

import socket
import ssl
import subprocess
import threading
from pathlib import Path
from dataclasses import dataclass
from email import message_from_bytes, policy
from email.message import EmailMessage

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


@dataclass
class Received:
    """One message as the server accepted it."""

    mail_from: str
    rcpt_tos: list[str]
    message: EmailMessage

    @property
    def subject(self) -> str:
        """The message's Subject header."""
        return str(self.message["Subject"])


class _Handler:
    def __init__(self, server: "RecordingSMTPServer") -> None:
        self.server = server

    async def handle_DATA(self, _server, _session, envelope) -> str:
        message = message_from_bytes(envelope.original_content or envelope.content, policy=policy.default)
        with self.server.lock:
            self.server.received.append(Received(envelope.mail_from, list(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class RecordingSMTPServer:
    """Start, stop and start again on the same port; `received` keeps every accepted message."""

    def __init__(self, username: str | None = None, password: str | None = None,
                 tls_context: "ssl.SSLContext | None" = None, implicit_tls: bool = False) -> None:
        self.port = free_port()
        self.tls_context, self.implicit_tls = tls_context, implicit_tls
        self.received: list[Received] = []
        self.lock = threading.Lock()
        self.credentials = (username, password) if username else None
        self._controller: Controller | None = None

    def _authenticate(self, _server, _session, _envelope, mechanism, auth_data) -> AuthResult:
        ok = isinstance(auth_data, LoginPassword) and self.credentials == (
            auth_data.login.decode(), auth_data.password.decode()
        )
        return AuthResult(success=ok)

    def start(self) -> None:
        """Listen on the server's port."""
        kwargs: dict = {}
        if self.credentials:
            # aiosmtpd counts only STARTTLS as TLS for AUTH; implicit TLS is encrypted from the first byte.
            kwargs = {"authenticator": self._authenticate,
                      "auth_require_tls": self.tls_context is not None and not self.implicit_tls}
        if self.tls_context is not None and self.implicit_tls:
            kwargs["ssl_context"] = self.tls_context
        elif self.tls_context is not None:
            kwargs.update(tls_context=self.tls_context, require_starttls=True)
        self._controller = Controller(_Handler(self), hostname="127.0.0.1", port=self.port, **kwargs)
        self._controller.start()

    def stop(self) -> None:
        """Stop listening (an outage)."""
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def subjects(self) -> list[str]:
        """The subjects received so far, in order."""
        with self.lock:
            return [r.subject for r in self.received]


def self_signed_tls(folder: Path) -> tuple[ssl.SSLContext, Path]:
    """A server TLS context with a fresh self-signed certificate for 127.0.0.1, and that certificate's path."""
    key, cert = folder / "server.key", folder / "server.crt"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1",
         "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    return context, cert
