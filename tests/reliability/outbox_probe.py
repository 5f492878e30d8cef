"""Run as `python -m tests.reliability.outbox_probe fill|flush N FOLDER`: fill an outbox with N pending alerts of
realistic size, or drain it in a fresh process and print the process's peak RSS in MB."""
from __future__ import annotations

import resource
import sys
from pathlib import Path

BODY = ("The discharge from the Royal was disgraceful and nobody told us anything about the care package. " * 160)


class NullTransport:
    """Accepts every message, as a mail server that is back after an outage would."""

    def deliver(self, row, message) -> None:
        """Nothing to do."""

    def close(self) -> None:
        """Nothing to release."""


def main(mode: str, count: int, folder: Path) -> None:
    """Fill or drain the outbox of the SQLite database in folder."""
    from monitor.app import App
    from monitor.notifier import flush_outbox
    from monitor.outbox import enqueue_many, outbox_row
    from tests.conftest import make_settings

    app = App(make_settings(folder, f"sqlite:///{folder / 'monitor.db'}"))
    if mode == "fill":
        for start in range(0, count, 500):
            with app.db.transaction() as session:
                enqueue_many(session, [
                    outbox_row(app.settings, dedupe_key=f"alert:{i}", kind="alert", route="complaints",
                               subject=f"Complaint {i}", body_text=BODY, body_html=f"<p>{BODY}</p>")
                    for i in range(start, min(count, start + 500))
                ])
    else:
        sent = flush_outbox(app, transport=NullTransport()).sent
        assert sent == count, f"{sent} of {count} sent"
        print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    app.close()


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), Path(sys.argv[3]))
