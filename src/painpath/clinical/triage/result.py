"""The Triage result and its parts (CLINICAL.md section 1), each with ``to_dict()``.

Why frozen dataclasses of plain values: the result is stored whole (as JSON) with its ruleset
version, so a past decision can be explained after the rules change; ``to_dict()`` is that JSON
object. Field names are interfaces (assessments, follow-up, API): add fields, never rename.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final, Literal

Urgency = Literal["emergency", "urgent", "soon", "routine"]

#: Most urgent first.
URGENCIES: Final[tuple[Urgency, ...]] = ("emergency", "urgent", "soon", "routine")

#: What each urgency means (CLINICAL.md section 1).
URGENCY_MEANINGS: Final[dict[str, str]] = {
    "emergency": "now: emergency department, emergency MRI or oncological emergency",
    "urgent": "within 24 hours: same-day specialist discussion or urgent referral",
    "soon": "within two weeks (e.g. suspected cancer pathway, stable suspected myelopathy)",
    "routine": "none of these",
}


def urgency_rank(urgency: str) -> int:
    """0 for emergency ... 3 for routine (lower is more urgent)."""
    return URGENCIES.index(urgency)


def most_urgent(urgencies: Iterable[Urgency]) -> Urgency:
    """The most urgent of ``urgencies``; ``routine`` when there are none."""
    return min(urgencies, key=urgency_rank, default="routine")


@dataclass(frozen=True, slots=True)
class RedFlag:
    """One red flag that fired: the condition suspected, its urgency, the findings that triggered
    it, the action in words and the source. ``rule`` is the rule id (docs/reference/triage.md)."""

    code: str
    condition: str
    urgency: Urgency
    findings: tuple[str, ...]
    source: str
    action: str
    rule: str

    def to_dict(self) -> dict[str, object]:
        return {
            "code": self.code,
            "condition": self.condition,
            "urgency": self.urgency,
            "findings": list(self.findings),
            "source": self.source,
            "action": self.action,
            "rule": self.rule,
        }


@dataclass(frozen=True, slots=True)
class PathwayItem:
    """One treatment option with its source."""

    code: str
    text: str
    source: str

    def to_dict(self) -> dict[str, str]:
        return {"code": self.code, "text": self.text, "source": self.source}


@dataclass(frozen=True, slots=True)
class Pathway:
    """Recommended, to consider, and not recommended options; ``cbpm`` is NICE NG144's position."""

    recommended: tuple[PathwayItem, ...]
    consider: tuple[PathwayItem, ...]
    not_recommended: tuple[PathwayItem, ...]
    cbpm: PathwayItem
    guideline: str

    def to_dict(self) -> dict[str, object]:
        return {
            "guideline": self.guideline,
            "recommended": [i.to_dict() for i in self.recommended],
            "consider": [i.to_dict() for i in self.consider],
            "not_recommended": [i.to_dict() for i in self.not_recommended],
            "cbpm": self.cbpm.to_dict(),
        }


@dataclass(frozen=True, slots=True)
class Risk:
    """STarT Back risk group (Keele): ``subscale`` is the psychosocial subscale score."""

    instrument: str
    group: str
    total: int | float
    subscale: int | float | None
    subscale_name: str

    def to_dict(self) -> dict[str, object]:
        return {
            "instrument": self.instrument,
            "group": self.group,
            "total": self.total,
            "subscale": self.subscale,
            "subscale_name": self.subscale_name,
        }


@dataclass(frozen=True, slots=True)
class Triage:
    """The whole triage of one assessment (CLINICAL.md section 1).

    ``urgency`` is the most urgent red flag's (``routine`` with none); ``action`` says what to do
    in words; ``explanations`` lists every rule that fired and every policy applied.
    """

    urgency: Urgency
    action: str
    red_flags: tuple[RedFlag, ...]
    pain_type: str
    neuropathic: str | None
    neuropathic_score: int | float | None
    risk: Risk | None
    axial_spa: str
    pathway: Pathway
    explanations: tuple[str, ...]
    ruleset: str
    region: str

    def to_dict(self) -> dict[str, object]:
        return {
            "urgency": self.urgency,
            "action": self.action,
            "red_flags": [f.to_dict() for f in self.red_flags],
            "pain_type": self.pain_type,
            "neuropathic": self.neuropathic,
            "neuropathic_score": self.neuropathic_score,
            "risk": None if self.risk is None else self.risk.to_dict(),
            "axial_spa": self.axial_spa,
            "pathway": self.pathway.to_dict(),
            "explanations": list(self.explanations),
            "ruleset": self.ruleset,
            "region": self.region,
        }
