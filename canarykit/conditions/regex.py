"""`matches` as Argo evaluates it: Go's `regexp` syntax and semantics, in linear time, with google-re2.

RE2 is the engine Go's `regexp` copies: no backtracking, so no pattern takes exponential time. Patterns and
texts are matched as UTF-8 (a lone surrogate reads as U+FFFD, as Go's JSON decoder gives it); the search is
unanchored, as Go's `MatchString`. Errors read as Go's: ``error parsing regexp: missing closing ]: `[+` ``.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any

import re2

from canarykit.conditions.budget import charge
from canarykit.conditions.conversions import conversion_error
from canarykit.conditions.limits import MAX_CACHED_REGEXES, MAX_REGEX_LENGTH, MAX_REGEX_MEMORY
from canarykit.conditions.regex_syntax import GoError, go_only_error, unmatched_paren
from canarykit.errors import ConditionEvaluationError

_GO_CODES = {
    "missing ]": "missing closing ]",
    "missing )": "missing closing )",
    "unexpected )": "unexpected )",
    "trailing \\": "trailing backslash at end of expression",
    "no argument for repetition operator": "missing argument to repetition operator",
    "bad repetition operator": "invalid nested repetition operator",
    "invalid repetition size": "invalid repeat count",
    "invalid perl operator": "invalid or unsupported Perl syntax",
    "invalid named capture group": "invalid named capture",
    "invalid escape sequence": "invalid escape sequence",
    "invalid character class range": "invalid character class range",
    "invalid character class": "invalid character class",
    "invalid UTF-8": "invalid UTF-8",
    "pattern too large - compile failed": "expression too large",
}
"""RE2's error texts -> Go's `regexp/syntax` error codes."""
_RE2_CODES_LONGEST_FIRST = sorted(_GO_CODES, key=len, reverse=True)
_WHOLE_PATTERN_CODES = frozenset({"missing closing )", "unexpected )", "expression too large"})
"""Go names the whole pattern in these errors, found only at its end (or its size)."""

Regex = Any  # re2's compiled pattern (the binding has no type information)


def _options() -> Any:
    options = re2.Options()
    options.max_mem = MAX_REGEX_MEMORY
    options.log_errors = False  # errors are raised, never printed to stderr
    return options


_OPTIONS = _options()
_CACHE: OrderedDict[str, Regex] = OrderedDict()
_LOCK = threading.Lock()
_SEARCH_COST_DIVISOR = 2048
_SMALLEST_COST = 8
"""A search costs (text length x program size) / 2048 work units, the size counted as 8 at least: RE2's DFA
reads about 3 ns per character, its NFA (when the DFA runs out of memory) about 0.6 ns per character and
instruction, so the work budget stays near 1 s either way."""


def matches(text: Any, pattern: Any) -> bool:
    """`text matches pattern`: whether the pattern matches anywhere in the text."""
    if text is None or pattern is None:  # expr's run time: nil matches nothing, and nothing matches nil
        return False
    if type(pattern) is not str:
        raise conversion_error(pattern, "string")
    if type(text) is not str:
        raise conversion_error(text, "[]uint8")
    regex, compiled_now = _cached(pattern)
    size = regex.programsize
    if compiled_now:
        charge(size)
    charge(1 + len(text) * max(size, _SMALLEST_COST) // _SEARCH_COST_DIVISOR)
    return regex.search(_utf8(text)) is not None


def compile_regex(pattern: str) -> Regex:
    """The compiled pattern (kept in a bounded cache); raises `ConditionEvaluationError` as Go words it."""
    return _cached(pattern)[0]


def cached_regex_count() -> int:
    """How many compiled patterns the cache holds (at most `limits.MAX_CACHED_REGEXES`)."""
    with _LOCK:
        return len(_CACHE)


def _cached(pattern: str) -> tuple[Regex, bool]:
    """(the compiled pattern, whether it was compiled by this call rather than found in the cache)."""
    with _LOCK:
        regex = _CACHE.get(pattern)
        if regex is not None:
            _CACHE.move_to_end(pattern)
            return regex, False
    regex = _compile(pattern)
    with _LOCK:
        _CACHE[pattern] = regex
        while len(_CACHE) > MAX_CACHED_REGEXES:
            _CACHE.popitem(last=False)
    return regex, True


def _compile(pattern: str) -> Regex:
    if len(pattern) > MAX_REGEX_LENGTH:
        raise ConditionEvaluationError(
            f"error parsing regexp: expression too large: longer than {MAX_REGEX_LENGTH} characters"
        )
    go_only = go_only_error(pattern)
    try:
        regex = re2.compile(_utf8(pattern), _OPTIONS)
    except re2.error as error:
        found = _go_error(pattern, _re2_text(error))
        first = go_only if go_only is not None and go_only[2] <= found[2] else found
        raise ConditionEvaluationError(_format(first)) from None
    if go_only is not None:
        raise ConditionEvaluationError(_format(go_only))
    return regex


def _utf8(text: str) -> bytes:
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:  # lone surrogates: a pair becomes its character, a single one U+FFFD
        return text.encode("utf-16", "surrogatepass").decode("utf-16", "replace").encode("utf-8")


def _re2_text(error: Exception) -> str:
    detail = error.args[0] if error.args else ""
    return detail.decode("utf-8", "replace") if isinstance(detail, bytes) else str(detail)


def _split_re2_error(text: str) -> tuple[str, str] | None:
    """(RE2's error code, the text it names) from RE2's message, or None for a message not known here."""
    for re2_code in _RE2_CODES_LONGEST_FIRST:
        if text == re2_code or text.startswith(re2_code + ": "):
            return re2_code, text[len(re2_code) + 2 :]
    return None


def _go_error(pattern: str, text: str) -> GoError:
    """Go's code, culprit and offset for the RE2 error `text` on `pattern`."""
    split = _split_re2_error(text)
    if split is None:
        return text, pattern, len(pattern)
    re2_code, culprit = split
    code = _GO_CODES[re2_code]
    if code in _WHOLE_PATTERN_CODES:
        return code, pattern, unmatched_paren(pattern) if code == "unexpected )" else len(pattern)
    if code == "trailing backslash at end of expression":
        return code, "", len(pattern) - 1
    if code == "missing closing ]":  # the open class runs to the end of the pattern
        return code, culprit, len(pattern) - len(culprit)
    start = pattern.rfind("\\x{")
    if code == "invalid UTF-8" and start >= 0:  # RE2 says so of an unterminated `\x{...` (the text is UTF-8)
        return "invalid escape sequence", pattern[start:], start
    if re2_code == "invalid perl operator" and culprit.startswith("(?<"):
        return _lookbehind(pattern, culprit)
    if code == "invalid repeat count":
        culprit = culprit.removesuffix("?")  # RE2 names `{n}?` where Go names `{n}`
    position = pattern.find(culprit)
    if position < 0:
        return code, culprit, len(pattern)
    if code == "invalid nested repetition operator":  # Go finds it at the second operator, after its count
        position += len(culprit) - 1
    return code, culprit, position


def _lookbehind(pattern: str, culprit: str) -> GoError:
    """Go (1.22 and later) reads `(?<=` and `(?<!` as the start of a badly named `(?<name>` group."""
    start = max(pattern.find(culprit), 0)
    end = pattern.find(">", start)
    return "invalid named capture", pattern[start : len(pattern) if end < 0 else end + 1], start


def _format(error: GoError) -> str:
    code, culprit, _ = error
    return f"error parsing regexp: {code}: `{culprit}`"
