"""Red-flag rules (CLINICAL.md section 3), declared as data, and the one function that applies them.

Why data: a clinician reviews the table in docs/reference/triage.md, generated from ``RULES``, and
the evaluator below is the only logic. A rule fires when every ``all_of`` finding is present, at
least ``min_count`` of ``any_of`` are present (the region may count as one, ``region_counts_as``),
and the age is at least ``min_age``. A *timed* rule (cauda equina, myelopathy) takes its lower
``established_urgency`` only when every finding it counts is established: present more than 14
days AND stable or improving, both stated (GIRFT 2023; ADR 0021). Otherwise the rule's urgency
holds: a bare code counts as new.

Every rule fires whatever the region (ADR 0022): a red flag is never hidden by the region or by a
classification. A rule listed in another's ``superseded_by`` is dropped when that one fires (only
ever for one of equal or greater urgency, so no information about urgency is lost; the superseding
flag lists the same findings).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Final

from painpath.clinical.triage.input import TriageInput
from painpath.clinical.triage.result import RedFlag, Urgency, urgency_rank
from painpath.clinical.triage.vocabulary import (
    CES_CODES,
    FINDINGS,
    MSCC_NEURO_CODES,
    MYELOPATHY_CODES,
    NEURO_DEFICIT_CODES,
)


@dataclass(frozen=True, slots=True)
class RedFlagRule:
    """One red-flag rule. ``basis`` states the rule in the source's words (shown in explanations
    and the reference page); ``policy`` records a choice painpath made where the source is open."""

    id: str
    code: str
    condition: str
    urgency: Urgency
    action: str
    source: str
    basis: str
    any_of: frozenset[str] = frozenset()
    min_count: int = 1
    all_of: frozenset[str] = frozenset()
    also_counts: frozenset[str] = frozenset()
    region_counts_as: frozenset[str] = frozenset()
    min_age: int | None = None
    timed: bool = False
    established_urgency: Urgency | None = None
    established_action: str = ""
    superseded_by: tuple[str, ...] = ()
    region_notes: Mapping[str, str] = field(default_factory=dict)
    policy: str = ""


_GIRFT = "GIRFT national suspected cauda equina syndrome pathway (2023)"
_NG234 = "NICE NG234 (2023) section 1.2, recognising spinal metastases and MSCC"
_CKS_LBP = "NICE CKS Back pain - low (without radiculopathy): red flags"
_MYELO = (
    "Davies BM et al. BMJ 2018;360:k186 (degenerative cervical myelopathy); "
    "NICE CKS Neck pain - non-specific: red flags"
)

RULES: Final[tuple[RedFlagRule, ...]] = (
    RedFlagRule(
        id="RF-CES",
        code="cauda_equina",
        condition="Suspected cauda equina syndrome",
        urgency="emergency",
        action=(
            "Send to the emergency department now for emergency MRI and same-day spinal "
            "surgical review; do not wait for a clinic appointment."
        ),
        established_urgency="urgent",
        established_action=(
            "Discuss with the on-call spinal team today and arrange urgent MRI; the patient goes "
            "to the emergency department at once if anything worsens."
        ),
        source=_GIRFT,
        basis=(
            "any CES finding new (14 days or fewer) or deteriorating -> emergency; "
            "present more than 14 days and stable -> urgent"
        ),
        any_of=CES_CODES,
        also_counts=frozenset({"sexual_dysfunction"}),
        timed=True,
        policy=(
            "bilateral_radicular_pain counts as CES (BASS/GIRFT-based NHS pathways); improving "
            "more than 14 days is treated as stable (urgent), never lower; a finding without days "
            "or course counts as new; sexual_dysfunction counts (and its course counts) only "
            "with another CES finding."
        ),
    ),
    RedFlagRule(
        id="RF-CES-SEX",
        code="ces_review",
        condition="Sexual dysfunction without other CES findings: review for cauda equina",
        urgency="soon",
        action=(
            "Ask specifically about bladder, bowel and saddle sensation; review within two weeks "
            "and give written CES safety-net advice."
        ),
        source=_GIRFT,
        basis="sexual dysfunction alone is not CES-suggestive: review, not emergency",
        any_of=frozenset({"sexual_dysfunction"}),
        superseded_by=("cauda_equina",),
        policy="'review' is graded soon (within two weeks).",
    ),
    RedFlagRule(
        id="RF-MSCC",
        code="mscc",
        condition="Suspected metastatic spinal cord compression (MSCC)",
        urgency="emergency",
        action=(
            "Oncological emergency: contact the MSCC coordinator (acute oncology) now for "
            "whole-spine MRI within 24 hours."
        ),
        source=_NG234 + " (replaces CG75)",
        basis=(
            "known cancer with neurological symptoms or signs (radicular pain, any limb "
            "weakness, difficulty walking, sensory loss, bladder or bowel dysfunction) -> "
            "contact the MSCC coordinator immediately"
        ),
        all_of=frozenset({"history_of_cancer"}),
        any_of=MSCC_NEURO_CODES,
        policy=(
            "neurological findings = objective deficits, upper motor neurone signs, radicular "
            "pain and nerve-root signs (vocabulary.MSCC_NEURO_CODES); sexual dysfunction alone is "
            "not one."
        ),
    ),
    RedFlagRule(
        id="RF-SEA",
        code="spinal_epidural_abscess",
        condition="Suspected spinal epidural abscess (fever with a neurological deficit)",
        urgency="emergency",
        action=(
            "Send to the emergency department now for emergency whole-spine MRI, blood cultures "
            "and inflammatory markers."
        ),
        source=(
            "Darouiche RO. Spinal epidural abscess. N Engl J Med 2006;355:2012-20; "
            "Davis DP et al. J Emerg Med 2004;26:285-91"
        ),
        basis="fever, spinal pain and a neurological deficit (the classic triad) -> emergency",
        all_of=frozenset({"fever"}),
        any_of=NEURO_DEFICIT_CODES,
        policy=(
            "painpath addition to CLINICAL.md (fever alone is urgent there): with an objective "
            "deficit the triad calls for emergency imaging."
        ),
    ),
    RedFlagRule(
        id="RF-MENINGITIS",
        code="meningitis",
        condition="Suspected bacterial meningitis or meningococcal disease",
        urgency="emergency",
        action=(
            "Call 999 / emergency department now; give parenteral antibiotics first only if "
            "that does not delay transfer."
        ),
        source="NICE NG240 Meningitis (bacterial) and meningococcal disease (2024)",
        basis="severe headache, fever and a non-blanching rash -> emergency",
        all_of=frozenset({"severe_headache", "fever", "non_blanching_rash"}),
        min_count=0,
    ),
    RedFlagRule(
        id="RF-TRAUMA",
        code="spinal_fracture_trauma",
        condition="Possible spinal fracture after major trauma",
        urgency="emergency",
        action=(
            "Protect the spine and send to the emergency department for assessment and imaging "
            "(NICE NG41)."
        ),
        source="NICE NG41 Spinal injury: assessment and initial management (2016); " + _CKS_LBP,
        basis="major trauma -> emergency",
        any_of=frozenset({"major_trauma"}),
    ),
    RedFlagRule(
        id="RF-MYELOPATHY",
        code="myelopathy",
        condition="Suspected myelopathy (spinal cord compression)",
        urgency="emergency",
        action=(
            "New or deteriorating myelopathy: emergency department today for emergency MRI and "
            "spinal surgical review."
        ),
        established_urgency="soon",
        established_action=(
            "Refer to the spinal surgical team to be seen within two weeks with MRI; the patient "
            "returns at once if walking, hands or bladder get worse."
        ),
        source=_MYELO,
        basis=(
            "two or more myelopathy findings: stable -> soon; deteriorating over days -> emergency"
        ),
        any_of=MYELOPATHY_CODES,
        min_count=2,
        timed=True,
        region_notes={
            "low_back": "Cord signs point above the lumbar spine: image the cervical and "
            "thoracic cord.",
            "thoracic": "Image the cervical and thoracic cord.",
        },
        policy=(
            "the GIRFT 14-day window is adopted: soon only when every myelopathy finding is "
            "present more than 14 days and stable or improving; new, undated or deteriorating "
            "-> emergency. Fires in every region; pain_type myelopathy is a neck classification."
        ),
    ),
    RedFlagRule(
        id="RF-NEURO",
        code="neurological_deficit",
        condition="Progressive or severe motor deficit (foot drop / progressive leg weakness)",
        urgency="urgent",
        action=(
            "Discuss with the spinal team within 24 hours for assessment and MRI; record the "
            "power grade (Oxford scale)."
        ),
        source=(
            "NICE CKS Sciatica (lumbar radiculopathy): red flags; NHS Lothian RefHelp "
            "acute foot drop (dorsiflexion 3/5 or less)"
        ),
        basis="foot drop or progressive leg weakness -> urgent",
        any_of=frozenset({"foot_drop", "progressive_leg_weakness"}),
        policy="urgent whatever the course: a stable foot drop is not downgraded.",
    ),
    RedFlagRule(
        id="RF-METASTASES",
        code="spinal_metastases",
        condition="Suspected spinal metastases (cancer with suggestive spinal pain)",
        urgency="urgent",
        action=(
            "Contact the MSCC coordinator within 24 hours; whole-spine MRI within one week; the "
            "patient reports any new neurological symptom at once."
        ),
        source=_NG234 + " (replaces CG75)",
        basis=(
            "known cancer with thoracic or cervical spinal pain, progressive or severe "
            "unremitting pain, pain on straining, localised tenderness or night pain -> "
            "contact the MSCC coordinator within 24 hours"
        ),
        all_of=frozenset({"history_of_cancer"}),
        any_of=frozenset(
            {
                "thoracic_pain",
                "night_pain",
                "progressive_pain",
                "severe_unremitting_pain",
                "pain_worse_on_straining",
                "localised_spinal_tenderness",
            }
        ),
        region_counts_as=frozenset({"thoracic", "neck"}),
        superseded_by=("mscc",),
        policy="a thoracic or neck assessment counts as thoracic or cervical spinal pain.",
    ),
    RedFlagRule(
        id="RF-INFECTION",
        code="spinal_infection",
        condition="Suspected spinal infection (fever with a risk factor)",
        urgency="urgent",
        action=(
            "Same day: temperature, CRP/ESR and blood cultures, and discuss with the on-call "
            "team for urgent MRI."
        ),
        source=_CKS_LBP,
        basis=(
            "fever with IV drug use, immunosuppression, recent infection or a recent spinal "
            "procedure -> urgent (same day)"
        ),
        all_of=frozenset({"fever"}),
        any_of=frozenset(
            {"iv_drug_use", "immunosuppression", "recent_infection", "recent_spinal_procedure"}
        ),
        superseded_by=("spinal_epidural_abscess",),
    ),
    RedFlagRule(
        id="RF-FEVER",
        code="fever_with_spinal_pain",
        condition="Fever with spinal pain: spinal infection to exclude",
        urgency="urgent",
        action=(
            "Same day: check temperature and inflammatory markers and discuss with the on-call "
            "team; spinal infection must be excluded."
        ),
        source=_CKS_LBP,
        basis="fever alone with spinal pain -> urgent",
        all_of=frozenset({"fever"}),
        min_count=0,
        superseded_by=("spinal_infection", "spinal_epidural_abscess", "meningitis"),
        policy="fever alone is urgent (CLINICAL.md), not routine.",
    ),
    RedFlagRule(
        id="RF-CAD",
        code="cervical_arterial_dysfunction",
        condition="Possible vertebrobasilar insufficiency / cervical arterial dysfunction",
        urgency="urgent",
        action=(
            "Stop neck manipulation and end-range loading; same-day medical assessment for "
            "cervical arterial dysfunction."
        ),
        source=(
            "NICE CKS Neck pain - non-specific: red flags; IFOMPT International framework for "
            "examination of the cervical region (Rushton et al. 2023)"
        ),
        basis="drop attacks or dizziness on neck extension -> urgent",
        any_of=frozenset({"drop_attacks", "dizziness_on_neck_extension"}),
    ),
    RedFlagRule(
        id="RF-CANCER-HISTORY",
        code="cancer_history",
        condition="History of cancer with spinal pain: spinal metastases to exclude",
        urgency="soon",
        action=(
            "Review within two weeks for NG234 features (thoracic or cervical pain, progressive, "
            "night or straining pain, tenderness) and neurology; contact the MSCC coordinator at "
            "once if any appear."
        ),
        source=_CKS_LBP + " (past history of cancer); " + _NG234,
        basis="past history of cancer is a red flag for spinal malignancy",
        all_of=frozenset({"history_of_cancer"}),
        min_count=0,
        superseded_by=("mscc", "spinal_metastases"),
        policy="painpath addition: a cancer history alone is graded soon, never ignored.",
    ),
    RedFlagRule(
        id="RF-MALIGNANCY-50",
        code="possible_malignancy",
        condition="Possible malignancy (age 50 or over with weight loss, night pain or no "
        "improvement)",
        urgency="soon",
        action=(
            "Investigate for cancer within two weeks (FBC, ESR/plasma viscosity, calcium, "
            "imaging as indicated); refer on the NG12 suspected cancer pathway where it applies."
        ),
        source="NICE NG12 Suspected cancer: recognition and referral; " + _CKS_LBP,
        basis=(
            "age 50 or over with unexplained weight loss or night pain, or no improvement after "
            "4 weeks -> soon"
        ),
        any_of=frozenset({"unexplained_weight_loss", "night_pain", "no_improvement_after_4_weeks"}),
        min_age=50,
        policy="age 50 counts (inclusive).",
    ),
    RedFlagRule(
        id="RF-FRAGILITY",
        code="fragility_fracture",
        condition="Possible vertebral fragility fracture",
        urgency="soon",
        action=(
            "Within two weeks: spinal X-ray or MRI for vertebral fracture, and a bone health "
            "assessment (NOGG)."
        ),
        source=_CKS_LBP + "; NOGG clinical guideline for osteoporosis (2022)",
        basis="minor trauma with osteoporosis or corticosteroid use -> soon",
        all_of=frozenset({"minor_trauma"}),
        any_of=frozenset({"osteoporosis", "corticosteroid_use"}),
    ),
    RedFlagRule(
        id="RF-FRAGILITY-PAIN",
        code="fragility_fracture_pain",
        condition="Pain pattern of a vertebral fragility fracture",
        urgency="soon",
        action=(
            "Within two weeks: spinal X-ray or MRI for vertebral fracture, and a bone health "
            "assessment (NOGG)."
        ),
        source="Royal Osteoporosis Society: Identifying vertebral fractures (2017)",
        basis="sudden severe central spinal pain relieved by lying down -> soon",
        any_of=frozenset({"sudden_severe_central_pain_relieved_lying"}),
        superseded_by=("fragility_fracture",),
    ),
)

RULES_BY_CODE: Final[Mapping[str, RedFlagRule]] = {r.code: r for r in RULES}

if len(RULES_BY_CODE) != len(RULES):  # pragma: no cover - guards the declaration
    raise RuntimeError("duplicate red-flag code")
for _r in RULES:  # pragma: no cover - guards the declaration
    if not FINDINGS.keys() >= (_r.any_of | _r.all_of | _r.also_counts):
        raise RuntimeError(f"{_r.code} names a code missing from the vocabulary")
    for _s in _r.superseded_by:
        if urgency_rank(RULES_BY_CODE[_s].urgency) > urgency_rank(_r.urgency):
            raise RuntimeError(f"{_r.code} superseded by the less urgent {_s}")


def rule_criteria(rule: RedFlagRule) -> str:
    """The rule's trigger in words, generated from its data (the reference page uses it)."""
    parts: list[str] = []
    if rule.all_of:
        parts.append("all of " + ", ".join(f"`{c}`" for c in sorted(rule.all_of)))
    if rule.any_of and rule.min_count:
        what = "any of" if rule.min_count == 1 else f"at least {rule.min_count} of"
        region = ""
        if rule.region_counts_as:
            region = " (a " + " or ".join(sorted(rule.region_counts_as)) + " region counts as one)"
        parts.append(f"{what} " + ", ".join(f"`{c}`" for c in sorted(rule.any_of)) + region)
    if rule.also_counts:
        parts.append(
            "also counting " + ", ".join(f"`{c}`" for c in sorted(rule.also_counts)) + " if present"
        )
    if rule.min_age is not None:
        parts.append(f"age {rule.min_age} or over")
    return "; ".join(parts)


