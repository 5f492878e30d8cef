"""`poll --once`: one polling cycle of every account (or one), then exit."""
from __future__ import annotations

import argparse

from monitor.cli import open_app
from monitor.errors import InputError


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the `poll` command."""
    parser = subparsers.add_parser("poll", help="poll the accounts once, process and send, then exit")
    parser.add_argument("--once", action="store_true", required=True, help="one cycle (the only mode)")
    parser.add_argument("--account", help="only this account")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Poll, process and send once; exit 1 when an account failed."""
    from monitor.health import poll_job
    from monitor.logsetup import register_secrets
    from monitor.notifier import flush_outbox
    from monitor.pipeline import process_pending

    app = open_app(args)
    register_secrets(app.settings.secret_values())
    accounts = [app.settings.account(args.account)] if args.account else [a for a in app.settings.accounts if a.enabled]
    if not accounts:
        raise InputError("there are no enabled accounts in the configuration")
    failures = 0
    for account in accounts:
        state = poll_job(app, account)
        print(f"{account.name}: {state}")
        failures += state != "ok"
    process_pending(app)
    sent = flush_outbox(app)
    print(f"outbox: {sent.sent} sent, {sent.failed} not sent")
    app.close()
    return 1 if failures else 0
