"""`migrate`: bring the database schema up to date."""
from __future__ import annotations

import argparse

from monitor.cli import open_app


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the `migrate` command."""
    parser = subparsers.add_parser("migrate", help="bring the database schema up to date")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Apply missing migrations and say where the database stands."""
    from monitor.app import App
    from monitor.migrate import current_revision, head_revision, upgrade

    app = App(open_app(args).settings, migrate=False)
    applied = upgrade(app.db)
    print(f"database at revision {current_revision(app.db)} (newest {head_revision()}){': updated' if applied else ''}")
    app.close()
    return 0
