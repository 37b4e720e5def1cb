"""The finding vocabulary of the triage (CLINICAL.md sections 3 and 4).

Every code a triage input may carry, with its meaning in clinical words, its group and its
source. Codes are interfaces (the home questionnaires, the assessment form and the stored
assessments use them): add codes freely, never rename. A code outside this vocabulary is refused
by the input parser, never ignored.

Codes added by painpath beyond CLINICAL.md (for the MSCC rule of NICE NG234, which names "any
limb weakness, difficulty walking, sensory loss, radicular pain"): ``limb_weakness``,
``sensory_loss``, ``difficulty_walking``, ``radicular_pain``, ``severe_unremitting_pain``.
``onset_before_35`` is normally derived from ``age_at_onset``; it is accepted as a finding for when
the exact age is not known (ADR 0024).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Final


@dataclass(frozen=True, slots=True)
class Finding:
    """One finding code of the vocabulary.

    ``timed``: the finding's course and duration change the urgency (the GIRFT 14-day window for
    cauda equina findings; adopted for myelopathy findings, ADR 0021).
    """

    code: str
    meaning: str
    group: str
    source: str
    timed: bool = False


#: Groups in display order, with a heading for the reference page and `painpath findings`.
GROUPS: Final[Mapping[str, str]] = MappingProxyType(
    {
        "cauda_equina": "Cauda equina syndrome (GIRFT national suspected CES pathway 2023)",
        "neurological": "Neurological deficit",
        "cancer": "Cancer and spinal metastases (NICE NG234, NG12, CKS)",
        "infection": "Spinal infection",
        "fracture": "Fracture",
        "myelopathy": "Myelopathy (spinal cord compression)",
        "neck": "Neck red flags",
        "axial_spa": "Axial spondyloarthritis (NICE NG65)",
        "classification": "Pain classification (low back and neck)",
    }
)

_GIRFT = "GIRFT national suspected cauda equina syndrome pathway (2023)"
_NG234 = "NICE NG234 (2023) section 1.2, recognising spinal metastases and MSCC"
_CKS_LBP = "NICE CKS Back pain - low (without radiculopathy): red flags"
_CKS_SCI = "NICE CKS Sciatica (lumbar radiculopathy): red flags"
_CKS_NECK = "NICE CKS Neck pain - non-specific: red flags"
_MYELO = "Davies BM et al. Degenerative cervical myelopathy. BMJ 2018;360:k186"
_NG65 = "NICE NG65 (2017) section 1.1, referral for suspected axial spondyloarthritis"
_NG59 = "NICE NG59 (2016, updated 2020)"

_ROWS: tuple[Finding, ...] = (
    # --- cauda equina (timed) -----------------------------------------------------------------
    Finding(
        "urinary_difficulty",
        "Difficulty initiating micturition or impaired sensation of urinary flow",
        "cauda_equina",
        _GIRFT,
        timed=True,
    ),
    Finding("urinary_retention", "Urinary retention", "cauda_equina", _GIRFT, timed=True),
    Finding("urinary_incontinence", "Urinary incontinence", "cauda_equina", _GIRFT, timed=True),
    Finding(
        "saddle_anaesthesia",
        "Altered perianal, perineal or genital sensation (saddle anaesthesia or paraesthesia)",
        "cauda_equina",
        _GIRFT,
        timed=True,
    ),
    Finding(
        "loss_of_rectal_sensation",
        "Loss of sensation of rectal fullness",
        "cauda_equina",
        _GIRFT,
        timed=True,
    ),
    Finding("faecal_incontinence", "Faecal incontinence", "cauda_equina", _GIRFT, timed=True),
    Finding(
        "bilateral_leg_weakness",
        "Severe or progressive neurological deficit of both legs",
        "cauda_equina",
        _GIRFT,
        timed=True,
    ),
    Finding(
        "bilateral_radicular_pain",
        "Bilateral radicular (sciatic) pain: sudden onset, or unilateral progressed to bilateral",
        "cauda_equina",
        _GIRFT + "; BASS/SBNS CES standards 2018 (policy: counts as CES)",
        timed=True,
    ),
    Finding(
        "sexual_dysfunction",
        "New sexual dysfunction (erection, ejaculation or genital sensation); "
        "not CES-suggestive alone, counts with another CES finding",
        "cauda_equina",
        _GIRFT,
        timed=True,
    ),
    # --- neurological -------------------------------------------------------------------------
    Finding(
        "foot_drop",
        "Foot drop: ankle dorsiflexion power 3/5 or less (Oxford scale)",
        "neurological",
        _CKS_SCI,
    ),
    Finding(
        "progressive_leg_weakness",
        "Leg weakness that is getting worse",
        "neurological",
        _CKS_SCI,
    ),
    Finding(
        "limb_weakness",
        "Weakness of an arm or leg not coded more specifically",
        "neurological",
        _NG234,
    ),
    Finding(
        "sensory_loss",
        "Loss of sensation in a limb or the trunk not coded more specifically",
        "neurological",
        _NG234,
    ),
    Finding(
        "difficulty_walking",
        "New difficulty walking (weakness, unsteadiness or numbness)",
        "neurological",
        _NG234,
    ),
    Finding(
        "radicular_pain",
        "Pain in a nerve-root distribution (including band-like thoracic pain)",
        "neurological",
        _NG234,
    ),
    # --- cancer --------------------------------------------------------------------------------
    Finding("history_of_cancer", "Current or previous cancer", "cancer", _NG234),
    Finding("thoracic_pain", "Pain in the thoracic (middle) spine", "cancer", _NG234),
    Finding(
        "night_pain",
        "Spinal pain at night that prevents sleep",
        "cancer",
        _NG234 + "; " + _CKS_LBP,
    ),
    Finding("progressive_pain", "Progressive (worsening) spinal pain", "cancer", _NG234),
    Finding(
        "severe_unremitting_pain",
        "Severe unremitting spinal pain",
        "cancer",
        _NG234,
    ),
    Finding(
        "pain_worse_on_straining",
        "Spinal pain aggravated by straining (at stool, coughing or sneezing)",
        "cancer",
        _NG234,
    ),
    Finding(
        "localised_spinal_tenderness",
        "Localised tenderness over the spine",
        "cancer",
        _NG234,
    ),
    Finding(
        "unexplained_weight_loss",
        "Unexplained weight loss",
        "cancer",
        "NICE NG12; " + _CKS_LBP,
    ),
    Finding(
        "no_improvement_after_4_weeks",
        "No improvement after 4 weeks of treatment",
        "cancer",
        _CKS_LBP,
    ),
    # --- infection -----------------------------------------------------------------------------
    Finding(
        "fever", "Fever (temperature 38 C or above) or feeling feverish", "infection", _CKS_LBP
    ),
    Finding("iv_drug_use", "Current or recent intravenous drug use", "infection", _CKS_LBP),
    Finding(
        "immunosuppression",
        "Immunosuppression (drugs, HIV, diabetes, chemotherapy)",
        "infection",
        _CKS_LBP,
    ),
    Finding(
        "recent_infection",
        "Recent bacterial infection (urinary tract, skin, endocarditis)",
        "infection",
        _CKS_LBP,
    ),
    Finding(
        "recent_spinal_procedure",
        "Recent spinal surgery, injection or other spinal procedure",
        "infection",
        _CKS_LBP,
    ),
    # --- fracture ------------------------------------------------------------------------------
    Finding(
        "major_trauma",
        "Major trauma (road traffic collision, fall from height)",
        "fracture",
        "NICE NG41 Spinal injury: assessment and initial management (2016); " + _CKS_LBP,
    ),
    Finding(
        "minor_trauma", "Minor trauma (fall from standing height, lifting)", "fracture", _CKS_LBP
    ),
    Finding(
        "osteoporosis", "Known osteoporosis or previous fragility fracture", "fracture", _CKS_LBP
    ),
    Finding(
        "corticosteroid_use",
        "Prolonged systemic corticosteroid use",
        "fracture",
        _CKS_LBP,
    ),
    Finding(
        "sudden_severe_central_pain_relieved_lying",
        "Sudden severe central spinal pain relieved by lying down",
        "fracture",
        "Royal Osteoporosis Society: Identifying vertebral fractures (2017)",
    ),
    # --- myelopathy (timed) --------------------------------------------------------------------
    Finding("hand_clumsiness", "Clumsy hands, loss of dexterity", "myelopathy", _MYELO, True),
    Finding(
        "bilateral_hand_numbness",
        "Numbness or tingling of both hands",
        "myelopathy",
        _MYELO,
        True,
    ),
    Finding(
        "gait_disturbance",
        "Unsteady or broad-based gait, loss of balance",
        "myelopathy",
        _MYELO,
        True,
    ),
    Finding(
        "lhermitte_sign",
        "Electric-shock sensation down the spine or limbs on neck flexion",
        "myelopathy",
        _MYELO,
        True,
    ),
    Finding("hoffmann_sign", "Positive Hoffmann sign", "myelopathy", _MYELO, True),
    Finding(
        "hyperreflexia", "Brisk (pathologically increased) reflexes", "myelopathy", _MYELO, True
    ),
    Finding("babinski_sign", "Extensor plantar response (Babinski)", "myelopathy", _MYELO, True),
    Finding("ankle_clonus", "Sustained ankle clonus", "myelopathy", _MYELO, True),
    # --- neck red flags ------------------------------------------------------------------------
    Finding(
        "severe_headache",
        "Severe headache",
        "neck",
        "NICE NG240 Meningitis (bacterial) and meningococcal disease (2024)",
    ),
    Finding(
        "non_blanching_rash",
        "Non-blanching (petechial or purpuric) rash",
        "neck",
        "NICE NG240 Meningitis (bacterial) and meningococcal disease (2024)",
    ),
    Finding(
        "drop_attacks",
        "Drop attacks (sudden falls without loss of consciousness)",
        "neck",
        _CKS_NECK + "; IFOMPT cervical framework (Rushton et al. 2023)",
    ),
    Finding(
        "dizziness_on_neck_extension",
        "Dizziness or visual disturbance on neck extension or rotation",
        "neck",
        _CKS_NECK + "; IFOMPT cervical framework (Rushton et al. 2023)",
    ),
    # --- axial spondyloarthritis (NICE NG65) ---------------------------------------------------
    Finding(
        "onset_before_35",
        "Low back pain started before age 35 (derived from age_at_onset when that is given)",
        "axial_spa",
        _NG65,
    ),
    Finding(
        "waking_second_half_night",
        "Waking during the second half of the night because of symptoms",
        "axial_spa",
        _NG65,
    ),
    Finding("buttock_pain", "Buttock pain", "axial_spa", _NG65),
    Finding("improves_with_movement", "Improvement with movement", "axial_spa", _NG65),
    Finding(
        "nsaid_response_48h",
        "Improvement within 48 hours of taking an NSAID",
        "axial_spa",
        _NG65,
    ),
    Finding(
        "family_history_spa",
        "A first-degree relative with spondyloarthritis",
        "axial_spa",
        _NG65,
    ),
    Finding("arthritis", "Current or past arthritis", "axial_spa", _NG65),
    Finding("enthesitis", "Current or past enthesitis", "axial_spa", _NG65),
    Finding("psoriasis", "Current or past psoriasis", "axial_spa", _NG65),
    # --- classification ------------------------------------------------------------------------
    Finding(
        "leg_pain_worse_than_back",
        "Leg pain worse than back pain",
        "classification",
        _NG59 + " (sciatica); " + _CKS_SCI,
    ),
    Finding(
        "pain_below_knee",
        "Leg pain radiating below the knee",
        "classification",
        _NG59 + " (sciatica); " + _CKS_SCI,
    ),
    Finding(
        "dermatomal_numbness",
        "Numbness or paraesthesia in a leg dermatome",
        "classification",
        _CKS_SCI,
    ),
    Finding(
        "positive_straight_leg_raise",
        "Positive straight leg raise (radicular leg pain reproduced)",
        "classification",
        _CKS_SCI,
    ),
    Finding(
        "myotomal_weakness",
        "Weakness in a myotome (leg; in a neck assessment, arm)",
        "classification",
        _CKS_SCI + "; NICE CKS Neck pain - cervical radiculopathy",
    ),
    Finding(
        "reflex_change",
        "Reduced or absent reflex in the affected root",
        "classification",
        _CKS_SCI,
    ),
    Finding(
        "pain_varies_with_activity",
        "Pain varies with posture or activity (mechanical pattern)",
        "classification",
        _CKS_LBP + "; " + _CKS_NECK,
    ),
    Finding(
        "arm_pain_worse_than_neck",
        "Arm pain worse than neck pain",
        "classification",
        "NICE CKS Neck pain - cervical radiculopathy",
    ),
    Finding(
        "dermatomal_arm_symptoms",
        "Pain, numbness or paraesthesia in an arm dermatome",
        "classification",
        "NICE CKS Neck pain - cervical radiculopathy",
    ),
    Finding(
        "positive_spurling",
        "Positive Spurling test (radicular arm pain reproduced)",
        "classification",
        "NICE CKS Neck pain - cervical radiculopathy",
    ),
)

#: code -> Finding, in display order (grouped).
FINDINGS: Final[Mapping[str, Finding]] = MappingProxyType(
    {f.code: f for g in GROUPS for f in _ROWS if f.group == g}
)

if len(FINDINGS) != len(_ROWS):  # pragma: no cover - guards the declaration above
    raise RuntimeError("duplicate finding code or finding in an undeclared group")


def codes_in(group: str) -> frozenset[str]:
    """Every code of one group."""
    return frozenset(c for c, f in FINDINGS.items() if f.group == group)


#: The eight CES findings of the GIRFT pathway (sexual_dysfunction counts only with one of them).
CES_CODES: Final = frozenset(
    {
        "urinary_difficulty",
        "urinary_retention",
        "urinary_incontinence",
        "saddle_anaesthesia",
        "loss_of_rectal_sensation",
        "faecal_incontinence",
        "bilateral_leg_weakness",
        "bilateral_radicular_pain",
    }
)
MYELOPATHY_CODES: Final = codes_in("myelopathy")
NG65_CODES: Final = codes_in("axial_spa")

#: Objective neurological deficit: weakness, sensory loss, sphincter disturbance, walking
#: difficulty, upper motor neurone signs (pain-only findings excluded). Used with fever for the
#: spinal epidural abscess rule (ADR 0025).
NEURO_DEFICIT_CODES: Final = frozenset(
    {
        "foot_drop",
        "progressive_leg_weakness",
        "bilateral_leg_weakness",
        "myotomal_weakness",
        "limb_weakness",
        "sensory_loss",
        "saddle_anaesthesia",
        "dermatomal_numbness",
        "bilateral_hand_numbness",
        "loss_of_rectal_sensation",
        "urinary_difficulty",
        "urinary_retention",
        "urinary_incontinence",
        "faecal_incontinence",
        "difficulty_walking",
        "gait_disturbance",
        "hand_clumsiness",
        "hyperreflexia",
        "babinski_sign",
        "ankle_clonus",
        "hoffmann_sign",
    }
)

#: "Neurological symptoms or signs suggestive of MSCC" (NICE NG234 1.2: radicular pain, any limb
#: weakness, difficulty walking, sensory loss, bladder or bowel dysfunction): every objective
#: deficit above plus radicular pain and nerve-root signs. Not sexual dysfunction alone, and not
#: the comparative pain-site codes (leg_pain_worse_than_back, arm_pain_worse_than_neck). ADR 0023.
MSCC_NEURO_CODES: Final = NEURO_DEFICIT_CODES | frozenset(
    {
        "radicular_pain",
        "bilateral_radicular_pain",
        "pain_below_knee",
        "positive_straight_leg_raise",
        "dermatomal_arm_symptoms",
        "positive_spurling",
        "reflex_change",
        "lhermitte_sign",
    }
)

if not FINDINGS.keys() >= (MSCC_NEURO_CODES | CES_CODES):  # pragma: no cover
    raise RuntimeError("a rule set names a code missing from the vocabulary")
