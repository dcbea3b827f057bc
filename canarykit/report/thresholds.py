"""The numeric threshold of a simple condition (`result[0] > 0.90`), and the number in a measurement's value.

Only comparisons of `result` or `result[0]` with a number are read, optionally beside guards that do not
move the line (`len(result) == 0 || result[0] >= 0.95`, `isNaN(result[0]) || ...`). Anything else has no
threshold to draw: the report shows the values alone and says so. Nothing is evaluated.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

NUMBER = r"[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?"
SUBJECT = r"result(?:\s*\[\s*0\s*\])?"
OPERATOR = r">=|<=|>|<"
_LEFT = re.compile(rf"\(?\s*{SUBJECT}\s*({OPERATOR})\s*({NUMBER})\s*\)?")
_RIGHT = re.compile(rf"\(?\s*({NUMBER})\s*({OPERATOR})\s*{SUBJECT}\s*\)?")
_GUARD = re.compile(
    rf"\s*(?:len\(\s*result\s*\)\s*==\s*0|(?:isNaN|isInf)\(\s*{SUBJECT}\s*\)|result\s*==\s*nil)\s*"
)
_MIRROR = {">": "<", "<": ">", ">=": "<=", "<=": ">="}
_VALUE = re.compile(rf"\s*\[?\s*({NUMBER})\s*(?:[,\s][^\]]*)?\]?\s*")


@dataclass(frozen=True)
class Threshold:
    """`result <operator> value` decides the `kind` condition (`success` or `failure`)."""

    kind: str
    operator: str
    value: float

    def describe(self) -> str:
        return f"{self.kind}Condition: result {self.operator} {self.value:g}"


def threshold_of(condition: str | None, kind: str) -> Threshold | None:
    """The threshold of `condition` when it is one simple comparison (guards aside), else None."""
    if not condition:
        return None
    parts = [part for part in condition.split("||") if not _GUARD.fullmatch(part)]
    if len(parts) != 1:
        return None
    return _comparison(parts[0], kind)


def _comparison(text: str, kind: str) -> Threshold | None:
    if (left := _LEFT.fullmatch(text)) is not None:
        operator, number = left.group(1), left.group(2)
    elif (right := _RIGHT.fullmatch(text)) is not None:
        number, operator = right.group(1), _MIRROR[right.group(2)]
    else:
        return None
    value = float(number)
    return Threshold(kind, operator, value) if math.isfinite(value) else None


def number_in(value: str) -> float | None:
    """The number a measurement's value text holds (`0.97`, `[0.97]`, the first of `[0.97, 12]`), if any."""
    match = _VALUE.fullmatch(value)
    if match is None:
        return None
    number = float(match.group(1))
    return number if math.isfinite(number) else None
