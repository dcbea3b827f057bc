"""Blue-green's weight-order rule: the active side only ever goes 0 -> max (once), then max -> 0; never
between, and never back to the new version once it went back to stable."""

from __future__ import annotations

from collections.abc import Sequence

ALLOWED = (0, 100, 0)
"""The moves in order; a move may repeat (a resumed driver applies its pending weight again)."""


def active_order_problem(weights: Sequence[int], max_weight: int = 100) -> str | None:
    """Why `weights` (asked of the router, or in the record) break the rule, or None."""
    for position, weight in enumerate(weights):
        if weight not in (0, max_weight):
            return f"weight {weight} at position {position} is between 0 and {max_weight}: {list(weights)}"
    moves = [
        weight for position, weight in enumerate(weights) if position == 0 or weights[position - 1] != weight
    ]
    allowed = [0 if weight == 0 else max_weight for weight in ALLOWED]
    if not _in_order(moves, allowed):
        return f"the active side moved {moves}; want a part of {allowed} in order: {list(weights)}"
    return None


def _in_order(moves: list[int], allowed: list[int]) -> bool:
    """Whether `moves` is `allowed` with some of its items left out."""
    remaining = iter(allowed)
    return all(any(move == candidate for candidate in remaining) for move in moves)
