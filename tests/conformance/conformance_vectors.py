"""Reading the Argo test vectors (tests/conformance/vectors/*.yaml) and checking texts against them.

Each file names the Go test file it was transcribed from (`go_file`) and the Argo commit; each vector names
its Go test (`go_test`) and holds Argo's expected outcome as the Go test asserts it. A vector's id is
`<file>:<go_test>` (with `/<case>` for a row of a Go table test) plus `#n` when one Go test gives several.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from canarykit.errors import UnsupportedFeature

VECTORS = Path(__file__).resolve().parent / "vectors"
ARGO_COMMIT = "9f8d111d8f8e"


@dataclass(frozen=True)
class Vector:
    """One transcribed case: where it comes from, its input and Argo's expected outcome."""

    id: str
    go_file: str
    go_test: str
    data: dict[str, Any]

    @property
    def expect(self) -> dict[str, Any]:
        expected: dict[str, Any] = self.data["expect"]
        return expected


def read_file(name: str) -> dict[str, Any]:
    """The parsed vector file `vectors/<name>.yaml`."""
    with (VECTORS / f"{name}.yaml").open(encoding="utf-8") as handle:
        content: dict[str, Any] = yaml.safe_load(handle)
    return content


def load_vectors(name: str, kind: str | None = None) -> list[Vector]:
    """The vectors of `vectors/<name>.yaml` (only those of `kind` when given), with their ids."""
    content = read_file(name)
    seen: Counter[str] = Counter(_label(entry) for entry in content["vectors"])
    numbers: Counter[str] = Counter()
    vectors = []
    for entry in content["vectors"]:
        label = _label(entry)
        numbers[label] += 1
        suffix = f"#{numbers[label]}" if seen[label] > 1 else ""
        go_file = entry.get("go_file", content["go_file"])
        vector = Vector(f"{name}:{label}{suffix}", go_file, entry["go_test"], entry)
        if kind is None or entry.get("kind") == kind:
            vectors.append(vector)
    return vectors


def _label(entry: dict[str, Any]) -> str:
    """The Go test's name, and the table case's name when the vector is one row of a table."""
    return f"{entry['go_test']}/{entry['case']}" if "case" in entry else str(entry["go_test"])


def params(name: str, kind: str | None = None) -> list[Any]:
    """`pytest.param`s of the vectors, each with its id."""
    return [pytest.param(vector, id=vector.id) for vector in load_vectors(name, kind)]


def check_text(actual: str, expect: dict[str, Any], what: str = "message") -> None:
    """`actual` against `message` (exact), `message_contains`, `message_regex` and `message_excludes`."""
    if "message" in expect:
        assert actual == expect["message"], f"{what}: {actual!r} != Argo's {expect['message']!r}"
    for part in _listed(expect.get("message_contains")):
        assert part in actual, f"{what}: {actual!r} lacks Argo's {part!r}"
    if "message_regex" in expect:
        pattern = expect["message_regex"]
        assert re.search(pattern, actual), f"{what}: {actual!r} !~ Argo's {pattern!r}"
    for part in _listed(expect.get("message_excludes")):
        assert part not in actual, f"{what}: {actual!r} has {part!r}"


def check_refusal(vector: Vector, refusal: Exception) -> None:
    """A refusal before anything runs stands for Argo's Error only where the vector allows it.

    `refusal_allowed` is set on vectors whose Argo Error depends on the spec alone (an unknown name in a
    condition, a body with GET): refusing such a spec at load is canarykit's documented, safer choice. Its
    value is the text of Argo's error the refusal must carry (`true`: Argo's test asserts no text).
    """
    allowed = vector.data.get("refusal_allowed")
    shown = f"{type(refusal).__name__}: {refusal}"
    check_not_unsupported(refusal)
    assert allowed, f"refused before running ({shown}); Argo gives {vector.expect}"
    assert vector.expect.get("phase", "Error") == "Error", f"refused ({shown}); Argo gives {vector.expect}"
    if isinstance(allowed, str):
        assert allowed in str(refusal), f"refusal {shown!r} lacks Argo's {allowed!r}"


def check_not_unsupported(refusal: Exception) -> None:
    """A refusal for a feature canarykit lacks never stands for Argo's refusal of bad input."""
    assert not isinstance(refusal, UnsupportedFeature), f"canarykit lacks a feature Argo has: {refusal}"


def check_refused(refusal: Exception, expect: dict[str, Any]) -> None:
    """A spec refused where Argo refuses it too, with Argo's text (`expect.ok` means Argo accepts it)."""
    assert not expect.get("ok"), f"refused ({type(refusal).__name__}: {refusal}); Argo accepts it"
    check_not_unsupported(refusal)
    check_text(str(refusal), expect)


def _listed(value: Any) -> list[str]:
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)
