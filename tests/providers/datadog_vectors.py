"""Argo's Datadog provider tests as data: `TestRunSuite` (datadogV1_test.go), `TestRunSuiteV2` (V2).

Our transcription of argo-rollouts' metricproviders/datadog tests (commit 9f8d111d8f8e): each case keeps its
server answer, metric, expected window, value, phase, message and `metadata.groups`. The Go V1 cases have no
names: their ids are the table index and the comment above them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

QUERY = "avg:kubernetes.cpu.user.total{*}"
V1_INTERVAL_DEFAULT: dict[str, Any] = {"query": QUERY}
V1_INTERVAL_10M: dict[str, Any] = {"query": QUERY, "interval": "10m"}
V1_NAMESPACED_SECRET: dict[str, Any] = {
    **V1_INTERVAL_10M,
    "secretRef": {"name": "secret", "namespaced": True},
}
V2_QUERY: dict[str, Any] = {"interval": "5m", "query": QUERY, "apiVersion": "v2"}
V2_QUERIES: dict[str, Any] = {
    "interval": "5m",
    "queries": {"a": "avg:error_requests{*}", "b": "avg:total_requests{*}"},
    "formula": "a/b",
    "apiVersion": "v2",
}
V2_10M: dict[str, Any] = {"query": QUERY, "interval": "10m", "apiVersion": "v2"}
V2_SUM: dict[str, Any] = {**V2_QUERY, "aggregator": "sum"}
V2_NAMESPACED_SECRET: dict[str, Any] = {**V2_SUM, "secretRef": {"name": "secret", "namespaced": True}}
BAD_ADDRESS = "://wrong.schema"
BAD_ADDRESS_MESSAGE = 'parse "://wrong.schema": missing protocol scheme'


@dataclass(frozen=True)
class Vector:
    """One case: the answer, the metric, and what Argo's measurement holds."""

    id: str
    provider: dict[str, Any]
    phase: str
    status: int = 200
    body: str = ""
    success: str = ""
    failure: str = ""
    interval: int = 300
    value: str = ""
    message: str = ""
    aggregator: str = "last"
    groups: str = ""
    env_keys: bool = False
    address: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


def _series(*points: tuple[int, float]) -> str:
    pointlist = ",".join(f"[{time},{value}]" for time, value in points)
    return f'{{"status":"ok","series":[{{"pointlist":[{pointlist}]}}]}}'


LOW = _series((1598867910000, 0.0020008318672513122), (1598867925000, 0.0003332881882246533))
HIGH = _series((1598867910000, 0.0020008318672513122), (1598867925000, 0.006121378742186943))
EMPTY = '{"status":"ok","series":[]}'
BOTH: dict[str, Any] = {"success": "result < 0.001", "failure": "result >= 0.001"}

V1 = [
    Vector("TestRunSuite/0 last value matches condition", V1_INTERVAL_10M, "Successful", body=LOW, **BOTH,
           interval=600, value="0.0003332881882246533"),
    Vector("TestRunSuite/1 keys from env vars", V1_INTERVAL_10M, "Successful", body=LOW, **BOTH, interval=600,
           value="0.0003332881882246533", env_keys=True),
    Vector("TestRunSuite/2 last value does not match", V1_INTERVAL_DEFAULT, "Failed", body=HIGH, **BOTH,
           value="0.006121378742186943"),
    Vector("TestRunSuite/3 invalid request", V1_INTERVAL_DEFAULT, "Error", status=400,
           body='{"status":"error","error":"error messsage"}', **BOTH,
           message='received non 2xx response code: 400 {"status":"error","error":"error messsage"}'),
    Vector("TestRunSuite/4 authentication issue", V1_INTERVAL_DEFAULT, "Error", status=401,
           body='{"errors": ["No authenticated user."]}', **BOTH,
           message='received authentication error response code: 401 {"errors": ["No authenticated user."]}'),
    Vector("TestRunSuite/5 success with default and data", V1_INTERVAL_DEFAULT, "Successful", body=HIGH,
           success="default(result, 0) < 0.05", value="0.006121378742186943"),
    Vector("TestRunSuite/6 error with no default and no data", V1_INTERVAL_DEFAULT, "Error", body=EMPTY,
           success="result < 0.05",
           message="metric result is nil or empty: no data returned from the metric provider"),
    Vector("TestRunSuite/7 success with default and no data", V1_INTERVAL_DEFAULT, "Successful", body=EMPTY,
           success="default(result, 0) < 0.05", value="[]"),
    Vector("TestRunSuite/8 failure with bad default and no data", V1_INTERVAL_DEFAULT, "Failed", body=EMPTY,
           success="default(result, 1) < 0.05", value="[]"),
    Vector("TestRunSuite/9 success with bad default and good data", V1_INTERVAL_DEFAULT, "Successful",
           body=HIGH, success="default(result, 1) < 0.05", value="0.006121378742186943"),
    Vector("TestRunSuite/10 non-array series", V1_INTERVAL_DEFAULT, "Error",
           body='{"status":"ok","series":"invalid"}', **BOTH,
           message="Could not parse JSON body: json: cannot unmarshal string into Go struct field "
           'datadogResponseV1.Series of type []struct { Pointlist [][]float64 "json:\\"pointlist\\"" }'),
    Vector("TestRunSuite/11 faulty server address", V1_INTERVAL_10M, "Error", address=BAD_ADDRESS,
           message=BAD_ADDRESS_MESSAGE),
    Vector("TestRunSuite/12 secret named in the template", V1_NAMESPACED_SECRET, "Successful", body=LOW,
           **BOTH, interval=600, value="0.0003332881882246533"),
]  # fmt: skip


