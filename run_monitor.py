#!/usr/bin/env python3
"""The monitor's command line: `run_monitor.py [--config PATH] COMMAND` (also installed as `hwd-monitor`)."""
from __future__ import annotations

import sys

from monitor.cli import main

if __name__ == "__main__":
    sys.exit(main())
