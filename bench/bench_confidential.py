"""Benchmark of the confidential detector: entity-level precision and recall on its development set, and speed."""
from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.figures import figure  # noqa: E402
from classifiers import confidential  # noqa: E402
from tests.classifiers.confidential_dev_scoring import (  # noqa: E402
    HOLDOUT_SET, STRUCTURED, as_item, dev_rows, dev_settings, score_dev_set,
)


def report(name: str, value: float, unit: str, op: str, target: float, digits: int = 3) -> None:
    """Print one bench line in the project's format."""
    print(figure(name, value, unit, op, target, digits), flush=True)


def texts_per_second(seconds: float = 1.5, rounds: int = 3) -> float:
    """The median rate over a few timed rounds of the development set's texts, on one core."""
    prepared = confidential.prepare(dev_settings())
    items = [as_item(row["text"], i) for i, row in enumerate(dev_rows())]
    for item in items:  # warm the caches the library keeps
        confidential.detect(item, prepared)
    rates = []
    for _ in range(rounds):
        done, started = 0, time.perf_counter()
        while time.perf_counter() - started < seconds:
            for item in items:
                confidential.detect(item, prepared)
            done += len(items)
        rates.append(done / (time.perf_counter() - started))
    return statistics.median(rates)


def main() -> int:
    """Print the figures."""
    dev = score_dev_set()
    held_out = score_dev_set(path=HOLDOUT_SET)
    report("detector_confidential_precision", dev.precision(), "ratio", ">=", 0.80)
    report("detector_confidential_recall", dev.recall(), "ratio", ">=", 0.95)
    report("detector_confidential_structured_precision", dev.precision(STRUCTURED), "ratio", ">=", 0.80)
    report("detector_confidential_structured_recall", dev.recall(STRUCTURED), "ratio", ">=", 0.95)
    report("detector_confidential_holdout_precision", held_out.precision(), "ratio", ">=", 0.80)
    report("detector_confidential_holdout_recall", held_out.recall(), "ratio", ">=", 0.95)
    report("detector_confidential_rate", texts_per_second(), "texts/s", ">=", 8000, digits=0)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
