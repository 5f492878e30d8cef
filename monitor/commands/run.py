"""`run`: the daemon."""
from __future__ import annotations

import argparse

from monitor.cli import open_app


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the `run` command."""
    parser = subparsers.add_parser("run", help="run the monitor until SIGTERM or SIGINT")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Start the scheduler and wait for a stop signal."""
    from monitor.logsetup import configure_logging, register_secrets
    from monitor.scheduler import run_daemon

    app = open_app(args)
    register_secrets(app.settings.secret_values())
    configure_logging(verbose=args.verbose, level=app.settings.logging.level)
    return run_daemon(app)
