"""A subscription: an apprise URL and the triggers it hears; checked at once, never echoing its secrets."""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlsplit

from canarykit.errors import MissingDependency, SpecError
from canarykit.notify.triggers import check_triggers

QUIET_LOGGERS = (
    "apprise",
    "urllib3.connection",
    "urllib3.connectionpool",
    "urllib3.poolmanager",
    "urllib3.response",
    "urllib3.util.retry",
)
"""Loggers whose records (even DEBUG) may quote a URL's path, user or query: its tokens."""


def load_apprise() -> Any:
    """The `apprise` module, or `MissingDependency` naming the extra that brings it."""
    try:
        import apprise
    except ImportError as missing:
        raise MissingDependency("notifications need apprise: pip install 'canarykit[notify]'") from missing
    return apprise


def schema_of(url: str) -> str:
    """The part of an apprise URL before `://` (`slack`, `json`): safe to log, unlike the rest."""
    head, separator, _ = url.partition("://")
    return head.lower() if separator and head.isascii() and head.replace("+", "").isalnum() else "?"


@dataclass(frozen=True)
class Subscription:
    """Send the notifications of `triggers` to the apprise `url` (`slack://...`, `workflows://...`,
    `json://host/path`...). `name` labels it in logs (a service name); the URL's schema otherwise."""

    url: str = field(repr=False)
    triggers: Sequence[str]
    name: str = ""

    def __post_init__(self) -> None:
        label = self.label
        object.__setattr__(self, "triggers", check_triggers(self.triggers, f"subscription {label}: triggers"))

    @property
    def label(self) -> str:
        return self.name or schema_of(self.url)

    def __repr__(self) -> str:
        return f"Subscription({self.label!r}, triggers={list(self.triggers)!r})"

    def service(self, timeout: float) -> Any:
        """apprise's service object for the URL, with `timeout` (seconds) on connect and read unless the URL
        sets `cto`/`rto`; `SpecError` (naming only the schema) when apprise cannot use the URL."""
        apprise = load_apprise()
        with quiet_apprise():
            service = apprise.Apprise.instantiate(self.url, suppress_exceptions=True)
        if service is None:
            schema = schema_of(self.url)
            what = f"the {schema}:// URL" if schema != "?" else "a URL with no schema (slack://, json://...)"
            of = f" of service {self.name!r}" if self.name else ""
            raise SpecError(
                f"apprise cannot use {what}{of} "
                "(unknown service, or a token missing; see https://github.com/caronc/apprise/wiki)",
                "url",
            )
        query = parse_qs(urlsplit(self.url).query) if "?" in self.url else {}
        if "cto" not in query:
            service.socket_connect_timeout = timeout
        if "rto" not in query:
            service.socket_read_timeout = timeout
        return service


class _OtherThreads(logging.Filter):
    """Passes records of every thread but the one that made it."""

    def __init__(self) -> None:
        super().__init__()
        self.thread = threading.get_ident()

    def filter(self, record: logging.LogRecord) -> bool:
        return record.thread != self.thread


@contextlib.contextmanager
def quiet_apprise() -> Iterator[None]:
    """Keep apprise's and urllib3's records from this thread out of the log: they may quote a URL's
    tokens (canarykit logs what failed, by schema only)."""
    quiet = _OtherThreads()
    loggers = [logging.getLogger(name) for name in QUIET_LOGGERS]
    for logger in loggers:
        logger.addFilter(quiet)
    try:
        yield
    finally:
        for logger in loggers:
            logger.removeFilter(quiet)
