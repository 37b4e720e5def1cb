"""Eligibility for a CBPM: the policy check, and what is missing (CLINICAL.md section 5).

Policy (UK clinics and registries): initiation by a doctor on the GMC Specialist Register,
agreed by the multidisciplinary team (MDT), after at least two conventional treatments were tried
and failed or were not tolerated (The Misuse of Drugs (Amendments) (Cannabis and Licence Fees)
(England, Wales and Scotland) Regulations 2018; CLINICAL.md section 5).

A treatment counts as failed when its recorded effect is ``no_effect``, ``not_tolerated`` or
``worse`` (docs/decisions/0062-failed-treatment-definition.md). ``partial``/``helped``/``ongoing``
do not count. Two rows with the same category and name count once. Only conventional categories
count: a CBPM is never a conventional treatment (counting a failed CBPM would let one CBPM
justify another), and ``other`` and ``acupuncture`` (complementary; not recommended by NICE
NG59) cannot be confirmed as conventional. Entries that do not count are listed with the reason.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from painpath.clinical.errors import InvalidInput
from painpath.clinical.medicines.issues import Issue

FAILED_EFFECTS = frozenset({"no_effect", "not_tolerated", "worse"})
EFFECTS = frozenset({"ongoing", "helped", "partial", *FAILED_EFFECTS})
# The treatment categories (painpath.apps.patients TreatmentCategory) that are conventional
# treatments for chronic back or neck pain (NICE NG59 medicines, physical, psychological and
# interventional treatments).
CONVENTIONAL_CATEGORIES = frozenset(
    {
        "exercise",
        "physiotherapy",
        "manual_therapy",
        "psychological",
        "pain_programme",
        "nsaid",
        "paracetamol",
        "opioid",
        "gabapentinoid",
        "antidepressant",
        "spinal_injection",
        "radiofrequency",
        "surgery",
    }
)
NOT_CONVENTIONAL: dict[str, str] = {
    "cbpm": "a cannabis-based medicinal product is not a conventional treatment",
    "acupuncture": "acupuncture is a complementary therapy (not recommended by NICE NG59)",
    "other": "'other' cannot be confirmed as a conventional treatment; record its category",
}
CATEGORIES = CONVENTIONAL_CATEGORIES | frozenset(NOT_CONVENTIONAL)
MIN_FAILED_TREATMENTS = 2
POLICY_SOURCE = (
    "Misuse of Drugs (Amendments) (Cannabis and Licence Fees) Regulations 2018 (specialist "
    "register); clinic/registry policy: >= 2 conventional treatments failed (CLINICAL.md s5)"
)
REGISTER_SOURCE = (
    "Misuse of Drugs (Amendments) (Cannabis and Licence Fees) (England, Wales and Scotland) "
    "Regulations 2018 (initiation by a doctor on the GMC Specialist Register)"
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
    """A treatment the patient has had: category (see ``CATEGORIES``), name, effect."""

    category: str
    name: str
    effect: str

    def __post_init__(self) -> None:
        if self.category not in CATEGORIES:
            raise InvalidInput(
                f"category: unknown treatment category {self.category!r}; allowed: "
                + ", ".join(sorted(CATEGORIES)),
                field="category",
            )
        if self.effect not in EFFECTS:
            raise InvalidInput(
                f"effect: unknown effect {self.effect!r}; allowed: " + ", ".join(sorted(EFFECTS)),
                field="effect",
            )
        if not isinstance(self.name, str):
            raise InvalidInput(f"name: expected text, got {self.name!r}", field="name")

    @property
    def failed(self) -> bool:
        return self.effect in FAILED_EFFECTS

    @property
    def conventional(self) -> bool:
        return self.category in CONVENTIONAL_CATEGORIES

    def label(self) -> str:
        return f"{self.category}: {self.name}" if self.name else self.category


@dataclass(frozen=True)
class Eligibility:
    """The policy check: ``failed_treatments`` that count, ``missing`` conditions in plain words,
    and ``not_counted``: failed entries that do not count, each with the reason."""

    eligible: bool
    failed_treatments: tuple[str, ...]
    missing: tuple[str, ...]
    not_counted: tuple[str, ...] = ()
    issues: tuple[Issue, ...] = ()  # each missing condition with a code and a source
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
    not_counted: list[str] = []
    seen: set[tuple[str, str]] = set()
    for t in treatments:
        if not isinstance(t, TreatmentTried):
            raise InvalidInput(
                f"treatments: expected TreatmentTried entries, got {t!r}", field="treatments"
            )
        key = (t.category, " ".join(t.name.lower().split()))
        if not t.failed or key in seen:
            continue
        seen.add(key)
        if t.conventional:
            failed.append(t.label())
        else:
            not_counted.append(f"{t.label()}: not counted ({NOT_CONVENTIONAL[t.category]})")
    for name, value in (
        ("prescriber_on_specialist_register", prescriber_on_specialist_register),
        ("mdt_agreement_recorded", mdt_agreement_recorded),
    ):
        if not isinstance(value, bool):
            raise InvalidInput(f"{name}: expected true or false, got {value!r}", field=name)
    issues: list[Issue] = []
    if len(failed) < MIN_FAILED_TREATMENTS:
        issues.append(
            Issue(
                "ELIGIBILITY_TOO_FEW_FAILED_TREATMENTS",
                "block",
                f"At least {MIN_FAILED_TREATMENTS} conventional treatments failed or not "
                f"tolerated (recorded: {len(failed)})",
                POLICY_SOURCE,
                "treatments",
            )
        )
    if not prescriber_on_specialist_register:
        issues.append(
            Issue(
                "ELIGIBILITY_NOT_SPECIALIST",
                "block",
                "Decision by a doctor on the GMC Specialist Register",
                REGISTER_SOURCE,
                "prescriber",
            )
        )
    if not mdt_agreement_recorded:
        issues.append(
            Issue(
                "ELIGIBILITY_NO_MDT_AGREEMENT",
                "block",
                "MDT agreement recorded",
                POLICY_SOURCE,
                "mdt_agreement",
            )
        )
    missing = [issue.message for issue in issues]
    return Eligibility(
        eligible=not missing,
        failed_treatments=tuple(failed),
        missing=tuple(missing),
        not_counted=tuple(not_counted),
        issues=tuple(issues),
    )
