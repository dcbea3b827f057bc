"""Valid JSON containers matched by RE2 in one call: the fast path of the Go scanner port (`go_json`).

Only arrays and objects are skipped this way, never a bare scalar: where a scalar ends, the next bytes
decide Go's message. Nesting is bounded (`FAST_DEPTH`) so the scanner can still count Go's 10,000 levels.
"""

from __future__ import annotations

from typing import Any

import re2

FAST_DEPTH = 3


def _valid_containers(depth: int) -> bytes:
    """A pattern for arrays and objects of valid JSON nested at most `depth` deep (no other value)."""
    space = rb"[ \t\r\n]*"
    string = rb'"(?:[^"\\\x00-\x1f]|\\["\\/bfnrt]|\\u[0-9a-fA-F]{4})*"'
    scalar = rb"(?:" + string + rb"|-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?|true|false|null)"
    inner = scalar
    for _ in range(depth):
        item = space + inner + space
        pair = space + string + space + rb":" + item
        array = rb"\[(?:" + item + rb"(?:," + item + rb")*|" + space + rb")\]"
        obj = rb"\{(?:" + pair + rb"(?:," + pair + rb")*|" + space + rb")\}"
        containers = rb"(?:" + array + rb"|" + obj + rb")"
        inner = rb"(?:" + scalar + rb"|" + containers + rb")"
    return containers


def _linear(pattern: bytes) -> Any:
    """`pattern` compiled by RE2: linear time whatever the input, so a hostile body cannot make it crawl."""
    options = re2.Options()
    options.max_mem = 64 << 20
    options.log_errors = False
    return re2.compile(pattern, options)


VALID_CONTAINER = _linear(_valid_containers(FAST_DEPTH))
"""Skips, in one step, what Go's scanner would accept byte by byte (only containers: a scalar ends where
the bytes after it decide Go's message)."""
VALID_RUN = _linear(rb"(?:[ \t\r\n]*,[ \t\r\n]*" + _valid_containers(FAST_DEPTH) + rb")*")
"""More array elements that are such containers (a Prometheus result: one call for all its samples)."""
