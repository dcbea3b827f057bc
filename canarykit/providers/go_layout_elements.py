"""The elements of a Go time layout, each read from the start of a value into `Fields`."""

from __future__ import annotations

import re
from dataclasses import dataclass

_MONTHS: tuple[str, ...] = ("January", "February", "March", "April", "May", "June", "July")
_MONTHS += ("August", "September", "October", "November", "December")
_DAYS = ("Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday")
ZONES = ("-07:00:00", "-070000", "-0700", "-07:00", "-07", "Z07:00:00", "Z070000", "Z0700", "Z07:00", "Z07")


class Bad(Exception):
    """A layout element did not match the value here."""


@dataclass
class Fields:
    """What a value gave for each element (Go's defaults when absent)."""

    year: int = 0
    month: int = -1
    day: int = -1
    hour: int = 0
    minute: int = 0
    second: int = 0
    nanosecond: int = 0
    offset: int | None = None
    utc: bool = False
    zone_name: str = ""
    gmt_offset: int = 0


def read_element(fields: Fields, element: str, value: str, fraction_next: bool) -> tuple[str, str, str]:
    """Read one element into `fields`: (the value left, a range error, an AM/PM marker).

    `fraction_next`: the layout's next element is a fractional second.
    """
    if element in ("2006", "06"):
        size = len(element)
        if len(value) < size or (size == 4 and not _is_digit(value[:1])):
            raise Bad
        fields.year = _atoi(value[:size])
        if size == 2:
            fields.year += 1900 if fields.year >= 69 else 2000
        return value[size:], "", ""
    if element in ("January", "Jan"):
        names = _MONTHS if element == "January" else tuple(name[:3] for name in _MONTHS)
        index, value = _lookup(names, value)
        fields.month = index + 1
        return value, "", ""
    if element in ("Monday", "Mon"):
        names = _DAYS if element == "Monday" else tuple(name[:3] for name in _DAYS)
        return _lookup(names, value)[1], "", ""
    if element in ("PM", "pm"):
        marker = value[:2]
        if marker not in (("PM", "AM") if element == "PM" else ("pm", "am")):
            raise Bad
        return value[2:], "", marker.upper()
    if element in ZONES:
        return _zone(fields, element, value)
    if element == "MST":
        return _zone_name(fields, value), "", ""
    if element[0] in ".,":
        return _fraction(fields, element, value)
    return _number(fields, element, value, fraction_next)


def _number(fields: Fields, element: str, value: str, fraction_next: bool) -> tuple[str, str, str]:
    if element in ("__2", "002"):
        raise Bad  # a day of the year: not read here
    if element == "_2" and value[:1] == " ":
        value = value[1:]
    number, value = _getnum(value, fixed=element in ("01", "02", "03", "04", "05"))
    target, low, high = {
        "1": ("month", 1, 12), "01": ("month", 1, 12), "2": ("day", 0, 99), "_2": ("day", 0, 99),
        "02": ("day", 0, 99), "15": ("hour", 0, 23), "3": ("hour", 0, 12), "03": ("hour", 0, 12),
        "4": ("minute", 0, 59), "04": ("minute", 0, 59), "5": ("second", 0, 59), "05": ("second", 0, 59),
    }[element]  # fmt: skip
    setattr(fields, target, number)
    if not low <= number <= high:
        return value, target, ""
    if target == "second" and not fraction_next:
        return _fraction(fields, ".9", value)  # a fraction the layout does not show is read all the same
    return value, "", ""


def _fraction(fields: Fields, element: str, value: str) -> tuple[str, str, str]:
    if element[1] == "0":
        size = len(element)
        if len(value) < size:
            raise Bad
    elif len(value) < 2 or value[0] not in ".," or not _is_digit(value[1]):
        return value, "", ""
    else:
        size = 1 + len(value[1:]) - len(value[1:].lstrip("0123456789"))
    if value[0] not in ".," or not all(map(_is_digit, value[1:size])):
        raise Bad
    digits = value[1:size][:9]
    fields.nanosecond = int(digits) * 10 ** (9 - len(digits))
    return value[size:], "", ""


def _zone(fields: Fields, element: str, value: str) -> tuple[str, str, str]:
    if element.startswith("Z") and value[:1] == "Z":
        fields.utc = True
        return value[1:], "", ""
    shape = element.lstrip("Z-")  # 07:00:00, 070000, 0700, 07:00, 07
    size = 1 + len(shape)
    if len(value) < size or any(a == ":" and b != ":" for a, b in zip(shape, value[1:size], strict=True)):
        raise Bad
    digits = value[1:size].replace(":", "") + "0000"
    hours, minutes, seconds = (_getnum(digits[i : i + 2], fixed=True)[0] for i in (0, 2, 4))
    over = [
        name for name, number in (("hour", hours), ("minute", minutes), ("second", seconds)) if number > 60
    ]
    over += ["hour"] if hours > 24 else []
    if value[0] not in "+-" and not over:
        raise Bad
    offset = (hours * 60 + minutes) * 60 + seconds
    fields.offset = -offset if value[0] == "-" else offset
    return value[size:], f"time zone offset {over[-1]}" if over else "", ""


def _zone_name(fields: Fields, value: str) -> str:
    if value.startswith("UTC"):
        fields.utc = True
        return value[3:]
    size = _zone_name_size(value)
    if not size:
        raise Bad
    fields.zone_name = value[:size]
    if size > 3 and value.startswith("GMT"):
        fields.gmt_offset = int(value[3:size]) * 3600
    return value[size:]


def _zone_name_size(value: str) -> int:
    """Go's `parseTimeZone`: how long the zone abbreviation at the start of `value` is (0: none)."""
    if len(value) < 3:
        return 0
    if value[:4] in ("ChST", "MeST"):
        return 4
    if value.startswith("GMT"):
        return 3 + _signed_offset_size(value[3:])
    if value[0] in "+-":
        return _signed_offset_size(value)
    upper = len(value[:6]) - len(value[:6].lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
    if upper == 3 or (upper == 4 and (value[3] == "T" or value[:4] == "WITA")):
        return upper
    return 5 if upper == 5 and value[4] == "T" else 0


def _signed_offset_size(value: str) -> int:
    digits = re.match(r"[+-]([0-9]+)", value)
    return len(digits.group(0)) if digits and int(digits.group(1)) <= 23 else 0


def _lookup(names: tuple[str, ...], value: str) -> tuple[int, str]:
    for index, name in enumerate(names):
        if value[: len(name)].lower() == name.lower():
            return index, value[len(name) :]
    raise Bad


def _is_digit(char: str) -> bool:
    return len(char) == 1 and "0" <= char <= "9"


def _getnum(value: str, fixed: bool) -> tuple[int, str]:
    if not _is_digit(value[:1]):
        raise Bad
    if not _is_digit(value[1:2]):
        if fixed:
            raise Bad
        return int(value[0]), value[1:]
    return int(value[:2]), value[2:]


def _atoi(text: str) -> int:
    if not re.fullmatch(r"[+-]?[0-9]+", text):
        raise Bad
    return int(text)
