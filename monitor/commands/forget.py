"""`forget --author ID`: erase one person's data across the tables (UK GDPR erasure) and record that it was done."""
from __future__ import annotations

import argparse

from monitor.cli import open_app
from monitor.errors import InputError

PLATFORMS = ("facebook", "twitter")


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the `forget` command."""
    parser = subparsers.add_parser(
        "forget", help="erase everything stored about one author (texts, payloads, evidence, alerts, labels)")
    parser.add_argument("--author", required=True, help="the author's platform id, as shown by `cases show`")
    parser.add_argument("--platform", choices=PLATFORMS, help="only this platform's items (default: any)")
    parser.add_argument("--by", default="officer", help="who asked for the erasure, for the record")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Erase the author's data, print what was erased per table; safe to run again."""
    from monitor.erasure import forget_author, summary_lines

    author = args.author.strip()
    if not author:
        raise InputError("--author needs the author's id (it is empty)")
    app = open_app(args)
    try:
        result = forget_author(app, author, args.platform, requested_by=args.by)
    finally:
        app.close()
    for line in summary_lines(author, args.platform, result):
        print(line)
    return 0
