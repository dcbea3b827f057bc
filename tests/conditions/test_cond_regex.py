"""`matches` with Go's `regexp` (RE2) syntax and semantics, in linear time (google-re2), and its limits.

The tables are Go's answers: every row was run through Go's `regexp.Compile` and `MatchString` (go1.19.8);
the named-group rows below them follow Go 1.22+ (Argo Rollouts builds with a current Go), which reads
`(?<name>` as a named group and so reports look-behinds as bad group names.
"""

from __future__ import annotations

from typing import Any

import pytest

from canarykit.conditions import compile_condition
from canarykit.conditions.limits import MAX_CACHED_REGEXES, MAX_REGEX_LENGTH, MAX_WORK
from canarykit.conditions.regex import cached_regex_count
from canarykit.errors import ConditionEvaluationError, ConditionSyntaxError

MATCHES = compile_condition("result[1] matches result[0]")

GO_MATCHES = [  # (pattern, text, whether Go's MatchString is true); Python's `re` differs where noted
    ("(a+)+$", "aaaaaaaaaaaaaaaaaaaaaaaaaa!", False),  # exponential in re, linear in RE2
    ("a$", "a\n", False),  # $ is the end of the text (re: before a final newline too)
    ("a\\z", "a", True),
    ("^b", "a\nb", False),
    ("(?m)^b", "a\nb", True),
    ("a.b", "a\nb", False),
    ("(?s)a.b", "a\nb", True),
    ("[^a]", "\n", True),
    ("\\s", "\x0b", False),  # \s is [\t\n\f\r ] (re: Unicode spaces)
    ("\\d", "٣", False),  # ASCII digits only (re: Unicode digits)
    ("\\w", "é", False),  # ASCII word characters only (re: Unicode)
    ("\\bé", "é", False),
    ("(?i)k", "\u212a", True),  # the Kelvin sign folds to k
    ("(?i)straße", "STRASSE", False),
    ("(?i)σ", "ς", True),
    ("(?i)ǅ", "ǆ", True),
    ("\\pL", "é", True),
    ("\\p{Greek}", "α", True),
    ("\\PL", "1", True),
    ("\\p{^Lu}", "a", True),
    ("[[:alpha:]]+", "abc", True),
    ("[[:^digit:]]", "1", False),
    ("[[:word:]]", "_", True),
    ("\\Qa.b\\E", "axb", False),
    ("\\Qa.b\\E", "a.b", True),
    ("x\\Q", "x", True),
    ("(?U)a+", "aaa", True),
    ("(?i-s:a.)", "A\n", False),
    ("(?i)(?-i:A)", "a", False),
    ("(?P<n>a)", "a", True),
    (".", "😀", True),
    ("^.$", "😀", True),
    ("\\x{1F600}", "😀", True),
    ("\\0", "\x00", True),
    ("\\08", "\x008", True),
    ("a{,5}", "a{,5}", True),
    ("a{", "a{", True),
    ("x{01}", "x{01}", True),
    ("a{1000}", "a", False),
    ("(a{10}){100}", "a", False),
    ("a??", "a", True),
    ("()", "", True),
    ("|", "", True),
    ("^$", "", True),
    ("\\B", "", True),
    ("\\b", "", False),
    ("\\a", "\x07", True),
    ("\\_", "_", True),
    ("\\#", "#", True),
    ("(?<n>a)", "a", True),  # Go 1.22+
]

