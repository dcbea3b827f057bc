"""Progress during long waits: on a terminal, a live status line (rich's spinner) under the printed lines.

Commands print through a `Progress`: `line(text)` prints a line for good, `waiting(describe)` says what is
waited for, as `describe(now)` (the clock's now, so a countdown follows a replayed clock too). The live view
needs a terminal and `rich` (`pip install 'canarykit[cli]'`); otherwise lines are printed exactly as they
are, with no status line, so CI logs and pipes stay plain.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol, TextIO

from canarykit.clock import Clock

if TYPE_CHECKING:
    from rich.console import Console, RenderableType

Describe = Callable[[float], str]
"""The status line for the clock's now."""
REFRESHES_PER_SECOND = 4


class Progress(Protocol):
    def line(self, text: str) -> None:
        """Print `text` as a line of its own (above the status line, if there is one)."""

    def waiting(self, describe: Describe | None) -> None:
        """Show `describe(now)` as the status while waiting; None shows none."""

    def close(self) -> None:
        """Remove the status line; later lines print plainly."""


class PlainProgress:
    """Lines as they are, flushed; no status line (not a terminal, or no rich)."""

    def __init__(self, out: TextIO) -> None:
        self.out = out

    def line(self, text: str) -> None:
        print(text, file=self.out, flush=True)

    def waiting(self, describe: Describe | None) -> None:
        """Nothing: a status line would only repeat itself in a log."""

    def close(self) -> None:
        """Nothing to remove."""


class LiveProgress:
    """Lines above a transient status line: a spinner and `describe(now)`, redrawn 4 times a second."""

    def __init__(self, console: Console, clock: Clock) -> None:
        from rich.live import Live

        self._status = _Status(clock)
        self._live = Live(
            self._status,
            console=console,
            transient=True,
            refresh_per_second=REFRESHES_PER_SECOND,
            redirect_stdout=False,
            redirect_stderr=False,
        )
        self._started = self._closed = False

    def line(self, text: str) -> None:
        from rich.text import Text

        self._start()
        self._live.console.print(Text(text), soft_wrap=True)

    def waiting(self, describe: Describe | None) -> None:
        if self._closed:
            return
        self._start()
        self._status.describe = describe
        self._live.refresh()

    def _start(self) -> None:
        """Started at the first use, so a command that fails before it prints leaves no live display."""
        if not (self._started or self._closed):
            self._started = True
            self._live.start()

    def close(self) -> None:
        self._closed = True
        self._live.stop()


class _Status:
    """The live renderable: evaluated at each refresh, so the time left counts down between events."""

    def __init__(self, clock: Clock) -> None:
        from rich.spinner import Spinner

        self.clock = clock
        self.describe: Describe | None = None
        self.spinner = Spinner("dots")

    def __rich__(self) -> RenderableType:
        from rich.text import Text

        if self.describe is None:
            return Text("")
        self.spinner.update(text=Text(self.describe(self.clock.now())))
        return self.spinner


def open_progress(out: TextIO, clock: Clock, console: Console | None = None) -> Progress:
    """Live on `console` when given, or when `out` is a terminal and rich is installed; else plain lines."""
    if console is None:
        if not _is_terminal(out):
            return PlainProgress(out)
        try:
            from rich.console import Console
        except ImportError:
            return PlainProgress(out)
        console = Console(file=out)
    return LiveProgress(console, clock)


def _is_terminal(out: Any) -> bool:
    isatty = getattr(out, "isatty", None)
    return bool(callable(isatty) and isatty())


def clock_time(seconds: float, round_up: bool = False) -> str:
    """`0:07`, `12:30`, `1:02:03`, as a clock shows a duration (negative as 0; `round_up` for time left)."""
    whole = max(0, math.ceil(seconds) if round_up else math.floor(seconds))
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def countdown(label: str, since: float, until: float | None) -> Describe:
    """`label · 1:23 left` while waiting for `until`; `label · 0:42` (time since `since`) when open-ended."""

    def describe(now: float) -> str:
        if until is not None:
            return f"{label} · {clock_time(until - now, round_up=True)} left"
        return f"{label} · {clock_time(now - since)}"

    return describe


class WaitingClock:
    """A clock whose every `sleep` shows a status first: `on_sleep(now, until)` gives what is waited for."""

    def __init__(
        self, clock: Clock, progress: Progress, on_sleep: Callable[[float, float], Describe]
    ) -> None:
        self.clock, self.progress, self.on_sleep = clock, progress, on_sleep

    def now(self) -> float:
        return self.clock.now()

    def sleep(self, seconds: float) -> None:
        now = self.clock.now()
        self.progress.waiting(self.on_sleep(now, now + seconds))
        self.clock.sleep(seconds)
