"""The parts of the fake's validation: structural checks, CEL rules, the shipped CRD schemas and their
refresh, and the error naming the `testing` extra when a package validation needs is missing."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from canarykit.testing.kube.cel_rules import compile_rule, escape, rule_errors, rules_in
from canarykit.testing.kube.crd_schemas import compact_crd, crd_schema, main, refresh
from canarykit.testing.kube.structural import apply_defaults, schema_errors

Schema = dict[str, Any]


def messages(schema: Schema, value: Any) -> list[str]:
    return [str(error) for error in schema_errors(schema, value, "spec")]


def test_the_shipped_schemas_are_gateway_api_v1_6_1_standard_v1() -> None:
    for plural, kind in (("httproutes", "HTTPRoute"), ("grpcroutes", "GRPCRoute")):
        document = crd_schema(plural)
        assert document is not None
        assert (document["kind"], document["version"], document["bundleVersion"], document["channel"]) == (
            kind,
            "v1",
            "v1.6.1",
            "standard",
        )
        assert "description" not in json.dumps(document["openAPIV3Schema"])
    assert crd_schema("tcproutes") is None


def test_every_cel_rule_of_the_shipped_crds_compiles() -> None:
    counts = {}
    for plural in ("httproutes", "grpcroutes"):
        document = crd_schema(plural)
        assert document is not None
        rules = rules_in(document["openAPIV3Schema"])
        for rule in rules:
            compile_rule(rule)
        counts[plural] = len(rules)
    assert counts == {"httproutes": 89, "grpcroutes": 33}


def test_refresh_writes_the_compact_schema_of_a_crd(tmp_path: Path) -> None:
    crd = {
        "metadata": {
            "name": "widgets.example.com",
            "annotations": {"gateway.networking.k8s.io/channel": "x"},
        },
        "spec": {
            "group": "example.com",
            "names": {"kind": "Widget", "plural": "widgets"},
            "versions": [
                {"name": "v1alpha1", "schema": {"openAPIV3Schema": {"type": "string"}}},
                {"name": "v1", "schema": {"openAPIV3Schema": {"description": "gone", "type": "object"}}},
            ],
        },
    }
    source = tmp_path / "widgets.yaml"
    source.write_text(yaml.safe_dump(crd))

    written = refresh(tmp_path, [source])

    document = json.loads(written[0].read_text())
    assert written == [tmp_path / "widgets.json"]
    assert document["openAPIV3Schema"] == {"type": "object"}
    assert (document["kind"], document["channel"], document["source"]) == ("Widget", "x", "widgets.yaml")
    with pytest.raises(ValueError, match="has no version v2"):
        compact_crd(crd, "widgets.yaml", "", version="v2")
    assert main([]) == 2


def test_types_bounds_and_unknown_fields() -> None:
    schema = {
        "type": "object",
        "required": ["port"],
        "properties": {
            "port": {"type": "integer", "minimum": 1, "maximum": 65535, "exclusiveMaximum": True},
            "ratio": {"type": "number"},
            "when": {"type": "string", "format": "date-time"},
        },
    }
    assert messages(schema, {"port": 80, "ratio": 1, "when": "2026-01-02T03:04:05+01:00"}) == []
    assert messages(schema, {"port": 80.0}) == []  # JSON integers may be written 80.0
    assert messages(schema, {"port": 65535, "when": "soon", "extra": None}) == [
        "spec.port: Invalid value: 65535: spec.port in body should be less than 65535",
        'spec.when: Invalid value: "soon": spec.when in body must be of type date-time: "soon"',
        "spec.extra: Forbidden: field not declared in schema",
    ]
    assert messages(schema, {"port": True}) == [
        'spec.port: Invalid value: "boolean": spec.port in body must be of type integer: "boolean"'
    ]
    assert messages(schema, {}) == ["spec.port: Required value"]


def test_strings_lists_maps_and_extensions() -> None:
    schema = {
        "type": "object",
        "maxProperties": 5,
        "properties": {
            "name": {"type": "string", "minLength": 1, "maxLength": 3, "pattern": "^[a-z]+$"},
            "tags": {
                "type": "array",
                "minItems": 1,
                "items": {"type": "string"},
                "x-kubernetes-list-type": "set",
            },
            "refs": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {"name": {"type": "string"}, "port": {"type": "integer"}},
                },
                "x-kubernetes-list-type": "map",
                "x-kubernetes-list-map-keys": ["name"],
            },
            "port": {"x-kubernetes-int-or-string": True},
            "extra": {"type": "object", "x-kubernetes-preserve-unknown-fields": True},
            "labels": {"type": "object", "additionalProperties": {"type": "string"}},
            "note": {"type": "string", "nullable": True},
        },
    }
    ok = {"name": "abc", "tags": ["a"], "port": "http", "extra": {"x": 1}, "note": None}
    assert messages(schema, ok) == []
    assert messages(schema, {"port": 80, "labels": {"a": "b"}, "refs": [{"name": "a", "port": 1}]}) == []
    assert messages(schema, {"name": "", "tags": [], "port": 1.5, "labels": {"a": 1}}) == [
        'spec.name: Invalid value: "": spec.name in body should be at least 1 chars long',
        "spec.name: Invalid value: \"\": spec.name in body should match '^[a-z]+$'",
        "spec.tags: Invalid value: 0: spec.tags in body should have at least 1 items",
        'spec.port: Invalid value: "number": spec.port in body must be of type integer or string: "number"',
        'spec.labels.a: Invalid value: "integer": spec.labels.a in body must be of type string: "integer"',
    ]
    assert messages(
        schema, {"name": "abcd", "tags": ["a", "a"], "refs": [{"name": "a"}, {"name": "a", "port": 2}]}
    ) == [
        "spec.name: Too long: may not be more than 3 bytes",
        'spec.tags[1]: Duplicate value: "a"',
        'spec.refs[1]: Duplicate value: {"name":"a"}',
    ]
    assert messages(schema, dict.fromkeys(("name", "tags", "port", "extra", "labels", "note"), None)) == [
        'spec.name: Invalid value: "null": spec.name in body must be of type string: "null"',
        'spec.tags: Invalid value: "null": spec.tags in body must be of type array: "null"',
        'spec.port: Invalid value: "null": spec.port in body must be of type integer or string: "null"',
        'spec.extra: Invalid value: "null": spec.extra in body must be of type object: "null"',
        'spec.labels: Invalid value: "null": spec.labels in body must be of type object: "null"',
        "spec: Too many: 6: must have at most 5 items",
    ]


def test_defaults_fill_absent_fields_and_replace_nulls_unless_nullable() -> None:
    schema = {
        "type": "object",
        "properties": {
            "matches": {
                "type": "array",
                "default": [{}],
                "items": {"type": "object", "properties": {"type": {"type": "string", "default": "Exact"}}},
            },
            "weight": {"type": "integer", "default": 1},
            "note": {"type": "string", "nullable": True, "default": "kept"},
        },
    }
    value: dict[str, Any] = {"weight": None, "note": None}
    apply_defaults(schema, value)
    assert value == {"matches": [{"type": "Exact"}], "weight": 1, "note": None}


def test_cel_rules_see_escaped_names_and_report_their_message() -> None:
    schema = {
        "type": "array",
        "items": {
            "type": "object",
            "properties": {"namespace": {"type": "string"}, "a-b": {"type": "string"}},
            "x-kubernetes-validations": [{"rule": "has(self.__namespace__) || self.a__dash__b == 'x'"}],
        },
        "x-kubernetes-validations": [{"rule": "self.size() < 3", "message": "too many refs"}],
    }
    assert rule_errors(schema, [{"namespace": "n"}, {"a-b": "x"}], "spec.refs") == []
    errors = [str(error) for error in rule_errors(schema, [{"a-b": "y"}, {}, {}], "spec.refs")]
    assert errors[0] == 'spec.refs: Invalid value: "array": too many refs'
    rule = "has(self.__namespace__) || self.a__dash__b == 'x'"
    assert errors[1] == f'spec.refs[0]: Invalid value: "object": failed rule: {rule}'
    assert errors[2].startswith('spec.refs[1]: Invalid value: "object": failed rule: ')
    assert "rule evaluation error" in errors[2]  # no such key: a__dash__b
    assert [escape(name) for name in ("namespace", "x.y", "a/b", "c__d", "port")] == [
        "__namespace__",
        "x__dot__y",
        "a__slash__b",
        "c__underscores__d",
        "port",
    ]


@pytest.mark.parametrize("blocked", ["celpy", "kubernetes_validate"])
def test_a_missing_package_is_named_with_the_extra(blocked: str) -> None:
    """Run where the package cannot be imported: FakeKubeAPI() says which extra to install."""
    code = (
        "import sys\n"
        f"sys.modules[{blocked!r}] = None\n"
        "from canarykit.testing.kube import FakeKubeAPI\n"
        "FakeKubeAPI(validate=False)\n"
        "try:\n"
        "    FakeKubeAPI()\n"
        "except ImportError as error:\n"
        "    print(type(error).__name__, error)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    package = {"celpy": "cel-python", "kubernetes_validate": "kubernetes-validate"}[blocked]
    assert done.stdout.strip() == (
        f"MissingDependency FakeKubeAPI(validate=True) needs {package}: pip install 'canarykit[testing]' "
        "(or turn validation off with FakeKubeAPI(validate=False))"
    )
