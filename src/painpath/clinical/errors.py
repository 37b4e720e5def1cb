"""Errors raised by the clinical core."""

from __future__ import annotations


class InvalidInput(ValueError):
    """Input the clinical core refuses to interpret.

    Why a ValueError subclass: callers (CLI, web forms, API) catch one type and show its
    one-line message, which always names the field or item and the values allowed. The core
    never guesses a value and never returns a partial result.
    """

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field
