"""Exposition text as the series it holds, to compare two exporters' output whatever their formatting."""

from __future__ import annotations

from typing import Any

from prometheus_client.parser import text_string_to_metric_families

Sample = tuple[str, tuple[tuple[str, str], ...], float]


def families(text: str) -> dict[str, tuple[str, str, list[Sample]]]:
    """`{family: (help, type, sorted [(sample name as written, sorted labels, value), ...])}` of a text.

    prometheus_client's parser names a `counter`'s samples `<name>_total` whatever the text says; the name
    as written (the series name Prometheus stores) is put back for those.
    """
    found: dict[str, Any] = {}
    for family in text_string_to_metric_families(text):
        written = [_written(family.name, family.type, sample.name, text) for sample in family.samples]
        samples = [
            (name, tuple(sorted(s.labels.items())), s.value)
            for name, s in zip(written, family.samples, strict=True)
        ]
        found[family.name] = (family.documentation, family.type, sorted(samples))
    return found


def _written(family: str, kind: str, sample: str, text: str) -> str:
    if kind == "counter" and sample == family + "_total" and f"\n{sample}" not in text:
        return family
    return sample
