"""Vega-Lite specs to static SVG with vl-convert: no JavaScript in the page, nothing fetched."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from typing import Any

from canarykit.errors import MissingDependency
from canarykit.report.charts import INSTALL

FONT = "DejaVu Sans, Verdana, Arial, sans-serif"
"""Measured by vl-convert with the first it finds; a viewer without it falls back to narrower fonts."""
CONFIG: dict[str, Any] = {"font": FONT, "legend": {"labelLimit": 220}}
_ID = re.compile(r'\bid="([^"]+)"')


def to_svg(spec: dict[str, Any], prefix: str) -> str:
    """The chart as an `<svg>` element; its ids start with `prefix` so several can share one page."""
    try:
        import vl_convert
    except ImportError as error:
        raise MissingDependency(f"reports need altair and vl-convert-python: {INSTALL}") from error
    svg: str = vl_convert.vegalite_to_svg(spec, config=CONFIG, allowed_base_urls=[])
    return _prefixed_ids(svg, prefix)


def _prefixed_ids(svg: str, prefix: str) -> str:
    """Each `id` and its references renamed `prefix-id` (two inline SVGs must not share a clip path id)."""
    for name in sorted(set(_ID.findall(svg)), key=len, reverse=True):
        new = f"{prefix}-{name}"
        svg = svg.replace(f'id="{name}"', f'id="{new}"').replace(f"#{name})", f"#{new})")
        svg = svg.replace(f'href="#{name}"', f'href="#{new}"')
    return svg


def chart_ids() -> Iterator[str]:
    """`chart1`, `chart2`, ...: a prefix for each chart of a page."""
    return (f"chart{number}" for number in itertools.count(1))
