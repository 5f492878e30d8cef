"""`make bench`: runs every bench/bench_*.py in its own process and prints their figure lines."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> int:
    """Run each benchmark; exit 1 when one failed to run (a MISS is a figure, not a failure)."""
    failed = 0
    for script in sorted(HERE.glob("bench_*.py")):
        result = subprocess.run([sys.executable, str(script)], cwd=HERE.parent, capture_output=True, text=True)
        for line in result.stdout.splitlines():
            if line.startswith("bench ") or line.startswith("skipped "):
                print(line, flush=True)
        if result.returncode != 0:
            failed += 1
            print(f"error: {script.name} failed:\n{result.stderr[-2000:]}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
