"""The digest as a browser shows it: headless Chromium renders the standalone file, with every chart loaded."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from PIL import Image

from monitor.digest import compose_digest
from monitor.digest_week import parse_week
from tests.digest.known_week import WEEK, at, build_known_week, digest_app

GREEN, PINK = (0x84, 0xBA, 0x00), (0xE7, 0x3E, 0x97)
# Runs after the page has loaded: the title says whether every image decoded to a real picture.
IMAGE_CHECK = """<script>
window.addEventListener("load", function () {
  var images = Array.prototype.slice.call(document.images);
  var broken = images.filter(function (img) { return !(img.complete && img.naturalWidth > 0); });
  document.title = "IMAGES " + images.length + " BROKEN " + broken.length;
});
</script>"""


def _chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        message = "headless Chromium is not installed (Debian packages chromium and chromium-driver)"
        if os.environ.get("CI"):
            pytest.fail(message + ": CI must install it, not skip this test", pytrace=False)
        pytest.skip(message)
    return found


def _run(chromium: str, profile: Path, *args: str) -> subprocess.CompletedProcess:
    command = [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
               "--disable-background-networking", "--disable-component-update", "--disable-sync",
               f"--user-data-dir={profile}", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=60)


def _title_after_load(chromium: str, tmp_path: Path, page: str) -> str:
    checked = tmp_path / "checked.html"
    checked.write_text(page.replace("</body>", IMAGE_CHECK + "</body>"), encoding="utf-8")
    result = _run(chromium, tmp_path / "profile-dom", "--virtual-time-budget=5000", "--dump-dom", checked.as_uri())
    match = re.search(r"<title>(.*?)</title>", result.stdout, re.S)
    assert match, f"Chromium printed no page: {result.stderr[-500:]}"
    return match.group(1)


@pytest.fixture(scope="module")
def standalone(tmp_path_factory) -> str:
    folder = tmp_path_factory.mktemp("render")
    app = digest_app(folder, f"sqlite:///{folder / 'monitor.db'}")
    build_known_week(app)
    page = compose_digest(app, parse_week(WEEK, ZoneInfo("Europe/London")), now=at(23, 8)).standalone_html()
    app.close()
    return page


def test_every_chart_loads_in_a_browser(tmp_path, standalone):
    chromium = _chromium()
    assert _title_after_load(chromium, tmp_path, standalone) == "IMAGES 3 BROKEN 0"


def test_the_image_check_sees_a_broken_image(tmp_path, standalone):
    chromium = _chromium()
    damaged = standalone.replace("data:image/png;base64,iVBOR", "data:image/png;base64,AAAA", 1)
    assert _title_after_load(chromium, tmp_path, damaged) == "IMAGES 3 BROKEN 1"


def test_the_rendered_page_shows_the_charts_in_the_brand_colours(tmp_path, standalone):
    chromium = _chromium()
    page = tmp_path / "digest.html"
    page.write_text(standalone, encoding="utf-8")
    shot = tmp_path / "digest.png"
    result = _run(chromium, tmp_path / "profile-shot", f"--screenshot={shot}", "--window-size=1000,3000",
                  "--hide-scrollbars", page.as_uri())
    assert shot.exists(), result.stderr[-500:]
    assert shot.stat().st_size > 50_000  # a blank or unstyled page compresses to far less
    image = Image.open(shot).convert("RGB")
    assert image.size == (1000, 3000)
    colours = {colour: n for n, colour in image.getcolors(maxcolors=1_000_000)}
    # Green appears only in the charts (bars for the week before, complaints answered in time); pink also in headings.
    assert colours.get(GREEN, 0) > 300 and colours.get(PINK, 0) > 300
