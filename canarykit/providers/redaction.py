"""Hiding secrets in text: every secret whatever its length, its escaped forms, one cut at a snippet's end."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from urllib.parse import quote, quote_plus

MASK = "***"
SHORT = 4
"""Secrets shorter than this are hidden where they stand alone, not inside a longer word or number."""

_WORD_CHAR = "A-Za-z0-9"


class Redactor:
    """Replaces `secrets` (and their URL- and JSON-escaped forms) with `***` in any text."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        forms = {form for secret in secrets if secret for form in _forms(secret)}
        self.secrets: tuple[str, ...] = tuple(sorted(forms, key=lambda form: (-len(form), form)))
        self._pattern = re.compile("|".join(map(_alternative, self.secrets))) if self.secrets else None

    def __repr__(self) -> str:
        return f"Redactor({len(self.secrets)} secret forms)"

    def redact(self, text: str) -> str:
        """`text` with every secret replaced by `***`."""
        return text if self._pattern is None else self._pattern.sub(MASK, text)

    def cut(self, text: str, limit: int) -> str:
        """At most `limit` characters of `text`, secrets hidden before the cut, `...` when it was cut."""
        hidden = self.redact(text)
        if len(hidden) <= limit:
            return hidden
        return self.mask_cut_secret(hidden[:limit]) + "..."

    def mask_cut_secret(self, head: str) -> str:
        """`head` with a trailing start of any secret masked: the text was cut inside that secret."""
        size = max((self._cut_size(head, secret) for secret in self.secrets), default=0)
        return head[: len(head) - size] + MASK if size else head

    def _cut_size(self, head: str, secret: str) -> int:
        for size in range(min(len(secret) - 1, len(head)), 0, -1):
            if head.endswith(secret[:size]) and (
                len(secret) >= SHORT or _starts_word(head, len(head) - size)
            ):
                return size
        return 0


def _forms(secret: str) -> set[str]:
    """The secret as given, URL-encoded (path and form style) and as it appears inside a JSON string."""
    escaped = {json.dumps(secret, ensure_ascii=ascii)[1:-1] for ascii in (True, False)}
    return {secret, quote(secret, safe=""), quote_plus(secret, safe=""), *escaped}


def _alternative(secret: str) -> str:
    """The secret's pattern: short ones must not continue a word or number on either side."""
    escaped = re.escape(secret)
    if len(secret) >= SHORT:
        return escaped
    before = f"(?<![{_WORD_CHAR}])" if _is_word_char(secret[0]) else ""
    after = f"(?![{_WORD_CHAR}])" if _is_word_char(secret[-1]) else ""
    return before + escaped + after


def _starts_word(text: str, index: int) -> bool:
    return index == 0 or not _is_word_char(text[index - 1]) or not _is_word_char(text[index])


def _is_word_char(char: str) -> bool:
    return char.isascii() and char.isalnum()
