"""A real Prometheus for tests: backfill deterministic counters with promtool, then serve them on 127.0.0.1.

    text = openmetrics_text([Counter("requests", {"status": "200"}, start, end, rate=19)])
    with PrometheusServer([text]) as server:
        PrometheusProvider(server.url).measure("sum(rate(requests[60s]))", start + 900)

Prometheus is started once the blocks exist (blocks added later appear only after about a minute), keeps
backfilled data for 100 years, and gets a fresh temporary directory that is removed on exit.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterable, Sequence
from pathlib import Path
from types import TracebackType

from canarykit.errors import CanaryError
from canarykit.system import find_program, free_port, wait_until_ready
from canarykit.testing.openmetrics import Counter, openmetrics_text, write_openmetrics

__all__ = ["Counter", "PrometheusServer", "PrometheusStartError", "openmetrics_text", "write_openmetrics"]

_LOG_TAIL_LINES = 20
_POLL_SECONDS = 0.05


class PrometheusStartError(CanaryError):
    """Prometheus or promtool is missing, rejected its input, or never became ready."""


class PrometheusServer:
    """Context manager running `prometheus` on 127.0.0.1 with the given OpenMetrics data backfilled.

    `openmetrics_files_or_texts` items are files (`Path`) or OpenMetrics text (`str`, ending with `# EOF`).
    `scrape_targets` ("host:port") are scraped live every `scrape_interval`. `url` is set once it is ready.
    """

    def __init__(
        self,
        openmetrics_files_or_texts: Iterable[Path | str] = (),
        port: int | None = None,
        binary: str = "prometheus",
        promtool: str = "promtool",
        scrape_targets: Sequence[str] = (),
        scrape_interval: str = "15s",
        ready_timeout: float = 20.0,
    ) -> None:
        self.openmetrics = list(openmetrics_files_or_texts)
        self.port = port
        self.binary = binary
        self.promtool = promtool
        self.scrape_targets = list(scrape_targets)
        self.scrape_interval = scrape_interval
        self.ready_timeout = ready_timeout
        self.url = ""
        self.startup_seconds = 0.0
        self._workdir: Path | None = None
        self._process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> PrometheusServer:
        self.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.stop()

    @property
    def log_path(self) -> Path:
        return self._dir() / "prometheus.log"

    def start(self) -> None:
        """Backfill, start and wait until `/-/ready` answers; cleans up and raises `PrometheusStartError`."""
        self._workdir = Path(tempfile.mkdtemp(prefix="canarykit-prometheus-"))
        try:
            binary, promtool = _which(self.binary), _which(self.promtool)
            for index, item in enumerate(self.openmetrics):
                self._backfill(promtool, item, index)
            self._write_config()
            self._launch(binary)
        except BaseException:
            self.stop()
            raise

    def stop(self) -> None:
        """Terminate Prometheus, wait for it, and remove the temporary directory."""
        process, self._process = self._process, None
        if process is not None and process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        if self._workdir is not None:
            shutil.rmtree(self._workdir, ignore_errors=True)
            self._workdir = None
        self.url = ""

    def log_tail(self, lines: int = _LOG_TAIL_LINES) -> str:
        """The last `lines` lines Prometheus logged."""
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])

    def _dir(self) -> Path:
        if self._workdir is None:
            raise RuntimeError("the Prometheus server is not started")
        return self._workdir

    def _backfill(self, promtool: str, item: Path | str, index: int) -> None:
        source = item if isinstance(item, Path) else self._dir() / f"input-{index}.om"
        if isinstance(item, str):
            source.write_text(item)
        tsdb = self._dir() / "tsdb"
        command = [promtool, "tsdb", "create-blocks-from", "openmetrics", str(source), str(tsdb)]
        done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
        if done.returncode != 0:
            output = (done.stdout + done.stderr).strip()
            raise PrometheusStartError(f"promtool rejected {source} (rc={done.returncode}): {output}")

    def _write_config(self) -> None:
        config: dict[str, object] = {"global": {"scrape_interval": self.scrape_interval}}
        if self.scrape_targets:
            job = {"job_name": "canarykit", "static_configs": [{"targets": self.scrape_targets}]}
            config["scrape_configs"] = [job]
        (self._dir() / "prometheus.yml").write_text(json.dumps(config, indent=2))  # JSON is valid YAML

    def _launch(self, binary: str, attempts: int = 3) -> None:
        for attempt in range(attempts):
            port = self.port or free_port()
            started = time.monotonic()
            self._process = self._spawn(binary, port)
            if self._wait_ready(self._process, f"http://127.0.0.1:{port}"):
                self.startup_seconds = time.monotonic() - started
                self.url = f"http://127.0.0.1:{port}"
                return
            self._process.wait()
            if self.port or "address already in use" not in self.log_tail() or attempt + 1 == attempts:
                break
        raise PrometheusStartError(f"prometheus exited before it was ready; log tail:\n{self.log_tail()}")

    def _spawn(self, binary: str, port: int) -> subprocess.Popen[bytes]:
        command = [
            binary,
            f"--config.file={self._dir() / 'prometheus.yml'}",
            f"--storage.tsdb.path={self._dir() / 'tsdb'}",
            "--storage.tsdb.retention.time=100y",
            f"--web.listen-address=127.0.0.1:{port}",
        ]
        with self.log_path.open("ab") as log:
            return subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)

    def _wait_ready(self, process: subprocess.Popen[bytes], url: str) -> bool:
        """True once `/-/ready` answers 200; False if the process exits; raises after `ready_timeout`."""
        ready = wait_until_ready(
            process, lambda: _answers(url + "/-/ready"), self.ready_timeout, _POLL_SECONDS
        )
        if ready is not None:
            return ready
        raise PrometheusStartError(
            f"prometheus was not ready after {self.ready_timeout:g} s; log tail:\n{self.log_tail()}"
        )


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=1.0) as response:
            return bool(response.status == 200)
    except (urllib.error.URLError, OSError):
        return False


def _which(binary: str) -> str:
    found = find_program(binary)
    if found is None:
        raise PrometheusStartError(
            f"{binary!r} not found on PATH; install Prometheus (Debian: apt-get install "
            "--no-install-recommends prometheus) or pass the binary's path"
        )
    return found
