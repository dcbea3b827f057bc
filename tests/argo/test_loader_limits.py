"""The loader's bounds: encodings, size, nesting depth, YAML aliases, numbers; every refusal a `SpecError`."""

from __future__ import annotations

from pathlib import Path

import pytest

from canarykit import SpecError
from canarykit.argo import load, load_analysis_template
from canarykit.argo.documents import read_documents
from canarykit.argo.sources import MAX_SOURCE_BYTES
from canarykit.argo.yaml_limits import MAX_DEPTH

DATA = Path(__file__).parent.parent / "data"
ROLLOUT = (DATA / "rollout.yaml").read_text()
TEMPLATE = (DATA / "analysis-template.yaml").read_text()
WEB_TEMPLATE = TEMPLATE[: TEMPLATE.index("      provider:")] + (
    "      provider:\n        web:\n          url: http://127.0.0.1:1/\n"
    "          method: POST\n          jsonBody: BODY\n"
)


def laughs(levels: int) -> str:
    """A billion-laughs flow mapping: `levels` anchors of 9 aliases each to the one before (~900 bytes)."""
    lines = ["{l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    lines += [f", l{n}: &l{n} [{', '.join([f'*l{n - 1}'] * 9)}]" for n in range(1, levels + 1)]
    return "".join(lines) + "}"


def file_with(tmp_path: Path, data: bytes) -> Path:
    path = tmp_path / "input.yaml"
    path.write_bytes(data)
    return path


def refused(source: str | Path, match: str) -> SpecError:
    with pytest.raises(SpecError, match=match) as caught:
        load_analysis_template(source)
    return caught.value


# -- encodings ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "utf-16-le", "utf-16-be"])
def test_utf8_with_bom_and_utf16_with_bom_load(tmp_path: Path, encoding: str) -> None:
    data = TEMPLATE.encode(encoding)
    if encoding in ("utf-16-le", "utf-16-be"):
        data = ("\ufeff" + TEMPLATE).encode(encoding)
    assert load_analysis_template(file_with(tmp_path, data)).name == "success-rate"


def test_utf16_without_a_byte_order_mark_is_refused_naming_the_file(tmp_path: Path) -> None:
    path = file_with(tmp_path, TEMPLATE.encode("utf-16-le"))
    error = refused(path, "contains NUL bytes")
    assert str(path) in str(error) and "save it as UTF-8" in str(error)


def test_utf32_is_refused(tmp_path: Path) -> None:
    refused(file_with(tmp_path, TEMPLATE.encode("utf-32")), "UTF-32 is not supported")


def test_latin1_is_refused_at_its_first_bad_byte(tmp_path: Path) -> None:
    data = (TEMPLATE + "# café\n").encode("latin-1")
    error = refused(file_with(tmp_path, data), "not valid UTF-8")
    offset, line = data.index("é".encode("latin-1")), TEMPLATE.count("\n") + 1
    assert f"byte {offset}, line {line}" in str(error)


def test_invalid_utf16_is_refused(tmp_path: Path) -> None:
    refused(file_with(tmp_path, b"\xff\xfe" + "a: ".encode("utf-16-le") + b"\x00\xd8"), "not valid UTF-16")


def test_text_with_a_lone_surrogate_is_refused() -> None:
    refused(TEMPLATE.replace("success-rate", "\ud800", 1), r"not valid Unicode at character \d+, line 4")


def test_a_path_with_a_nul_character_and_a_bytes_source_are_refused() -> None:
    refused("no\x00such.yaml", "cannot read")
    with pytest.raises(SpecError, match="expected a file path or YAML text, got bytes"):
        read_documents(TEMPLATE.encode())  # type: ignore[arg-type]


# -- size ----------------------------------------------------------------------------------------------


def test_a_file_at_the_limit_loads_and_one_byte_more_is_refused(tmp_path: Path) -> None:
    padding = b"#" * (MAX_SOURCE_BYTES - len(TEMPLATE) - 1) + b"\n"
    assert load_analysis_template(file_with(tmp_path, TEMPLATE.encode() + padding)).name == "success-rate"
    refused(file_with(tmp_path, TEMPLATE.encode() + padding + b"#"), r"larger than 3 MiB \(3145728 bytes")


def test_text_over_the_limit_is_refused_even_when_its_characters_are_fewer() -> None:
    refused(TEMPLATE + "#" + "é" * (MAX_SOURCE_BYTES // 2), "<text>: larger than 3 MiB")


# -- depth ---------------------------------------------------------------------------------------------


def nested(depth: int) -> str:
    """A block mapping `depth` levels deep (the scalar at the bottom is level `depth`)."""
    return "".join(" " * level + f"k{level}:\n" for level in range(depth - 1)) + " " * (depth - 1) + "x\n"


def test_nesting_up_to_the_limit_loads_and_deeper_is_refused() -> None:
    assert read_documents(nested(MAX_DEPTH))[1]
    with pytest.raises(SpecError, match=f"malformed YAML: nesting deeper than {MAX_DEPTH} levels"):
        read_documents(nested(MAX_DEPTH + 1))


@pytest.mark.parametrize("depth", [500, 5000, 100_000])
def test_very_deep_flow_nesting_is_a_spec_error_not_a_recursion_error(depth: int) -> None:
    text = WEB_TEMPLATE.replace("BODY", "[" * depth + "]" * depth)
    refused(text, "malformed YAML: .*nesting")


# -- aliases -------------------------------------------------------------------------------------------


def test_an_alias_bomb_in_a_json_body_is_refused() -> None:
    bomb = laughs(9)
    assert len(bomb) < 1000
    error = refused(WEB_TEMPLATE.replace("BODY", bomb), "document contains excessive aliasing")
    assert "(line 17, column " in str(error)


def test_an_alias_bomb_under_the_pod_template_is_refused_before_the_rollout_is_built() -> None:
    rollout = ROLLOUT.replace(
        "    spec:\n      containers:", f"    spec:\n      bomb: {laughs(9)}\n      containers:"
    )
    with pytest.raises(SpecError, match="document contains excessive aliasing"):
        load(rollout, TEMPLATE)


def test_a_small_expansion_and_ordinary_anchors_load() -> None:
    template = load_analysis_template(WEB_TEMPLATE.replace("BODY", laughs(2)))
    [metric] = template.metrics({"ingress": "i"})
    assert template.spec.metrics[0].provider.web is not None
    assert len(str(template.spec.metrics[0].provider.web.json_body)) > 81 * 3
    assert metric.name == "success-rate"


@pytest.mark.parametrize("text", ["a: &a [*a]\n", "a: &a {b: {c: *a}}\n", "a: &a {<<: *a}\n"])
def test_an_alias_inside_its_own_anchor_is_refused(text: str) -> None:
    with pytest.raises(SpecError, match="anchor 'a' value contains itself"):
        read_documents(text)


def test_aliases_count_towards_the_nesting_depth() -> None:
    text = "a: &a " + "[" * 60 + "]" * 60 + "\nb: " + "[" * 50 + "*a" + "]" * 50 + "\n"
    with pytest.raises(SpecError, match=r"nesting deeper than 100 levels \(through alias \*a\)"):
        read_documents(text)


# -- keys and scalars ----------------------------------------------------------------------------------


def test_a_key_defined_twice_is_refused() -> None:
    text = TEMPLATE.replace("      interval: 10s\n", "      interval: 10s\n      interval: 1h\n")
    refused(text, r'mapping key "interval" already defined at line 10 \(line 11, column 7\)')


@pytest.mark.parametrize(
    ("scalar", "problem"),
    [
        ("9" * 5000, "integer longer than 100 characters"),
        ("0x" + "f" * 40, "integer out of the 64-bit range"),
        (":".join(["1"] * 80), "integer longer than 100 characters"),
        ("!!int ''", "invalid integer"),
        ("!!float ''", "invalid float"),
        ("!!bool maybe", "invalid boolean"),
    ],
)
def test_numbers_and_booleans_are_bounded(scalar: str, problem: str) -> None:
    refused(TEMPLATE.replace("failureLimit: 3", f"failureLimit: {scalar}"), f"malformed YAML: {problem}")


def test_timestamps_stay_strings_as_kubernetes_reads_them() -> None:
    text = TEMPLATE.replace("    - name: ingress\n", "    - name: ingress\n      value: 2024-02-30\n")
    assert load_analysis_template(text).spec.args[0].value == "2024-02-30"


def test_errors_never_quote_the_input_line() -> None:
    text = TEMPLATE.replace("interval: 10s", 'interval: "10s-Zq7')
    error = refused(text, r"malformed YAML: .* \(line 9, column 7\)")
    assert "Zq7" not in str(error)
