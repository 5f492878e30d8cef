"""Secrets named in configuration: a literal, { env = "NAME" } or { file = "PATH" }."""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import SecretStr


@dataclass(frozen=True)
class SecretRef:
    """Where a secret lives: an environment variable or a file."""

    env: str | None = None
    file: str | None = None

    @classmethod
    def from_table(cls, table: dict[str, Any]) -> "SecretRef | None":
        """The reference a TOML table describes, or None when the table is not a secret reference."""
        keys = set(table)
        if keys == {"env"} and isinstance(table["env"], str):
            return cls(env=table["env"])
        if keys == {"file"} and isinstance(table["file"], str):
            return cls(file=table["file"])
        return None


def resolve_secret(ref: SecretRef) -> SecretStr:
    """Read the secret ref names; raise ValueError with a sentence that never contains the value."""
    if ref.env is not None:
        value = os.environ.get(ref.env)
        if not value:
            raise ValueError(f"environment variable {ref.env} is not set")
        return SecretStr(value.strip())
    path = Path(ref.file or "")
    try:
        value = path.read_text(encoding="utf-8").strip()
    except OSError as exc:
        raise ValueError(f"secret file {path} cannot be read ({exc.strerror or exc})") from None
    if not value:
        raise ValueError(f"secret file {path} is empty")
    return SecretStr(value)


def reveal(value: SecretStr | str | None) -> str | None:
    """The plain value of a secret, for the one place that sends it (an HTTP header, an SMTP login)."""
    if value is None:
        return None
    return value.get_secret_value() if isinstance(value, SecretStr) else value
