"""The weekly digest's figures: what the database says about one ISO week, read in a handful of queries."""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, Iterable

from sqlalchemy import select

from classifiers.base import Finding, Span
from monitor.digest_cases import ComplaintFigures, OpenCases, complaint_figures, open_cases
from monitor.digest_health import AccountHealth, Freshness, account_health, freshness
from monitor.digest_week import Week
from monitor.models import Label, StoredFinding, StoredItem
from monitor.redact import personal_spans, redact
from monitor.themes import service_kinds, service_matcher, theme_matcher
from monitor.workdays import WorkingCalendar

if TYPE_CHECKING:  # pragma: no cover
    from monitor.app import App

# Feedback about services is what people write to us, not our own posts and not spam or abuse.
NOT_FEEDBACK = frozenset({"spam", "abusive"})
BRAND_LABELS = ("off_brand", "photo_consent")
ONE_LINER_LENGTH = 140
INCIDENTS_LISTED = 15  # per section; the rest are counted (each had its own alert)
_HANDLE = re.compile(r"@\w{1,30}")


@dataclass(frozen=True)
class Incident:
    """One item worth a line in the digest: when, where, and its text with personal data removed."""

    at: datetime
    platform: str
    kind: str
    line: str
    detail: str = ""


@dataclass
class WeekItems:
    """The items of one week with the labels their findings gave them."""

    rows: list[Any] = field(default_factory=list)  # (id, account_id, platform, kind, created_at, own, text)
    labels: dict[int, set[str]] = field(default_factory=lambda: defaultdict(set))
    findings: dict[int, list[Any]] = field(default_factory=lambda: defaultdict(list))

    def with_label(self, label: str) -> list[Any]:
        """The rows having a finding with label."""
        return [r for r in self.rows if label in self.labels.get(r.id, ())]


@dataclass
class DigestData:
    """Everything the digest shows about one week."""

    organisation: str
    week: Week
    made_at: datetime
    total: int = 0
    previous_total: int = 0
    volume: list[tuple[str, str, int, int]] = field(default_factory=list)  # platform, kind, this week, week before
    daily: dict[str, list[int]] = field(default_factory=dict)  # platform -> items per day, Monday first
    label_counts: Counter[str] = field(default_factory=Counter)
    previous_label_counts: Counter[str] = field(default_factory=Counter)
    complaints: dict[str, ComplaintFigures] = field(default_factory=dict)  # "hwd", "service"
    open_cases: OpenCases | None = None
    safeguarding: list[Incident] = field(default_factory=list)  # the first INCIDENTS_LISTED of each
    confidential: list[Incident] = field(default_factory=list)
    brand: list[Incident] = field(default_factory=list)
    brand_total: int = 0
    themes: list[tuple[str, int, int]] = field(default_factory=list)  # theme, this week, week before
    services: list[tuple[str, str, int]] = field(default_factory=list)  # name, kind, mentions
    corrections: int = 0
    previous_corrections: int = 0
    corrected_labels: Counter[str] = field(default_factory=Counter)
    flagged: int = 0
    accounts: list[AccountHealth] = field(default_factory=list)
    freshness: list[Freshness] = field(default_factory=list)


def load_week_items(session: Any, week: Week, with_text: bool = True) -> WeekItems:
    """The week's items and their findings, in two queries."""
    in_week = (StoredItem.created_at >= week.starts, StoredItem.created_at < week.ends)
    columns = [StoredItem.id, StoredItem.account_id, StoredItem.platform, StoredItem.kind, StoredItem.created_at,
               StoredItem.own]
    if with_text:
        columns.append(StoredItem.text)
    loaded = WeekItems(rows=list(session.execute(select(*columns).where(*in_week).order_by(StoredItem.created_at))))
    finding_rows = session.execute(
        select(StoredFinding.item_id, StoredFinding.label, StoredFinding.target, StoredFinding.spans,
               StoredFinding.evidence, StoredFinding.score)
        .join(StoredItem, StoredItem.id == StoredFinding.item_id).where(*in_week)
    )
    for row in finding_rows:
        loaded.labels[row.item_id].add(row.label)
        loaded.findings[row.item_id].append(row)
    return loaded


def stored_spans(finding_rows: list[Any]) -> list[Span]:
    """The personal-data spans of an item's stored findings, merged."""
    findings = [
        Finding(label=f.label, score=f.score or 0.0, detector="stored", version="",
                spans=tuple(Span(s["type"], int(s["start"]), int(s["end"])) for s in (f.spans or [])))
        for f in finding_rows
    ]
    return personal_spans(findings)


@dataclass(frozen=True)
class Scrubber:
    """What one-liners lose besides the stored spans: other people's @handles and staff names (policy 2.1)."""

    own_handles: frozenset[str] = frozenset()
    staff: re.Pattern[str] | None = None

    @classmethod
    def for_organisation(cls, handles: Iterable[str], staff_names: Iterable[str]) -> "Scrubber":
        """A scrubber keeping our own handles and removing each staff name, whole or its first or last name."""
        parts = {p for name in staff_names for p in [name, *name.split()] if len(p) >= 3}
        pattern = None
        if parts:
            alternatives = "|".join(re.escape(p) for p in sorted(parts, key=len, reverse=True))
            pattern = re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)
        return cls(frozenset(h.lower().lstrip("@") for h in handles), pattern)


