"""YAML values as Kubernetes reads them (go-yaml into untyped values), with no unbounded number parsing.

Timestamps and `=` stay strings (go-yaml leaves a timestamp-like scalar a string in an untyped value);
integers must fit in 64 bits; numbers longer than `MAX_NUMBER_LENGTH` characters are refused before Python
converts them (sexagesimal `1:2:3...` and long digit strings take quadratic time); a scalar that cannot be
what its explicit tag says (`!!int abc`, `!!bool maybe`) is a `ConstructorError` like any YAML problem.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from yaml.constructor import ConstructorError, SafeConstructor
from yaml.nodes import ScalarNode

MAX_NUMBER_LENGTH = 100
INT64_MIN, UINT64_END = -(2**63), 2**64


class KubernetesConstructor(SafeConstructor):
    """SafeConstructor with go-yaml's untyped results and bounded numbers."""

    def construct_plain_string(self, node: ScalarNode) -> str:
        return str(self.construct_scalar(node))

    def construct_bounded_int(self, node: ScalarNode) -> int:
        value = _number(self, node, "integer", SafeConstructor.construct_yaml_int)
        if not INT64_MIN <= value < UINT64_END:
            raise ConstructorError(None, None, "integer out of the 64-bit range", node.start_mark)
        return int(value)

    def construct_bounded_float(self, node: ScalarNode) -> float:
        try:
            return float(_number(self, node, "float", SafeConstructor.construct_yaml_float))
        except OverflowError:
            raise ConstructorError(None, None, "float out of range", node.start_mark) from None

    def construct_checked_bool(self, node: ScalarNode) -> bool:
        value = str(self.construct_scalar(node)).lower()
        if value not in self.bool_values:
            raise ConstructorError(None, None, "invalid boolean", node.start_mark)
        return bool(self.bool_values[value])


def _number(
    constructor: SafeConstructor, node: ScalarNode, kind: str, build: Callable[[Any, ScalarNode], Any]
) -> Any:
    text = str(constructor.construct_scalar(node))
    if len(text) > MAX_NUMBER_LENGTH:
        raise ConstructorError(
            None, None, f"{kind} longer than {MAX_NUMBER_LENGTH} characters", node.start_mark
        )
    try:
        return build(constructor, node)
    except (ValueError, IndexError, OverflowError):
        raise ConstructorError(None, None, f"invalid {kind}", node.start_mark) from None


KubernetesConstructor.yaml_constructors = {
    **SafeConstructor.yaml_constructors,
    "tag:yaml.org,2002:timestamp": KubernetesConstructor.construct_plain_string,
    "tag:yaml.org,2002:value": KubernetesConstructor.construct_plain_string,
    "tag:yaml.org,2002:int": KubernetesConstructor.construct_bounded_int,
    "tag:yaml.org,2002:float": KubernetesConstructor.construct_bounded_float,
    "tag:yaml.org,2002:bool": KubernetesConstructor.construct_checked_bool,
}
