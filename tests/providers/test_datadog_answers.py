"""Reading Datadog's answers as Argo does: Argo's `TestExtractValues`, `TestGroupNameAt`,
`TestGroupsMetadata`, `TestParseResponseV2*`, `TestRequestTimeout` (datadog_test.go); Go's JSON texts."""

from __future__ import annotations

import json
import threading
from typing import Any

import pytest
from datadog_support import API_KEY, APP_KEY, NOW, datadog
from scripted_http import ScriptedHandler, ScriptedServer

from canarykit.errors import ProviderError
from canarykit.providers.datadog import DatadogProvider
from canarykit.providers.datadog_gojson import Shape, decode
from canarykit.providers.datadog_v1 import v1_observation
from canarykit.providers.datadog_v2 import (
    COLUMN,
    MAX_GROUPS_IN_METADATA,
    extract_values,
    group_name,
    groups_metadata,
    v2_observation,
)
from canarykit.testing.datadog import DatadogServer

__all__ = ["datadog"]  # fixture

_COLUMNS = Shape("slice", "[]datadog.datadogV2Column", COLUMN)


def columns(*items: dict[str, Any]) -> list[dict[str, Any]]:
    """Columns as Argo decodes them (values kept raw), from their JSON."""
    result: list[dict[str, Any]] = decode(json.dumps(list(items)).encode(), _COLUMNS)
    return result


def group(*values: Any, name: str = "g") -> dict[str, Any]:
    return {"type": "group", "name": name, "values": list(values)}


def number(*values: Any, name: str = "q", kind: str = "number") -> dict[str, Any]:
    return {"type": kind, "name": name, "values": list(values)}


EXTRACT_VALUES = [
    ("ungrouped numeric column", [number(1.5, 2)], [1.5, 2.0], [], False),
    ("legacy column with no type field is treated as numeric", [number(0.5, kind="")], [0.5], [], False),
    ("grouped query pairs numeric values with group names", [group(["a"], ["b"]), number(1, 2)],
     [1.0, 2.0], [("a", 1.0), ("b", 2.0)], True),
    ("multi-tag grouping joins across the per-tag group columns",
     [group(["prod"], ["prod"]), group(["GET /a"], ["GET /b"]), number(1, 2)],
     [1.0, 2.0], [("prod,GET /a", 1.0), ("prod,GET /b", 2.0)], True),
    ("single-group query is still grouped, not a scalar", [group(["only"]), number(0.03)],
     [0.03], [("only", 0.03)], True),
    ("null entries skip their group entry to keep pairing aligned",
     [group(["a"], ["b"], ["c"]), number(None, 0.02, 0.03)], [0.02, 0.03], [("b", 0.02), ("c", 0.03)], True),
    ("group-only response (no number column) returns no values", [group(["a"], ["b"])], [], [], True),
    ("group column placed after number column still works", [number(1, 2), group(["a"], ["b"])],
     [1.0, 2.0], [("a", 1.0), ("b", 2.0)], True),
]  # fmt: skip


@pytest.mark.parametrize(
    ("name", "given", "values", "groups", "grouped"), EXTRACT_VALUES, ids=[c[0] for c in EXTRACT_VALUES]
)
def test_extract_values(
    name: str, given: list[dict[str, Any]], values: list[float], groups: list[Any], grouped: bool
) -> None:
    assert extract_values(columns(*given)) == (values, groups, grouped)


EXTRACT_ERRORS = [
    ("null group label errors rather than pairing a blank name", [group(["a"], None), number(1, 2)],
     "could not parse group label"),
    ("non-numeric entry in number column errors loudly", [number(1, "oops")],
     "could not parse numeric value"),
    ("grouped query with an unparseable group label errors rather than misaligning",
     [group(["a"], 42), number(1, 2)], "could not parse group label"),
    ("group column shorter than number column errors on the missing row",
     [group(["a"], ["b"]), number(1, 2, 3)], "could not parse group label at index 2"),
]  # fmt: skip


@pytest.mark.parametrize(("name", "given", "message"), EXTRACT_ERRORS, ids=[c[0] for c in EXTRACT_ERRORS])
def test_extract_values_errors(name: str, given: list[dict[str, Any]], message: str) -> None:
    with pytest.raises(ProviderError, match=message):
        extract_values(columns(*given))


