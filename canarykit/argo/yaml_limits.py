"""A YAML loader with the Kubernetes API server's bounds: nesting depth, alias expansion, duplicate keys.

libyaml parses into events; composing them here counts every node as go-yaml (the API server's parser) would
decode it, aliases expanded, and refuses past its limits with a `YAMLError` before anything big is built:
  - an alias to a node still being built (`&a [*a]`): go-yaml's "anchor 'a' value contains itself";
  - excessive aliasing: go-yaml's rule, more than 100 nodes from aliases in a document of more than 1000 whose
    share from aliases exceeds 99 % up to 400,000 nodes, falling linearly to 10 % at 4,000,000;
  - nesting deeper than `MAX_DEPTH` levels, aliases expanded (checked as events arrive, before any recursion);
  - a key defined twice in one mapping (Kubernetes' strict decoding: `mapping key "x" already defined`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from yaml._yaml import CParser
from yaml.composer import Composer, ComposerError
from yaml.events import AliasEvent
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.resolver import Resolver

from canarykit.argo.yaml_constructor import KubernetesConstructor

MAX_DEPTH = 100
ALIAS_RATIO_LOW, ALIAS_RATIO_HIGH = 400_000, 4_000_000


def allowed_alias_ratio(decoded: int) -> float:
    """go-yaml's allowedAliasRatio: the share of decoded nodes that may come from aliases."""
    if decoded <= ALIAS_RATIO_LOW:
        return 0.99
    if decoded >= ALIAS_RATIO_HIGH:
        return 0.10
    return 0.99 - 0.89 * (decoded - ALIAS_RATIO_LOW) / (ALIAS_RATIO_HIGH - ALIAS_RATIO_LOW)


def excessive_aliasing(aliased: int, decoded: int) -> bool:
    """go-yaml's test, applied after each alias (equivalent: its ratio only grows inside an alias)."""
    return aliased > 100 and decoded > 1000 and aliased / decoded > allowed_alias_ratio(decoded)


class BoundedComposer(Composer):
    """Composes nodes while counting depth, decoded nodes and alias expansion (per document)."""

    check_event: Callable[..., bool]  # from the parser it is mixed with
    peek_event: Callable[[], Any]

    def __init__(self) -> None:
        super().__init__()
        self._reset_counts()

    def _reset_counts(self) -> None:
        self._depth = 0
        self._decoded = 0
        self._aliased = 0
        self._open: set[str] = set()
        self._sizes: dict[int, tuple[int, int]] = {}  # id(node) -> (expanded node count, height)

    def compose_document(self) -> Node | None:
        node: Node | None = super().compose_document()
        self._reset_counts()
        return node

    def compose_node(self, parent: Node | None, index: Any) -> Node | None:
        if self.check_event(AliasEvent):
            return self._compose_alias(parent, index)
        event = self.peek_event()
        self._enter(event.start_mark, event.anchor)
        node: Node | None = super().compose_node(parent, index)
        self._leave(event.anchor)
        if node is not None:
            self._measure(node)
        return node

    def _enter(self, mark: Any, anchor: str | None) -> None:
        self._depth += 1
        self._decoded += 1
        if self._depth > MAX_DEPTH:
            raise ComposerError(None, None, f"nesting deeper than {MAX_DEPTH} levels", mark)
        if anchor is not None:
            self._open.add(anchor)

    def _leave(self, anchor: str | None) -> None:
        self._depth -= 1
        if anchor is not None:
            self._open.discard(anchor)

    def _compose_alias(self, parent: Node | None, index: Any) -> Node | None:
        event = self.peek_event()
        if event.anchor in self._open:
            raise ComposerError(
                None, None, f"anchor '{event.anchor}' value contains itself", event.start_mark
            )
        node: Node | None = super().compose_node(parent, index)
        if node is None:
            return None
        size, height = self._sizes[id(node)]
        self._decoded += size
        self._aliased += size
        if self._depth + height > MAX_DEPTH:
            message = f"nesting deeper than {MAX_DEPTH} levels (through alias *{event.anchor})"
            raise ComposerError(None, None, message, event.start_mark)
        if excessive_aliasing(self._aliased, self._decoded):
            raise ComposerError(None, None, "document contains excessive aliasing", event.start_mark)
        return node

    def _measure(self, node: Node) -> None:
        children = _children(node)
        if isinstance(node, MappingNode):
            _check_unique_keys(node)
        sizes = [self._sizes[id(child)] for child in children]
        self._sizes[id(node)] = (1 + sum(s for s, _ in sizes), 1 + max((h for _, h in sizes), default=0))


def _children(node: Node) -> list[Node]:
    if isinstance(node, SequenceNode):
        return list(node.value)
    if isinstance(node, MappingNode):
        return [part for pair in node.value for part in pair]
    return []


def _check_unique_keys(node: MappingNode) -> None:
    seen: dict[tuple[str, str], Any] = {}
    for key, _ in node.value:
        if not isinstance(key, ScalarNode) or key.tag == "tag:yaml.org,2002:merge":
            continue
        if (key.tag, key.value) in seen:
            line = seen[(key.tag, key.value)].line + 1
            message = f'mapping key "{key.value}" already defined at line {line}'
            raise ComposerError(None, None, message, key.start_mark)
        seen[(key.tag, key.value)] = key.start_mark


class BoundedLoader(BoundedComposer, CParser, KubernetesConstructor, Resolver):
    """libyaml's parser, the bounded composer, go-yaml-like constructors, YAML 1.1 resolution."""

    def __init__(self, stream: bytes) -> None:
        CParser.__init__(self, stream)
        BoundedComposer.__init__(self)
        KubernetesConstructor.__init__(self)
        Resolver.__init__(self)


def load_all(data: bytes) -> Iterator[Any]:
    """Every document of `data` (UTF-8), built by `BoundedLoader`."""
    loader = BoundedLoader(data)
    try:
        while loader.check_node():
            yield loader.construct_document(loader.get_node())
    finally:
        loader.dispose()
