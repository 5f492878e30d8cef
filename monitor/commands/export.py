"""`export`: items with their findings and cases as JSON lines."""
from __future__ import annotations

import argparse
import json
import sys

from monitor.cli import open_app


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the `export` command."""
    parser = subparsers.add_parser("export", help="write every item with its labels and case as JSON lines")
    parser.add_argument("--output", "-o", help="file to write (default: standard output)")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Write one JSON object per stored item."""
    from monitor.export import export_items

    app = open_app(args)
    out = open(args.output, "w", encoding="utf-8") if args.output else sys.stdout
    try:
        with app.db.reading() as session:
            for record in export_items(session):
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
    finally:
        if out is not sys.stdout:
            out.close()
        app.close()
    return 0
