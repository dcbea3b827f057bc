"""A Datadog metric checked before it runs (Argo's `validateIncomingProps`), and where its keys come from."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field

from canarykit.errors import SpecError
from canarykit.providers._http import is_http_url, safe_url
from canarykit.providers.go_text import go_quote

API_VERSIONS = ("v1", "v2")
AGGREGATORS = ("avg", "min", "max", "sum", "last", "percentile", "mean", "l2norm", "area")
DEFAULT_ADDRESS = "https://api.datadoghq.com"
NO_CREDENTIALS = "failed to find the credentials for datadog metrics provider"
_V1_QUERY_ONLY = "API Version v1 only supports using the query parameter in your Analysis Template."
_REVIEW = "Please review the Analysis Template."


def check_queries(
    query: str, queries: Mapping[str, str], formula: str, api_version: str, aggregator: str
) -> None:
    """Argo's checks in its order and words: query or queries, v1 takes a query, formula needs queries."""
    if not query and not queries:
        raise SpecError(f"Must have either a query or queries. {_REVIEW}")
    if query and queries:
        raise SpecError(f"Cannot have both a query and queries. {_REVIEW}")
    if api_version == "v1" and not query:
        raise SpecError(f"Query is empty. {_V1_QUERY_ONLY}")
    if formula and not queries:
        raise SpecError(f"Formula are only valid when queries are set. {_REVIEW}")
    if not formula and len(queries) > 1:
        raise SpecError("When multiple queries are provided you must include a formula.")
    if api_version == "v1" and aggregator:
        raise SpecError(f"Aggregator is not supported in v1. {_REVIEW}")


def check_choice(value: str, allowed: tuple[str, ...], name: str) -> str:
    """`value` if it is one of `allowed`; the API server's enum message otherwise."""
    if value not in allowed:
        supported = ", ".join(f'"{item}"' for item in allowed)
        raise SpecError(f"Unsupported value: {go_quote(value)}: supported values: {supported}", name)
    return value


def check_address(address: str) -> str:
    """An http(s) URL with a host, without a trailing `/`; Go's `url.Parse` message for `://x`."""
    if address.startswith(":"):
        raise SpecError(f"parse {go_quote(address)}: missing protocol scheme")
    if not is_http_url(address):
        raise SpecError(f"datadog address must be an http(s) URL with a host, got {safe_url(address)!r}")
    return address.rstrip("/")


@dataclass(frozen=True)
class DatadogCredentials:
    """An API key and an application key (never shown), and the address found with them ("" if none)."""

    api_key: str = field(repr=False)
    app_key: str = field(repr=False)
    address: str = ""

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] | None = None) -> DatadogCredentials | None:
        """`DD_API_KEY` and `DD_APP_KEY` (both, or None), with `DD_ADDRESS` when set."""
        env = os.environ if environ is None else environ
        api_key, app_key = env.get("DD_API_KEY", ""), env.get("DD_APP_KEY", "")
        if not (api_key and app_key):
            return None
        return cls(api_key, app_key, env.get("DD_ADDRESS", ""))


def given_credentials(
    api_key: str | None, app_key: str | None, environ: Mapping[str, str] | None
) -> DatadogCredentials:
    """The keys given, else the environment's; `SpecError` when one key is given alone or none is found."""
    if (api_key is None) != (app_key is None):
        raise SpecError("give both api_key and app_key, or neither (to read DD_API_KEY and DD_APP_KEY)")
    if api_key is not None and app_key is not None:
        if not (api_key and app_key):
            raise SpecError("api_key and app_key must not be empty")
        return DatadogCredentials(api_key, app_key)
    found = DatadogCredentials.from_environment(environ)
    if found is None:
        raise SpecError(f"{NO_CREDENTIALS}: pass api_key and app_key, or set DD_API_KEY and DD_APP_KEY")
    return found


def resolve_address(
    address: str | None, site: str | None, found: str, environ: Mapping[str, str] | None
) -> str:
    """The API's base URL: `address`, `site`, the credentials' own, `DD_ADDRESS`, `DD_SITE`, else US1's."""
    env = os.environ if environ is None else environ
    if address is not None and site is not None:
        raise SpecError("give address or site, not both")
    if address is not None:
        return check_address(address)
    if site is not None:
        return check_address(site_address(site))
    for candidate in (found, env.get("DD_ADDRESS", "")):
        if candidate:
            return check_address(candidate)
    site = env.get("DD_SITE", "")
    return check_address(site_address(site) if site else DEFAULT_ADDRESS)


def site_address(site: str) -> str:
    """The API address of a Datadog site: `datadoghq.eu` -> `https://api.datadoghq.eu`."""
    if not site.strip() or "/" in site:
        raise SpecError(f"a Datadog site is a host name such as datadoghq.eu, got {site!r}")
    return f"https://api.{site.strip()}"