def _fire(rule: RedFlagRule, inp: TriageInput, codes: frozenset[str]) -> RedFlag | None:
    if rule.min_age is not None and inp.age < rule.min_age:
        return None
    if not rule.all_of <= codes:
        return None
    region_hit = inp.region in rule.region_counts_as
    matched = [f for f in inp.findings if f.code in rule.any_of]
    if len(matched) + (1 if region_hit else 0) < rule.min_count:
        return None
    counted = [f for f in inp.findings if f.code in rule.any_of or f.code in rule.also_counts]
    triggering = [f.code for f in inp.findings if f.code in rule.all_of or f in counted]
    urgency, action = rule.urgency, rule.action
    if rule.timed and rule.established_urgency is not None and all(f.established for f in counted):
        urgency, action = rule.established_urgency, rule.established_action
    note = rule.region_notes.get(inp.region)
    if note:
        action = f"{action} {note}"
    return RedFlag(
        code=rule.code,
        condition=rule.condition,
        urgency=urgency,
        findings=tuple(triggering),
        source=rule.source,
        action=action,
        rule=rule.id,
    )


def _explain(rule: RedFlagRule, flag: RedFlag, inp: TriageInput) -> str:
    shown = [f.describe() for f in inp.findings if f.code in flag.findings]
    if inp.region in rule.region_counts_as:
        shown.append(f"region {inp.region} (counts as {inp.region.replace('_', ' ')} pain)")
    if rule.min_age is not None:
        shown.append(f"age {inp.age}")
    text = (
        f"[{rule.id}] {flag.condition} -> {flag.urgency}: {'; '.join(shown)}. "
        f"Rule: {rule.basis} ({rule.source})."
    )
    if rule.timed and flag.urgency != rule.urgency:
        text += " Every finding counted is present more than 14 days and stable or improving."
    elif rule.timed:
        text += (
            " Not every finding counted is present more than 14 days and stable or improving, "
            "so the higher urgency holds."
        )
    return text


