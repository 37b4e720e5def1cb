"""The one error type every action raises for input it refuses."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any


class ActionError(Exception):
    """Input an action refuses; nothing was saved.

    ``errors`` maps each field name to a message saying what is allowed, so forms re-show it
    next to the field and the API returns it as a 4xx JSON body (``{"errors": {...}}``).
    """

    def __init__(self, errors: dict[str, str]) -> None:
        self.errors = dict(errors)
        super().__init__("; ".join(f"{field}: {msg}" for field, msg in self.errors.items()))


#: C0 control characters other than tab, line feed and carriage return, and DEL.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
CONTROL_MESSAGE = (
    "holds an invisible control character (such as NUL, escape, or a line break pasted from a "
    "word processor): use letters, digits, punctuation, spaces and ordinary line breaks, or "
    "paste the text as plain text"
)


def refuse_control_characters(data: Mapping[str, Any]) -> None:
    """Raise ``ActionError`` naming each field of a posted form that holds a control character.

    None belongs in a clinical record, and PostgreSQL refuses NUL in text outright (a server
    error, after the checks that did pass); forms call this before their action."""
    errors: dict[str, str] = {}
    for key in data:
        getlist = getattr(data, "getlist", None)
        values = getlist(key) if getlist is not None else [data[key]]
        if any(isinstance(v, str) and CONTROL_CHARACTERS.search(v) for v in values):
            errors[key] = CONTROL_MESSAGE
    if errors:
        raise ActionError(errors)
