"""Argo Rollouts' own YAML (examples/, docs/, test/e2e/) from a checkout or a bare mirror, classified.

YAML files are read whole; Markdown files give each fenced block tagged yaml (or untagged) as a source,
a `...` line in it being an elision (dropped, and the document marked `elided`). Documents of kind
Rollout, AnalysisTemplate and ClusterAnalysisTemplate are kept; the functions below classify them.
"""

from __future__ import annotations

import re
import subprocess
import textwrap
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

import yaml

AREAS = ("examples/", "docs/", "test/e2e/")
KINDS = ("Rollout", "AnalysisTemplate", "ClusterAnalysisTemplate")
TEMPLATE_KINDS = KINDS[1:]
PROVIDERS = ("prometheus", "web", "job", "datadog")
ANALYSIS_FIELDS = ("analysis", "prePromotionAnalysis", "postPromotionAnalysis")
_ELISIONS = ("...", "# ...")
_FENCE = re.compile(r"([ \t]*)```[ \t]*([\w+-]*)")


@dataclass(frozen=True)
class Document:
    """One kept document: where it came from (`path`, `block` for Markdown) and its parsed body."""

    path: str
    block: int | None
    body: dict[str, Any]
    elided: bool = False
    """The snippet leaves parts out (a `...` line): a fragment, not a whole document."""

    @property
    def kind(self) -> str:
        return str(self.body["kind"])

    @property
    def name(self) -> str:
        return str((self.body.get("metadata") or {}).get("name", ""))

    @property
    def label(self) -> str:
        return self.path if self.block is None else f"{self.path}#{self.block}"

    @property
    def directory(self) -> str:
        return str(PurePosixPath(self.path).parent)


@dataclass
class Corpus:
    """Every kept document, and the sources that were not YAML (Helm templates, shell, broken snippets)."""

    documents: list[Document] = field(default_factory=list)
    sources: int = 0
    unparsable: list[str] = field(default_factory=list)


def read_corpus(root: Path, revision: str = "HEAD") -> Corpus:
    """The corpus of a checkout (a directory holding examples/) or of a bare git mirror at `revision`."""
    corpus = Corpus()
    for path, text in _files(root, revision):
        markdown = path.endswith(".md")
        for number, block in enumerate(_blocks(text) if markdown else [text], 1):
            corpus.sources += 1
            where = number if markdown else None
            kept = [line for line in block.splitlines() if line.strip() not in _ELISIONS]
            try:
                bodies = [body for body in yaml.safe_load_all("\n".join(kept)) if isinstance(body, dict)]
            except yaml.YAMLError:
                corpus.unparsable.append(Document(path, where, {}).label)
                continue
            elided = len(kept) < len(block.splitlines())
            documents = [Document(path, where, body, elided) for body in bodies if body.get("kind") in KINDS]
            corpus.documents += documents
    return corpus


def _blocks(markdown: str) -> list[str]:
    """The fenced blocks tagged yaml, or untagged, dedented (fences may be indented in lists and tabs)."""
    blocks: list[str] = []
    opened: tuple[str, list[str]] | None = None
    for line in markdown.splitlines():
        fence = _FENCE.fullmatch(line.rstrip())
        if opened is None:
            if fence:
                opened = (fence.group(2).lower(), [])
        elif fence and not fence.group(2):
            if opened[0] in ("", "yaml", "yml"):
                blocks.append(textwrap.dedent("\n".join(opened[1])))
            opened = None
        else:
            opened[1].append(line)
    return blocks


def _files(root: Path, revision: str) -> Iterator[tuple[str, str]]:
    if (root / "examples").is_dir():
        for path in sorted(root.rglob("*")):
            relative = path.relative_to(root).as_posix()
            if path.is_file() and _wanted(relative):
                yield relative, path.read_text(encoding="utf-8", errors="replace")
        return
    listing = _git(root, "ls-tree", "-r", "--name-only", revision)
    for relative in listing.splitlines():
        if _wanted(relative):
            yield relative, _git(root, "show", f"{revision}:{relative}")


def _wanted(path: str) -> bool:
    return path.startswith(AREAS) and path.endswith((".yaml", ".yml", ".md"))


def _git(root: Path, *arguments: str) -> str:
    done = subprocess.run(["git", "-C", str(root), *arguments], capture_output=True, check=True)
    return done.stdout.decode("utf-8", errors="replace")


def is_whole(document: Document) -> bool:
    """A whole manifest, not a snippet: nothing elided, a name, and the parts the API server requires
    (a Rollout's selector and pod template or workloadRef, a template's metrics)."""
    body = document.body
    spec = body.get("spec") or {}
    if document.elided or not (body.get("metadata") or {}).get("name") or not isinstance(spec, dict):
        return False
    if document.kind == "Rollout":
        return bool(spec.get("workloadRef") or (spec.get("selector") and spec.get("template")))
    return bool(spec.get("metrics") or spec.get("templates"))


def providers_of(template: Mapping[str, Any]) -> set[str]:
    """The providers a template's metrics use: prometheus, web, job, datadog, or `other` (plugins...)."""
    found: set[str] = set()
    for metric in (template.get("spec") or {}).get("metrics") or []:
        for name in (metric or {}).get("provider") or {}:
            found.add(name if name in PROVIDERS else "other")
    return found


def routing_of(rollout: Mapping[str, Any]) -> str:
    """`nginx`, `none` (no trafficRouting), `other` (another router), or `blueGreen`."""
    strategy = (rollout.get("spec") or {}).get("strategy") or {}
    if "canary" not in strategy:
        return "blueGreen" if "blueGreen" in strategy else "none"
    routing = (strategy.get("canary") or {}).get("trafficRouting")
    if not routing:
        return "none"
    routers = {key for key in routing if key not in ("maxTrafficWeight", "managedRoutes")}
    return "nginx" if routers == {"nginx"} else "other"


def _analyses(rollout: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The Rollout's analyses: the background one and each analysis step's (canary or blueGreen)."""
    strategy = (rollout.get("spec") or {}).get("strategy") or {}
    found: list[dict[str, Any]] = []
    for kind in ("canary", "blueGreen"):
        part = strategy.get(kind) or {}
        found += [part.get(name) or {} for name in ANALYSIS_FIELDS]
        found += [(step or {}).get("analysis") or {} for step in part.get("steps") or []]
    return found


def rollout_arg_values(rollout: Mapping[str, Any]) -> dict[str, str]:
    """The analysis args the Rollout gives a plain value."""
    return {
        str(arg["name"]): str(arg["value"])
        for analysis in _analyses(rollout)
        for arg in analysis.get("args") or []
        if isinstance(arg, dict) and "name" in arg and "value" in arg
    }


def template_references(rollout: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(kind, name) of every template the Rollout's analyses name."""
    references = []
    for analysis in _analyses(rollout):
        for reference in analysis.get("templates") or []:
            kind = "ClusterAnalysisTemplate" if reference.get("clusterScope") else "AnalysisTemplate"
            references.append((kind, str(reference.get("templateName", ""))))
    return references
