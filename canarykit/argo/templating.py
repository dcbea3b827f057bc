"""Argo's `{{args.name}}` substitution, with its error messages.

Arguments are substituted into the JSON form of a metric, values JSON-string-escaped, tags trimmed of inner
white space; any tag other than `args.<name>` is an error, as is an argument without a value.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from typing import Any

from canarykit.argo.models import Argument
from canarykit.errors import ArgumentError, UnsupportedFeature

_TAG = re.compile(r"\{\{(.*?)\}\}", re.DOTALL)


def merge_arguments(
    declared: Sequence[Argument], supplied: Mapping[str, str] | None, path: str = "spec.args"
) -> dict[str, str]:
    """Declared args with supplied values overriding by name; supplied names not declared are ignored.

    Raises `ArgumentError` (`args.<name> was not resolved`) for a declared arg left without a value.
    """
    supplied = dict(supplied or {})
    values: dict[str, str] = {}
    for index, argument in enumerate(declared):
        if argument.name in supplied:
            values[argument.name] = str(supplied[argument.name])
        elif argument.value is not None:
            values[argument.name] = argument.value
        elif argument.value_from is not None:
            raise UnsupportedFeature(
                f"args.{argument.name}: valueFrom is not supported; pass the value in args=",
                f"{path}[{index}].valueFrom",
            )
        else:
            raise ArgumentError(f"args.{argument.name} was not resolved", f"{path}[{index}]")
    return values


def tags_in(document: Any) -> list[str]:
    """Every `{{...}}` tag (trimmed) in the JSON form of `document`."""
    return [match.strip() for match in _TAG.findall(json.dumps(document))]


def has_tags(value: Any) -> bool:
    """Whether `value` is a string holding a `{{...}}` tag."""
    return isinstance(value, str) and _TAG.search(value) is not None


def check_tags(document: Any, declared: Sequence[str], path: str) -> None:
    """Fail early on tags that could never resolve: not `args.*`, or naming an undeclared arg."""
    for tag in tags_in(document):
        name = tag.removeprefix("args.")
        if not tag.startswith("args.") or name not in declared:
            raise ArgumentError(f"failed to resolve {{{{{tag}}}}}", path)


def substitute(document: Any, values: Mapping[str, str]) -> Any:
    """`document` with every `{{args.x}}` replaced by its value (Argo's ResolveQuotedArgs)."""

    def replace(match: re.Match[str]) -> str:
        tag = match.group(1).strip()
        name = tag.removeprefix("args.")
        if not tag.startswith("args.") or name not in values:
            raise ArgumentError(f"Unable to resolve metric arguments: failed to resolve {{{{{tag}}}}}")
        return json.dumps(values[name])[1:-1]

    return json.loads(_TAG.sub(replace, json.dumps(document)))