def _scalar(value: str) -> str:
    return f'{{"data": {{"attributes": {{"columns": [ {{"values": [{value}]}}]}}}}}}'


def _grouped(*columns: str) -> str:
    return '{"data": {"attributes": {"columns": [' + ",".join(columns) + "]}}}"


def _group(name: str, values: str) -> str:
    return f'{{"name": "{name}", "type": "group", "values": {values}}}'


def _numbers(values: str, name: str = "query1") -> str:
    return f'{{"name": "{name}", "type": "number", "values": {values}}}'


NO_VALUES = '{"data": {"attributes": {"columns": [ {"values": []}]}}}'
MAX = "max(result) < 0.05"

V2 = [
    Vector("TestRunSuiteV2/simple scalar query", V2_10M, "Successful", body=_scalar("0.0006332881882246533"),
           **BOTH, interval=600, value="0.0006332881882246533"),
    Vector("TestRunSuiteV2/keys from env vars", V2_10M, "Successful", body=_scalar("0.0003332881882246533"),
           **BOTH, interval=600, value="0.0003332881882246533", env_keys=True),
    Vector("TestRunSuiteV2/value does not match condition then fail", V2_QUERY, "Failed",
           body=_scalar("0.006121374442186943"), **BOTH, value="0.006121374442186943"),
    Vector("TestRunSuiteV2/error for invalid request", V2_QUERY, "Error", status=400,
           body='{"status":"error","error":"error messsage"}', **BOTH,
           message='received non 2xx response code: 400 {"status":"error","error":"error messsage"}'),
    Vector("TestRunSuiteV2/no authenticated user", V2_QUERY, "Error", status=401,
           body='{"errors": ["No authenticated user."]}', **BOTH,
           message='received authentication error response code: 401 {"errors": ["No authenticated user."]}'),
    Vector("TestRunSuiteV2/success with default and data", V2_QUERY, "Successful",
           body=_scalar("0.006121378742186943"), success="default(result, 0) < 0.05",
           value="0.006121378742186943"),
    Vector("TestRunSuiteV2/error with no default and no data", V2_QUERY, "Error", body=NO_VALUES,
           success="result < 0.05",
           message="metric result is nil or empty: no data returned from the metric provider"),
    Vector("TestRunSuiteV2/success with default and no data", V2_QUERY, "Successful", body=NO_VALUES,
           success="default(result, 0) < 0.05", value="[]"),
    Vector("TestRunSuiteV2/fail when bad default and no data", V2_QUERY, "Failed", body=NO_VALUES,
           success="default(result, 1) < 0.05", value="[]"),
    Vector("TestRunSuiteV2/success bad default and good data", V2_QUERY, "Successful",
           body=_scalar("0.006721378742186999"), success="default(result, 1) < 0.05",
           value="0.006721378742186999"),
    Vector("TestRunSuiteV2/error when bad values from dd", V2_QUERY, "Error",
           body='{"data": {"attributes": {"columns": [{"values": "invalid"}]}}}', **BOTH,
           message="Could not parse JSON body: json: cannot unmarshal string into Go struct field "
           "datadogV2Column.Data.Attributes.Columns.values of type []json.RawMessage"),
    Vector("TestRunSuiteV2/faulty server address", V2_10M, "Error", address=BAD_ADDRESS,
           message=BAD_ADDRESS_MESSAGE),
    Vector("TestRunSuiteV2/expect success queries and formula", V2_QUERIES, "Successful",
           body=_scalar("0.0006444881882246533"), success="default(result, 0) < 0.05",
           value="0.0006444881882246533"),
    Vector("TestRunSuiteV2/success with default and data (sum aggregator)", V2_SUM, "Successful",
           body=_scalar("0.006121378742186943"), success="default(result, 0) < 0.05",
           value="0.006121378742186943", aggregator="sum"),
    Vector("TestRunSuiteV2/success with default and data (namespaced secret)", V2_NAMESPACED_SECRET,
           "Successful", body=_scalar("0.006121378742186943"), success="default(result, 0) < 0.05",
           value="0.006121378742186943", aggregator="sum"),
    Vector("TestRunSuiteV2/grouped query evaluated with max", V2_QUERY, "Failed",
           body=_grouped(_group("resource_name", '[["GET /a"], ["GET /b"], ["GET /c"]]'),
                         _numbers("[0.01, 0.087, 0.04]")),
           success=MAX, value="[0.01,0.087,0.04]",
           groups='[{"name":"GET /a","value":0.01},{"name":"GET /b","value":0.087},'
           '{"name":"GET /c","value":0.04}]'),
    Vector("TestRunSuiteV2/grouped query passes with all", V2_QUERY, "Successful",
           body=_grouped(_group("resource_name", '[["a"], ["b"], ["c"]]'), _numbers("[0.01, 0.02, 0.03]")),
           success="all(result, # < 0.05)", value="[0.01,0.02,0.03]",
           groups='[{"name":"a","value":0.01},{"name":"b","value":0.02},{"name":"c","value":0.03}]'),
    Vector("TestRunSuiteV2/single-group query stays a slice", V2_QUERY, "Failed",
           body=_grouped(_group("resource_name", '[["GET /a"]]'), _numbers("[0.087]")),
           success=MAX, value="[0.087]", groups='[{"name":"GET /a","value":0.087}]'),
    Vector("TestRunSuiteV2/multi-tag grouped query", V2_QUERY, "Successful",
           body=_grouped(_group("env", '[["prod"], ["prod"]]'),
                         _group("resource_name", '[["GET /a"], ["GET /b"]]'), _numbers("[0.01, 0.02]")),
           success=MAX, value="[0.01,0.02]",
           groups='[{"name":"prod,GET /a","value":0.01},{"name":"prod,GET /b","value":0.02}]'),
    Vector("TestRunSuiteV2/multi-tag keeps every dimension", V2_QUERY, "Failed",
           body=_grouped(_group("region", '[["us-east"], ["us-east"], ["us-west"]]'),
                         _group("host", '[["host-a"], ["host-b"], ["host-c"]]'),
                         _numbers("[0.01, 0.09, 0.02]")),
           success=MAX, value="[0.01,0.09,0.02]",
           groups='[{"name":"us-east,host-a","value":0.01},{"name":"us-east,host-b","value":0.09},'
           '{"name":"us-west,host-c","value":0.02}]'),
    Vector("TestRunSuiteV2/six-tag grouped query joins every column", V2_QUERY, "Failed",
           body=_grouped(_group("region", '[["us-east"], ["us-west"]]'),
                         _group("host", '[["host-a"], ["host-b"]]'),
                         _group("endpoint", '[["/checkout"], ["/cart"]]'),
                         _group("method", '[["GET"], ["POST"]]'),
                         _group("env", '[["prod"], ["prod"]]'), _group("version", '[["v2"], ["v3"]]'),
                         _numbers("[0.01, 0.09]")),
           success=MAX, value="[0.01,0.09]",
           groups='[{"name":"us-east,host-a,/checkout,GET,prod,v2","value":0.01},'
           '{"name":"us-west,host-b,/cart,POST,prod,v3","value":0.09}]'),
    Vector("TestRunSuiteV2/datadog returns errors", V2_QUERY, "Error",
           body='{"data": {"errors": "query exceeded the maximum allowed time range"}}',
           message="There were errors in your query: query exceeded the maximum allowed time range"),
    Vector("TestRunSuiteV2/grouped query with leading null", V2_QUERY, "Successful",
           body=_grouped(_group("resource_name", '[["a"], ["b"], ["c"]]'), _numbers("[null, 0.02, 0.03]")),
           success=MAX, value="[0.02,0.03]",
           groups='[{"name":"b","value":0.02},{"name":"c","value":0.03}]'),
    Vector("TestRunSuiteV2/non-numeric value in number column errors", V2_QUERY, "Error",
           body=_grouped(_numbers('[1, "oops"]')), success="max(result) < 5",
           message='could not parse numeric value "\\"oops\\"" in column "query1"'),
    Vector("TestRunSuiteV2/malformed group label errors", V2_QUERY, "Error",
           body=_grouped(_group("resource_name", '[["a"], "not-an-array"]'), _numbers("[0.01, 0.02]")),
           success=MAX, message="could not parse group label at index 1"),
]  # fmt: skip