REGION = group(["us-east"], ["us-west"])
HOST = group(["host-a"], ["host-b"])
EDGE = group(["x", "y"], 42, None, [])
GROUP_NAME_AT = [
    ("index past end returns false", [REGION], 99, None),
    ("single group column returns the name", [REGION], 0, "us-east"),
    ("joins across per-tag group columns", [REGION, HOST], 1, "us-west,host-b"),
    ("joins across six group columns in order",
     [group([tag]) for tag in ("us-east", "host-a", "/checkout", "GET", "prod", "v2")], 0,
     "us-east,host-a,/checkout,GET,prod,v2"),
    ("aliased values within one dimension join too", [EDGE], 0, "x,y"),
    ("non-array entry returns false rather than corrupting the label", [EDGE], 1, None),
    ("null entry returns false", [EDGE], 2, None),
    ("empty array entry returns false", [EDGE], 3, None),
    ("a row missing from a later column returns false", [REGION, group(["only"])], 1, None),
]  # fmt: skip


@pytest.mark.parametrize(
    ("name", "given", "index", "label"), GROUP_NAME_AT, ids=[c[0] for c in GROUP_NAME_AT]
)
def test_group_name_at(name: str, given: list[dict[str, Any]], index: int, label: str | None) -> None:
    assert group_name(columns(*given), index) == label


def test_groups_metadata_small_list_is_kept_whole() -> None:
    """TestGroupsMetadata: small group list is returned in full, not truncated."""
    assert groups_metadata([("a", 1.0), ("b", 2.0)]) == (
        '[{"name":"a","value":1},{"name":"b","value":2}]',
        False,
    )


def test_groups_metadata_exactly_the_cap_is_not_truncated() -> None:
    assert not groups_metadata([("g", float(i)) for i in range(MAX_GROUPS_IN_METADATA)])[1]


def test_groups_metadata_keeps_both_extremes() -> None:
    """TestGroupsMetadata: high-cardinality list keeps both extremes and drops the middle."""
    count = MAX_GROUPS_IN_METADATA + 50
    shown, truncated = groups_metadata([(f"g{i}", float(i)) for i in range(count)])
    kept = {entry["name"] for entry in json.loads(shown)}
    assert truncated and len(kept) == MAX_GROUPS_IN_METADATA
    assert {"g0", f"g{count - 1}"} <= kept and f"g{count // 2}" not in kept


def test_parse_response_v2_truncates_high_cardinality_groups() -> None:
    """TestParseResponseV2TruncatesHighCardinalityGroups: the metadata is cut, the values never are."""
    count = MAX_GROUPS_IN_METADATA + 25
    body = {"data": {"attributes": {"columns": [group(*[[f"g{i}"] for i in range(count)], name="host"),
                                                number(*range(count))]}}}  # fmt: skip
    observation = v2_observation(json.dumps(body).encode())
    assert observation.metadata["groups_truncated"] == "true"
    assert len(json.loads(observation.metadata["groups"])) == MAX_GROUPS_IN_METADATA
    assert observation.value == [float(i) for i in range(count)]
    assert observation.text.count(",") + 1 == count


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"<html>bad gateway</html>", "invalid character '<' looking for beginning of value"),
        (b"", "unexpected end of JSON input"),
        (b'{"series": [', "unexpected end of JSON input"),
        (b'{"series": NaN}', "invalid character 'N' looking for beginning of value"),
        (b'{"series": [{"pointlist": [[1, "x"]]}]}',
         "json: cannot unmarshal string into Go struct field .Series.pointlist of type float64"),
        (b'{"series": [{"pointlist": [[1, 1e400]]}]}',
         "json: cannot unmarshal number 1e400 into Go struct field .Series.pointlist of type float64"),
        (b"[]", "json: cannot unmarshal array into Go value of type datadog.datadogResponseV1"),
    ],
)  # fmt: skip
def test_v1_bodies_argo_cannot_parse(body: bytes, message: str) -> None:
    with pytest.raises(ProviderError) as refused:
        v1_observation(body)
    assert str(refused.value) == f"Could not parse JSON body: {message}"


