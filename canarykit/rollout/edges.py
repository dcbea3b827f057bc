"""The router, workload and state store a `Rollout` is given, checked against their protocols up front."""

from __future__ import annotations

from typing import Any

from canarykit.errors import SpecError

_ROUTER = ("set_weight", "get_weight")
_WORKLOAD = ("start_canary", "scale_canary", "canary_ready", "promote", "stable_ready", "remove_canary")
_STORE = ("load", "save", "lock")


def check_edges(router: Any, workload: Any, store: Any) -> None:
    """`SpecError` naming what is missing, before anything runs (not an `AttributeError` mid-rollback)."""
    _check_methods(router, "router", _ROUTER)
    _check_methods(workload, "workload", _WORKLOAD)
    if not hasattr(type(workload), "replicas") and "replicas" not in getattr(workload, "__dict__", {}):
        raise SpecError(f"workload {type(workload).__name__} lacks replicas (the stable size)")
    if store is not None:
        _check_methods(store, "state store", _STORE)


def _check_methods(edge: Any, role: str, names: tuple[str, ...]) -> None:
    missing = [name for name in names if not callable(getattr(edge, name, None))]
    if missing:
        raise SpecError(
            f"{role} {type(edge).__name__} lacks {', '.join(missing)}: it must provide {', '.join(names)}"
        )
