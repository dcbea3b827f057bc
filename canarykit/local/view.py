"""The live terminal view of the demo: one line per rollout event, and strips of recent answers per version.

Line-based (no cursor movement) so it reads the same in a terminal and in CI logs; ANSI is used only for
color, and only when `colors` is on (by default: `out` is a terminal and `NO_COLOR` is not set).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterable, Sequence
from typing import TextIO

from canarykit.analysis import Measurement
from canarykit.analysis.measurement import fault_note
from canarykit.errors import SpecError
from canarykit.local.traffic import Answer
from canarykit.rollout import events as ev

# ANSI 256-color codes for the colors a demo version may have.
PALETTE = {
    "blue": 33,
    "green": 40,
    "yellow": 220,
    "orange": 208,
    "purple": 129,
    "red": 196,
    "pink": 205,
    "cyan": 44,
    "white": 255,
    "gray": 245,
    "grey": 245,
    "black": 240,
    "brown": 130,
}
RED, GREEN, YELLOW = 196, 40, 220
PHASE_COLORS = {"Successful": GREEN, "Failed": RED, "Error": RED, "Inconclusive": YELLOW}
SQUARE, CROSS, NO_COLOR_LABEL = "■", "✖", "no color"


def _is_error(answer: Answer) -> bool:
    return answer.status is None or answer.status >= 400


def _wants_colors(out: TextIO) -> bool:
    isatty = getattr(out, "isatty", None)
    return bool(isatty and isatty()) and not os.environ.get("NO_COLOR")


class DemoView:
    """Writes the demo to `out`; pass `on_event` to a Rollout as its `on_event` listener."""

    def __init__(self, out: TextIO, colors: bool | None = None, width: int = 40) -> None:
        if width < 1:
            raise SpecError(f"width must be >= 1, got {width}", "width")
        self.out, self.width = out, width
        self.colors = _wants_colors(out) if colors is None else colors
        self._steps = 0
        self._origin: float | None = None
        self._lock = threading.Lock()

    # -- sections ------------------------------------------------------------------------------------

    def experiment(self, title: str, steps: int) -> None:
        """Start a section for one rollout of `steps` steps; times are shown from its first event."""
        self._steps, self._origin = steps, None
        self._write(["", f"== {title} ({steps} steps) =="])

    def note(self, text: str) -> None:
        """A line of its own, outside any experiment (the metrics address, for one)."""
        self._write([text])

    def summary(self, lines: Iterable[str]) -> None:
        """The final block."""
        self._write(["", "== summary ==", *(f"  {line}" for line in lines)])

    # -- events --------------------------------------------------------------------------------------

    def on_event(self, event: ev.Event) -> None:
        """One line for each meaningful event (step completions only when a gate says why it ended)."""
        text = self._describe(event)
        if text is None:
            return
        if self._origin is None:
            self._origin = event.time
        self._write([f"[{event.time - self._origin:6.1f}s] {text}"])

    def _describe(self, event: ev.Event) -> str | None:
        if isinstance(event, ev.StepCompleted):
            why = event.message.partition(" completed (")[2].rstrip(")")
            return f"  gate {why}" if event.reason and why else None
        if isinstance(event, ev.StepStarted):
            doing = event.message.split("started: ", 1)[-1]
            return f"step {event.index + 1}/{self._steps or '?'}  {doing}"
        if isinstance(event, ev.WeightChanged):
            return f"  weight {event.previous} -> {event.weight}"
        if isinstance(event, ev.MeasurementTaken) and event.measurement is not None:
            return f"  {event.metric} {self._measured(event.measurement)}"
        if isinstance(event, ev.AnalysisCompleted):
            return f"  analysis {event.analysis} {self._phase(event.phase)}"
        if isinstance(event, ev.Paused):
            return f"  {self._color('paused', YELLOW)}: {event.reason}"
        if isinstance(event, ev.Promoted):
            return self._color(f"PROMOTED {event.version}".rstrip(), GREEN)
        if isinstance(event, ev.Aborted):
            return self._color(f"ABORTED: {event.reason or event.message}", RED)
        if isinstance(event, ev.RolledBack):
            return f"  rolled back: {event.message}"
        return f"  {event.message}"

    def _measured(self, measurement: Measurement) -> str:
        """`0.97 Successful`; an Error measurement's fault follows it (the log does not repeat it)."""
        return f"{measurement.value or '-'} {self._phase(measurement.phase.value)}" + fault_note(measurement)

    # -- traffic -------------------------------------------------------------------------------------

    def show_traffic(self, answers: Sequence[Answer]) -> None:
        """Print the strip of `answers` (the caller decides how often)."""
        self._write([f"  {line}" for line in self.strip(answers).splitlines()])

    def strip(self, answers: Sequence[Answer]) -> str:
        """The last `width` answers, one line per color: a mark per answer, then the color's share."""
        window = list(answers)[-self.width :]
        if not window:
            return "(no answers yet)"
        groups: dict[str | None, list[Answer]] = {}
        for answer in window:
            groups.setdefault(answer.color, []).append(answer)
        names = sorted(groups, key=lambda name: (name is None, name or ""))
        label = max(len(name or NO_COLOR_LABEL) for name in names)
        return "\n".join(self._strip_line(name, groups[name], label, len(window)) for name in names)

    def _strip_line(self, name: str | None, answers: list[Answer], label: int, total: int) -> str:
        errors = sum(1 for answer in answers if _is_error(answer))
        share = round(100 * len(answers) / total)
        line = f"{name or NO_COLOR_LABEL:<{label}}  {self._marks(name, answers)}"
        line += " " * (self.width - len(answers)) + f"  {share:3d}%"
        return line + (f"  {errors} error{'s' if errors != 1 else ''}" if errors else "")

    def _marks(self, name: str | None, answers: list[Answer]) -> str:
        if not self.colors:
            letter = (name or "?")[0].lower()
            return "".join("x" if _is_error(answer) else letter for answer in answers)
        runs: list[tuple[int | None, str, int]] = []
        for answer in answers:
            code, mark = (RED, CROSS) if _is_error(answer) else (PALETTE.get((name or "").lower()), SQUARE)
            if runs and runs[-1][:2] == (code, mark):
                runs[-1] = (code, mark, runs[-1][2] + 1)
            else:
                runs.append((code, mark, 1))
        return "".join(self._color(mark * count, code) for code, mark, count in runs)

    # -- output --------------------------------------------------------------------------------------

    def _phase(self, phase: str) -> str:
        return self._color(phase, PHASE_COLORS.get(phase))

    def _color(self, text: str, code: int | None) -> str:
        if not self.colors or code is None:
            return text
        return f"\x1b[38;5;{code}m{text}\x1b[0m"

    def _write(self, lines: list[str]) -> None:
        with self._lock:
            for line in lines:
                self.out.write(line + "\n")
            self.out.flush()
