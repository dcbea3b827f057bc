"""WebProvider against a real local HTTP server (happy paths) and canned answers (error paths); JSONPath."""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
import responses

from canarykit.errors import ProviderError, SpecError
from canarykit.providers import WebProvider
from canarykit.providers.jsonpath import JsonPath, NotFound
from canarykit.providers.web import go_json

DOCUMENT = {"data": {"rate": 0.95, "ok": True, "items": [{"v": 1}, {"v": 2}], "a b": "<spaced>"}, "count": 3}


class Handler(BaseHTTPRequestHandler):
    """`/metrics` serves DOCUMENT, `/text` plain text, `/echo` describes the request it got."""

    def do_GET(self) -> None:
        if self.path == "/text":
            self._reply(b"all good", "text/plain")
        else:
            self._reply(json.dumps(DOCUMENT).encode(), "application/json")

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length", "0"))).decode()
        echo = {
            "method": self.command,
            "body": body,
            "type": self.headers.get("Content-Type"),
            "x": self.headers["X-Key"],
        }
        self._reply(json.dumps(echo).encode(), "application/json")

    do_PUT = do_POST

    def _reply(self, body: bytes, content_type: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        """Keep test output quiet."""


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()
    thread.join(timeout=5)


def test_default_path_returns_the_whole_document(server: str) -> None:
    observation = WebProvider(server + "/metrics").measure(None, 0)
    assert observation.value == {**DOCUMENT, "count": 3.0}
    assert observation.text == (
        '{"count":3,"data":{"a b":"\\u003cspaced\\u003e","items":[{"v":1},{"v":2}],"ok":true,"rate":0.95}}'
    )


@pytest.mark.parametrize(
    ("path", "value", "text"),
    [
        ("{$.data.rate}", 0.95, "0.95"),
        ("{.data.ok}", True, "true"),
        ("{$.data.items[0].v}", 1.0, "1"),
        ("{$.data.items[-1]}", {"v": 2.0}, '{"v":2}'),
        ("{$.data['a b']}", "<spaced>", '"\\u003cspaced\\u003e"'),
        ("{$.data.items[*].v}", 1.0, "1"),
    ],
)
def test_json_path_selects_the_first_match(server: str, path: str, value: Any, text: str) -> None:
    observation = WebProvider(server + "/metrics", json_path=path).measure("ignored", 0)
    assert observation.value == value
    assert observation.text == text


def test_numbers_are_floats_like_go(server: str) -> None:
    value = WebProvider(server + "/metrics", json_path="{$.count}").measure(None, 0).value
    assert isinstance(value, float)


def test_a_non_json_body_is_a_string_result(server: str) -> None:
    observation = WebProvider(server + "/text", json_path="{$.anything}").measure(None, 0)
    assert (observation.value, observation.text) == ("all good", "all good")


def test_post_json_body_sets_content_type_and_headers(server: str) -> None:
    provider = WebProvider(server + "/echo", "POST", headers={"X-Key": "k1"}, json_body={"q": [1, 2]})
    echo = provider.measure(None, 0).value
    assert echo == {"method": "POST", "body": '{"q":[1,2]}', "type": "application/json", "x": "k1"}


def test_put_plain_body(server: str) -> None:
    provider = WebProvider(
        server + "/echo", "put", headers={"X-Key": "k2"}, body="hello", json_path="{$.body}"
    )
    observation = provider.measure(None, 0)
    assert (observation.value, observation.text) == ("hello", '"hello"')


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"method": "DELETE"}, "method must be one of GET, POST, PUT"),
        (
            {"method": "GET", "body": "x"},
            "Body/JSONBody can only be used with POST or PUT WebMetric Method types",
        ),
        ({"method": "GET", "json_body": {}}, "Body/JSONBody can only be used with POST or PUT"),
        ({"method": "POST", "body": "x", "json_body": {}}, "use either Body or JSONBody; both cannot exists"),
        ({"timeout": 0}, "timeout must be a positive number"),
        ({"method": "POST", "json_body": {"x": float("nan")}}, "jsonBody is not JSON"),
        ({"json_path": "$.a"}, "unsupported JSONPath"),
        ({"json_path": "{$.a[?(@.b)]}"}, "unsupported JSONPath"),
    ],
)
def test_construction_rejects_bad_settings(kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(SpecError, match=message):
        WebProvider("http://web.test/x", **kwargs)


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("file:///etc/passwd", 'Get "file:///etc/passwd": unsupported protocol scheme "file"'),
        ("bad://url.com", 'Get "bad://url.com": unsupported protocol scheme "bad"'),
        ("http:///x", 'Get "http:///x": http: no Host in request URL'),
    ],
)
def test_url_must_be_http_with_a_host(url: str, message: str) -> None:
    with pytest.raises(SpecError) as caught:  # Argo's Error at each measurement, refused when built here
        WebProvider(url)
    assert str(caught.value) == message


