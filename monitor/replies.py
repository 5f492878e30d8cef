"""Private replies and hides: drafted by the triage, sent only once approved (or when configured to go by themselves)."""
from __future__ import annotations

import logging
import re
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import bindparam, or_, select, update
from sqlalchemy.orm import Session

from connectors.base import ActionNotSupported, ActionResult, ConnectorError
from monitor.models import Account, Case, PlannedAction, PlatformAction, StoredItem, utcnow
from monitor.render import environment
from monitor.settings import Settings
from monitor.store import item_from_row

if TYPE_CHECKING:  # pragma: no cover
    from monitor.app import App

log = logging.getLogger(__name__)

PLATFORM_NAMES = {"facebook": "Facebook", "twitter": "X"}
SENDING_STALE_AFTER = timedelta(minutes=15)  # far longer than any platform call's timeout


def first_name(author_name: str | None) -> str:
    """A safe first name to greet the person by, or an empty string."""
    words = re.findall(r"[^\W\d_][\w'-]*", author_name or "")
    return words[0][:40] if words else ""


def draft_reply(settings: Settings, template: str, item: StoredItem, signposting: str = "") -> str:
    """The private reply drafted from a template (configured text, or monitor/templates/<template>.txt.j2)."""
    env = environment()
    source = settings.triage.reply_templates.get(template)
    compiled = env.from_string(source) if source is not None else env.get_template(f"{template}.txt.j2")
    organisation = settings.organisation
    return compiled.render(
        name=first_name(item.author_name),
        organisation=organisation.name,
        short_name=organisation.short_name,
        phone=organisation.published_phones[0] if organisation.published_phones else "",
        email=organisation.published_emails[0] if organisation.published_emails else "",
        platform=PLATFORM_NAMES.get(item.platform, item.platform),
        signposting=signposting,
    ).strip() + "\n"


_CONNECTORS: dict[tuple[int, str], object] = {}


def reply_deadline(session: Session, settings: Settings, item: StoredItem) -> datetime | None:
    """The last moment the platform allows a private reply to item (Facebook: 7 days), or None."""
    from connectors.registry import connector_for

    names = session.info.get("account_names")
    if names is None:  # one query per transaction, not one per item
        names = session.info["account_names"] = dict(session.execute(select(Account.id, Account.name)).all())
    name = names.get(item.account_id, "")
    try:
        key = (id(settings), name)
        if key not in _CONNECTORS:
            if len(_CONNECTORS) > 32:
                _CONNECTORS.clear()
            _CONNECTORS[key] = connector_for(settings.account(name))
        return _CONNECTORS[key].private_reply_deadline(item_from_row(item, name))  # type: ignore[attr-defined]
    except Exception as exc:  # noqa: BLE001 - a deadline is advice; the case opens without it
        log.debug("no private reply deadline for item %s: %s", item.id, exc)
        return None


_PLANNED = select(PlannedAction).where(PlannedAction.item_id == bindparam("item_id"),
                                       PlannedAction.action == bindparam("action"))


def plan(session: Session, item: StoredItem, action: str, *, case: Case | None = None, text: str | None = None,
         approved_by: str | None = None) -> PlannedAction:
    """Plan an action on item, approved at once when approved_by is given (automatic), else awaiting approval."""
    existing = session.scalar(_PLANNED, {"item_id": item.id, "action": action})
    if existing is not None:
        return existing
    planned = PlannedAction(
        item_id=item.id, case_id=case.id if case else None, action=action, text=text, planned_at=utcnow(),
        state="approved" if approved_by else "awaiting_approval", approved_by=approved_by,
        approved_at=utcnow() if approved_by else None,
    )
    session.add(planned)
    return planned


def approve(session: Session, case: Case, by: str, text: str | None = None) -> PlannedAction:
    """Approve the case's drafted private reply (optionally with new text); raise ValueError when there is none."""
    from monitor.cases import note

    planned = session.scalar(select(PlannedAction).where(PlannedAction.case_id == case.id,
                                                          PlannedAction.action == "private_reply"))
    if planned is None:
        raise ValueError(f"case {case.id} has no drafted private reply to approve")
    if planned.state not in ("awaiting_approval", "failed"):
        raise ValueError(f"the private reply of case {case.id} is already {planned.state.replace('_', ' ')}")
    if text is not None:
        planned.text = case.drafted_reply = text
    planned.state, planned.approved_by, planned.approved_at = "approved", by, utcnow()
    note(case, "private reply approved" + (" with edited text" if text is not None else ""), by=by)
    return planned


