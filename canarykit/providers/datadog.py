"""Argo's Datadog metric provider: the v1 query API or the v2 scalar API with queries and a formula."""

from __future__ import annotations

import logging
import math
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode

import requests

from canarykit.durations import Duration, parse_duration
from canarykit.errors import ProviderError
from canarykit.providers import _http, datadog_v1, datadog_v2
from canarykit.providers.base import Observation
from canarykit.providers.datadog_answer import body_of
from canarykit.providers.datadog_checks import (
    AGGREGATORS,
    API_VERSIONS,
    DatadogCredentials,
    check_choice,
    check_queries,
    given_credentials,
    resolve_address,
)
from canarykit.providers.datadog_gojson import Tick
from canarykit.providers.go_text import go_quote
from canarykit.providers.limits import DEFAULT_MAX_RESPONSE_BYTES, MESSAGE_CHARS, check_deadline, check_limit
from canarykit.providers.redaction import Redactor
from canarykit.providers.watchdog import deadline_session

__all__ = ["DatadogCredentials", "DatadogProvider"]

log = logging.getLogger("canarykit.providers")
DEFAULT_INTERVAL = "5m"
DEFAULT_TIMEOUT = 10.0
AWAITING_HEADERS = " (Client.Timeout exceeded while awaiting headers)"
READING_BODY = " (Client.Timeout or context cancellation while reading body)"


class DatadogProvider:
    """Measures a Datadog query over the `interval` (a window, not the polling rate) before each measurement.

    v1 (Argo's default) sends `query` to `/api/v1/query` and takes the last point of the first series; v2
    sends `query`, or `queries` combined by `formula`, to `/api/v2/query/scalar` with `aggregator` (`last`
    by default). Keys come from `api_key`/`app_key`, else `DD_API_KEY`/`DD_APP_KEY`; the address from
    `address`, `site`, `DD_ADDRESS` or `DD_SITE`. Keys never appear in a repr, a message or a log.
    `measure` ignores its query: the provider carries its own.
    """

    def __init__(
        self,
        query: str | None = None,
        *,
        queries: Mapping[str, str] | None = None,
        formula: str | None = None,
        api_version: str = "v1",
        aggregator: str | None = None,
        interval: Duration = DEFAULT_INTERVAL,
        api_key: str | None = None,
        app_key: str | None = None,
        address: str | None = None,
        site: str | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        verify: bool = True,
        session: requests.Session | None = None,
        max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
        environ: Mapping[str, str] | None = None,
    ) -> None:
        self.api_version = check_choice(api_version, API_VERSIONS, "api_version")
        self.aggregator = check_choice(aggregator, AGGREGATORS, "aggregator") if aggregator else ""
        self.query, self.queries, self.formula = query or "", dict(queries or {}), formula or ""
        check_queries(self.query, self.queries, self.formula, self.api_version, self.aggregator)
        self.interval = int(parse_duration(interval, "interval"))
        self.timeout = _http.check_timeout(timeout)
        self.verify = verify
        self.max_response_bytes = check_limit(max_response_bytes, "max_response_bytes")
        credentials = given_credentials(api_key, app_key, environ)
        self.address = resolve_address(address, site, credentials.address, environ)
        self._headers = {
            "Content-Type": "application/json",
            "DD-API-KEY": credentials.api_key,
            "DD-APPLICATION-KEY": credentials.app_key,
        }
        self._redactor = Redactor((credentials.api_key, credentials.app_key))
        self._session = session if session is not None else deadline_session()
        if self.api_version == "v1":
            log.warning("Datadog will soon deprecate their API v1. Please consider switching to v2 soon.")

    def __repr__(self) -> str:
        what = (
            f"query={self.query!r}" if self.query else f"queries={self.queries!r}, formula={self.formula!r}"
        )
        return (
            f"DatadogProvider({what}, api_version={self.api_version!r}, interval={self.interval}, "
            f"address={_http.safe_url(self.address)!r}, timeout={self.timeout:g})"
        )

    def measure(self, query: str | None, at: float) -> Observation:
        """The metric over the `interval` seconds up to `at` (unix seconds), as Argo's provider reads it."""
        deadline = _http.Deadline(self.timeout)
        where = _http.safe_url(self.address)

        def tick() -> None:
            check_deadline(deadline, where, "parsed")

        try:
            ask = self._ask_v1 if self.api_version == "v1" else self._ask_v2
            observation = ask(math.floor(at), deadline, tick)
            check_deadline(deadline, where, "converted")
        except ProviderError as error:
            raise ProviderError(self._redactor.cut(str(error), MESSAGE_CHARS)) from None
        return observation

    def _ask_v1(self, now: int, deadline: _http.Deadline, tick: Tick) -> Observation:
        params = urlencode(datadog_v1.v1_params(self.query, now, self.interval))
        reply = self._send("GET", f"{datadog_v1.PATH}?{params}", deadline)
        return datadog_v1.v1_observation(body_of(reply), tick)

    def _ask_v2(self, now: int, deadline: _http.Deadline, tick: Tick) -> Observation:
        queries = {"query": self.query} if self.query else self.queries  # Argo names a lone query "query"
        aggregator = self.aggregator or datadog_v2.DEFAULT_AGGREGATOR
        body = datadog_v2.v2_body(queries, self.formula, aggregator, now, self.interval)
        reply = self._send("POST", datadog_v2.PATH, deadline, data=body)
        return datadog_v2.v2_observation(body_of(reply), tick)

    def redact(self, text: str) -> str:
        """`text` with the API and application keys replaced by `***`."""
        return self._redactor.redact(text)

    def _send(self, method: str, path: str, deadline: _http.Deadline, **payload: Any) -> _http.Reply:
        """The whole answer; transport faults worded as Go's HTTP client words them in Argo's messages."""
        url = self.address + path
        try:
            return _http.send(
                self._session, method, url, deadline, self._headers, self.verify,
                self.max_response_bytes, **payload,
            )  # fmt: skip
        except _http.TransportFault as fault:
            if fault.stage == "body":
                note = READING_BODY if fault.timed_out else ""
                raise ProviderError(f"Received no bytes in response: {fault.cause}{note}") from None
            note = AWAITING_HEADERS if fault.timed_out else ""
            where = go_quote(_http.go_url(url))
            raise ProviderError(f"{method.title()} {where}: {fault.cause}{note}") from None
