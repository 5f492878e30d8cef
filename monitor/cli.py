"""The command line: parses, hands each command its App, and turns known errors into one sentence."""
from __future__ import annotations

import argparse
import importlib
import logging
import pkgutil
import sys
from pathlib import Path
from typing import Sequence

from monitor.errors import ConfigError, InputError, MonitorError

log = logging.getLogger(__name__)

DEFAULT_CONFIG = Path("config/monitor.toml")
EXIT_OK, EXIT_FAILURE, EXIT_USAGE = 0, 1, 2


def build_parser() -> argparse.ArgumentParser:
    """The argument parser, with one sub-command per module in monitor.commands."""
    parser = argparse.ArgumentParser(
        prog="hwd-monitor",
        description="Social media monitor: watches the organisation's accounts for complaints, personal data, "
        "abuse, safeguarding concerns and off-brand posts, and alerts the right person.",
    )
    parser.add_argument("--config", type=Path, default=DEFAULT_CONFIG, help="the TOML configuration file")
    parser.add_argument("--verbose", action="store_true", help="debug logging, and tracebacks on errors")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    import monitor.commands as commands

    for info in sorted(pkgutil.iter_modules(commands.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"monitor.commands.{info.name}")
        register = getattr(module, "register", None)
        if register is not None:
            register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; return its exit code (0 success, 1 runtime failure, 2 usage or configuration)."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse has printed the usage problem
        return EXIT_USAGE if exc.code else EXIT_OK
    from monitor.logsetup import configure_logging, scrub

    configure_logging(verbose=args.verbose)
    try:
        return int(args.handler(args) or EXIT_OK)
    except ConfigError as exc:
        for problem in exc.problems:
            print(f"configuration problem: {problem}", file=sys.stderr)
        return EXIT_USAGE
    except MonitorError as exc:
        print(f"error: {scrub(str(exc))}", file=sys.stderr)
        if args.verbose:
            raise
        return EXIT_USAGE if isinstance(exc, InputError) else EXIT_FAILURE
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # noqa: BLE001 - the last line of defence: one sentence, traceback only when asked
        if args.verbose:
            raise
        print(f"error: {type(exc).__name__}: {scrub(str(exc))} (run with --verbose for details)", file=sys.stderr)
        return EXIT_FAILURE


def open_app(args: argparse.Namespace):  # -> monitor.app.App
    """The App for the configuration named on the command line (raises ConfigError)."""
    from monitor.app import App

    return App.from_file(args.config)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
