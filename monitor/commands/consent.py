"""`consent add|list|remove`: the register of photo consent (policy 1.3) that the photo_consent detector reads."""
from __future__ import annotations

import argparse
import logging
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

from monitor.cli import open_app
from monitor.errors import InputError

log = logging.getLogger(__name__)


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the `consent` command with its add, list and remove steps."""
    parser = subparsers.add_parser(
        "consent", help="keep the register of consent for photos on own posts (policy 1.3)",
        description="Record who gave consent for the people pictured in a post's photos, so that the "
        "photo_consent detector stops alerting for that post or photo.",
    )
    steps = parser.add_subparsers(dest="consent_step", metavar="STEP", required=True)

    add = steps.add_parser("add", help="record consent for a post's photos or for one photo")
    which = add.add_mutually_exclusive_group(required=True)
    which.add_argument("--post", metavar="ID", help="the post's id on the platform (covers every photo in it)")
    which.add_argument("--media", metavar="ID", help="one photo or video's id on the platform")
    add.add_argument("--given-by", required=True, metavar="NAME", help="who gave consent (the person, or a parent or carer)")
    add.add_argument("--given-at", metavar="DATE", help="when, as 2026-03-14 or 2026-03-14T10:30 (default: now)")
    add.add_argument("--platform", choices=("facebook", "x"), help="the platform of the post, when ids could clash")
    add.add_argument("--notes", default="", help="anything else worth keeping (e.g. where the signed form is filed)")
    add.set_defaults(handler=run_add)

    listing = steps.add_parser("list", help="show the consent records, newest first")
    listing.add_argument("--post", metavar="ID", help="only the records for this post")
    listing.add_argument("--media", metavar="ID", help="only the records for this photo")
    listing.set_defaults(handler=run_list)

    remove = steps.add_parser("remove", help="delete a consent record (e.g. when consent is withdrawn)")
    remove.add_argument("record_id", type=int, metavar="ID", help="the record's number, as shown by `consent list`")
    remove.set_defaults(handler=run_remove)


def parse_given_at(value: str | None, zone: str, now: datetime | None = None) -> datetime:
    """The moment consent was given, in UTC: a local date or date and time, never in the future."""
    now = now or datetime.now(timezone.utc)
    if value is None:
        return now
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        raise InputError(f"--given-at {value!r} is not a date; write it as 2026-03-14 or 2026-03-14T10:30") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ZoneInfo(zone))
    moment = moment.astimezone(timezone.utc)
    if moment > now:
        raise InputError(f"--given-at {value!r} is in the future; consent is recorded once it has been given")
    return moment


def add_record(db, *, post_id: str | None, media_id: str | None, given_by: str, given_at: datetime,
               platform: str | None = None, notes: str = ""):
    """Store one consent record and return it."""
    from monitor.models import ConsentRecord

    if bool(post_id) == bool(media_id):
        raise InputError("give either --post or --media, not both or neither")
    if not given_by.strip():
        raise InputError("--given-by cannot be empty: say who gave consent")
    with db.transaction() as session:
        record = ConsentRecord(platform=platform, post_id=post_id, media_id=media_id, given_by=given_by.strip(),
                               given_at=given_at, notes=notes)
        session.add(record)
        session.flush()
        return record


def list_records(db, post_id: str | None = None, media_id: str | None = None) -> list:
    """The consent records, newest first, optionally only those of one post or photo."""
    from sqlalchemy import select

    from monitor.models import ConsentRecord

    query = select(ConsentRecord).order_by(ConsentRecord.given_at.desc(), ConsentRecord.id.desc())
    if post_id:
        query = query.where(ConsentRecord.post_id == post_id)
    if media_id:
        query = query.where(ConsentRecord.media_id == media_id)
    with db.reading() as session:
        return list(session.scalars(query))


def remove_record(db, record_id: int):
    """Delete one consent record and return it; raise InputError when there is no such record."""
    from monitor.models import ConsentRecord

    with db.transaction() as session:
        record = session.get(ConsentRecord, record_id)
        if record is None:
            raise InputError(f"there is no consent record {record_id} (see `consent list`)")
        session.delete(record)
        return record


def describe(record) -> str:
    """One line for a person: what the record covers, who gave consent and when."""
    what = f"post {record.post_id}" if record.post_id else f"photo {record.media_id}"
    where = f" on {record.platform}" if record.platform else ""
    notes = f" ({record.notes})" if record.notes else ""
    given_at = record.given_at.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    return f"{record.id}: {what}{where}, consent given by {record.given_by} at {given_at}{notes}"


def run_add(args: argparse.Namespace) -> int:
    """Record consent and say what it covers."""
    app = open_app(args)
    try:
        given_at = parse_given_at(args.given_at, app.settings.organisation.timezone)
        record = add_record(app.db, post_id=args.post, media_id=args.media, given_by=args.given_by,
                            given_at=given_at, platform=args.platform, notes=args.notes)
        log.info("consent record %s added", record.id)
        print(f"recorded {describe(record)}")
    finally:
        app.close()
    return 0


def run_list(args: argparse.Namespace) -> int:
    """Print the consent records, one a line."""
    app = open_app(args)
    try:
        records = list_records(app.db, args.post, args.media)
    finally:
        app.close()
    if not records:
        print("no consent records" + (" match" if args.post or args.media else " yet"))
    for record in records:
        print(describe(record))
    return 0


def run_remove(args: argparse.Namespace) -> int:
    """Delete a consent record; its photos need consent again."""
    app = open_app(args)
    try:
        record = remove_record(app.db, args.record_id)
        log.info("consent record %s removed", record.id)
        print(f"removed {describe(record)}; its photos will be flagged again unless another record covers them")
    finally:
        app.close()
    return 0
