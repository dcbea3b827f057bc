"""Whether nginx is known to serve the include file: the `<include>.unconfirmed` marker beside it.

`NginxUpstreamRouter` writes the marker (durably) before it touches the include file and removes it only
once a check and a reload of that file succeeded. While the marker exists, nobody can tell which weight
nginx serves: the file's (a reload may have gone through, and any nginx start reads it) or an older one.
The name ends in `.unconfirmed`, so a `conf.d/*.conf` include never picks it up.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from canarykit.errors import RoutingError
from canarykit.traffic.preview_file import describe_preview
from canarykit.traffic.upstream_file import HIGHEST_MAX_WEIGHT, read_or_none, remove, write_atomically

MARKER_SUFFIX = ".unconfirmed"


@dataclass(frozen=True)
class UpstreamState:
    """The include file's weight and whether nginx was confirmed to serve it (`NginxUpstreamRouter.state()`).

    `desired_weight`: the canary weight in the include file, what any nginx start or reload will serve.
    `confirmed`: True when the last check + reload of that file succeeded (or `write()` wrote it before
    nginx started); False while a write awaits a reload, or after a failed or interrupted one.
    `last_confirmed_weight`: the weight nginx was last confirmed to serve (None if never, or unknown).
    `written_at`: unix time the unconfirmed write began (None when confirmed, or unknown).
    `preview`: with a `preview_upstream`, whether the file's preview is the canary (True) or stable (False);
    None without one, or when the file has no parsable preview block.
    """

    desired_weight: int
    confirmed: bool
    last_confirmed_weight: int | None
    written_at: float | None
    preview: bool | None = None

    def describe(self) -> str:
        """e.g. `weight 0, unconfirmed (last confirmed 30)`, `weight 25, confirmed, preview on canary`."""
        preview = "" if self.preview is None else f", {describe_preview(self.preview)}"
        if self.confirmed:
            return f"weight {self.desired_weight}, confirmed{preview}"
        last = "unknown" if self.last_confirmed_weight is None else str(self.last_confirmed_weight)
        return f"weight {self.desired_weight}, unconfirmed (last confirmed {last}){preview}"


class WeightUnconfirmed(RoutingError):
    """nginx may not serve the include file's weight; `state` says what is on disk and what was confirmed."""

    def __init__(self, message: str, state: UpstreamState) -> None:
        self.state = state
        super().__init__(message)


@dataclass(frozen=True)
class PendingWrite:
    """The marker's content: the weight being written, the one confirmed before it, and when."""

    weight: int | None
    last_confirmed: int | None
    written_at: float | None


@dataclass(frozen=True)
class WeightMove:
    """One write of the include file: the weight it holds, what was on disk before, the marker written for it.

    `label` names the move in errors (`weight 40`, `preview on canary`); `undo_on_failure` (a preview move)
    puts the previous file back on any failure, whatever the weights.
    """

    weight: int
    previous: str | None  # the include file's text, None if there was none
    previous_weight: int | None  # its canary weight, None if missing or not parsable
    prior: PendingWrite | None  # the marker before, None if the file was confirmed
    pending: PendingWrite  # the marker written for this move
    label: str = ""
    undo_on_failure: bool = False

    @property
    def name(self) -> str:
        """What the move set, for messages: its label, or `weight <weight>`."""
        return self.label or f"weight {self.weight}"

    @property
    def keeps_new_file(self) -> bool:
        """On a failure, keep the new file when it is the one nearer stable (min of old and new)."""
        if self.undo_on_failure:
            return False
        return self.weight == 0 or (self.previous_weight is not None and self.weight <= self.previous_weight)


class PendingMarker:
    """The marker file beside `include_path`; its presence means "not confirmed by a reload"."""

    def __init__(self, include_path: Path) -> None:
        self.path = include_path.with_name(include_path.name + MARKER_SUFFIX)

    def read(self) -> PendingWrite | None:
        """The pending write, None without a marker; an unreadable marker is a write of unknown weight."""
        text = read_or_none(self.path)
        if text is None:
            return None
        try:
            data = json.loads(text)
            return PendingWrite(
                _weight_or_none(data["weight"]), _weight_or_none(data["last_confirmed"]), _time(data["at"])
            )
        except (ValueError, TypeError, KeyError):
            return PendingWrite(None, None, None)  # torn or foreign: still not confirmed

    def write(self, pending: PendingWrite) -> None:
        """Write the marker durably (fsynced, directory too) before the include file changes."""
        data = {"weight": pending.weight, "last_confirmed": pending.last_confirmed, "at": pending.written_at}
        write_atomically(self.path, json.dumps(data) + "\n")

    def put_back(self, prior: PendingWrite | None) -> None:
        """Return the marker to `prior` (None: no marker), as it was before a write that changed nothing."""
        if prior is None:
            self.clear()
        else:
            self.write(prior)

    def clear(self) -> None:
        """Remove the marker: the include file is what nginx serves."""
        remove(self.path)


def unconfirmed_message(state: UpstreamState, path: Path) -> str:
    """Why `get_weight` refuses to answer while `state` is unconfirmed."""
    when = "at an unknown time" if state.written_at is None else f"at {format_time(state.written_at)}"
    last = "unknown" if state.last_confirmed_weight is None else str(state.last_confirmed_weight)
    return (
        f"cannot tell what nginx serves: weight {state.desired_weight} written to {path} {when}, "
        f"not confirmed by a reload (last confirmed weight: {last}); a successful set_weight confirms it"
    )


def format_time(unix: float) -> str:
    """`unix` as an ISO 8601 UTC time to the second."""
    return datetime.fromtimestamp(unix, timezone.utc).isoformat(timespec="seconds")


def _weight_or_none(value: object) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= HIGHEST_MAX_WEIGHT:
        raise ValueError(f"not a weight: {value!r}")
    return value


def _time(value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value < 1e11:
        raise ValueError(f"not a unix time: {value!r}")
    return float(value)