def run_planned_actions(app: "App", case_id: int | None = None, now: datetime | None = None) -> list[str]:
    """Carry out every approved action (or those of one case); return one line per action tried."""
    with app.db.transaction() as session:
        stale = select(PlannedAction).where(PlannedAction.state == "sending",
                                            or_(PlannedAction.attempted_at.is_(None),
                                                PlannedAction.attempted_at < utcnow() - SENDING_STALE_AFTER))
        for row in session.scalars(stale):
            # A crash came between asking the platform and recording the answer: never risk doing it twice.
            _finish(session, row, ActionResult(False, "interrupted while being sent: check on the platform "
                                               "whether it went, and act by hand"), now)
        claim = (update(PlannedAction).where(PlannedAction.state == "approved")
                 .values(state="sending", attempted_at=utcnow()).returning(PlannedAction.id))
        if case_id is not None:
            claim = claim.where(PlannedAction.case_id == case_id)
        claimed = sorted(session.scalars(claim))  # claimed in one statement: two runs never take the same action
    return [_carry_out(app, action_id, now) for action_id in claimed]


def _carry_out(app: "App", action_id: int, now: datetime | None) -> str:
    from connectors.registry import connector_for

    with app.db.reading() as session:
        planned = session.get(PlannedAction, action_id)
        row = session.get(StoredItem, planned.item_id)
        account_name = session.scalar(select(Account.name).where(Account.id == row.account_id)) or ""
    item = item_from_row(row, account_name)
    result: ActionResult | None = None
    try:
        account = app.settings.account(account_name)
        connector = connector_for(account)
        try:
            deadline = connector.private_reply_deadline(item) if planned.action == "private_reply" else None
            if deadline is not None and (now or utcnow()) > deadline:
                raise ActionNotSupported(f"the platform's deadline for a private reply passed on "
                                         f"{deadline:%Y-%m-%d %H:%M} UTC: contact the person another way")
            if planned.action == "hide":
                result = connector.hide(item)
            else:
                result = connector.private_reply(item, planned.text or "")
        finally:
            connector.close()
    except ActionNotSupported as exc:
        result = ActionResult(False, str(exc))
    except ConnectorError as exc:
        result = ActionResult(False, f"{type(exc).__name__}: {exc}")
    except Exception as exc:  # noqa: BLE001 - recorded as failed, for a person to do by hand
        log.warning("planned %s on item %s failed: %s", planned.action, row.id, exc)
        result = ActionResult(False, f"{type(exc).__name__}: {exc}")
    with app.db.transaction() as session:
        _finish(session, session.get(PlannedAction, action_id), result, now)
    verb = planned.action.replace("_", " ")
    return f"{verb} of item {row.id}: {'done' if result.ok else 'not done'}{' (' + result.detail + ')' if result.detail else ''}"


def _finish(session: Session, planned: PlannedAction, result: ActionResult, now: datetime | None) -> None:
    from monitor.cases import note, record_response

    at = now or utcnow()
    planned.state, planned.done_at, planned.detail = ("done" if result.ok else "failed"), at, result.detail
    session.add(PlatformAction(item_id=planned.item_id, case_id=planned.case_id, action=planned.action, ok=result.ok,
                               detail=result.detail, requested_by=planned.approved_by or "monitor", at=at))
    case = session.get(Case, planned.case_id) if planned.case_id else None
    if case is None:
        return
    verb = planned.action.replace("_", " ")
    if result.ok and planned.action == "private_reply":
        record_response(case, at, by=planned.approved_by or "monitor", how="private reply sent on the platform")
    else:
        note(case, f"{verb} {'done' if result.ok else 'failed: ' + result.detail}", by=planned.approved_by or "monitor",
             at=at)
