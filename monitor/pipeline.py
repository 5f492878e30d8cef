"""The way an item travels: fetch, store with the cursor, detect, triage into the outbox."""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from threading import Event, Lock
from typing import TYPE_CHECKING

from sqlalchemy import insert, select, update

from classifiers.base import Facts, Finding
from classifiers.registry import DetectorSuite
from connectors.registry import connector_for
from monitor import triage
from monitor.crashpoints import crashpoint
from monitor.logsetup import scrub
from monitor.outbox import enqueue_many
from monitor.models import Account, ConsentRecord, PollRun, StoredFinding, StoredItem, utcnow
from monitor.store import ensure_account, item_from_row, load_cursor, save_batch

if TYPE_CHECKING:  # pragma: no cover
    from connectors.base import Connector
    from monitor.app import App
    from monitor.settings import AccountSettings

log = logging.getLogger(__name__)

PROCESS_CHUNK = 500
MAX_BATCHES_PER_POLL = 200
MAX_PROCESS_ATTEMPTS = 3
_PROCESS_LOCK = Lock()


@dataclass
class PollResult:
    """What one poll of one account did."""

    account: str
    fetched: int = 0
    new: int = 0
    skipped: int = 0
    reads: int = 0
    batches: int = 0
    new_item_ids: list[int] = field(default_factory=list)


def poll_account(app: "App", account: "AccountSettings", connector: "Connector | None" = None,
                 stop: Event | None = None) -> PollResult:
    """Fetch everything new for account, storing each batch together with its cursor; raise connector errors."""
    connector = connector or connector_for(account)
    result = PollResult(account.name)
    with app.db.transaction() as session:
        account_row = ensure_account(session, account)
        account_id = account_row.id
        cursor = load_cursor(session, account_id)
        run = PollRun(account_id=account_id, started_at=utcnow())
        session.add(run)
        session.flush()
        run_id = run.id
    try:
        while result.batches < MAX_BATCHES_PER_POLL and not (stop and stop.is_set()):
            batch = connector.fetch(cursor)
            crashpoint("after_fetch")
            with app.db.transaction() as session:
                account_row = session.get(Account, account_id)
                new_ids = save_batch(session, account, account_row, batch)
            crashpoint("after_store")
            result.batches += 1
            result.fetched += len(batch.items)
            result.new += len(new_ids)
            result.skipped += len(batch.skipped)
            result.reads += batch.reads
            result.new_item_ids.extend(new_ids)
            cursor = batch.next_cursor if batch.next_cursor is not None else cursor
            if not batch.has_more:
                break
    except Exception as exc:
        _finish_run(app, run_id, result, outcome=type(exc).__name__, error=scrub(str(exc)))
        raise
    _finish_run(app, run_id, result, outcome="ok")
    return result


def _finish_run(app: "App", run_id: int, result: PollResult, outcome: str, error: str | None = None) -> None:
    with app.db.transaction() as session:
        run = session.get(PollRun, run_id)
        run.finished_at = utcnow()
        run.items_fetched, run.items_new, run.skipped, run.reads = result.fetched, result.new, result.skipped, result.reads
        run.outcome, run.error = outcome, error


def load_facts(app: "App") -> Facts:
    """What the detectors need from the database: the consent register."""
    with app.db.reading() as session:
        records = session.execute(select(ConsentRecord.post_id, ConsentRecord.media_id)).all()
    return Facts(
        consented_posts=frozenset(p for p, _ in records if p),
        consented_media=frozenset(m for _, m in records if m),
    )


def process_pending(app: "App", suite: DetectorSuite | None = None, stop: Event | None = None) -> int:
    """Run the detectors and triage over every stored item not yet processed; return how many were done."""
    with _PROCESS_LOCK:  # poll jobs run in threads: one of them classifies at a time
        return _process_pending(app, suite or DetectorSuite(app.settings, load_facts(app)), stop)


def _process_pending(app: "App", suite: DetectorSuite, stop: Event | None) -> int:
    done = 0
    last_id = 0
    while not (stop and stop.is_set()):
        with app.db.reading() as session:
            rows = list(session.scalars(
                select(StoredItem)
                .where(StoredItem.processed_at.is_(None), StoredItem.id > last_id)
                .order_by(StoredItem.id)
                .limit(PROCESS_CHUNK)
            ))
            names = dict(session.execute(select(Account.id, Account.name)).all())
        if not rows:
            break
        last_id = rows[-1].id
        decided: list[tuple[StoredItem, list[Finding]]] = []
        failed: list[tuple[StoredItem, str]] = []
        for row in rows:
            try:
                decided.append((row, suite.run(item_from_row(row, names.get(row.account_id, "")))))
            except Exception as exc:  # noqa: BLE001 - one bad item must not stop the others
                log.exception("item %s:%s could not be classified", row.platform, row.external_id)
                failed.append((row, f"{type(exc).__name__}: {exc}"))
        crashpoint("after_detect")
        with app.db.transaction() as session:
            claimed = _claim(session, [row.id for row, _ in decided])
            findings_rows: list[dict] = []
            messages: list[dict] = []
            # Triage reads what it wrote itself only through explicit flushes: an automatic flush before every
            # query would cost more than all the detectors together.
            with session.no_autoflush:
                for row, findings in decided:
                    if row.id in claimed:
                        findings_rows.extend(_finding_rows(row.id, findings))
                        messages.extend(triage.decide(session, app.settings, row, findings))
            if findings_rows:
                session.execute(insert(StoredFinding), findings_rows)
            enqueue_many(session, messages)
            done += len(claimed)
            for row, error in failed:
                _record_failure(session, row.id, error)
        crashpoint("after_triage")
    return done


def _claim(session, item_ids: list[int]) -> set[int]:
    """Mark items processed unless something else already did; return the ids this transaction owns."""
    if not item_ids:
        return set()
    claimed = session.scalars(
        update(StoredItem)
        .where(StoredItem.id.in_(item_ids), StoredItem.processed_at.is_(None))
        .values(processed_at=utcnow(), process_error=None)
        .returning(StoredItem.id)
    )
    return set(claimed)


def _record_failure(session, item_id: int, error: str) -> None:
    row = session.get(StoredItem, item_id)
    row.process_attempts += 1
    row.process_error = error
    if row.process_attempts >= MAX_PROCESS_ATTEMPTS:
        # Give up classifying, but never silently: the item is kept and flagged for a person.
        row.processed_at = utcnow()
        log.error("item %s:%s given up after %d attempts: %s", row.platform, row.external_id, row.process_attempts, error)


def _finding_rows(item_id: int, findings: list[Finding]) -> list[dict]:
    return [
        dict(
            item_id=item_id,
            label=f.label,
            score=float(f.score),
            detector=f.detector,
            detector_version=f.version,
            target=f.target,
            route=f.route,
            spans=[{"type": s.type, "start": s.start, "end": s.end} for s in f.spans],
            evidence=f.evidence,
            created_at=utcnow(),
        )
        for f in findings
    ]
