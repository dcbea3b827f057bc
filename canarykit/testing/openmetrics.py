"""Deterministic counter samples as OpenMetrics text for `promtool tsdb create-blocks-from openmetrics`.

promtool's traps are handled here: timestamps are written in seconds, every series in ascending time, the
text ends with `# EOF`, and empty label values are left out (Prometheus drops them anyway).
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from canarykit.errors import SpecError
from canarykit.values import format_float

_METRIC_NAME = re.compile(r"[a-zA-Z_:][a-zA-Z0-9_:]*\Z")
_LABEL_NAME = re.compile(r"[a-zA-Z_][a-zA-Z0-9_]*\Z")


@dataclass(frozen=True)
class Counter:
    """Starts at `initial` at `start`, grows by `rate` per second, sampled every `step` s until `end`."""

    name: str
    labels: Mapping[str, str]
    start: float
    end: float
    step: float = 10.0
    rate: float = 1.0
    initial: float = 0.0

    def __post_init__(self) -> None:
        if not _METRIC_NAME.match(self.name):
            raise SpecError(f"invalid metric name {self.name!r}")
        for label in self.labels:
            if not _LABEL_NAME.match(label) or label.startswith("__"):
                raise SpecError(f"invalid label name {label!r}")
        if not (self.step > 0 and self.end >= self.start and self.rate >= 0 and self.initial >= 0):
            raise SpecError(f"counter {self.name} needs step > 0, end >= start, rate >= 0 and initial >= 0")

    def samples(self) -> list[tuple[float, float]]:
        """`(unix seconds, value)` from `start` to `end` inclusive, in ascending time."""
        count = math.floor((self.end - self.start) / self.step + 1e-9) + 1
        times = (self.start + index * self.step for index in range(count))
        return [(at, self.initial + self.rate * (at - self.start)) for at in times]

    def label_text(self) -> str:
        """`{a="1",b="2"}` with names sorted and empty values left out; empty when no labels remain."""
        pairs = [f'{name}="{_escape(value)}"' for name, value in sorted(self.labels.items()) if value]
        return "{" + ",".join(pairs) + "}" if pairs else ""


def openmetrics_text(series: Iterable[Counter]) -> str:
    """One `# TYPE ... counter` family per metric name, each series' samples together, then `# EOF`."""
    families: dict[str, dict[str, list[Counter]]] = {}
    for counter in series:
        families.setdefault(counter.name, {}).setdefault(counter.label_text(), []).append(counter)
    lines: list[str] = []
    for name, by_labels in families.items():
        lines.append(f"# TYPE {name} counter")
        for labels, parts in by_labels.items():
            lines.extend(_sample_lines(name, labels, parts))
    lines.append("# EOF")
    return "\n".join(lines) + "\n"


def write_openmetrics(series: Iterable[Counter], path: str | Path) -> Path:
    """Write `openmetrics_text(series)` to `path` and return it."""
    target = Path(path)
    target.write_text(openmetrics_text(series))
    return target


def _sample_lines(name: str, labels: str, parts: list[Counter]) -> list[str]:
    """The samples of one series (possibly several time windows), checked to be in ascending time."""
    ordered = sorted(parts, key=lambda counter: counter.start)
    for before, after in itertools.pairwise(ordered):
        if after.start <= before.end:
            raise SpecError(f"{name}{labels}: windows at {before.start:g} and {after.start:g} overlap")
    samples = [sample for counter in ordered for sample in counter.samples()]
    return [f"{name}{labels} {format_float(value)} {format_float(at)}" for at, value in samples]


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
