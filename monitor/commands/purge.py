"""`purge`: apply the [retention] periods now (the daemon also does it every night)."""
from __future__ import annotations

import argparse

from monitor.cli import open_app


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the `purge` command."""
    parser = subparsers.add_parser("purge", help="remove payloads, texts and sent message bodies older than [retention]")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Purge what the retention periods say has expired and print what went."""
    from monitor.retention import purge_expired

    app = open_app(args)
    try:
        counts = purge_expired(app)
        retention = app.settings.retention
    finally:
        app.close()
    if not counts:
        print(f"Nothing has expired (payloads are kept {retention.raw_payload_days} days, texts "
              f"{retention.text_days} days, sent message bodies {retention.outbox_days} days).")
        return 0
    print("Purged what the retention periods say has expired; the purge is recorded in the erasures table:")
    for table, count in sorted(counts.items()):
        print(f"  {table}: {count} row(s)")
    return 0
