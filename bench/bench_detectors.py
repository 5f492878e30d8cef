"""Benchmark of the policy detectors: precision and recall on their development sets, and their speed together."""
from __future__ import annotations

import json
import statistics
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.figures import figure  # noqa: E402
from connectors.base import Item  # noqa: E402
from tests.classifiers.policy_dev_scoring import (  # noqa: E402
    DEV_FACTS, FIXTURES, POLICY_DETECTORS, detector, dev_items, dev_settings, score,
)

RECALL_TARGETS = {"safeguarding": 0.95}  # a missed safeguarding concern is the worst error; others 0.80
# Written blind (by someone who never saw the lists, the model or the development sets), committed before their
# one scoring and never tuned on: how each detector does on wording it has not seen.
HOLDOUT_SETS = {name: FIXTURES / f"{name}_holdout.jsonl" for name in ("safeguarding", "abusive", "spam")}
# Ordinary traffic: the complaint model's kept-aside comments (complaints, questions, thanks, chit-chat), never
# used to teach anything, labelled blind for the three policy labels (a few do describe someone at risk). A false
# alarm is a comment flagged that its label says is not at risk, abusive or spam: what alerts cost on a normal day.
ORDINARY_LABELS = FIXTURES / "complaint_holdout_policy_labels.jsonl"
ORDINARY_TARGETS = {"safeguarding": 0.05, "abusive": 0.02, "spam": 0.02}


def report(name: str, value: float, unit: str, op: str, target: float, digits: int = 3) -> None:
    """Print one bench line in the project's format."""
    print(figure(name, value, unit, op, target, digits), flush=True)


def ordinary_false_alarms(name: str) -> float:
    """The share of the ordinary comments labelled not name that detector name flags."""
    module = detector(name)
    prepared = module.prepare(dev_settings(), DEV_FACTS)
    rows = [json.loads(line) for line in ORDINARY_LABELS.read_text(encoding="utf-8").splitlines() if line.strip()]
    when = datetime(2026, 3, 2, 10, 0, tzinfo=timezone.utc)
    negatives = [row for row in rows if not row[name]]
    flagged = sum(any(f.label == name for f in module.detect(
        Item("facebook", "hwd", str(row["row"]), "comment", row["text"], when), prepared)) for row in negatives)
    return flagged / len(negatives)


def texts_per_second(seconds: float = 1.5, rounds: int = 3) -> float:
    """The median rate of all five detectors together over every development set's items, on one core."""
    settings = dev_settings()
    suite = [(detector(name), detector(name).prepare(settings, DEV_FACTS)) for name in POLICY_DETECTORS]
    items = [item for name in POLICY_DETECTORS for item, _ in dev_items(name)]
    for item in items:  # warm the caches
        for module, prepared in suite:
            module.detect(item, prepared)
    rates = []
    for _ in range(rounds):
        done, started = 0, time.perf_counter()
        while time.perf_counter() - started < seconds:
            for item in items:
                for module, prepared in suite:
                    module.detect(item, prepared)
            done += len(items)
        rates.append(done / (time.perf_counter() - started))
    return statistics.median(rates)


def main() -> int:
    """Print each detector's precision and recall, the held-out recall, and the rate of the five together."""
    for name in POLICY_DETECTORS:
        result = score(name)
        report(f"detector_{name}_precision", result.precision, "ratio", ">=", 0.80)
        report(f"detector_{name}_recall", result.recall, "ratio", ">=", RECALL_TARGETS.get(name, 0.80))
    for name, path in HOLDOUT_SETS.items():
        if path.exists():
            result = score(name, path)
            report(f"detector_{name}_holdout_recall", result.recall, "ratio", ">=", RECALL_TARGETS.get(name, 0.80))
            report(f"detector_{name}_holdout_precision", result.precision, "ratio", ">=", 0.80)
    for name, target in ORDINARY_TARGETS.items():
        report(f"detector_{name}_ordinary_false_alarms", ordinary_false_alarms(name), "share", "<=", target)
    report("detectors_rate", texts_per_second(), "texts/s", ">=", 5000, digits=0)
    return 0


if __name__ == "__main__":
    sys.exit(main())
