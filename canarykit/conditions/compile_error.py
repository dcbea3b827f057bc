"""The error the tokenizer and parser raise; `compile_condition` turns it into a `ConditionSyntaxError`."""

from __future__ import annotations


class CompileError(Exception):
    """A problem found while compiling, at `offset` in the source; becomes a `ConditionSyntaxError`."""

    def __init__(self, message: str, offset: int) -> None:
        super().__init__(message)
        self.message = message
        self.offset = offset
