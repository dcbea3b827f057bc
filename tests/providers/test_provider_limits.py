"""Resource bounds of the HTTP providers against a real local server: body and sample caps, deadlines."""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable
from typing import Any

import pytest
from scripted_http import ScriptedHandler, ScriptedServer, answering, gzipped, vector_answer

from canarykit.analysis import Metric, Phase
from canarykit.analysis.take import take_measurement
from canarykit.errors import ProviderError, SpecError
from canarykit.providers import PrometheusProvider, WebProvider
from canarykit.providers._http import Deadline
from canarykit.providers.limits import DEFAULT_MAX_RESPONSE_BYTES, DEFAULT_MAX_SAMPLES, parse_json
from canarykit.testing import FakeClock

BIG_SAMPLES = 1_200_000  # the answer: 51,600,062 bytes of valid JSON
MiB = 1024 * 1024


@pytest.fixture(scope="module")
def big_answer() -> bytes:
    return vector_answer(BIG_SAMPLES)


def serve(respond: Callable[[ScriptedHandler], None]) -> ScriptedServer:
    return ScriptedServer(respond)


def test_defaults_are_10_mib_and_10000_samples() -> None:
    provider = PrometheusProvider("http://127.0.0.1:9")
    assert (provider.max_response_bytes, provider.max_samples) == (10 * MiB, 10_000)
    assert (provider.max_response_bytes, provider.max_samples) == (
        DEFAULT_MAX_RESPONSE_BYTES,
        DEFAULT_MAX_SAMPLES,
    )
    assert WebProvider("http://127.0.0.1:9").max_response_bytes == 10 * MiB


@pytest.mark.parametrize("bad", [0, -1, 1.5, True, "10"])
def test_caps_must_be_whole_numbers_of_at_least_1(bad: Any) -> None:
    with pytest.raises(SpecError, match="max_response_bytes must be a whole number >= 1"):
        PrometheusProvider("http://127.0.0.1:9", max_response_bytes=bad)
    with pytest.raises(SpecError, match="max_samples must be a whole number >= 1"):
        PrometheusProvider("http://127.0.0.1:9", max_samples=bad)
    with pytest.raises(SpecError, match="max_response_bytes must be a whole number >= 1"):
        WebProvider("http://127.0.0.1:9", max_response_bytes=bad)


def test_a_50_mb_answer_is_a_clear_error_measurement(big_answer: bytes) -> None:
    with serve(answering(big_answer)) as server:
        metric = Metric("rate", PrometheusProvider(server.url, timeout=3), query="q")
        measurement = take_measurement(metric, FakeClock())
    assert measurement.phase is Phase.ERROR
    assert measurement.message == (
        f"the response from {server.url}/api/v1/query is larger than 10485760 bytes (max_response_bytes) "
        "(Content-Length: 51600062)"
    )


def test_a_body_without_length_stops_being_read_at_the_cap(big_answer: bytes) -> None:
    with serve(lambda handler: handler.stream(big_answer)) as server:
        provider = PrometheusProvider(server.url, max_response_bytes=MiB)
        with pytest.raises(ProviderError, match=r"is larger than 1048576 bytes \(max_response_bytes\)$"):
            provider.measure("q", 0)
        assert server.answered.wait(timeout=30)
    assert server.client_left
    assert server.sent < len(big_answer)  # the client hung up: the rest was never read


def test_a_compressed_answer_is_capped_on_its_decoded_size() -> None:
    bomb = gzipped(b" " * (64 * MiB))  # 64 KiB on the wire

    def respond(handler: ScriptedHandler) -> None:
        handler.head(
            200, Content_Type="application/json", Content_Encoding="gzip", Content_Length=str(len(bomb))
        )
        handler.wfile.write(bomb)

    with serve(respond) as server:
        with pytest.raises(ProviderError, match=r"larger than 10485760 bytes \(max_response_bytes\)$"):
            PrometheusProvider(server.url).measure("q", 0)
        with pytest.raises(ProviderError, match=r"larger than 100000 bytes \(max_response_bytes\)$"):
            WebProvider(server.url, max_response_bytes=100_000).measure(None, 0)


def test_max_response_bytes_is_configurable() -> None:
    body = vector_answer(100)
    with serve(answering(body)) as server:
        with pytest.raises(ProviderError, match=f"larger than {len(body) - 1} bytes"):
            PrometheusProvider(server.url, max_response_bytes=len(body) - 1).measure("q", 0)
        assert (
            PrometheusProvider(server.url, max_response_bytes=len(body)).measure("q", 0).value == [0.5] * 100
        )
        with pytest.raises(ProviderError, match=f"larger than {len(body) - 1} bytes"):
            WebProvider(server.url, max_response_bytes=len(body) - 1).measure(None, 0)
        web = WebProvider(server.url, max_response_bytes=len(body), json_path="{$.status}")
        assert web.measure(None, 0).value == "success"


@pytest.mark.parametrize(
    ("result_type", "result"),
    [
        ("vector", [{"metric": {"i": str(i)}, "value": [1, "1"]} for i in range(11)]),
        ("matrix", [{"metric": {"i": str(i)}, "values": []} for i in range(11)]),
        ("matrix", [{"metric": {}, "values": [[t, "1"] for t in range(11)]}]),
    ],
)
def test_a_result_over_max_samples_is_an_error(result_type: str, result: list[Any]) -> None:
    answer = {"status": "success", "data": {"resultType": result_type, "result": result}}
    body = json.dumps(answer).encode()
    with serve(answering(body)) as server:
        with pytest.raises(ProviderError) as caught:
            PrometheusProvider(server.url, max_samples=10).measure("q", 0)
        assert str(caught.value) == (
            f"the answer from {server.url}/api/v1/query holds more than 10 samples or series (max_samples); "
            "narrow the query or raise max_samples"
        )
        assert len(PrometheusProvider(server.url, max_samples=11).measure("q", 0).value) in (0, 11)


