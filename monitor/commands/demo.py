"""`demo`: the bundled sample week through the whole pipeline on SQLite, alerts as .eml files."""
from __future__ import annotations

import argparse
from pathlib import Path

from monitor.cli import DEFAULT_CONFIG, open_app

DEMO_CONFIG = Path("config/demo.toml")


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the `demo` command."""
    parser = subparsers.add_parser("demo", help="run the sample week through the whole pipeline and show what it did")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Poll every demo account once, classify, write the alerts and the weekly digest, and say where they are."""
    from sqlalchemy import func, select

    from monitor.health import poll_job
    from monitor.models import OutboxMessage, StoredItem
    from monitor.notifier import FolderTransport, flush_outbox, transport_for
    from monitor.pipeline import process_pending
    from monitor.digest import compose_digest, latest_item_week

    if args.config == DEFAULT_CONFIG and not DEFAULT_CONFIG.exists():
        args.config = DEMO_CONFIG
    app = open_app(args)
    settings = app.settings
    with app.db.reading() as session:
        items_before = session.scalar(select(func.count()).select_from(StoredItem)) or 0
        alerts_before = session.scalar(select(func.count()).select_from(OutboxMessage)) or 0
    for account in settings.accounts:
        print(f"polled {account.name}: {poll_job(app, account)}")
    process_pending(app)
    # The demo never sends real email, even when the configuration names an SMTP server.
    flushed = flush_outbox(app, transport=transport_for(settings, email=FolderTransport(settings.outbox.folder)))
    with app.db.reading() as session:
        items_after = session.scalar(select(func.count()).select_from(StoredItem)) or 0
        alerts_after = session.scalar(select(func.count()).select_from(OutboxMessage)) or 0
        urgent = session.scalar(select(func.count()).where(OutboxMessage.urgent.is_(True))) or 0
    week = latest_item_week(app)
    report = None
    if week is not None:
        settings.summary.folder.mkdir(parents=True, exist_ok=True)
        report = settings.summary.folder / f"digest-{week.label}.html"
        report.write_text(compose_digest(app, week).standalone_html(), encoding="utf-8")
    print(f"items: {items_after - items_before} new, {items_after} stored in {settings.database.url}")
    written = len(list(settings.outbox.folder.glob("*.eml")))
    print(f"alerts: {alerts_after - alerts_before} new, {alerts_after} in all ({urgent} urgent); "
          f"{written} .eml files in {settings.outbox.folder}/"
          + (f" ({flushed.failed} could not be written; see the log)" if flushed.failed else ""))
    if report:
        print(f"weekly summary: {report}")
    app.close()
    return 0
