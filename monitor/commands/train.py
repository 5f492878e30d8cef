"""`train`: retrain the complaint model from the corpus, the extra corpora and the officer's corrections."""
from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING

from monitor.cli import DEFAULT_CONFIG, open_app

if TYPE_CHECKING:  # pragma: no cover
    from classifiers.corpus_io import Example
    from monitor.db import Database


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the `train` command."""
    parser = subparsers.add_parser(
        "train", help="retrain the complaint model (corpus, extra corpora, corrections) and print its figures"
    )
    parser.add_argument("--json", action="store_true", help="print the model's description as one JSON object")
    parser.set_defaults(handler=run)


def load_corrections(db: "Database", weight: float) -> list["Example"]:
    """Every stored correction (labels table) as training examples, oldest first; a later one for the same text wins."""
    from sqlalchemy import select

    from classifiers.corpus_io import examples_from_corrections
    from monitor.models import Label

    with db.reading() as session:
        rows = session.scalars(select(Label).order_by(Label.created_at, Label.id)).all()
    latest = {row.text: row for row in rows}
    return examples_from_corrections(latest.values(), weight)


def run(args: argparse.Namespace) -> int:
    """Train, save, and print the version, the threshold and the held-out figures."""
    from classifiers.complaint import model_settings
    from classifiers.complaint_store import operating_thresholds, retrain
    from monitor.settings import settings_from_dict

    if args.config == DEFAULT_CONFIG and not DEFAULT_CONFIG.exists():
        settings, corrections = settings_from_dict({}), []
        print(f"no configuration at {DEFAULT_CONFIG}: training without corrections, model in var/models", file=sys.stderr)
    else:
        app = open_app(args)
        try:
            settings = app.settings
            corrections = load_corrections(app.db, model_settings(settings).correction_weight)
        finally:
            app.close()
    config = model_settings(settings)
    bundle = retrain(config, corrections)
    thresholds, origin = operating_thresholds(bundle, config)
    held_out = bundle.metrics["held_out"]
    if args.json:
        print(json.dumps({"version": bundle.version, "trained_at": bundle.trained_at, "thresholds": thresholds,
                          "metrics": bundle.metrics, "summary": bundle.summary, "model_dir": str(config.model_dir)}))
        return 0
    summary = bundle.summary
    corrections_n, extras_n = summary["corrections"], len(summary["extra_corpora"])
    print(f"complaint model {bundle.version} trained on {summary['examples']} examples "
          f"({corrections_n} correction{'s' * (corrections_n != 1)}, {extras_n} extra corp{'ora' if extras_n != 1 else 'us'}); "
          f"saved in {config.model_dir}")
    print(f"complaint threshold {thresholds['complaint']:.3f}: {origin}")
    at = held_out["complaint_at_threshold"]
    print(f"held out ({at['n']} rows): macro F1 {at['macro_f1']:.3f}, ROC AUC {at['roc_auc']:.3f}, "
          f"precision {at['precision']:.3f}, recall {at['recall']:.3f}")
    for head in ("question", "praise"):
        if head in held_out:
            figures = held_out[head]
            print(f"{head} (threshold {figures['threshold']:.2f}): precision {figures['precision']:.3f}, "
                  f"recall {figures['recall']:.3f}, F1 macro {figures['macro_f1']:.3f}")
    return 0
