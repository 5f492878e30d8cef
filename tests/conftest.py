"""Shared fixtures: databases (SQLite and the machine's PostgreSQL), settings, and a real SMTP server."""
from __future__ import annotations

import os
import uuid
from pathlib import Path
from typing import Any, Iterator

import pytest

from monitor.app import App
from monitor.settings import Settings, settings_from_dict

ROOT = Path(__file__).resolve().parents[1]
POSTGRES_ADMIN_URL = os.environ.get("HWD_TEST_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def _postgres_reachable() -> str | None:
    """None when PostgreSQL answers, else why not."""
    try:
        import psycopg
    except ImportError:
        return "psycopg is not installed"
    try:
        with psycopg.connect(POSTGRES_ADMIN_URL.replace("+psycopg", ""), connect_timeout=3):
            return None
    except Exception as exc:  # noqa: BLE001
        return str(exc).strip().splitlines()[0]


@pytest.fixture(scope="session")
def postgres_database() -> Iterator[str]:
    """A fresh PostgreSQL database for this test run, dropped at the end; in CI its absence fails the run."""
    problem = _postgres_reachable()
    if problem:
        message = f"PostgreSQL at 127.0.0.1:5432 (database test, user postgres) is not reachable: {problem}"
        if os.environ.get("CI"):
            pytest.fail(message + ". In CI the storage tests must run on PostgreSQL, not be skipped.", pytrace=False)
        pytest.skip(message)
    import psycopg

    name = f"hwd_test_{uuid.uuid4().hex[:10]}"
    admin = POSTGRES_ADMIN_URL.replace("+psycopg", "")
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    yield POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A database URL with an empty schema: once SQLite, once the machine's PostgreSQL."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'monitor.db'}"
        return
    url = request.getfixturevalue("postgres_database")
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    yield url


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    """A fresh SQLite database URL in the test's folder."""
    return f"sqlite:///{tmp_path / 'monitor.db'}"


def make_settings(tmp_path: Path, db_url: str, **sections: Any) -> Settings:
    """Settings for a test: the given database, an outbox in tmp_path, routes for every kind of alert."""
    raw: dict[str, Any] = {
        "database": {"url": db_url},
        "outbox": {"folder": str(tmp_path / "outbox"), "retry_first": "1s", "retry_max": "10s"},
        "organisation": {"mail_domain": "test.invalid"},
        "routes": {
            "comms": {"email": ["comms@test.invalid"]},
            "complaints": {"email": ["complaints@test.invalid"]},
            "safeguarding": {"email": ["safeguarding@test.invalid"]},
            "admin": {"email": ["admin@test.invalid"]},
        },
        "alerts": {"label_routes": {"complaint": "complaints", "safeguarding": "safeguarding"}},
        "detectors": {"enabled": ["keywords"]},
        "keyword_rules": [
            {"name": "complaints", "label": "complaint", "words": ["disgraceful", "useless"]},
            {"name": "at-risk", "label": "safeguarding", "phrases": ["can't go on"]},
        ],
    }
    for key, value in sections.items():
        if isinstance(value, dict) and isinstance(raw.get(key), dict):
            raw[key] = {**raw[key], **value}
        else:
            raw[key] = value
    return settings_from_dict(raw)


@pytest.fixture
def make_app(tmp_path: Path):
    """Build an App for settings made by make_settings; closed at the end of the test."""
    apps: list[App] = []

    def factory(db_url: str, **sections: Any) -> App:
        app = App(make_settings(tmp_path, db_url, **sections))
        apps.append(app)
        return app

    yield factory
    for app in apps:
        app.close()


@pytest.fixture
def smtp_server():
    """A real SMTP server (aiosmtpd) on a free loopback port, recording what it receives."""
    from tests.smtp_server import RecordingSMTPServer

    server = RecordingSMTPServer()
    server.start()
    yield server
    server.stop()
