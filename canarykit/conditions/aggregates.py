"""expr-lang's list builtins: `sum mean median min max count` and the results of `all any none one`."""

from __future__ import annotations

import functools
from typing import Any

from canarykit.conditions.access import as_bool, iterable, numeric
from canarykit.conditions.budget import charge
from canarykit.conditions.gotypes import is_array
from canarykit.conditions.operators import add, greater, less


def _numbers(arguments: tuple[Any, ...], function: str) -> list[Any]:
    """The numbers in `arguments`, arrays flattened (as expr's `min(1, [2, 3])`)."""
    found: list[Any] = []
    pending = list(reversed(arguments))
    while pending:
        item = pending.pop()
        if is_array(item):
            charge(len(item))
            pending.extend(reversed(item))
        else:
            found.append(numeric(item, function))
    return found


def total(values: Any) -> Any:
    """`sum(array)`: each element added to the running total (starting at int 0) with expr's `+`."""
    items = iterable(values, "sum")
    charge(len(items))
    running: Any = 0
    for item in items:
        running = add(item, running)
    return running


def mean(*arguments: Any) -> float:
    numbers = _numbers(arguments, "mean")
    if not numbers:
        return 0.0
    return float(functools.reduce(add, numbers, 0)) / len(numbers)


def median(*arguments: Any) -> float:
    numbers = sorted(_numbers(arguments, "median"))
    if not numbers:
        return 0.0
    middle = len(numbers) // 2
    if len(numbers) % 2:
        return float(numbers[middle])
    return float(numbers[middle - 1] + numbers[middle]) / 2


def minimum(*arguments: Any) -> Any:
    """`min(a, b, ...)` or `min(array)`: nil for an empty array."""
    best = None
    for number in _numbers(arguments, "min"):
        if best is None or less(number, best):
            best = number
    return best


def maximum(*arguments: Any) -> Any:
    best = None
    for number in _numbers(arguments, "max"):
        if best is None or greater(number, best):
            best = number
    return best


def count_true(values: Any) -> int:
    """`count(array)` without a predicate: how many elements are `true`."""
    items = iterable(values, "count")
    charge(len(items))
    return sum(1 for value in items if as_bool(value, "count"))


def all_true(flags: list[bool]) -> bool:
    return all(flags)


def any_true(flags: list[bool]) -> bool:
    return any(flags)


def none_true(flags: list[bool]) -> bool:
    return not any(flags)


def one_true(flags: list[bool]) -> bool:
    return flags.count(True) == 1