def one_liner(text: str, finding_rows: list[Any], scrubber: Scrubber) -> str:
    """The item's text, personal data, staff names and other people's @handles removed, on one line, shortened."""
    cleaned = redact(text, stored_spans(finding_rows))
    cleaned = _HANDLE.sub(lambda m: m.group(0) if m.group(0)[1:].lower() in scrubber.own_handles else "@[handle]",
                          cleaned)
    if scrubber.staff is not None:
        cleaned = scrubber.staff.sub("[staff name removed]", cleaned)
    cleaned = " ".join(cleaned.split())
    if len(cleaned) > ONE_LINER_LENGTH:
        cut = cleaned[:ONE_LINER_LENGTH].rsplit(" ", 1)[0]
        cleaned = cut + " …"
    return cleaned


def _incidents(items: WeekItems, label: str, scrubber: Scrubber) -> list[Incident]:
    incidents = []
    for row in items.with_label(label)[:INCIDENTS_LISTED]:
        rows = items.findings[row.id]
        spans = stored_spans(rows)
        types = sorted({s.type for s in spans})
        if label == "confidential" and not spans:
            line = "(text withheld: the detector recorded no span to remove)"
        else:
            line = one_liner(row.text, rows, scrubber)
        detail = ", ".join(t.replace("_", " ").lower() for t in types)
        incidents.append(Incident(row.created_at, row.platform, row.kind, line, detail))
    return incidents


def _brand_issues(items: WeekItems) -> tuple[list[Incident], int]:
    issues, total = [], 0
    for row in items.rows:
        if not row.own:
            continue
        for finding in items.findings.get(row.id, ()):
            if finding.label in BRAND_LABELS:
                total += 1
                if len(issues) < INCIDENTS_LISTED:
                    issues.append(Incident(row.created_at, row.platform, row.kind,
                                           " ".join((finding.evidence or "").split()) or finding.label, finding.label))
    return issues, total


def _feedback_texts(items: WeekItems) -> list[str]:
    return [r.text for r in items.rows if not r.own and not (items.labels.get(r.id, set()) & NOT_FEEDBACK)]


def _label_counts(items: WeekItems) -> Counter[str]:
    counts: Counter[str] = Counter()
    for labels in items.labels.values():
        counts.update(labels)
    return counts


def _daily(items: WeekItems, week: Week) -> dict[str, list[int]]:
    index = {day: n for n, day in enumerate(week.days)}
    daily: dict[str, list[int]] = defaultdict(lambda: [0] * 7)
    for row in items.rows:
        day: date = row.created_at.astimezone(week.zone).date()
        daily[row.platform][index[day]] += 1
    return dict(sorted(daily.items()))


def collect(app: "App", week: Week, made_at: datetime) -> DigestData:
    """Read the figures of week (and the week before, for the change) from the database."""
    settings = app.settings
    data = DigestData(organisation=settings.organisation.name, week=week, made_at=made_at)
    scrubber = Scrubber.for_organisation(settings.organisation.handles.values(), settings.organisation.staff_names)
    before = week.previous()
    with app.db.reading() as session:
        items = load_week_items(session, week)
        previous = load_week_items(session, before)
        calendar = WorkingCalendar(settings.triage, settings.organisation.timezone)
        data.complaints = complaint_figures(session, items, week, calendar.working_time_between)
        data.open_cases = open_cases(session, week)
        data.corrections, data.corrected_labels = _corrections(session, week)
        data.previous_corrections, _ = _corrections(session, before)
        data.accounts = account_health(session, settings, week)
        data.freshness = freshness(session, settings, week, items)

    data.total, data.previous_total = len(items.rows), len(previous.rows)
    this_volume = Counter((r.platform, r.kind) for r in items.rows)
    last_volume = Counter((r.platform, r.kind) for r in previous.rows)
    data.volume = sorted(((p, k, this_volume[(p, k)], last_volume[(p, k)]) for p, k in this_volume | last_volume),
                         key=lambda v: (v[0], -v[2], v[1]))
    data.daily = _daily(items, week)
    data.label_counts, data.previous_label_counts = _label_counts(items), _label_counts(previous)
    data.flagged = sum(1 for labels in items.labels.values() if labels - {"praise"})
    data.safeguarding = _incidents(items, "safeguarding", scrubber)
    data.confidential = _incidents(items, "confidential", scrubber)
    data.brand, data.brand_total = _brand_issues(items)

    themes = theme_matcher(settings.digest.themes)
    this_themes, last_themes = themes.count(_feedback_texts(items)), themes.count(_feedback_texts(previous))
    data.themes = sorted(((t, this_themes[t], last_themes[t]) for t in themes.names if this_themes[t] or last_themes[t]),
                         key=lambda t: (-t[1], -t[2], t[0]))
    services = service_matcher(settings.services)
    kinds = service_kinds(settings.services)
    named = services.count(_feedback_texts(items))
    data.services = [(name, kinds.get(name, ""), n) for name, n in named.most_common(10)]
    return data


def _corrections(session: Any, week: Week) -> tuple[int, Counter[str]]:
    rows = session.execute(
        select(Label.labels).where(Label.created_at >= week.starts, Label.created_at < week.ends)
    ).scalars().all()
    given: Counter[str] = Counter()
    for labels in rows:
        given.update(labels or ["none"])
    return len(rows), given

