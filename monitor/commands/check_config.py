"""`check-config [--ping]`: validate the configuration, and optionally each account's credentials."""
from __future__ import annotations

import argparse
import sys

from monitor.cli import open_app


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the `check-config` command."""
    parser = subparsers.add_parser("check-config", help="validate the configuration (exit 2 on problems)")
    parser.add_argument("--ping", action="store_true", help="also check each account's credentials with its platform")
    parser.set_defaults(handler=run)


def resume_after_auth_failure(app, account) -> bool:
    """Let a stopped account be polled again once its credentials work; True when it had stopped."""
    from monitor.models import Account
    from monitor.store import ensure_account

    with app.db.transaction() as session:
        row: Account = ensure_account(session, account)
        if row.state != "auth_failed":
            return False
        row.state, row.credentials_fingerprint = "failing", None  # the next successful poll says "recovered"
        return True


def run(args: argparse.Namespace) -> int:
    """Print OK or one sentence per problem."""
    from connectors.registry import connector_for
    from monitor.errors import MonitorError
    from monitor.logsetup import scrub

    app = open_app(args)  # raises ConfigError: printed one sentence per problem, exit 2
    settings = app.settings
    print(f"{args.config}: OK ({len(settings.accounts)} account(s), {len(settings.routes)} route(s), "
          f"detectors: {', '.join(settings.detectors.enabled) or 'none'})")
    if not args.ping:
        return 0
    problems = 0
    for account in settings.accounts:
        try:
            found = connector_for(account).ping()
        except MonitorError as exc:
            found = [str(exc)]
        except Exception as exc:  # noqa: BLE001 - a ping reports, it does not crash
            found = [f"{type(exc).__name__}: {exc}"]
        for problem in found:
            print(f"{account.name}: {scrub(problem)}", file=sys.stderr)  # a platform may echo the token back
        if not found:
            print(f"{account.name}: credentials OK")
            if resume_after_auth_failure(app, account):
                print(f"{account.name}: polling resumes (it had stopped after the platform refused the credentials)")
        problems += len(found)
    return 2 if problems else 0
