"""`cases list|show|ack|respond|resolve|approve|relabel`: the people's side of the complaints procedure."""
from __future__ import annotations

import argparse
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Iterator

from sqlalchemy import select

from monitor.cli import open_app
from monitor.errors import InputError

if TYPE_CHECKING:  # pragma: no cover
    from sqlalchemy.orm import Session

    from monitor.models import Case

STATE_CHOICES = ("open", "all", "new", "acknowledged", "responded", "escalated", "resolved")


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the `cases` command and its sub-commands."""
    parser = subparsers.add_parser("cases", help="list, show, acknowledge, resolve, approve replies and relabel cases")
    actions = parser.add_subparsers(dest="case_command", metavar="ACTION", required=True)
    listing = actions.add_parser("list", help="the cases, most urgent target first")
    listing.add_argument("--state", choices=STATE_CHOICES, default="open", help="which cases (default: open ones)")
    listing.set_defaults(handler=run_list)
    show = actions.add_parser("show", help="one case: the item, targets, drafted reply, history and actions")
    show.add_argument("case_id", type=int, metavar="ID")
    show.set_defaults(handler=run_show)
    for name, helptext, handler in (("ack", "record that the person has been acknowledged", run_ack),
                                    ("respond", "record that the full response was sent", run_respond),
                                    ("resolve", "close the case", run_resolve)):
        sub = actions.add_parser(name, help=helptext)
        sub.add_argument("case_id", type=int, metavar="ID")
        sub.add_argument("--by", default="officer", help="who did it (default: officer)")
        if name != "ack":
            sub.add_argument("--note", default="", help="what was done, for the audit trail")
        sub.set_defaults(handler=handler)
    approve = actions.add_parser("approve", help="send the drafted private reply to the person (never public)")
    approve.add_argument("case_id", type=int, metavar="ID")
    approve.add_argument("--text-file", type=Path, help="send this text instead of the draft")
    approve.add_argument("--by", default="officer", help="who approves (default: officer)")
    approve.set_defaults(handler=run_approve)
    relabel = actions.add_parser("relabel", help="correct what the case's item is; `train` learns from it")
    relabel.add_argument("case_id", type=int, metavar="ID")
    relabel.add_argument("labels", nargs="+", metavar="LABEL", choices=("complaint", "question", "praise", "none"))
    relabel.add_argument("--target", choices=("hwd", "service"), help="for a complaint: about us or a service")
    relabel.add_argument("--by", default="officer", help="who gives the label (default: officer)")
    relabel.set_defaults(handler=run_relabel)


def _case(session, case_id: int):
    from monitor.models import Case

    case = session.get(Case, case_id)
    if case is None:
        raise InputError(f"there is no case with id {case_id} (see `cases list`)")
    return case


def run_list(args: argparse.Namespace) -> int:
    """Print one line per case."""
    from monitor.cases import OPEN_STATES
    from monitor.cases_view import case_line
    from monitor.models import Case, StoredItem

    app = open_app(args)
    try:
        with app.db.reading() as session:
            query = select(Case, StoredItem).join(StoredItem, Case.item_id == StoredItem.id)
            if args.state == "open":
                query = query.where(Case.state.in_(OPEN_STATES))
            elif args.state != "all":
                query = query.where(Case.state == args.state)
            rows = session.execute(query.order_by(Case.first_response_due.is_(None), Case.first_response_due, Case.id)).all()
        for case, item in rows:
            print(case_line(app.settings, case, item))
        if not rows:
            print(f"no {args.state if args.state != 'all' else ''} cases".replace("  ", " "))
    finally:
        app.close()
    return 0


def run_show(args: argparse.Namespace) -> int:
    """Print everything about one case."""
    from monitor.cases_view import case_details

    app = open_app(args)
    try:
        with app.db.reading() as session:
            print(case_details(session, app.settings, _case(session, args.case_id)))
    finally:
        app.close()
    return 0


@contextmanager
def _changing_case(args: argparse.Namespace) -> Iterator[tuple[Session, Case]]:
    """The case named on the command line, changed in one transaction; a refused change is one sentence."""
    app = open_app(args)
    try:
        with app.db.transaction() as session:
            try:
                yield session, _case(session, args.case_id)
            except ValueError as exc:
                raise InputError(str(exc)) from None
    finally:
        app.close()


def run_ack(args: argparse.Namespace) -> int:
    """Record the acknowledgement."""
    from monitor.cases import acknowledge

    with _changing_case(args) as (_, case):
        acknowledge(case, by=args.by)
    print(f"case {args.case_id} acknowledged")
    return 0


def run_respond(args: argparse.Namespace) -> int:
    """Record the full response (by letter, email or phone: outside the platform)."""
    from monitor.cases import record_response
    from monitor.models import utcnow

    with _changing_case(args) as (_, case):
        if case.state == "resolved":
            raise InputError(f"case {case.id} is already resolved")
        case.reply_counts_as = "responded"  # from now on a reply is a response, not an acknowledgement
        record_response(case, utcnow(), by=args.by, how=args.note or "full response sent")
    print(f"case {args.case_id} responded")
    return 0


def run_resolve(args: argparse.Namespace) -> int:
    """Close the case."""
    from monitor.cases import resolve

    with _changing_case(args) as (session, case):
        resolve(session, case, by=args.by, why=args.note)
    print(f"case {args.case_id} resolved")
    return 0


def run_approve(args: argparse.Namespace) -> int:
    """Approve the drafted private reply, then send it through the platform now."""
    from monitor.replies import approve, run_planned_actions

    text = None
    if args.text_file is not None:
        try:
            text = args.text_file.read_text(encoding="utf-8").strip() + "\n"
        except OSError as exc:
            raise InputError(f"cannot read {args.text_file}: {exc.strerror or exc}") from None
        if not text.strip():
            raise InputError(f"{args.text_file} is empty: nothing to send")
    app = open_app(args)
    try:
        with app.db.transaction() as session:
            try:
                approve(session, _case(session, args.case_id), by=args.by, text=text)
            except ValueError as exc:
                raise InputError(str(exc)) from None
        lines = run_planned_actions(app, case_id=args.case_id)
    finally:
        app.close()
    for line in lines:
        print(line)
    failed = any("not done" in line for line in lines)
    return 1 if failed else 0


def run_relabel(args: argparse.Namespace) -> int:
    """Store the correction for `train`, and bring the case in line with it."""
    from monitor.cases import relabel
    from monitor.commands.label import checked_labels
    from monitor.models import Label, StoredItem

    chosen = checked_labels(args.labels, args.target)
    app = open_app(args)
    try:
        with app.db.transaction() as session:
            case = _case(session, args.case_id)
            item = session.get(StoredItem, case.item_id)
            session.add(Label(item_id=item.id, text=item.text, labels=chosen, target=args.target, given_by=args.by))
            if case.state == "resolved":
                outcome = "the case stays resolved"
            else:
                outcome = relabel(session, app.settings, case, chosen, args.target, args.by)
    finally:
        app.close()
    print(f"case {args.case_id} relabelled {', '.join(chosen) or 'none'}; {outcome}; `train` will learn from it")
    return 0