GO_REFUSALS = [  # (pattern, Go's error after "error parsing regexp: ")
    ("[", "missing closing ]: `[`"),
    ("[+", "missing closing ]: `[+`"),
    ("[a-", "missing closing ]: `[a-`"),
    ("[]", "missing closing ]: `[]`"),
    ("(", "missing closing ): `(`"),
    ("(?:a", "missing closing ): `(?:a`"),
    (")", "unexpected ): `)`"),
    ("a)b", "unexpected ): `a)b`"),
    ("\\", "trailing backslash at end of expression: ``"),
    ("*", "missing argument to repetition operator: `*`"),
    ("{1}", "missing argument to repetition operator: `{1}`"),
    ("a|*", "missing argument to repetition operator: `*`"),
    ("(a)\\1", "invalid escape sequence: `\\1`"),
    ("\\8", "invalid escape sequence: `\\8`"),
    ("\\u0041", "invalid escape sequence: `\\u`"),
    ("\\e", "invalid escape sequence: `\\e`"),
    ("\\G", "invalid escape sequence: `\\G`"),
    ("\\K", "invalid escape sequence: `\\K`"),
    ("\\cA", "invalid escape sequence: `\\c`"),
    ("a\\Z", "invalid escape sequence: `\\Z`"),
    ("\\C", "invalid escape sequence: `\\C`"),
    ("[\\C]", "invalid escape sequence: `\\C`"),
    ("[\\b]", "invalid escape sequence: `\\b`"),
    ("(?=a)", "invalid or unsupported Perl syntax: `(?=`"),
    ("(?!a)", "invalid or unsupported Perl syntax: `(?!`"),
    ("(?>a)", "invalid or unsupported Perl syntax: `(?>`"),
    ("(?#c)a", "invalid or unsupported Perl syntax: `(?#`"),
    ("(?x)a b", "invalid or unsupported Perl syntax: `(?x`"),
    ("(?'n'a)", "invalid or unsupported Perl syntax: `(?'`"),
    ("(?P=n)", "invalid or unsupported Perl syntax: `(?P`"),
    ("(?-)a", "invalid or unsupported Perl syntax: `(?-)`"),
    ("(*UTF8)a", "missing argument to repetition operator: `*`"),
    ("a*+", "invalid nested repetition operator: `*+`"),
    ("a++", "invalid nested repetition operator: `++`"),
    ("a**", "invalid nested repetition operator: `**`"),
    ("a{2}{3}", "invalid nested repetition operator: `{2}{3}`"),
    ("a*?+", "invalid nested repetition operator: `*?+`"),
    ("a{1001}", "invalid repeat count: `{1001}`"),
    ("x{2,1}", "invalid repeat count: `{2,1}`"),
    ("x{0,1001}", "invalid repeat count: `{0,1001}`"),
    ("(a{100}){100}", "invalid repeat count: `{100}`"),
    ("a{99999999999}", "invalid repeat count: `{99999999999}`"),
    ("[z-a]", "invalid character class range: `z-a`"),
    ("[[:foo:]]", "invalid character class range: `[:foo:]`"),
    ("\\p{Foo}", "invalid character class range: `\\p{Foo}`"),
    ("[a-\\d]", "invalid escape sequence: `\\d`"),
    ("(?P<>a)", "invalid named capture: `(?P<>`"),
    ("(?P<a-b>x)", "invalid named capture: `(?P<a-b>`"),
    ("(?P<é>x)", "invalid named capture: `(?P<é>`"),
    ("\\x{110000}", "invalid escape sequence: `\\x{110000`"),
    ("\\x{", "invalid escape sequence: `\\x{`"),
    ("\\x4g", "invalid escape sequence: `\\x4g`"),
    ("(?<=a)b", "invalid named capture: `(?<=a)b`"),  # Go 1.22+: a look-behind reads as a bad group name
    ("(?<!a)b>", "invalid named capture: `(?<!a)b>`"),
]


@pytest.mark.parametrize(("pattern", "text", "expected"), GO_MATCHES)
def test_matches_as_go(pattern: str, text: str, expected: bool) -> None:
    assert MATCHES.evaluate([pattern, text]) is expected


@pytest.mark.parametrize(("pattern", "message"), GO_REFUSALS)
def test_pattern_from_the_result_is_refused_as_go_refuses_it(pattern: str, message: str) -> None:
    with pytest.raises(ConditionEvaluationError) as caught:
        MATCHES.evaluate([pattern, "x"])
    assert str(caught.value) == f"error parsing regexp: {message}"


@pytest.mark.parametrize(("pattern", "message"), GO_REFUSALS)
def test_literal_pattern_is_refused_at_compile_time(pattern: str, message: str) -> None:
    with pytest.raises(ConditionSyntaxError) as caught:
        compile_condition(f"result matches `{pattern}`")
    assert caught.value.detail == f"error parsing regexp: {message}"
    assert (caught.value.line, caught.value.column) == (1, 8)  # at `matches`, as expr-lang reports it