def test_the_deadline_covers_parsing_a_50_mb_answer(big_answer: bytes) -> None:
    with serve(answering(big_answer)) as server:
        provider = PrometheusProvider(
            server.url, timeout=0.3, max_response_bytes=64 * MiB, max_samples=2 * MiB
        )
        with pytest.raises(ProviderError, match=r'^(Post "[^"]+": )?context deadline exceeded$'):
            provider.measure("q", 0)  # before: read within 0.3 s, then parsed for seconds and returned


class JumpingTime:
    """Monotonic time that stands still for `reads` reads, then jumps past every deadline."""

    def __init__(self, reads: int) -> None:
        self.reads = 0
        self.still = reads

    def __call__(self) -> float:
        self.reads += 1
        return 0.0 if self.reads <= self.still else 1e9


def test_parsing_stops_at_the_first_look_past_the_deadline() -> None:
    time = JumpingTime(reads=3)  # the deadline's start and the first two looks while parsing
    deadline = Deadline(5.0, now=time)
    with pytest.raises(ProviderError, match=r"^timeout: the answer from here was not parsed within 5 s$"):
        parse_json(vector_answer(100_000), deadline, "here")
    assert time.reads == 4  # 1,024 objects between looks: it stopped after about 4,000 of 200,000


def test_a_deadline_gone_after_reading_is_a_timeout_even_for_a_small_answer() -> None:
    deadline = Deadline(5.0, now=iter(itertools.chain([0.0], itertools.repeat(6.0))).__next__)
    with pytest.raises(ProviderError, match="was not parsed within 5 s"):
        parse_json(b'{"status": "success"}', deadline, "here")


BODY_TIMEOUT = {
    PrometheusProvider: "context deadline exceeded",
    WebProvider: "Received no bytes in response: context deadline exceeded "
    "(Client.Timeout or context cancellation while reading body)",
}
HEADERS_TIMEOUT = {
    PrometheusProvider: 'Post "{url}/api/v1/query": context deadline exceeded',
    WebProvider: 'Get "{url}": context deadline exceeded (Client.Timeout exceeded while awaiting headers)',
}


@pytest.mark.parametrize("make", [PrometheusProvider, WebProvider])
@pytest.mark.parametrize(
    ("drip", "messages"),
    [
        (lambda handler: handler.drip(seconds_per_byte=1.0), BODY_TIMEOUT),
        (lambda handler: handler.drip_headers(seconds_per_byte=0.1), HEADERS_TIMEOUT),  # no read times out
    ],
    ids=["body-1-byte-per-second", "headers-byte-by-byte"],
)
def test_an_answer_dripping_a_byte_at_a_time_is_cut_at_the_deadline(
    make: type[Any], drip: Callable[[Any], None], messages: dict[type[Any], str]
) -> None:
    with serve(drip) as server, pytest.raises(ProviderError) as caught:
        make(server.url, timeout=0.5).measure("q", 0)
    assert str(caught.value) == messages[make].format(url=server.url)  # the Go client's words


@pytest.mark.parametrize("make", [PrometheusProvider, WebProvider])
def test_a_server_that_reads_the_request_and_never_answers_times_out(make: type[Any]) -> None:
    with serve(lambda handler: handler.hang()) as server:
        with pytest.raises(ProviderError) as caught:
            make(server.url, timeout=0.4).measure("q", 0)
        assert server.requests  # it was reached
    assert str(caught.value) == HEADERS_TIMEOUT[make].format(url=server.url)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (bytes(range(256)) * 10, "invalid character '\\x00' looking for beginning of value"),
        (
            b'{"status": "success", "data": {"resultType": "vector", "result": [',
            "unexpected end of JSON input",
        ),
        (b"[" * 100_000, "invalid character '[' exceeded max depth"),
        (b"[" * 5_000 + b"]" * 5_000, "json: cannot unmarshal array into Go value of type v1.apiResponse"),
    ],
    ids=["binary", "truncated", "deeply-nested", "nested-deeper-than-python-parses"],
)
def test_garbage_from_a_real_server_is_a_bad_response(body: bytes, message: str) -> None:
    with serve(answering(body)) as server, pytest.raises(ProviderError) as caught:
        PrometheusProvider(server.url).measure("q", 0)
    assert str(caught.value) == f"bad_response: {message}"


@pytest.mark.parametrize(
    "body", [b"[" * 100_000 + b"]" * 100_000, b'{"a": 1e999}'], ids=["deep", "huge-number"]
)
def test_json_go_cannot_decode_is_a_text_result_of_the_web_provider(body: bytes) -> None:
    with serve(answering(body)) as server:
        observation = WebProvider(server.url).measure(None, 0)
    assert observation.value == body.decode()  # Go's json.Unmarshal refuses both; Argo keeps the body as text


def test_an_error_status_is_named_without_reading_its_body(big_answer: bytes) -> None:
    with serve(answering(big_answer, status=503)) as server, pytest.raises(ProviderError) as caught:
        PrometheusProvider(server.url).measure("q", 0)  # no "larger than 10485760 bytes" here
    assert str(caught.value) == "server_error: server error: 503"
