"""The shape every medicines check returns: a list of issues, never a first failure.

Modelled on FHIR OperationOutcome issues (severity, code, expression): every check runs and every
issue comes back, so a prescriber sees all of them at once.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Literal

Level = Literal["block", "warn", "inform"]
LEVEL_ORDER: dict[str, int] = {"block": 0, "warn": 1, "inform": 2}


@dataclass(frozen=True)
class Issue:
    """One finding of a check.

    ``level``: ``block`` stops signing (unless ``overridable``, which needs a recorded reason);
    ``warn`` needs a recorded reason to proceed; ``inform`` is shown, and when ``must_record`` is
    set (driving advice) the prescriber records that it was given.
    """

    code: str
    level: Level
    message: str
    source: str
    field: str = ""
    overridable: bool = False
    must_record: bool = False

    @property
    def needs_reason(self) -> bool:
        """True when proceeding past this issue needs a recorded reason."""
        return self.level == "warn" or (self.level == "block" and self.overridable)

    def to_dict(self) -> dict[str, object]:
        data = asdict(self)
        data["needs_reason"] = self.needs_reason
        return data


def ordered(issues: list[Issue]) -> tuple[Issue, ...]:
    """Blocks first, then warnings, then information; stable within a level."""
    return tuple(sorted(issues, key=lambda i: LEVEL_ORDER[i.level]))
