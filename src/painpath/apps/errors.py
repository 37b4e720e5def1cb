"""The one error type every action raises for input it refuses."""

from __future__ import annotations


class ActionError(Exception):
    """Input an action refuses; nothing was saved.

    ``errors`` maps each field name to a message saying what is allowed, so forms re-show it
    next to the field and the API returns it as a 4xx JSON body (``{"errors": {...}}``).
    """

    def __init__(self, errors: dict[str, str]) -> None:
        self.errors = dict(errors)
        super().__init__("; ".join(f"{field}: {msg}" for field, msg in self.errors.items()))