@pytest.mark.parametrize("status", [304, 404, 500, 503])
@responses.activate
def test_non_2xx_is_an_error(status: int) -> None:
    responses.add(responses.GET, "http://web.test/x", body="{}", status=status)
    with pytest.raises(ProviderError, match=f"^received non 2xx response code: {status}$"):
        WebProvider("http://web.test/x").measure(None, 0)


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("{$.a[3]}", "Could not find JSONPath in body: array index out of bounds: index 3, length 1"),
        ("{$.a[-2]}", "Could not find JSONPath in body: array index out of bounds: index -1, length 1"),
        ("{$.b}", "Could not find JSONPath in body: b is not found"),
        ("{$.a.b}", "Could not find JSONPath in body: b is not found"),
        ("{$.c[0]}", "Could not find JSONPath in body: map[string]interface {} is not array or slice"),
        ("{$.e[*]}", "result of web metric produced no value"),
        ("{$.n.x}", "Could not find JSONPath in body: x is not found"),  # k8s skips null values
        ("{$.e[*].v}", "result of web metric produced no value"),
    ],
)
@responses.activate
def test_json_path_miss_is_an_error_in_kubernetes_words(path: str, message: str) -> None:
    responses.add(responses.GET, "http://web.test/x", json={"a": [1], "c": {"d": 1}, "e": [], "n": None})
    with pytest.raises(ProviderError) as caught:
        WebProvider("http://web.test/x", json_path=path).measure(None, 0)
    assert str(caught.value) == message


@responses.activate
def test_nan_literal_is_not_json_so_the_body_is_text() -> None:
    responses.add(responses.GET, "http://web.test/x", body="NaN")
    assert WebProvider("http://web.test/x").measure(None, 0).value == "NaN"


def test_connection_refused_is_a_provider_error() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(ProviderError) as caught:
        WebProvider(f"http://127.0.0.1:{port}/x?token=abc123&q=up").measure(None, 0)
    address = f"127.0.0.1:{port}"  # a credential-like query value is masked
    assert (
        str(caught.value)
        == f'Get "http://{address}/x?token=***&q=up": dial tcp {address}: connect: connection refused'
    )


def test_repr_hides_query_and_user_info() -> None:
    provider = WebProvider(
        "https://user:pw1234@web.test/x?token=abc123", headers={"Authorization": "Bearer zz"}
    )
    assert repr(provider) == "WebProvider(url='https://web.test/x', method='GET', timeout=10)"


@pytest.mark.parametrize(
    ("value", "text"),
    [(1e21, "1e+21"), (1.5e-7, "1.5e-7"), (1e-6, "0.000001"), (123456789.0, "123456789"), (-0.0, "0")],
)
def test_go_json_numbers(value: float, text: str) -> None:
    assert go_json(value) == text


def test_go_json_sorts_keys_and_escapes_html() -> None:
    assert go_json({"b": [1.0, None], "a": "x&y\u2028"}) == '{"a":"x\\u0026y\\u2028","b":[1,null]}'


def test_json_path_parses_and_misses() -> None:
    path = JsonPath('{ $["a b"][1] }')
    assert path.find_first({"a b": [10, 20]}) == 20
    with pytest.raises(NotFound):
        path.find_first({"a b": [10]})
    assert list(JsonPath("{.x.*}").find_all({"x": {"p": 1, "q": 2}})) == [1, 2]
