"""Traffic routers: move a share of requests to the canary, and say where it stands."""

from canarykit.traffic.base import HeaderRouter, TrafficRouter

__all__ = ["HeaderRouter", "TrafficRouter"]
