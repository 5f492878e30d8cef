"""`status`: each account's health and the outbox backlog."""
from __future__ import annotations

import argparse

from monitor.cli import open_app


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the `status` command."""
    parser = subparsers.add_parser("status", help="show each account's last success, last error and the outbox backlog")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Print the health of every configured account and of the outbox."""
    from monitor.status import status_lines

    app = open_app(args)
    for line in status_lines(app):
        print(line)
    app.close()
    return 0
