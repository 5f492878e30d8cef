"""`digest`: the weekly digest of one ISO week, written as one HTML file and/or emailed to the digest route."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from monitor.cli import open_app


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the `digest` command."""
    parser = subparsers.add_parser(
        "digest", help="the weekly digest: write it as an HTML file (--out) or email it (--send)",
        description="Make the weekly digest of one ISO week (Monday to Sunday, UK time). Without --out or --send "
        "the plain-text version is printed.",
    )
    parser.add_argument("--week", metavar="YYYY-Www", help="the week, e.g. 2026-W47 (default: the last complete week)")
    parser.add_argument("--out", type=Path, metavar="FILE", help="write one self-contained HTML file (charts embedded)")
    parser.add_argument("--send", action="store_true",
                        help="email it to the digest route (once per week: a week already sent is not sent again)")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Compose the digest, then write, send or print it."""
    from zoneinfo import ZoneInfo

    from monitor.digest import already_queued, compose_digest, queue_digest
    from monitor.digest_week import last_complete_week, parse_week
    from monitor.models import utcnow
    from monitor.notifier import flush_outbox

    app = open_app(args)
    try:
        zone = ZoneInfo(app.settings.organisation.timezone)
        week = parse_week(args.week, zone) if args.week else last_complete_week(utcnow(), zone)
        digest = compose_digest(app, week)
        if args.out:
            args.out.parent.mkdir(parents=True, exist_ok=True)
            args.out.write_text(digest.standalone_html(), encoding="utf-8")
            print(f"digest for {week.label}: {args.out}")
        if args.send:
            queued_at = already_queued(app, week)
            if queued_at is not None or queue_digest(app, digest) is None:
                when = queued_at.isoformat(timespec="minutes") if queued_at else "just now"
                print(f"digest for {week.label} was already queued ({when}); not sent again", file=sys.stderr)
            else:
                result = flush_outbox(app)
                route = app.settings.digest.route
                state = "sent" if not result.held and not result.failed else "queued; sending is being retried"
                print(f"digest for {week.label} to route {route}: {state}")
        if not args.out and not args.send:
            sys.stdout.write(digest.body_text)
    finally:
        app.close()
    return 0
