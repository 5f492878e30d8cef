"""`label ITEM_ID LABEL...`: store an officer's correction of a stored item, for the next `train`."""
from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Sequence

from monitor.cli import open_app
from monitor.errors import InputError

if TYPE_CHECKING:  # pragma: no cover
    from monitor.db import Database
    from monitor.models import Label

CHOICES = ("complaint", "question", "praise", "none")


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the `label` command."""
    parser = subparsers.add_parser(
        "label",
        help="correct what a stored item is (complaint, question, praise or none); `train` learns from it",
    )
    parser.add_argument("item_id", type=int, metavar="ITEM_ID", help="the stored item's id (as in `export`)")
    parser.add_argument("labels", nargs="+", metavar="LABEL", choices=CHOICES, help="complaint, question, praise, or none")
    parser.add_argument("--target", choices=("hwd", "service"), help="for a complaint: about the organisation or a service")
    parser.add_argument("--by", default="officer", help="who gives the label (default: officer)")
    parser.set_defaults(handler=run)


def checked_labels(labels: Sequence[str], target: str | None) -> list[str]:
    """The labels to store ([] for none); raise InputError when they contradict each other."""
    chosen = sorted(set(labels))
    if "none" in chosen:
        if len(chosen) > 1:
            raise InputError("'none' cannot be given together with other labels")
        chosen = []
    if target is not None and "complaint" not in chosen:
        raise InputError("--target only applies to a complaint")
    return chosen


def store_correction(db: "Database", item_id: int, labels: Sequence[str], target: str | None = None,
                     given_by: str = "officer") -> "Label":
    """Store a Label row for a stored item, keeping its text; raise InputError when there is no such item."""
    from monitor.models import Label, StoredItem

    chosen = checked_labels(labels, target)
    with db.transaction() as session:
        item = session.get(StoredItem, item_id)
        if item is None:
            raise InputError(f"there is no stored item with id {item_id}")
        label = Label(item_id=item.id, text=item.text, labels=chosen, target=target, given_by=given_by)
        session.add(label)
        session.flush()
        return label


def run(args: argparse.Namespace) -> int:
    """Store the correction and say what happens next."""
    app = open_app(args)
    try:
        label = store_correction(app.db, args.item_id, args.labels, args.target, args.by)
    finally:
        app.close()
    what = ", ".join(label.labels) or "none of complaint, question or praise"
    target = f" about {label.target}" if label.target else ""
    print(f"item {args.item_id} labelled {what}{target}; `train` will learn from it")
    return 0
