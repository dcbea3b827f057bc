"""Text for rollouts as `kubectl argo rollouts get` shows them."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

ICONS = {"Healthy": "✔", "Progressing": "◌", "Paused": "॥", "Degraded": "✖"}
PHASE_ICONS = (("Successful", "✔"), ("Failed", "✖"), ("Inconclusive", "?"), ("Error", "⚠"))


def status_line(phase: str, message: str) -> str:
    """`Healthy`, `Degraded`, or `<Status> - <Message>`, as `kubectl argo rollouts status --watch=false`."""
    return phase if phase in ("Healthy", "Degraded") or not message else f"{phase} - {message}"


def render_rollout(
    record: Mapping[str, Any], namespace: str, images: Mapping[str, list[str]], where: str = "Namespace"
) -> str:
    """The `get` view; `where` names what `namespace` is ("State" for a state directory)."""
    phase = str(record.get("phase", ""))
    lines = [
        _field("Name", record.get("name", "")),
        _field(where, namespace),
        _field("Status", f"{ICONS.get(phase, '')} {phase}".strip()),
    ]
    if record.get("message"):
        lines.append(_field("Message", record["message"]))
    blue_green = record.get("strategy") == "BlueGreen"
    lines.append(_field("Strategy", "BlueGreen" if blue_green else "Canary"))
    if not blue_green:  # Argo's get shows steps and weights for a canary only
        count = record.get("step_count", 0)
        lines += [
            _field("  Step", f"{min(record.get('step_index', 0), count)}/{count}"),
            _field("  SetWeight", record.get("set_weight", 0)),
            _field("  ActualWeight", record.get("weight", 0)),
        ]
    lines.append(_field("Version", record.get("version", "")))
    lines += _images(images, _roles(record) if blue_green else {})
    lines += _analyses(record.get("analysis_counts") or {})
    return "\n".join(lines)


def _field(name: str, value: Any) -> str:
    return f"{name + ':':<17}{value}"


def _roles(record: Mapping[str, Any]) -> dict[str, str]:
    """Blue-green's names for stable and canary: which one the active and the preview serve."""
    active_on_new = bool(record.get("weight", 0))
    preview_on_new = bool(record.get("preview_version"))
    return {
        "stable": "stable" + ("" if active_on_new else ", active") + ("" if preview_on_new else ", preview"),
        "canary": ", ".join(["preview"] * preview_on_new + ["active"] * active_on_new) or "new",
    }


def _images(images: Mapping[str, list[str]], roles: Mapping[str, str]) -> list[str]:
    rows = [
        f"{image} ({roles.get(role, role)})"
        for role in ("stable", "canary")
        for image in images.get(role, [])
    ]
    if not rows:
        return [_field("Images", "-")]
    return [_field("Images" if i == 0 else "", row) for i, row in enumerate(rows)]


def _analyses(counts: Mapping[str, Mapping[str, int]]) -> list[str]:
    rows = []
    for name, by_phase in counts.items():
        tally = " ".join(f"{icon} {by_phase.get(phase, 0)}" for phase, icon in PHASE_ICONS)
        rows.append(f"{name}  {tally}")
    return [_field("Analysis" if i == 0 else "", row) for i, row in enumerate(rows)] or [
        _field("Analysis", "-")
    ]
