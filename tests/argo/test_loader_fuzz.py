"""Fuzzing the Argo loader: whatever the input, it loads or raises a `CanaryError`, never anything else.

Deterministic (derandomized, no example database) and a few hundred cases per run; the 10,000-case run is
`fuzz_loader` in tests/argo_fuzz_support.py, called by the benchmark. No deadline: a hang stops the suite.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from argo_fuzz_support import Case, arbitrary_bytes, cases, load_case, yaml_texts
from hypothesis import HealthCheck, given, settings

from canarykit.errors import CanaryError

FUZZ = settings(
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def loads_or_raises_a_canary_error(case: Case) -> None:
    with tempfile.TemporaryDirectory() as directory:
        try:
            load_case(case, Path(directory))
        except CanaryError as error:
            assert str(error), "a CanaryError with no message"


@settings(FUZZ, max_examples=300)
@given(cases())
def test_mutated_reference_documents(case: Case) -> None:
    loads_or_raises_a_canary_error(case)


@settings(FUZZ, max_examples=150)
@given(arbitrary_bytes())
def test_arbitrary_bytes_in_a_file(case: Case) -> None:
    loads_or_raises_a_canary_error(case)


@settings(FUZZ, max_examples=150)
@given(yaml_texts())
def test_arbitrary_yaml_and_text(case: Case) -> None:
    loads_or_raises_a_canary_error(case)
