"""The digest's charts: PNG images drawn with matplotlib (Agg, no display) in the brand colours, each with alt text."""
from __future__ import annotations

import io
from dataclasses import dataclass
from typing import TYPE_CHECKING

from monitor.digest_cases import STATUSES

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.figure import Figure

    from monitor.digest_data import DigestData

PINK, PURPLE, BLUE, GREEN = "#E73E97", "#A81563", "#004F6B", "#84BA00"
GREY, INK = "#B8B8B8", "#1A1A1A"
PLATFORM_COLOURS = {"facebook": BLUE, "twitter": PINK}
OTHER_COLOURS = (PURPLE, GREEN, GREY)
STATUS_COLOURS = dict(zip(STATUSES, (GREEN, PURPLE, BLUE, PINK, GREY)))
TARGET_TITLES = {"hwd": "About us", "service": "About services"}
DPI = 120


@dataclass(frozen=True)
class Chart:
    """One chart: its content id in the email, its file name, the PNG and a sentence saying what it shows."""

    cid: str
    filename: str
    png: bytes
    alt: str
    title: str


def _figure(height: float = 3.0) -> "Figure":
    # matplotlib is imported here, when a chart is drawn, not when the daemon starts: it is the largest
    # library the monitor has, and most of the week no chart is drawn.
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(7.0, height), dpi=DPI)
    FigureCanvasAgg(figure)
    return figure


def _png(figure: "Figure") -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI, facecolor="white", bbox_inches="tight")
    return buffer.getvalue()


def _style(axes, grid_axis: str = "y") -> None:
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    axes.spines["left"].set_color(GREY)
    axes.spines["bottom"].set_color(GREY)
    axes.tick_params(colors=INK, labelsize=9)
    axes.grid(axis=grid_axis, color="#E6E6E6", linewidth=0.8)
    axes.set_axisbelow(True)


def _empty(axes, message: str) -> None:
    axes.set_axis_off()
    axes.text(0.5, 0.5, message, ha="center", va="center", fontsize=12, color=BLUE, transform=axes.transAxes)


def volume_chart(data: "DigestData", platform_titles: dict[str, str]) -> Chart:
    """Items per day, stacked by platform."""
    figure = _figure()
    axes = figure.add_subplot()
    days = [d.strftime("%a %d") for d in data.week.days]
    if not data.daily:
        _empty(axes, "Nothing came in this week")
    else:
        bottom = [0] * 7
        others = iter(OTHER_COLOURS * 4)
        positions = list(range(7))
        for platform, counts in data.daily.items():
            colour = PLATFORM_COLOURS.get(platform) or next(others)
            axes.bar(positions, counts, bottom=bottom, color=colour, label=platform_titles.get(platform, platform),
                     width=0.65)
            bottom = [b + c for b, c in zip(bottom, counts)]
        axes.set_xticks(positions, days)
        _style(axes)
        axes.set_ylabel("Items", fontsize=9, color=INK)
        axes.legend(frameon=False, fontsize=9, loc="upper right")
    parts = []
    for platform, counts in data.daily.items():
        per_day = ", ".join(f"{day} {n}" for day, n in zip(days, counts))
        parts.append(f"{platform_titles.get(platform, platform)}: {per_day}")
    alt = ("Bar chart of items received per day, by platform. " + "; ".join(parts) + ".") if parts else \
        "Bar chart of items per day: nothing came in this week."
    return Chart("volume", "volume-by-day.png", _png(figure), alt, "Items per day, by platform")


def complaints_chart(data: "DigestData") -> Chart:
    """Complaints received, about us and about services, split by where their reply stood at the end of the week."""
    figure = _figure(2.4)
    axes = figure.add_subplot()
    targets = list(TARGET_TITLES)
    names = [TARGET_TITLES[t] for t in targets]
    if not any(data.complaints[t].received for t in targets):
        _empty(axes, "No complaints this week")
    else:
        left = [0] * len(targets)
        rows = list(range(len(targets)))
        for status in STATUSES:
            counts = [data.complaints[t].status[status] for t in targets]
            if any(counts):
                axes.barh(rows, counts, left=left, color=STATUS_COLOURS[status], label=status, height=0.55)
                left = [a + b for a, b in zip(left, counts)]
        axes.set_yticks(rows, names)
        _style(axes, grid_axis="x")
        axes.invert_yaxis()
        axes.xaxis.get_major_locator().set_params(integer=True)
        axes.set_xlabel("Complaints received", fontsize=9, color=INK)
        axes.legend(frameon=False, fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.35), ncol=3)
    parts = []
    for target in targets:
        figures = data.complaints[target]
        statuses = ", ".join(f"{n} {s}" for s, n in figures.status.items() if n) or "none"
        parts.append(f"{TARGET_TITLES[target]}: {figures.received} ({statuses})")
    alt = "Bar chart of complaints received this week by target and outcome. " + "; ".join(parts) + "."
    return Chart("complaints", "complaints-by-target.png", _png(figure), alt, "Complaints by target and outcome")


def themes_chart(data: "DigestData") -> Chart:
    """Feedback about services by theme, this week beside the week before."""
    shown = data.themes[:10]
    figure = _figure(max(2.2, 0.42 * len(shown) + 0.9))
    axes = figure.add_subplot()
    if not shown:
        _empty(axes, "No feedback themes this week")
    else:
        names = [t for t, _, _ in shown]
        positions = list(range(len(shown)))
        axes.barh([p - 0.2 for p in positions], [n for _, n, _ in shown], height=0.38, color=PURPLE, label="This week")
        axes.barh([p + 0.2 for p in positions], [n for _, _, n in shown], height=0.38, color=GREEN,
                  label="Week before")
        axes.set_yticks(positions, names)
        axes.invert_yaxis()
        _style(axes, grid_axis="x")
        axes.xaxis.get_major_locator().set_params(integer=True)
        axes.set_xlabel("Items mentioning the theme", fontsize=9, color=INK)
        axes.legend(frameon=False, fontsize=9, loc="lower right")
    described = "; ".join(f"{t} {n} (week before {p})" for t, n, p in shown)
    alt = ("Bar chart of feedback about services by theme, this week and the week before: " + described + ".") \
        if shown else "Bar chart of feedback themes: none this week."
    return Chart("themes", "themes.png", _png(figure), alt, "Themes of feedback about services")


def digest_charts(data: "DigestData", platform_titles: dict[str, str]) -> list[Chart]:
    """Every chart of the digest, in the order the digest shows them."""
    return [volume_chart(data, platform_titles), complaints_chart(data), themes_chart(data)]