@pytest.mark.parametrize(
    ("body", "value", "text"),
    [
        (b'{"SERIES": [{"Pointlist": [[1, 2], [3, 4.5]]}]}', 4.5, "4.5"),
        (b'{"series": [{"pointlist": [[1, null]]}]}', 0.0, "0"),
        (b'{"series": null}', None, "null"),
        (
            b'{"series": [{"pointlist": []}, {"pointlist": [[1, 2]]}]}',
            None,
            '[{"pointlist":[]},{"pointlist":[[1,2]]}]',
        ),
        (b'{"status": "ok"}', None, "null"),
    ],
)
def test_v1_values_as_go_decodes_them(body: bytes, value: float | None, text: str) -> None:
    """Keys match in any case, a null point is 0, and a nil result's text is the series as Go writes them."""
    observation = v1_observation(body)
    assert (observation.value, observation.text) == (value, text)


def test_v1_point_without_two_values() -> None:
    with pytest.raises(ProviderError, match=r"^Datapoint does not have 2 values$"):
        v1_observation(b'{"series": [{"pointlist": [[1, 2, 3]]}]}')


def test_v2_errors_of_type() -> None:
    with pytest.raises(ProviderError) as refused:
        v2_observation(b'{"data": {"errors": ["a"]}}')
    assert str(refused.value) == (
        "Could not parse JSON body: "
        "json: cannot unmarshal array into Go struct field .Data.Errors of type string"
    )


def test_a_body_cut_short_is_received_no_bytes() -> None:
    """TestParseResponseV2BodyReadError: a body that breaks off is Argo's `Received no bytes in response`."""

    def cut_short(handler: ScriptedHandler) -> None:
        handler.head(200, Content_Type="application/json", Content_Length="100")
        handler.wfile.write(b'{"data": {')
        handler.close_connection = True

    with ScriptedServer(cut_short) as server:
        provider = DatadogProvider(
            "q", api_version="v2", api_key=API_KEY, app_key=APP_KEY, address=server.url
        )
        with pytest.raises(ProviderError, match=r"^Received no bytes in response: unexpected EOF$"):
            provider.measure(None, NOW)


def test_connection_refused_names_the_request_as_go_does(datadog: DatadogServer) -> None:
    address = datadog.url
    datadog.stop()
    provider = DatadogProvider("avg:cpu{*}", api_key=API_KEY, app_key=APP_KEY, address=address)
    with pytest.raises(ProviderError) as refused:
        provider.measure(None, NOW)
    url = f"{address}/api/v1/query?from={NOW - 300}&query=avg%3Acpu%7B%2A%7D&to={NOW}"
    assert (
        str(refused.value)
        == f'Get "{url}": dial tcp {address.removeprefix("http://")}: connect: connection refused'
    )


REQUEST_TIMEOUT = [
    ("short timeout against slow server fails", 0.05, "Error"),
    ("generous timeout against slow server succeeds", 30.0, "Successful"),
]


@pytest.mark.parametrize(("name", "timeout", "outcome"), REQUEST_TIMEOUT, ids=[c[0] for c in REQUEST_TIMEOUT])
def test_request_timeout(datadog: DatadogServer, name: str, timeout: float, outcome: str) -> None:
    """TestRequestTimeout: the server holds its answer until released; a timeout that passes first is an
    Error with Go's text, a longer one waits for the answer."""
    release = threading.Event()
    datadog.answer(
        '{"data": {"attributes": {"columns": [ {"values": [0.0006332881882246533]}]}}}', hold=release
    )
    provider = DatadogProvider(
        "q", api_version="v2", api_key=API_KEY, app_key=APP_KEY, address=datadog.url, timeout=timeout
    )
    results: list[Any] = []
    worker = threading.Thread(target=lambda: results.append(_measure(provider)))
    worker.start()
    if outcome == "Error":
        worker.join()  # the answer is held until after the timeout has passed
        release.set()
        assert str(results[0]) == (
            f'Post "{datadog.url}/api/v2/query/scalar": context deadline exceeded '
            "(Client.Timeout exceeded while awaiting headers)"
        )
    else:
        datadog.wait_for_requests(1)
        release.set()
        worker.join()
        assert results[0].value == 0.0006332881882246533


def _measure(provider: DatadogProvider) -> Any:
    try:
        return provider.measure(None, NOW)
    except ProviderError as error:
        return error
