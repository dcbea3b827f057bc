"""A 50 MB Prometheus answer (1.2 M samples) against PrometheusProvider: peak memory, time, log, record.

Run: python benchmarks/provider_memory.py [--baseline DIR]

A local HTTP server on 127.0.0.1 serves one valid instant-query answer of 51,600,062 bytes. Each case runs in
a fresh subprocess: an AnalysisRun takes one measurement through a PrometheusProvider, the subprocess reports
its peak RSS (VmHWM) over its RSS after its imports, the time the measurement took, the outcome, and
the bytes written to the log (canarykit's INFO lines) and to the JSON record. `--baseline DIR` also runs the
default case with the canarykit package found in DIR (say, `git archive HEAD | tar -x -C DIR`), for a before.

Issue #12's goal: the answer is refused (a clear Error measurement), memory stays bounded by the body cap,
the deadline covers parsing, and the log and the record hold bounded previews.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

SAMPLES = 1_200_000
REPO = Path(__file__).resolve().parent.parent
MiB = 1024 * 1024
RAISED = {"max_response_bytes": 64 * MiB, "max_samples": 2 * MiB}
CASES: list[tuple[str, str, dict[str, Any]]] = [
    ("defaults (10 MiB, 10,000 samples), timeout 3 s", "", {"timeout": 3}),
    ("defaults, answer chunked (no Content-Length)", "/chunked", {"timeout": 3}),
    ("caps raised to fit, timeout 3 s", "", {"timeout": 3, **RAISED}),
    ("caps raised to fit, timeout 300 s", "", {"timeout": 300, **RAISED}),
]

CHILD = """
import json, logging, sys, time
from canarykit.analysis import AnalysisRun, Metric
from canarykit.providers import PrometheusProvider
from canarykit.testing import FakeClock

class Counting(logging.Handler):
    written = 0
    def emit(self, record):
        Counting.written += len(self.format(record)) + 1

logging.getLogger("canarykit").addHandler(Counting())
logging.getLogger("canarykit").setLevel(logging.INFO)
url, options = sys.argv[1], json.loads(sys.argv[2])
def status_kib(field):
    for line in open("/proc/self/status"):
        if line.startswith(field + ":"):
            return int(line.split()[1])

before = status_kib("VmRSS")
provider = PrometheusProvider(url, **options)
metric = Metric("big", provider, query="up", count=1, consecutive_error_limit=0)
started = time.monotonic()
result = AnalysisRun([metric], clock=FakeClock()).run()
seconds = time.monotonic() - started
measurement = result.metrics[0].measurements[0]
record = result.to_json()
peak = status_kib("VmHWM")  # ru_maxrss would keep the parent's peak across fork and exec
print(json.dumps({"seconds": seconds, "peak_kib": peak, "growth_kib": peak - before, "phase":
    measurement.phase.value, "message": measurement.message[:160], "log_bytes": Counting.written,
    "record_bytes": len(record), "value_chars": len(measurement.value)}))
"""


def answer() -> bytes:
    """A valid vector answer of SAMPLES samples, 43 bytes each."""
    sample = b'{"metric":{},"value":[1700000000.1,"0.5"]}'
    head = b'{"status":"success","data":{"resultType":"vector","result":['
    return head + b",".join([sample] * SAMPLES) + b"]}}"


@contextmanager
def serving(body: bytes) -> Iterator[str]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length", "0")))
            chunked = self.path.startswith("/chunked")
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            if chunked:
                self.send_header("Transfer-Encoding", "chunked")
            else:
                self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            with contextlib.suppress(OSError):  # the provider stops reading at its cap
                self.wfile.write(_chunked(body) if chunked else body)

        def log_message(self, format: str, *args: Any) -> None:
            """Quiet."""

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def _chunked(body: bytes, size: int = 64 * 1024) -> bytes:
    pieces = (body[start : start + size] for start in range(0, len(body), size))
    return b"".join(b"%x\r\n%s\r\n" % (len(piece), piece) for piece in pieces) + b"0\r\n\r\n"


def measure(url: str, options: dict[str, Any], source: Path) -> dict[str, Any]:
    """One case in a fresh interpreter importing canarykit from `source`."""
    env = {**os.environ, "PYTHONPATH": str(source)}
    done = subprocess.run(
        [sys.executable, "-c", CHILD, url, json.dumps(options)],
        capture_output=True,
        text=True,
        env=env,
        cwd=source,
        timeout=900,
        check=False,
    )
    if done.returncode != 0:
        return {"failed": done.stderr.strip().splitlines()[-1:]}
    figures: dict[str, Any] = json.loads(done.stdout.splitlines()[-1])
    return figures


def report(name: str, figures: dict[str, Any]) -> None:
    print(f"\n{name}")
    if "failed" in figures:
        print(f"  failed: {figures['failed']}")
        return
    print(f"  {figures['phase']} in {figures['seconds']:.2f} s: {figures['message']}")
    print(
        f"  peak RSS {figures['peak_kib'] / 1024:.0f} MiB ({figures['growth_kib'] / 1024:.0f} MiB over the"
        f" RSS after imports); log {figures['log_bytes']:,} bytes; record {figures['record_bytes']:,} bytes;"
        f" value {figures['value_chars']:,} characters"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", type=Path, help="a directory holding another canarykit, for a before")
    options = parser.parse_args()
    body = answer()
    print(f"answer: {len(body):,} bytes, {SAMPLES:,} samples, served from 127.0.0.1")
    with serving(body) as url:
        if options.baseline is not None:
            report(
                f"BEFORE ({options.baseline}), timeout 3 s", measure(url, {"timeout": 3}, options.baseline)
            )
        for name, path, case in CASES:
            report(f"now: {name}", measure(url + path, case, REPO))


if __name__ == "__main__":
    main()
