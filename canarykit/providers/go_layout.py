"""Go's `time.Parse` layouts (`2006-01-02 15:04:05`): the layout's elements and the fields a value gives.

A port of `nextStdChunk` and the parse loop of Go's `time/format.go`, with its error messages.
"""

from __future__ import annotations

import re

from canarykit.durations import go_time_quote
from canarykit.providers.go_layout_elements import ZONES, Bad, Fields, read_element

_FIXED: tuple[str, ...] = (
    "January",
    "Monday",
    "2006",
    "__2",
    "002",
    "_2",
    "01",
    "02",
    "03",
    "04",
    "05",
    "06",
    "15",
)
_FIXED += ("PM", "pm", "Jan", "Mon", "MST")
_FRACTION = re.compile(r"[.,](0+|9+)(?![0-9])")


def next_chunk(layout: str) -> tuple[str, str, str]:
    """(text before, the first layout element, text after); the element is "" when there is none."""
    for index in range(len(layout)):
        rest = layout[index:]
        fraction = _FRACTION.match(rest)
        element = fraction.group(0) if fraction else _element_at(rest)
        if element:
            return layout[:index], element, rest[len(element) :]
    return layout, "", ""


def _element_at(rest: str) -> str:
    if rest.startswith("_2006"):
        return ""  # a literal "_" before 2006
    for element in (*ZONES, *_FIXED):
        if rest.startswith(element):
            if element in ("Jan", "Mon") and "a" <= rest[3:4] <= "z":
                continue
            return element
    return rest[0] if rest[0] in "12345" else ""


def parse_fields(layout: str, value: str) -> Fields:
    """The fields `value` gives under `layout`; raises `ValueError` with Go's `ParseError` text."""
    fields, original, rest, pm = Fields(), value, layout, ""
    while True:
        prefix, element, rest = next_chunk(rest)
        value = _skip(value, prefix, layout, original)
        if not element:
            if value:
                raise _error(original, f": extra text: {go_time_quote(value)}")
            break
        held = value
        try:
            fraction_next = next_chunk(rest)[1][:1] in (".", ",")
            value, range_error, marker = read_element(fields, element, value, fraction_next)
        except Bad:
            raise _element_error(layout, original, element, held) from None
        pm = marker or pm
        if range_error:
            raise _error(original, f": {range_error} out of range")
    _finish(fields, pm, original)
    return fields


def _finish(fields: Fields, pm: str, original: str) -> None:
    if pm == "PM" and fields.hour < 12:
        fields.hour += 12
    elif pm == "AM" and fields.hour == 12:
        fields.hour = 0
    fields.month = 1 if fields.month < 0 else fields.month
    fields.day = 1 if fields.day < 0 else fields.day
    if not 1 <= fields.day <= _days_in(fields.month, fields.year):
        raise _error(original, ": day out of range")


def _days_in(month: int, year: int) -> int:
    if month == 2:
        return 29 if year % 4 == 0 and (year % 100 != 0 or year % 400 == 0) else 28
    return 30 if month in (4, 6, 9, 11) else 31


def _skip(value: str, prefix: str, layout: str, original: str) -> str:
    """`value` after the literal `prefix` (runs of spaces match runs of spaces), as Go's `skip`."""
    left = prefix
    while left:
        if left[0] == " ":
            if value and value[0] != " ":
                raise _element_error(layout, original, prefix, value)
            left, value = left.lstrip(" "), value.lstrip(" ")
            continue
        if not value or value[0] != left[0]:
            raise _element_error(layout, original, prefix, value)
        left, value = left[1:], value[1:]
    return value


def _element_error(layout: str, value: str, element: str, value_element: str) -> ValueError:
    return ValueError(
        f"parsing time {go_time_quote(value)} as {go_time_quote(layout)}: cannot parse "
        f"{go_time_quote(value_element)} as {go_time_quote(element)}"
    )


def _error(value: str, message: str) -> ValueError:
    return ValueError(f"parsing time {go_time_quote(value)}{message}")
