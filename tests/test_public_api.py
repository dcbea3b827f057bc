"""The public API is curated, and importing canarykit stays light."""

from __future__ import annotations

import subprocess
import sys

import canarykit
from canarykit import errors


def test_all_is_pinned() -> None:
    assert sorted(canarykit.__all__) == canarykit.__all__
    for name in canarykit.__all__:
        assert hasattr(canarykit, name), name


def test_every_error_derives_from_canary_error() -> None:
    classes = [
        value for value in vars(errors).values() if isinstance(value, type) and issubclass(value, Exception)
    ]
    assert len(classes) >= 8
    assert all(issubclass(cls, errors.CanaryError) for cls in classes)


def test_import_does_not_load_kubernetes_or_the_cli() -> None:
    code = (
        "import sys, canarykit; "
        "print(any(m.split('.')[0] == 'kubernetes' for m in sys.modules), 'canarykit.cli' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "False"]
