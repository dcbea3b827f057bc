"""Lazy exports: `import canarykit` loads only the exceptions; every public name still resolves."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

import canarykit
import canarykit.providers
import canarykit.telemetry

PACKAGES = [canarykit, canarykit.providers, canarykit.telemetry]


def type_checking_imports(package: ModuleType) -> dict[str, tuple[str, ...]]:
    """{module: names} imported under `if TYPE_CHECKING:` in the package's __init__.py."""
    tree = ast.parse(Path(str(package.__file__)).read_text())
    block = next(node for node in tree.body if isinstance(node, ast.If))
    found: dict[str, tuple[str, ...]] = {}
    for node in block.body:
        assert isinstance(node, ast.ImportFrom) and node.module
        found[node.module] = tuple(alias.name for alias in node.names)
    return found


@pytest.mark.parametrize("package", PACKAGES, ids=lambda p: p.__name__)
def test_lazy_table_matches_type_checking_imports_and_all(package: ModuleType) -> None:
    exports = package._EXPORTS
    assert type_checking_imports(package) == {module: tuple(names) for module, names in exports.items()}
    eager = {name for name in package.__all__ if name in vars(package) and name not in _lazy_names(package)}
    assert sorted(_lazy_names(package) | eager) == sorted(package.__all__)


def _lazy_names(package: ModuleType) -> set[str]:
    return {name for names in package._EXPORTS.values() for name in names}


@pytest.mark.parametrize("package", PACKAGES, ids=lambda p: p.__name__)
def test_every_lazy_name_is_the_object_of_its_module(package: ModuleType) -> None:
    for module, names in package._EXPORTS.items():
        for name in names:
            assert getattr(package, name) is getattr(sys.modules[module], name)
            assert name in dir(package)


def test_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="has no attribute 'Rolout'"):
        _ = canarykit.Rolout


def loaded_after(statement: str) -> set[str]:
    code = f"import sys; {statement}; print(' '.join(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    return set(out.split())


def test_import_canarykit_loads_none_of_the_dependencies() -> None:
    loaded = loaded_after("import canarykit")
    assert not loaded & {"requests", "pydantic", "yaml", "simpleeval", "re2", "canarykit.analysis"}


def test_a_prometheus_program_does_not_load_the_other_providers() -> None:
    loaded = loaded_after("from canarykit import Rollout, Metric, PrometheusProvider")
    assert "canarykit.providers.prometheus" in loaded
    assert not loaded & {
        "canarykit.providers.datadog",
        "canarykit.providers.web",
        "canarykit.providers.command",
    }
