"""Workloads: run the canary version next to stable, scale it, promote it, remove it."""

from canarykit.workload.base import Workload

__all__ = ["Workload"]
