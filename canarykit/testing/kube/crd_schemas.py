"""The CRD schemas the fake validates custom resources against, shipped as package data in `schemas/`.

Each `schemas/<plural>.json` is the `openAPIV3Schema` of one served version of a CustomResourceDefinition,
descriptions removed, with where it came from. Refresh them from the CRD YAML files of a Gateway API release
(`config/crd/standard/gateway.networking.k8s.io_httproutes.yaml`, ...):

    python -m canarykit.testing.kube.crd_schemas canarykit/testing/kube/schemas \
        httproutes.yaml grpcroutes.yaml
"""

from __future__ import annotations

import hashlib
import json
import sys
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

SCHEMA_PACKAGE = "canarykit.testing.kube"
SCHEMA_DIR = "schemas"
SERVED_VERSION = "v1"


@cache
def crd_schema(plural: str) -> dict[str, Any] | None:
    """The stored schema document of a custom resource (`httproutes`), or None when none is shipped."""
    path = resources.files(SCHEMA_PACKAGE).joinpath(SCHEMA_DIR, f"{plural}.json")
    if not path.is_file():
        return None
    document: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return document


def compact_crd(
    crd: dict[str, Any], source: str, digest: str, version: str = SERVED_VERSION
) -> dict[str, Any]:
    """The schema document of one version of a CRD: names, provenance and the schema without descriptions."""
    spec = crd["spec"]
    served = [entry for entry in spec["versions"] if entry["name"] == version]
    if not served:
        raise ValueError(f"{crd['metadata']['name']} has no version {version}")
    annotations = crd["metadata"].get("annotations") or {}
    return {
        "group": spec["group"],
        "kind": spec["names"]["kind"],
        "plural": spec["names"]["plural"],
        "version": version,
        "bundleVersion": annotations.get("gateway.networking.k8s.io/bundle-version", ""),
        "channel": annotations.get("gateway.networking.k8s.io/channel", ""),
        "source": source,
        "sourceSha256": digest,
        "openAPIV3Schema": without_descriptions(served[0]["schema"]["openAPIV3Schema"]),
    }


def without_descriptions(node: Any) -> Any:
    """A copy of a schema with every `description` removed (the validator never reads them)."""
    if isinstance(node, dict):
        return {key: without_descriptions(value) for key, value in node.items() if key != "description"}
    if isinstance(node, list):
        return [without_descriptions(item) for item in node]
    return node


def refresh(out_dir: Path, crd_files: list[Path]) -> list[Path]:
    """Write `<plural>.json` into `out_dir` for each CRD YAML file; returns the paths written."""
    written = []
    for crd_file in crd_files:
        raw = crd_file.read_bytes()
        crd = yaml.safe_load(raw)
        document = compact_crd(crd, crd_file.name, hashlib.sha256(raw).hexdigest())
        target = out_dir / f"{document['plural']}.json"
        target.write_text(
            json.dumps(document, separators=(",", ":"), sort_keys=True) + "\n", encoding="utf-8"
        )
        written.append(target)
    return written


def main(argv: list[str]) -> int:
    """`python -m canarykit.testing.kube.crd_schemas OUT_DIR CRD.yaml...`."""
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    for path in refresh(Path(argv[0]), [Path(name) for name in argv[1:]]):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
