"""`classify`: JSON lines in, the same lines out with labels, complaint target, scores and entities."""
from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

from monitor.cli import DEFAULT_CONFIG, open_app
from monitor.errors import InputError


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the `classify` command."""
    parser = subparsers.add_parser("classify", help="label texts given as JSON lines (text, platform, kind, author, own)")
    parser.add_argument("--input", "-i", help="JSON-lines file (default: standard input)")
    parser.add_argument("--output", "-o", help="file to write (default: standard output); written only on success")
    parser.set_defaults(handler=run)


def settings_for(args: argparse.Namespace):
    """The configured settings, or the built-in defaults when no configuration file was named or exists."""
    from monitor.settings import settings_from_dict

    if args.config == DEFAULT_CONFIG and not DEFAULT_CONFIG.exists():
        return settings_from_dict({})
    return open_app(args).settings


def run(args: argparse.Namespace) -> int:
    """Classify every line; on bad input say which line and write nothing."""
    from classifiers.registry import DetectorSuite
    from monitor.classify import classify_lines

    suite = DetectorSuite(settings_for(args))
    try:
        source = open(args.input, encoding="utf-8") if args.input else sys.stdin
    except OSError as exc:
        raise InputError(f"cannot read {args.input}: {exc.strerror}") from None
    with source:
        if not args.output:
            for record in classify_lines(suite, source):
                sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
            return 0
        target = Path(args.output)
        fd, temporary = tempfile.mkstemp(dir=target.parent or Path("."), prefix=".classify-", suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                for record in classify_lines(suite, source):
                    out.write(json.dumps(record, ensure_ascii=False) + "\n")
            os.replace(temporary, target)
        finally:
            if os.path.exists(temporary):
                os.unlink(temporary)
    return 0
