"""Local stand-ins for the metric sources Argo's example templates query, so a corpus run never leaves
127.0.0.1: Prometheus, Datadog and web endpoints answering the value 1, an OAuth2 token endpoint, and
templates pointed at them.

Every Prometheus query gets one sample (a range query one series) of 1; Datadog's v1 and v2 APIs a point of
1; a web metric the JSON document holding 1 at its jsonPath (`{}` when the path is not a plain one).
"""

from __future__ import annotations

import copy
import json
import re
import time
from collections.abc import Iterator, Mapping
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlsplit, urlunsplit

from conformance_http import Reply, Request, oauth_token_server, serving

VALUE = 1.0
_JSON = {"Content-Type": "application/json"}
_STEP = re.compile(r"\.([A-Za-z_][\w-]*)|\[(\d+)\]")


@dataclass(frozen=True)
class Fakes:
    """The addresses of the local stand-ins."""

    prometheus: str
    datadog: str
    web: str
    oauth2: str


@contextmanager
def fakes() -> Iterator[Fakes]:
    """Prometheus, Datadog and web stand-ins on 127.0.0.1 for as long as the block runs."""
    with ExitStack() as stack:
        prometheus = stack.enter_context(serving(_prometheus))
        datadog = stack.enter_context(serving(_datadog))
        web = stack.enter_context(serving(_web))
        oauth2 = stack.enter_context(serving(oauth_token_server))
        yield Fakes(prometheus.url, datadog.url, web.url, oauth2.url + "/ok")


def _prometheus(request: Request) -> Reply:
    now = time.time()
    if request.path.endswith("/query_range"):
        data: dict[str, Any] = {"resultType": "matrix", "result": [{"metric": {}, "values": [[now, "1"]]}]}
    else:
        data = {"resultType": "vector", "result": [{"metric": {}, "value": [now, "1"]}]}
    return Reply(200, json.dumps({"status": "success", "data": data}).encode(), _JSON)


def _datadog(request: Request) -> Reply:
    if request.path.startswith("/api/v2/"):
        body: dict[str, Any] = {"data": {"attributes": {"columns": [{"values": [VALUE]}]}}}
    else:
        body = {"status": "ok", "series": [{"pointlist": [[time.time() * 1000, VALUE]]}]}
    return Reply(200, json.dumps(body).encode(), _JSON)


def _web(request: Request) -> Reply:
    path = request.params.get("jsonPath", ["{$}"])[0]
    return Reply(200, json.dumps(document_at(path)).encode(), _JSON)


def document_at(json_path: str) -> Any:
    """A JSON document whose value at `json_path` ({$.a.b[0].c}) is VALUE; `{}` for other paths."""
    inner = json_path.strip()
    if not (inner.startswith("{$") and inner.endswith("}")):
        return {}
    steps = list(_STEP.finditer(inner[2:-1]))
    if "".join(step.group(0) for step in steps) != inner[2:-1]:
        return {}
    value: Any = VALUE
    for step in reversed(steps):
        value = {step.group(1): value} if step.group(1) else [value] * (int(step.group(2)) + 1)
    return value


def pointed_at(template: Mapping[str, Any], where: Fakes) -> dict[str, Any]:
    """`template` with each web metric's url on the web stand-in (its path kept, its jsonPath passed along)
    and every OAuth2 token URL on the token stand-in.

    Prometheus metrics are pointed at the stand-in by `prometheus=` and Datadog ones by DD_ADDRESS.
    """
    moved = copy.deepcopy(dict(template))
    for metric in (moved.get("spec") or {}).get("metrics") or []:
        for kind, provider in ((metric or {}).get("provider") or {}).items():
            if not isinstance(provider, dict):
                continue
            if kind == "web" and isinstance(provider.get("url"), str):
                provider["url"] = _on(where.web, provider["url"], str(provider.get("jsonPath", "{$}")))
            oauth2 = (provider.get("authentication") or {}).get("oauth2")
            if isinstance(oauth2, dict) and "tokenUrl" in oauth2:
                oauth2["tokenUrl"] = where.oauth2
    return moved


def _on(base: str, url: str, json_path: str) -> str:
    """`url`'s path on the stand-in at `base`, with the jsonPath the stand-in should answer for."""
    parts = urlsplit(url)
    local = urlsplit(base)
    query = "jsonPath=" + quote(json_path, safe="")
    return urlunsplit((local.scheme, local.netloc, parts.path or "/", query, ""))
