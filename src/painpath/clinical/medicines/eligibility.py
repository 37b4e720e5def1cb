"""Eligibility for a CBPM: the policy check, and what is missing (CLINICAL.md section 5).

Policy (UK clinics and registries): initiation by a doctor on the GMC Specialist Register,
agreed by the multidisciplinary team (MDT), after at least two conventional treatments were tried
and failed or were not tolerated (The Misuse of Drugs (Amendments) (Cannabis and Licence Fees)
(England, Wales and Scotland) Regulations 2018; CLINICAL.md section 5).

A treatment counts as failed when its recorded effect is ``no_effect``, ``not_tolerated`` or
``worse`` (docs/decisions/0062-failed-treatment-definition.md). ``partial``/``helped``/``ongoing``
do not count. Two rows with the same category and name count once.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

FAILED_EFFECTS = frozenset({"no_effect", "not_tolerated", "worse"})
MIN_FAILED_TREATMENTS = 2
POLICY_SOURCE = (
    "Misuse of Drugs (Amendments) (Cannabis and Licence Fees) Regulations 2018 (specialist "
    "register); clinic/registry policy: >= 2 conventional treatments failed (CLINICAL.md s5)"
)
NG144_SOURCE = "NICE NG144 (2019), Cannabis-based medicinal products, recommendations 1.4.1-1.4.3"
NG144_POSITION = (
    "NICE NG144 does not recommend CBPMs for chronic pain: do not offer nabilone, dronabinol, "
    "THC, or CBD with THC to manage chronic pain in adults, and do not offer CBD alone unless "
    "as part of a clinical trial. People already using them may continue until they and their "
    "clinician agree to stop. A specialist prescribing one privately records why."
)


@dataclass(frozen=True)
class TreatmentTried:
    category: str
    name: str
    effect: str

    @property
    def failed(self) -> bool:
        return self.effect in FAILED_EFFECTS

    def label(self) -> str:
        return f"{self.category}: {self.name}" if self.name else self.category


@dataclass(frozen=True)
class Eligibility:
    eligible: bool
    failed_treatments: tuple[str, ...]
    missing: tuple[str, ...]
    ng144_position: str = NG144_POSITION
    ng144_source: str = NG144_SOURCE
    source: str = POLICY_SOURCE


def check_eligibility(
    treatments: Iterable[TreatmentTried],
    *,
    prescriber_on_specialist_register: bool,
    mdt_agreement_recorded: bool,
) -> Eligibility:
    """Whether the policy is met; ``missing`` lists every unmet condition in plain words."""
    failed: list[str] = []
    seen: set[tuple[str, str]] = set()
    for t in treatments:
        key = (t.category, t.name.strip().lower())
        if t.failed and key not in seen:
            seen.add(key)
            failed.append(t.label())
    missing: list[str] = []
    if len(failed) < MIN_FAILED_TREATMENTS:
        missing.append(
            f"At least {MIN_FAILED_TREATMENTS} conventional treatments failed or not tolerated "
            f"(recorded: {len(failed)})"
        )
    if not prescriber_on_specialist_register:
        missing.append("Decision by a doctor on the GMC Specialist Register")
    if not mdt_agreement_recorded:
        missing.append("MDT agreement recorded")
    return Eligibility(
        eligible=not missing, failed_treatments=tuple(failed), missing=tuple(missing)
    )
