"""An adopted Argo Rollout must be the one in the files: same steps, routing, replicas and pod template.

The live object's status counts steps of the live spec. Continuing it under other steps, another weight
scale or another canary would apply its step index and weight to a different plan, so any difference is
refused, naming the first field that differs.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from canarykit.argo.documents import validate
from canarykit.argo.rollout import RolloutSpec
from canarykit.argo.rollout_models import RolloutDocument
from canarykit.errors import AdoptionRefused, SpecError
from canarykit.kube.argo_rollout import describe
from canarykit.kube.client import JsonObject


def check_same_spec(argo: JsonObject, spec: RolloutSpec, template: Mapping[str, Any]) -> None:
    """`AdoptionRefused` unless `argo`'s spec is `spec`'s, its pod template `template` (+ server defaults)."""
    where = describe(argo)
    if spec.document is None:
        raise SpecError("adoption needs a Rollout loaded from YAML (canarykit.argo.load)")
    live = _live_document(argo, where)
    ours = spec.document.spec
    pairs = {
        "spec.strategy.canary": (live.spec.strategy.canary, ours.strategy.canary),
        "spec.replicas": (live.spec.replicas, ours.replicas),
        "spec.selector": (live.spec.selector, ours.selector),
    }
    for field, (theirs, mine) in pairs.items():
        if theirs != mine:
            raise AdoptionRefused(
                f"{where}: {field} differs from the file's: adopt it with the YAML Argo runs"
            )
    difference = first_difference(dict(template), (argo.get("spec") or {}).get("template") or {}, "")
    if difference is not None:
        raise AdoptionRefused(
            f"{where}: spec.template{difference} differs from the file's (with --image): the canary must be "
            "the version Argo was rolling out"
        )


def _live_document(argo: JsonObject, where: str) -> RolloutDocument:
    """The live spec through canarykit's own model (metadata and status, written by others, left out)."""
    metadata = argo.get("metadata") or {}
    document = {
        "apiVersion": argo.get("apiVersion"),
        "kind": argo.get("kind"),
        "metadata": {"name": metadata.get("name"), "namespace": metadata.get("namespace")},
        "spec": argo.get("spec") or {},
    }
    return validate(RolloutDocument, document, where)


def first_difference(mine: Any, live: Any, path: str) -> str | None:
    """The path of the first value of `mine` that `live` lacks or holds otherwise, None when none.

    `live` may have more mapping keys: the API server adds defaults (`protocol: TCP`) to what it stores.
    """
    if isinstance(mine, Mapping) and isinstance(live, Mapping):
        for key, value in mine.items():
            if key not in live:
                return f"{path}.{key}"
            found = first_difference(value, live[key], f"{path}.{key}")
            if found is not None:
                return found
        return None
    if isinstance(mine, list) and isinstance(live, list):
        if len(mine) != len(live):
            return path
        for index, (item, other) in enumerate(zip(mine, live, strict=True)):
            found = first_difference(item, other, f"{path}[{index}]")
            if found is not None:
                return found
        return None
    return None if mine == live else path
