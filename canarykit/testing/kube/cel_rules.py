"""A CRD's `x-kubernetes-validations` CEL rules, evaluated with cel-python as the API server evaluates them.

Each rule sees its node as `self`; property names that are CEL keywords or hold `.`, `-`, `/` are escaped
as Kubernetes escapes them (`namespace` is `__namespace__`). Compiled programs and results are cached: most
of a route is unchanged from one write to the next.
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

from canarykit.testing.kube.field_errors import INVALID, FieldError, join_path

Schema = dict[str, Any]
_RESERVED = frozenset(
    {"true", "false", "null", "in", "as", "break", "const", "continue", "else", "for", "function", "if"}
    | {"import", "let", "loop", "package", "namespace", "return", "var", "void", "while"}
)
_ESCAPES = (("__", "__underscores__"), (".", "__dot__"), ("-", "__dash__"), ("/", "__slash__"))


def rule_errors(schema: Schema, value: Any, path: str = "") -> list[FieldError]:
    """The rules `value` breaks, at every depth, as `<path>: Invalid value: "object": <message>`."""
    errors: list[FieldError] = []
    _walk(schema, value, path, errors)
    return errors


def rules_in(schema: Schema) -> list[str]:
    """Every rule in a schema, at every depth (for counting and compiling ahead)."""
    found = [rule["rule"] for rule in schema.get("x-kubernetes-validations") or []]
    children = list((schema.get("properties") or {}).values())
    for key in ("items", "additionalProperties"):
        if isinstance(schema.get(key), dict):
            children.append(schema[key])
    for child in children:
        found.extend(rules_in(child))
    return found


def compile_rule(rule: str) -> Any:
    """The compiled cel-python program of a rule (cached); cel-python's error if it does not compile."""
    return _program(rule)


def _walk(schema: Schema, value: Any, path: str, errors: list[FieldError]) -> None:
    """Check the rules of one node, then of its children."""
    if value is None:
        return
    rules = schema.get("x-kubernetes-validations") or []
    if rules:
        data = json.dumps(_cel_ready(schema, value), sort_keys=True)
        for rule in rules:
            problem = _outcome(rule["rule"], data)
            if problem is not None:
                message = rule.get("message") or f"failed rule: {rule['rule']}"
                detail = message if not problem else f"{message}: {problem}"
                errors.append(FieldError(path, INVALID, schema.get("type", "object"), detail))
    properties = schema.get("properties") or {}
    extra = schema.get("additionalProperties")
    if isinstance(value, dict):
        for key, item in value.items():
            child = properties.get(key, extra)
            if isinstance(child, dict):
                _walk(child, item, join_path(path, key), errors)
    elif isinstance(value, list) and isinstance(schema.get("items"), dict):
        for index, item in enumerate(value):
            _walk(schema["items"], item, f"{path}[{index}]", errors)


def _cel_ready(schema: Schema, value: Any) -> Any:
    """The value as CEL sees it: object property names escaped; map keys (additionalProperties) kept."""
    if isinstance(value, dict):
        properties = schema.get("properties") or {}
        extra = schema.get("additionalProperties")
        ready = {}
        for key, item in value.items():
            child = properties.get(key, extra if isinstance(extra, dict) else {})
            ready[escape(key) if key in properties else key] = _cel_ready(child, item)
        return ready
    if isinstance(value, list):
        items = schema.get("items")
        return [_cel_ready(items if isinstance(items, dict) else {}, item) for item in value]
    return value


def escape(name: str) -> str:
    """A property name as CEL reaches it: `namespace` -> `__namespace__`, `a-b` -> `a__dash__b`."""
    if name in _RESERVED:
        return f"__{name}__"
    for plain, escaped in _ESCAPES:
        name = name.replace(plain, escaped)
    return name


@lru_cache(maxsize=4096)
def _outcome(rule: str, data: str) -> str | None:
    """None when the rule holds for `self` (given as JSON), "" when it is false, else the evaluation error."""
    from celpy.adapter import json_to_cel
    from celpy.evaluation import CELEvalError

    try:
        result = _program(rule).evaluate({"self": json_to_cel(json.loads(data))})
    except CELEvalError as error:
        return f"rule evaluation error: {error.args[0] if error.args else error}"
    if isinstance(result, CELEvalError):
        return f"rule evaluation error: {result.args[0] if result.args else result}"
    return None if bool(result) else ""


@lru_cache(maxsize=512)
def _program(rule: str) -> Any:
    """Compile a rule once."""
    import celpy

    environment = celpy.Environment()
    return environment.program(environment.compile(rule))
