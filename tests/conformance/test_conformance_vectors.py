"""The vector files: each names its Go test, has a kind its runner knows, and carries Argo's outcome."""

from __future__ import annotations

from conformance_vectors import VECTORS, load_vectors, read_file

KINDS = {
    "evaluate": {"evaluate_result", "eval_condition"},
    "analysis": {"metric_status", "limits", "run_status", "run", "template"},
    "metric_validation": {"template", "rollout", "is_worse"},
    "prometheus": {"measure", "build"},
    "web": {"measure", "build"},
    "rollout_validation": {"rollout"},
}


def test_every_vector_file_has_a_runner() -> None:
    assert {path.stem for path in VECTORS.glob("*.yaml")} == set(KINDS)


def test_vectors_name_their_go_test_and_carry_argo_outcome() -> None:
    for name, kinds in KINDS.items():
        assert read_file(name)["go_file"].endswith("_test.go")
        for vector in load_vectors(name):
            assert vector.go_file.endswith("_test.go"), vector.id
            assert vector.go_test.startswith("Test"), vector.id
            assert vector.data.get("kind") in kinds, vector.id
            assert isinstance(vector.data.get("expect"), dict) and vector.expect, vector.id


def test_vector_ids_are_unique() -> None:
    ids = [vector.id for name in KINDS for vector in load_vectors(name)]
    assert len(ids) == len(set(ids))
