"""The world a corpus run shares: one fake clock, the metric stand-ins, and a fake Kubernetes API whose
Jobs complete 10 s after they start and which holds every Secret the documents name ("conformance" for a
secretKeyRef; the Datadog stand-in's address and keys for a Datadog metric's secretRef)."""

from __future__ import annotations

import base64
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from corpus_fakes import Fakes, fakes
from corpus_sources import Document

from canarykit.kube import connect
from canarykit.kube.cluster import KubeCluster
from canarykit.testing import FakeClock, FakeKubeAPI
from canarykit.testing.kube.jobs import JobRunner, complete

PLACEHOLDER = "conformance"
JOB_SECONDS = 10.0
DATADOG_KEYS = {"api-key": "fake", "app-key": "fake"}


@dataclass
class World:
    """The stand-ins one corpus run shares: clock, metric sources and cluster."""

    clock: FakeClock
    fakes: Fakes
    kube: FakeKubeAPI
    cluster: KubeCluster


@contextmanager
def world(documents: Iterable[Document]) -> Iterator[World]:
    """Local stand-ins, with every Secret the documents name, for the whole corpus run."""
    clock = FakeClock(horizon=None)
    with fakes() as stand_ins, FakeKubeAPI() as kube, JobRunner(kube, complete(JOB_SECONDS), clock=clock):
        secrets: dict[str, dict[str, str]] = {}
        for name, key in _secrets(document.body for document in documents):
            secrets.setdefault(name, {})[key] = PLACEHOLDER
        for name in _datadog_secrets(document.body for document in documents):
            secrets.setdefault(name, {}).update(address=stand_ins.datadog, **DATADOG_KEYS)
        for name, data in sorted(secrets.items()):
            kube.put(_secret(name, data))
        cluster = KubeCluster(connect(host=kube.url), "default", clock=clock, job_timeout=600)
        yield World(clock, stand_ins, kube, cluster)


def _secrets(bodies: Iterable[Any]) -> set[tuple[str, str]]:
    found: set[tuple[str, str]] = set()
    for body in bodies:
        if isinstance(body, dict):
            reference = body.get("secretKeyRef")
            if isinstance(reference, dict) and "name" in reference and "key" in reference:
                found.add((str(reference["name"]), str(reference["key"])))
            found |= _secrets(body.values())
        elif isinstance(body, list):
            found |= _secrets(body)
    return found


def _datadog_secrets(bodies: Iterable[Any]) -> set[str]:
    """Names of the Secrets Datadog metrics read their address and keys from (`secretRef.name`)."""
    names: set[str] = set()
    for body in bodies:
        for metric in ((body or {}).get("spec") or {}).get("metrics") or []:
            datadog = ((metric or {}).get("provider") or {}).get("datadog") or {}
            name = (datadog.get("secretRef") or {}).get("name") if isinstance(datadog, dict) else None
            if name:
                names.add(str(name))
    return names


def _secret(name: str, data: dict[str, str]) -> dict[str, Any]:
    encoded = {key: base64.b64encode(value.encode()).decode() for key, value in data.items()}
    metadata = {"name": name, "namespace": "default"}
    return {"apiVersion": "v1", "kind": "Secret", "metadata": metadata, "data": encoded}
