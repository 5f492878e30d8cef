"""One way to print a benchmark figure: `bench NAME = VALUE UNIT target OP VALUE ok|MISS`."""
from __future__ import annotations

import operator

_OPS = {">=": operator.ge, "<=": operator.le, ">": operator.gt, "<": operator.lt}


def figure(name: str, value: float, unit: str, op: str, target: float, digits: int = 0) -> str:
    """The figure line, with ok when value meets the target and MISS when it does not."""
    verdict = "ok" if _OPS[op](value, target) else "MISS"
    shown = f"{value:.{digits}f}"
    return f"bench {name} = {shown} {unit} target {op} {target:g} {verdict}"