def test_catastrophic_pattern_from_the_issue_completes() -> None:
    assert compile_condition('"aaaaaaaaaaaaaaaaaaaaaaaaaa!" matches "(a+)+$"').evaluate(None) is False
    assert compile_condition('"aaaaaaaaaaaaaaaaaaaaaaaaaa!" not matches "(a+)+$"').evaluate(None) is True


@pytest.mark.parametrize(("text", "expected"), [("a" * 100_000 + "!", False), ("a" * 100_000, True)])
def test_catastrophic_pattern_on_a_long_text_completes(text: str, expected: bool) -> None:
    assert compile_condition('result matches "(a+)+$"').evaluate(text) is expected


def test_bad_patterns_print_nothing(capfd: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(ConditionEvaluationError):
        MATCHES.evaluate(["(?=a)", "a"])
    assert capfd.readouterr() == ("", "")  # RE2 logs parse errors to stderr unless told not to


def test_lone_surrogates_read_as_the_replacement_character() -> None:
    assert MATCHES.evaluate(["^\\x{FFFD}a$", "\ud800a"]) is True
    assert MATCHES.evaluate(["^.$", "\ud83d\ude00"]) is True  # a surrogate pair is one character
    assert MATCHES.evaluate(["\ud800", "\ufffd"]) is True


def test_pattern_length_is_capped() -> None:
    assert MATCHES.evaluate(["a" * MAX_REGEX_LENGTH, "a" * MAX_REGEX_LENGTH]) is True
    with pytest.raises(ConditionEvaluationError) as caught:
        MATCHES.evaluate(["a" * (MAX_REGEX_LENGTH + 1), "a"])
    assert str(caught.value) == (
        f"error parsing regexp: expression too large: longer than {MAX_REGEX_LENGTH} characters"
    )


def test_program_too_large_for_re2_is_refused() -> None:
    """Go accepts `\\pL{1000}` (its size limit is larger); RE2's memory bound refuses it, as documented."""
    with pytest.raises(ConditionEvaluationError, match=r"^error parsing regexp: expression too large: "):
        MATCHES.evaluate(["\\pL{1000}", "a"])


def test_non_strings_are_an_invalid_operation() -> None:
    with pytest.raises(
        ConditionEvaluationError, match=r"^invalid operation: matches \(mismatched types string and int\)$"
    ):
        compile_condition("'a' matches 1").evaluate(None)
    with pytest.raises(
        ConditionEvaluationError, match=r"^interface conversion: interface {} is float64, not string$"
    ):
        compile_condition("'a' matches result.x").evaluate({"x": 1.0})


def test_compiled_patterns_are_cached_with_a_bound() -> None:
    for number in range(MAX_CACHED_REGEXES + 20):
        assert MATCHES.evaluate([f"^{number}$", str(number)]) is True
    assert cached_regex_count() == MAX_CACHED_REGEXES


def work_error(expression: str, result: Any) -> str:
    with pytest.raises(ConditionEvaluationError) as caught:
        compile_condition(expression).evaluate(result)
    return str(caught.value)


def test_searches_with_a_large_program_spend_the_work_budget() -> None:
    """RE2 is linear in the text, but its NFA scales with the program too: 10,000 such searches stop early."""
    budget = f"condition needs too much work (limit {MAX_WORK} elements per evaluation)"
    assert work_error("all(1..10000, result matches '(?i)\\\\w{1000}')", "a" * 10_000) == budget
    assert compile_condition("result matches '(?i)\\\\w{1000}'").evaluate("a" * 10_000) is True


def test_compiling_many_patterns_spends_the_work_budget() -> None:
    patterns = [f"\\p{{Greek}}{{{count}}}" for count in range(200, 500)]  # ~20,000 instructions each
    budget = f"condition needs too much work (limit {MAX_WORK} elements per evaluation)"
    assert work_error("any(result, 'x' matches #)", patterns) == budget
