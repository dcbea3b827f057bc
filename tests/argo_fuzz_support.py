"""Fuzzed inputs for the Argo loader: arbitrary bytes, YAML-like text, and mutations of the reference files.

One generator (`random_case`, driven by a `random.Random`) serves both the hypothesis strategies of the suite
(`st.randoms` feeds it, so hypothesis derandomizes and shrinks) and `fuzz_loader`, which the benchmark runs
for 10,000+ inputs without hypothesis. A case loads through the public API, from text or from a file; the
property: it loads (and its result has a `repr`) or raises a `CanaryError`, nothing else.
"""

from __future__ import annotations

import copy
import random
import tempfile
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from hypothesis import strategies as st

from canarykit.argo import load, load_analysis_template
from canarykit.argo.documents import read_documents

DATA = Path(__file__).parent / "data"
ROLLOUT = (DATA / "rollout.yaml").read_text()
TEMPLATE = (DATA / "analysis-template.yaml").read_text()
LOADED = "loaded"

SCALARS: tuple[Any, ...] = (
    *("oops", "", "{{args.ingress}}", "{{args.nope}}", "{{", "10s", "-1s", "99999999999999999999h", "1:2:3"),
    *("2024-02-30", "result[0] > 0.9", "result[0] >", "(a+)+$", "=", "é\u2028", "\ud800", "0x" + "f" * 40),
    *(0, -1, 1, 3, 2**63, 10**30, 1.5, float("nan"), float("inf"), True, None),
)
KEYS = (
    *(
        "web",
        "prometheus",
        "datadog",
        "job",
        "plugin",
        "valueFrom",
        "labels",
        "metadata",
        "templates",
        "name",
    ),
    *("count", "failureLimit", "inconclusiveLimit", "interval", "successCondition", "jsonBody", "headers"),
    *("args", "steps", "setWeight", "pause", "analysis", "setHeaderRoute", "match", "dryRun", "template"),
    *("spec", "containers", "<<", "authentication", "basicAuth", "startingStep", "timeout", "query"),
)
SNIPPETS: tuple[Any, ...] = (
    {"url": "http://127.0.0.1:1/", "headers": [{"key": "Authorization", "value": "s3"}]},
    {"secretKeyRef": {"name": "s", "key": "k"}},
    [{"name": "ingress", "valueFrom": {"secretKeyRef": {"name": "s", "key": "k"}}}],
    [{"headerName": "x", "headerValue": {"regex": "("}}],
    [{"metricName": "("}],
    {"setHeaderRoute": {"name": "h", "match": ["oops"]}},
    {"setHeaderRoute": {"name": "h", "match": [{"headerName": ["x"], "headerValue": {"exact": 1}}]}},
    {"metadata": {"labels": "oops"}, "spec": {"containers": ["oops"]}},
)
SOUP = (
    *("{", "}", "[", "]", ": ", "- ", "\n", "  ", "\t", "&a ", "*a", "!!int ", "!!bool ", "!!set ", '"', "'"),
    *("---\n", "<<: ", "? ", "|\n", "#", "%YAML 1.1\n", "kind: Rollout\n", "a", "9" * 30),
)
EDITS = ("drop", "replace", "retype", "duplicate", "add", "nest", "alias", "bomb", "loop")
EDIT_WEIGHTS = (6, 8, 4, 4, 6, 2, 2, 1, 1)
ENCODINGS = ("utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "utf-32", "latin-1", "cp1252")


@dataclass(frozen=True)
class Case:
    """One input: what to load it as (`rollout`, `template` or `documents`) and its content."""

    target: str
    content: str | bytes


def random_case(rng: random.Random) -> Case:
    """A random input: raw bytes, YAML-like text, or a mutated reference document (most often)."""
    kind = rng.choices(("bytes", "text", "rollout", "template"), weights=(1, 2, 4, 4))[0]
    if kind == "bytes":
        return Case(rng.choice(("rollout", "template", "documents")), rng.randbytes(rng.randrange(300)))
    if kind == "text":
        return Case(rng.choice(("rollout", "template", "documents")), yaml_soup(rng))
    document = mutated(yaml.safe_load(ROLLOUT if kind == "rollout" else TEMPLATE), rng)
    return Case(kind, serialized(document, rng))


def yaml_soup(rng: random.Random) -> str:
    """Text built from YAML's punctuation, indicators, tags and odd scalars."""
    return "".join(rng.choice(SOUP) for _ in range(rng.randrange(60)))


def mutated(document: Any, rng: random.Random) -> Any:
    """`document` after one to three random edits: drop, replace, retype, duplicate, add, nest or alias."""
    for _ in range(rng.randint(1, 3)):
        path = rng.choice(_paths(document))
        parent, key = _locate(document, path)
        if parent is None:
            continue
        edit = rng.choices(EDITS, weights=EDIT_WEIGHTS)[0]
        _edit(parent, key, edit, rng)
    return document


def _edit(parent: Any, key: Any, edit: str, rng: random.Random) -> None:
    value = parent[key]
    if edit == "drop":
        del parent[key]
    elif edit == "replace":
        parent[key] = copy.deepcopy(rng.choice((*SCALARS, *SNIPPETS)))
    elif edit == "retype":
        parent[key] = [value] if isinstance(value, dict) else {"k": value} if rng.random() < 0.5 else "oops"
    elif edit == "duplicate" and isinstance(value, list) and value:
        value.append(copy.deepcopy(rng.choice(value)))
    elif edit == "add" and isinstance(value, dict):
        value[rng.choice(KEYS)] = copy.deepcopy(rng.choice((*SCALARS, *SNIPPETS)))
    elif edit == "nest":
        for _ in range(rng.choice((5, 60, 99, 101, 400))):
            value = [value]
        parent[key] = value
    elif edit == "alias":
        shared = copy.deepcopy(value)
        parent[key] = [shared] * rng.randint(2, 4)
    elif edit == "bomb":
        parent[key] = laughs(rng.randint(2, 9))
    elif edit == "loop":
        looped: list[Any] = []
        looped.append(looped)
        parent[key] = looped


def laughs(levels: int) -> list[Any]:
    """A billion-laughs structure: `levels` lists of 9 references to the one below (YAML dumps aliases)."""
    level: list[Any] = ["lol"] * 9
    for _ in range(levels):
        level = [level] * 9
    return level


def serialized(document: Any, rng: random.Random) -> str | bytes:
    """`document` as YAML text, sometimes truncated, sometimes as bytes in another encoding."""
    try:
        text = yaml.safe_dump(document, allow_unicode=rng.random() < 0.5, sort_keys=False)
    except (yaml.YAMLError, RecursionError):  # a self-referencing list: PyYAML writes it as &id001 [*id001]
        text = "a: &x [*x]\n"
    if rng.random() < 0.1:
        text = text[: rng.randrange(len(text) + 1)]
    if rng.random() < 0.15:
        return text.encode(rng.choice(ENCODINGS), errors="replace")
    return text


def _paths(document: Any) -> list[tuple[Any, ...]]:
    """Paths to every node, each shared (aliased) container walked once."""
    found: list[tuple[Any, ...]] = []
    seen: set[int] = set()
    stack: list[tuple[Any, tuple[Any, ...]]] = [(document, ())]
    while stack and len(found) < 2000:
        node, path = stack.pop()
        found.append(path)
        if isinstance(node, (dict, list)) and id(node) not in seen and len(path) < 12:
            seen.add(id(node))
            children = node.items() if isinstance(node, dict) else enumerate(node)
            stack.extend((child, (*path, key)) for key, child in children)
    return found


def _locate(document: Any, path: tuple[Any, ...]) -> tuple[Any, Any]:
    if not path:
        return None, None
    parent = document
    for key in path[:-1]:
        parent = parent[key]
    return parent, path[-1]


def load_case(case: Case, directory: Path) -> None:
    """Load `case` through the public API (bytes from a file, text as given); `repr` what loaded.

    A template's metrics are built too (every arg given), as a run would build them.
    """
    source: str | Path = case.content if isinstance(case.content, str) else directory / "input.yaml"
    if isinstance(case.content, bytes):
        Path(source).write_bytes(case.content)
    if case.target == "rollout":
        repr(load(source, TEMPLATE))
    elif case.target == "template":
        template = load_analysis_template(source)
        repr(template.metrics(dict.fromkeys(template.argument_names, "v"), prometheus="http://127.0.0.1:9"))
        repr(load(ROLLOUT, source))
    else:
        repr(read_documents(source))


def outcome(case: Case, directory: Path) -> str:
    """`loaded`, or the class name of what loading raised (anything but a `CanaryError` is a defect)."""
    try:
        load_case(case, directory)
    except Exception as error:  # a CanaryError is expected; any other class is a defect, counted by name
        return type(error).__name__
    return LOADED


def fuzz_loader(count: int, seed: int) -> dict[str, int]:
    """Load `count` random cases from `seed`; outcome name -> count (non-CanaryErrors under their class)."""
    rng = random.Random(seed)
    with tempfile.TemporaryDirectory() as directory:
        counts = Counter(outcome(random_case(rng), Path(directory)) for _ in range(count))
    return dict(counts)


def cases() -> st.SearchStrategy[Case]:
    """Hypothesis: mutated references, YAML-like text or bytes, drawn through `random_case`."""
    return st.randoms(use_true_random=False).map(random_case)


def arbitrary_bytes() -> st.SearchStrategy[Case]:
    """Hypothesis: arbitrary bytes in a file, behind an optional byte-order mark."""
    boms = st.sampled_from((b"", b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\xff\xfe\x00\x00"))
    targets = st.sampled_from(("rollout", "template", "documents"))
    return st.builds(
        lambda target, bom, data: Case(target, bom + data), targets, boms, st.binary(max_size=400)
    )


def yaml_texts() -> st.SearchStrategy[Case]:
    """Hypothesis: YAML dumped from arbitrary JSON-like values, and arbitrary text."""
    scalars = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20)
    values = st.recursive(
        scalars, lambda inner: st.lists(inner) | st.dictionaries(st.text(max_size=8), inner)
    )
    dumped = values.map(lambda value: yaml.safe_dump(value, allow_unicode=True))
    targets = st.sampled_from(("rollout", "template", "documents"))
    return st.builds(Case, targets, dumped | st.text(max_size=300))
