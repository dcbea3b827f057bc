"""Real traffic for the demo: `GET /color` at a steady rate, each answer recorded with its color."""

from __future__ import annotations

import http.client
import json
import threading
import time
from collections import Counter, deque
from dataclasses import dataclass
from types import TracebackType
from urllib.parse import urlsplit

from canarykit.errors import SpecError

TIMEOUT = 2.0


@dataclass(frozen=True)
class Answer:
    """One answer: the color in its body (None if none), its status (None: no answer at all), its duration."""

    color: str | None
    status: int | None
    seconds: float


def _color_of(body: bytes) -> str | None:
    try:
        value = json.loads(body)
    except ValueError:
        return None
    return value if isinstance(value, str) else None


class TrafficGenerator:
    """`rate` requests per second in total to `url` from `workers` threads, each on a new connection.

    An empty path means `/color`. Answers are kept: the last `history` in order, and totals per
    (color, status).
    """

    def __init__(self, url: str, rate: float = 40.0, workers: int = 4, history: int = 200) -> None:
        parts = urlsplit(url)
        if parts.scheme != "http" or not parts.hostname:
            raise SpecError(f"traffic needs an http:// URL, got {url!r}", "url")
        if not rate > 0 or workers < 1 or history < 1:
            raise SpecError("traffic needs rate > 0, workers >= 1 and history >= 1")
        self.url, self.rate, self.workers = url, float(rate), workers
        self._host, self._port = parts.hostname, parts.port or 80
        self._path = (parts.path or "/color") + (f"?{parts.query}" if parts.query else "")
        self._lock = threading.Lock()
        self._recent: deque[Answer] = deque(maxlen=history)
        self._totals: Counter[tuple[str | None, int | None]] = Counter()
        self._stopping = threading.Event()
        self._threads: list[threading.Thread] = []

    def start(self) -> TrafficGenerator:
        """Start the workers (no-op when already running)."""
        if not self._threads:
            self._stopping.clear()
            begin = time.monotonic()
            for index in range(self.workers):
                thread = threading.Thread(
                    target=self._work, args=(begin + index / self.rate,), name=f"traffic-{index}", daemon=True
                )
                self._threads.append(thread)
                thread.start()
        return self

    def stop(self) -> None:
        """Stop sending; waits for requests in flight (at most the timeout)."""
        self._stopping.set()
        for thread in self._threads:
            thread.join(timeout=TIMEOUT + 0.5)
        self._threads = []

    def __enter__(self) -> TrafficGenerator:
        return self.start()

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    def recent(self, n: int | None = None) -> list[Answer]:
        """The last `n` answers (all kept ones when None), oldest first."""
        with self._lock:
            answers = list(self._recent)
        if n is None:
            return answers
        return answers[-n:] if n > 0 else []

    def totals(self) -> dict[tuple[str | None, int | None], int]:
        """How many answers per (color, status) since the start."""
        with self._lock:
            return dict(self._totals)

    def _work(self, due: float) -> None:
        """Send one request per period from `due` on; when late by a period or more, start again from now."""
        period = self.workers / self.rate
        while not self._stopping.wait(max(0.0, due - time.monotonic())):
            self._record(self._send())
            due += period
            now = time.monotonic()
            if now - due >= period:
                due = now

    def _send(self) -> Answer:
        started = time.monotonic()
        connection = http.client.HTTPConnection(self._host, self._port, timeout=TIMEOUT)
        try:
            connection.request("GET", self._path, headers={"Connection": "close"})
            response = connection.getresponse()
            body = response.read()
        except (OSError, http.client.HTTPException):
            return Answer(None, None, time.monotonic() - started)
        finally:
            connection.close()
        return Answer(_color_of(body), response.status, time.monotonic() - started)

    def _record(self, answer: Answer) -> None:
        with self._lock:
            self._recent.append(answer)
            self._totals[(answer.color, answer.status)] += 1
