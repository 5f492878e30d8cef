"""`evaluate complaint`: score the complaint model's recipe on labelled CSV files (no database needed)."""
from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from monitor.errors import InputError

if TYPE_CHECKING:  # pragma: no cover
    from classifiers.corpus_io import Example

FIGURES = ("macro_f1", "accuracy", "roc_auc", "precision", "recall")


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the `evaluate` command."""
    parser = subparsers.add_parser(
        "evaluate",
        help="measure a model's recipe on labelled CSV data (train on one file and test on another, or cross-validate)",
        description="Train the model's recipe on labelled data and measure it. CSV files have columns text,label "
        "(0/1 complaint) or the corpus columns text,labels,target; --data may also name a folder of such files.",
    )
    parser.add_argument("model", choices=["complaint"], help="the model to measure")
    parser.add_argument("--data", type=Path, help="cross-validate on this CSV file or folder")
    parser.add_argument("--cv", type=int, default=10, help="number of stratified folds with --data (default 10)")
    parser.add_argument("--train", type=Path, help="train on this CSV file or folder (with --test)")
    parser.add_argument("--test", type=Path, help="measure on this CSV file or folder (with --train)")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of lines of text")
    parser.set_defaults(handler=run)


def read_examples(path: Path) -> list["Example"]:
    """The labelled examples in a CSV file, or in every *.csv file of a folder."""
    from classifiers.corpus_io import read_corpus_dir, read_csv_corpus

    if path.is_dir():
        return read_corpus_dir(path)
    return read_csv_corpus(path)


def measure(args: argparse.Namespace) -> dict[str, Any]:
    """The figures for the data and protocol named on the command line."""
    from classifiers.complaint_eval import evaluate_cv, evaluate_split

    try:
        if args.data is not None and args.train is None and args.test is None:
            if args.cv < 2:
                raise InputError(f"--cv must be at least 2 (got {args.cv})")
            return {"protocol": f"stratified {args.cv}-fold cross-validation", "data": str(args.data),
                    **evaluate_cv(read_examples(args.data), folds=args.cv)}
        if args.train is not None and args.test is not None and args.data is None:
            return {"protocol": "train and test", "train": str(args.train), "test": str(args.test),
                    **evaluate_split(read_examples(args.train), read_examples(args.test))}
    except ValueError as exc:
        raise InputError(str(exc)) from None
    raise InputError("give either --data FILE (with --cv N) or both --train FILE and --test FILE")


def run(args: argparse.Namespace) -> int:
    """Print the figures: macro F1, accuracy, ROC AUC, and the complaint class's precision and recall."""
    figures = measure(args)
    if args.json:
        print(json.dumps(figures))
        return 0
    print(f"{args.model} model, {figures['protocol']}, {figures['n']} rows ({figures['complaints']} complaints)")
    for name in FIGURES:
        value = figures[name]
        print(f"  {name:<10} {'n/a' if value is None else f'{value:.4f}'}")
    print(f"  (precision and recall of the complaint class at probability {figures['threshold']})")
    return 0
