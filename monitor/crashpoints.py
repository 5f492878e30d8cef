"""Named points where the kill tests stop the process, to prove a crash between two steps loses nothing."""
from __future__ import annotations

import os
import signal

# Read once: the check on the hot path is a comparison with None.
_CRASH_AT = os.environ.get("HWD_MONITOR_CRASH_AT") or None


def crashpoint(name: str) -> None:
    """SIGKILL this process here when HWD_MONITOR_CRASH_AT names this point (tests only)."""
    if _CRASH_AT is not None and _CRASH_AT == name:
        os.kill(os.getpid(), signal.SIGKILL)