def evaluate(inp: TriageInput) -> tuple[tuple[RedFlag, ...], tuple[str, ...]]:
    """Every red flag that fires, most urgent first (then in rule order), and explanations.

    Source of each rule: its ``source`` field (GIRFT 2023, NICE NG234, NG12, NG41, NG240, CKS,
    myelopathy literature); the policies are in each rule's ``policy`` and ADRs 0020-0026.
    """
    codes = inp.codes
    fired: list[tuple[RedFlagRule, RedFlag]] = []
    below_age: list[str] = []
    for rule in RULES:
        flag = _fire(rule, inp, codes)
        if flag is not None:
            fired.append((rule, flag))
        elif rule.min_age is not None and inp.age < rule.min_age:
            met = sorted(codes & rule.any_of)
            if met and rule.all_of <= codes:
                below_age.append(
                    f"[{rule.id}] {', '.join(met)} at age {inp.age}: this rule needs age "
                    f"{rule.min_age} or over, so it does not fire; record any other red-flag "
                    "feature and re-triage if the finding persists."
                )
    fired_codes = {f.code for _, f in fired}
    kept = [(r, f) for r, f in fired if not (set(r.superseded_by) & fired_codes)]
    order = {r.code: i for i, r in enumerate(RULES)}
    kept.sort(key=lambda rf: (urgency_rank(rf[1].urgency), order[rf[0].code]))
    explanations = [_explain(r, f, inp) for r, f in kept]
    for r, f in fired:
        if (r, f) not in kept:
            by = sorted(set(r.superseded_by) & fired_codes)
            explanations.append(
                f"[{r.id}] {r.condition}: also met, shown under {', '.join(by)} (same findings, "
                "equal or higher urgency)."
            )
    explanations += below_age
    return tuple(f for _, f in kept), tuple(explanations)


def single_myelopathy_note(inp: TriageInput) -> str | None:
    """One myelopathy finding alone does not meet the two-finding rule: say so, never silently."""
    present = [f.code for f in inp.findings if f.code in MYELOPATHY_CODES]
    if len(present) == 1:
        return (
            f"[RF-MYELOPATHY] One myelopathy finding ({present[0]}): the rule needs two or more. "
            "Examine for the others (gait, hands, reflexes, Hoffmann, Babinski, clonus) and "
            "re-triage."
        )
    return None
