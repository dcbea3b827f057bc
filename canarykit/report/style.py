"""Colours and shapes of phases, shared by every chart and the page's legend."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

MEASUREMENT_STYLE: Mapping[str, tuple[str, str]] = {
    "Successful": ("#2e7d32", "circle"),
    "Failed": ("#c62828", "cross"),
    "Inconclusive": ("#ef6c00", "diamond"),
    "Error": ("#6a1b9a", "triangle-up"),
    "Running": ("#757575", "square"),
}
"""Colour and shape of a measurement's point, by its phase."""
ROLLOUT_BANDS: Mapping[str, str] = {
    "Progressing": "#bbdefb",
    "Paused": "#ffe0b2",
    "Degraded": "#ffcdd2",
    "Healthy": "#c8e6c9",
}
"""Background of the timeline while the rollout is in each phase."""
OTHER_COLOR, OTHER_SHAPE, OTHER_BAND = "#9e9e9e", "square", "#eeeeee"
WEIGHT_COLOR = "#0d47a1"
SIDE_COLORS: Mapping[str, str] = {"canary": "#d84315", "stable": "#1565c0"}
THRESHOLD_COLORS: Mapping[str, str] = {"success": "#2e7d32", "failure": "#c62828"}
E_VALUE_COLORS: Mapping[str, str] = {"fail e-value": "#c62828", "pass e-value": "#2e7d32"}
E_THRESHOLD_COLOR = "#424242"


def domain(known: Iterable[str], found: Iterable[str]) -> list[str]:
    """The known names that occur, in their order, then any others found (a record may hold anything)."""
    present = set(found)
    ordered = [name for name in known if name in present]
    return ordered + sorted(present - set(ordered))


def measurement_scales(phases: Iterable[str]) -> tuple[list[str], list[str], list[str]]:
    """Domain, colours and shapes for measurement phases."""
    names = domain(MEASUREMENT_STYLE, phases)
    styles = [MEASUREMENT_STYLE.get(name, (OTHER_COLOR, OTHER_SHAPE)) for name in names]
    return names, [color for color, _ in styles], [shape for _, shape in styles]


def band_scale(phases: Iterable[str]) -> tuple[list[str], list[str]]:
    """Domain and colours for the rollout's phase bands."""
    names = domain(ROLLOUT_BANDS, phases)
    return names, [ROLLOUT_BANDS.get(name, OTHER_BAND) for name in names]
