"""prometheus_client is optional (`canarykit[metrics]`): checked when metrics are asked for, not at import."""

from __future__ import annotations

from importlib import import_module

from canarykit.errors import MissingDependency

EXTRA = "metrics"


def require_prometheus_client(feature: str) -> None:
    """Raise `MissingDependency` naming `canarykit[metrics]` when prometheus_client cannot be imported."""
    try:
        import_module("prometheus_client")
    except ImportError as missing:
        raise MissingDependency(
            f"{feature} needs prometheus_client: pip install 'canarykit[{EXTRA}]'"
        ) from missing
