"""Reading YAML documents from a path or text, and turning pydantic errors into `SpecError` field paths."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from canarykit.errors import SpecError

Source = str | os.PathLike[str]
Model = TypeVar("Model", bound=BaseModel)


def read_documents(source: Source) -> tuple[str, list[dict[str, Any]]]:
    """The non-empty YAML documents of a file path or of YAML text, with a name for messages."""
    name, text = _read(source)
    try:
        documents = [doc for doc in yaml.safe_load_all(text) if doc is not None]
    except yaml.YAMLError as error:
        raise SpecError(f"{name}: malformed YAML: {error}") from error
    for index, document in enumerate(documents):
        if not isinstance(document, dict):
            raise SpecError(f"{name}: document {index} is not a mapping")
    return name, documents


def _read(source: Source) -> tuple[str, str]:
    if isinstance(source, os.PathLike) or _looks_like_path(source):
        path = Path(source)
        try:
            return str(path), path.read_text(encoding="utf-8")
        except OSError as error:
            raise SpecError(f"cannot read {path}: {error.strerror or error}") from error
    return "<text>", str(source)


def _looks_like_path(source: str) -> bool:
    if "\n" in source or not source.strip():
        return False
    return os.path.exists(source) or ":" not in source


def validate(model: type[Model], document: dict[str, Any], name: str) -> Model:
    """`model` built from `document`; the first problem becomes a `SpecError` naming its field path."""
    try:
        return model.model_validate(document)
    except ValidationError as error:
        first = error.errors()[0]
        path = field_path(first["loc"])
        raise SpecError(f"{name}: {path}: {_describe(first)}", path=path) from error


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
    return part in ("int", "str", "function-after", "function-plain") or part.startswith("literal[")


def _describe(error: Any) -> str:
    if error["type"] == "extra_forbidden":
        return "unknown field"
    if error["type"] == "missing":
        return "required field is missing"
    return str(error["msg"])
