"""Photo consent: an own post with photos needs a consent record or a consent marker (policy clause 1.3)."""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from classifiers import textnorm
from classifiers.base import Facts, Finding
from connectors.base import Item, Media

if TYPE_CHECKING:  # pragma: no cover
    from monitor.settings import Settings

log = logging.getLogger(__name__)

NAME = "photo_consent"
VERSION = "1"

DEFAULT_MARKERS = ("#ConsentGiven", "(photos used with permission)")
DEFAULT_MEDIA_TYPES = ("photo", "image", "video", "animated_gif")
# Alt text that starts like this describes a graphic with nobody in it: no consent needed.
DEFAULT_NO_PEOPLE_ALT = ("logo", "poster", "infographic", "graphic", "chart", "graph", "map", "screenshot",
                         "leaflet cover", "flyer", "text reads", "text saying", "illustration", "icon", "banner")
SCORE = 0.8


@dataclass(frozen=True)
class Prepared:
    """The consent register's ids, the markers and which media need consent."""

    consented_posts: frozenset[str]
    consented_media: frozenset[str]
    markers: re.Pattern[str] | None
    media_types: frozenset[str]
    no_people_alt: re.Pattern[str] | None


def prepare(settings: "Settings", facts: Facts | None = None) -> Prepared:
    """Take the consent register from facts and compile the configured markers."""
    facts = facts or Facts()
    section = settings.classifiers.get(NAME, {})
    markers = textnorm.string_list(section, "markers") if "markers" in section else list(DEFAULT_MARKERS)
    no_people = textnorm.string_list(section, "no_people_alt") if "no_people_alt" in section else list(DEFAULT_NO_PEOPLE_ALT)
    types = textnorm.string_list(section, "media_types") if "media_types" in section else list(DEFAULT_MEDIA_TYPES)
    return Prepared(
        consented_posts=frozenset(facts.consented_posts),
        consented_media=frozenset(facts.consented_media),
        markers=re.compile("|".join(re.escape(m) for m in markers), re.IGNORECASE) if markers else None,
        media_types=frozenset(t.lower() for t in types),
        no_people_alt=re.compile(r"^\s*(?:" + "|".join(re.escape(w) for w in no_people) + r")\b", re.IGNORECASE)
        if no_people else None,
    )


def check(settings: "Settings") -> list[str]:
    """Problems with the [classifiers.photo_consent] section, one sentence each."""
    return textnorm.section_problems(settings.classifiers.get(NAME, {}),
                                     list_keys=("markers", "media_types", "no_people_alt"))


def _needs_consent(media: Media, prepared: Prepared) -> bool:
    if media.type.lower() not in prepared.media_types:
        return False
    if media.media_id and media.media_id in prepared.consented_media:
        return False
    if media.alt_text and prepared.no_people_alt is not None and prepared.no_people_alt.match(media.alt_text):
        return False
    return True


def detect(item: Item, prepared: Prepared) -> list[Finding]:
    """A finding naming each photo on an own post that has no consent record and no consent marker."""
    if not item.own or not item.media or item.external_id in prepared.consented_posts:
        return []
    if prepared.markers is not None and prepared.markers.search(item.text):
        return []
    missing = [m for m in item.media if _needs_consent(m, prepared)]
    if not missing:
        return []
    named = ", ".join(m.media_id or m.url or f"{m.type} {item.media.index(m) + 1}" for m in missing)
    return [
        Finding(
            label=NAME,
            score=SCORE,
            detector=NAME,
            version=VERSION,
            evidence=f"{len(missing)} photo(s) or video(s) on an own post with no consent record: {named}; "
            f"record consent with `consent add --post {item.external_id}` or `--media ID`, or add a consent marker",
        )
    ]
