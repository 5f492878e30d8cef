"""suite_rate: every detector (keywords, complaint model, personal data, safeguarding, abuse, spam, brand, photo
consent) over the project's own texts, one text at a time, on one core."""
from __future__ import annotations

import os

for variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[variable] = "1"  # one core, as the figure says

import csv  # noqa: E402
import json  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from datetime import datetime, timezone  # noqa: E402
from pathlib import Path  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.figures import figure  # noqa: E402


def texts() -> list[str]:
    """The corpus, the held-out complaint texts and the detectors' development sets."""
    found = []
    for path in sorted((ROOT / "classifiers" / "corpus").glob("*.csv")) + [ROOT / "tests/fixtures/complaint_holdout.csv"]:
        with path.open(encoding="utf-8") as handle:
            found += [row["text"] for row in csv.DictReader(handle)]
    for path in sorted((ROOT / "tests" / "fixtures").glob("*_dev.jsonl")):
        found += [json.loads(line)["text"] for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return found


def main() -> None:
    """Prepare the suite once (not timed), then time three passes over every text."""
    from classifiers.registry import DetectorSuite
    from connectors.base import Item
    from monitor.settings import load_settings

    settings = load_settings(ROOT / "config" / "demo.toml")
    suite = DetectorSuite(settings)
    now = datetime.now(timezone.utc)
    items = [Item("facebook", "bench", str(i), "comment", text, now) for i, text in enumerate(texts())]
    for item in items[:200]:
        suite.run(item)  # warm caches
    passes = 3
    started = time.perf_counter()
    for _ in range(passes):
        for item in items:
            suite.run(item)
    elapsed = time.perf_counter() - started
    print(figure("suite_rate", passes * len(items) / elapsed, "texts/s", ">=", 2000))
    print(f"suite: {len(items)} texts, detectors {', '.join(suite.names)}", file=sys.stderr)


if __name__ == "__main__":
    main()
