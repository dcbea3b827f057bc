"""Traffic routers: move a share of requests to the canary, and say where it stands."""

from canarykit.traffic.base import HeaderRouter, PreviewRouter, TrafficRouter
from canarykit.traffic.nginx_upstream import NginxUpstreamRouter

__all__ = ["HeaderRouter", "NginxUpstreamRouter", "PreviewRouter", "TrafficRouter"]
