"""Reading YAML documents from a path or text, and turning pydantic errors into `SpecError` field paths."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any, Protocol, TypeVar

import yaml
from pydantic import BaseModel, ValidationError
from yaml.error import MarkedYAMLError
from yaml.reader import ReaderError

from canarykit.argo.metric_checks import check_raw_providers
from canarykit.argo.models import AnalysisTemplateDocument
from canarykit.argo.sources import Source, read_source
from canarykit.argo.yaml_limits import load_all
from canarykit.errors import SpecError

__all__ = ["Source", "errors_in", "field_path", "read_documents", "source_of", "validate"]

Model = TypeVar("Model", bound=BaseModel)
SOURCE = "_source"  # the private attribute of a model that records its file
# Free-form JSON (x-kubernetes-preserve-unknown-fields): kept as written, nulls included.
FREE_FORM = frozenset({"jsonBody", "plugin", "plugins", "config", "status"})
# Checks on the raw document that come before the model's field checks (Argo checks these first).
_PRECHECKS: dict[type[BaseModel], Callable[[Mapping[str, Any]], None]] = {
    AnalysisTemplateDocument: check_raw_providers
}


def read_documents(source: Source) -> tuple[str, list[dict[str, Any]]]:
    """The non-empty YAML documents of a file path or of YAML text, with a name for messages.

    Every problem (size, encoding, YAML syntax, depth, aliases, a document that is not a mapping) is a
    `SpecError` naming the source; its message never quotes the input's text.
    """
    name, data = read_source(source)
    documents = parse_yaml(data, name)
    for index, document in enumerate(documents):
        if not isinstance(document, dict):
            raise SpecError(f"{name}: document {index} is not a mapping")
    return name, documents


def parse_yaml(data: bytes, name: str) -> list[Any]:
    """The non-empty documents of `data`, through the bounded loader (`yaml_limits`)."""
    try:
        return [document for document in load_all(data) if document is not None]
    except yaml.YAMLError as error:
        raise SpecError(f"{name}: malformed YAML: {describe_yaml_error(error)}") from None
    except (ValueError, LookupError, TypeError, OverflowError) as error:  # a YAML constructor on odd input
        raise SpecError(f"{name}: malformed YAML: cannot build a value ({type(error).__name__})") from None


def describe_yaml_error(error: yaml.YAMLError) -> str:
    """What is wrong and where (line, column), without the snippet of input PyYAML would quote."""
    if isinstance(error, ReaderError):
        return f"{error.reason} (character #x{error.character:04x} at byte {error.position})"
    if not isinstance(error, MarkedYAMLError):
        return type(error).__name__
    parts = [
        f"{text}{_where(mark)}"
        for text, mark in ((error.context, error.context_mark), (error.problem, error.problem_mark))
        if text
    ]
    return ": ".join(parts) or "invalid YAML"


class _Mark(Protocol):
    line: int
    column: int


def _where(mark: _Mark | None) -> str:
    return f" (line {mark.line + 1}, column {mark.column + 1})" if mark is not None else ""


def validate(model: type[Model], document: dict[str, Any], name: str) -> Model:
    """`model` built from `document` read from `name`; the first problem is a `SpecError` naming its path.

    Keys set to null are dropped first, as the API server prunes them (no Argo field is nullable).
    Raised `from None`: pydantic's error (and a traceback of it) would print the offending input values.
    """
    pruned = without_nulls(document)
    label = document_label(pruned)
    try:
        with errors_in(name, label):
            _PRECHECKS.get(model, _no_check)(pruned)
            instance = model.model_validate(pruned)
    except ValidationError as error:
        first = error.errors()[0]
        path = field_path(first["loc"])
        raise SpecError(_describe(first), path, name, label) from None
    if SOURCE in model.__private_attributes__:
        setattr(instance, SOURCE, name)
    return instance


@contextmanager
def errors_in(source: str, document: str = "") -> Iterator[None]:
    """`SpecError`s raised inside name `source` (a file) and `document` (`AnalysisTemplate "x"`)."""
    try:
        yield
    except SpecError as error:
        error.located(source, document)
        raise


def source_of(model: BaseModel) -> str:
    """The file (or `<text>`) `validate` read `model` from; empty for a model built otherwise."""
    return str(getattr(model, SOURCE, "") or "")


def document_label(document: Mapping[str, Any]) -> str:
    """`AnalysisTemplate "name"`: the kind and name of a document, when it has both."""
    kind, metadata = document.get("kind"), document.get("metadata")
    name = metadata.get("name") if isinstance(metadata, Mapping) else None
    return f'{kind} "{name}"' if isinstance(kind, str) and isinstance(name, str) and name else ""


def without_nulls(value: Any) -> Any:
    """`value` with every mapping key whose value is null removed, except inside free-form JSON fields."""
    if isinstance(value, dict):
        return {
            key: item if key in FREE_FORM else without_nulls(item)
            for key, item in value.items()
            if item is not None
        }
    if isinstance(value, list):
        return [without_nulls(item) for item in value]
    return value


def _no_check(document: Mapping[str, Any]) -> None:
    """No check before the model's own."""


def field_path(location: Sequence[int | str]) -> str:
    """`("spec", "metrics", 0, "interval")` -> `spec.metrics[0].interval`."""
    text = ""
    for part in location:
        if isinstance(part, int):
            text += f"[{part}]"
        elif not _is_union_tag(str(part)):
            text += f".{part}" if text else str(part)
    return text


def _is_union_tag(part: str) -> bool:
    return part in ("int", "str", "dict", "list", "function-after", "function-plain") or part.startswith(
        "literal["
    )


def _describe(error: Any) -> str:
    if error["type"] == "extra_forbidden":
        return "unknown field"
    if error["type"] == "missing":
        return "required field is missing"
    return str(error["msg"])
