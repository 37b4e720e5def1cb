"""Clinical vignettes for the triage, each from the guidance it cites (a clinician reviews
this table).

Each vignette is also shipped as ``examples/triage/<name>.json`` (the input only; a spec test
checks the files equal ``data``) and run through the `painpath triage` CLI by
tests/cli/triage/test_cli_triage.py. Expected values come from the cited source's rule as
painpath applies it (CLINICAL.md sections 3-4; policies in ADRs 0020-0026).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

GIRFT = "GIRFT national suspected cauda equina syndrome pathway (2023)"
NG234 = "NICE NG234 Spinal metastases and MSCC (2023) section 1.2"
NG12 = "NICE NG12 Suspected cancer: recognition and referral"
NG59 = "NICE NG59 Low back pain and sciatica in over 16s (2016, updated 2020)"
NG65 = "NICE NG65 Spondyloarthritis in over 16s (2017) section 1.1"
CKS_LBP = "NICE CKS Back pain - low (without radiculopathy): red flags"
CKS_SCI = "NICE CKS Sciatica (lumbar radiculopathy): red flags"
CKS_NECK = "NICE CKS Neck pain - non-specific / cervical radiculopathy"
DCM = "Davies BM et al. Degenerative cervical myelopathy. BMJ 2018;360:k186"

LOW_RISK = [0, 0, 0, 0, 0, 0, 0, 0, 1]  # STarT Back total 0: low
MEDIUM_RISK = [1, 1, 1, 1, 1, 0, 0, 0, 0]  # total 5, psychosocial 1: medium
HIGH_RISK = [1, 0, 1, 0, 1, 1, 1, 1, 3]  # total 7, psychosocial 5: high
NEUROPATHIC_LIKELY = [4, 4, 3, 3, 2, 3, 2, 1, 1]  # painDETECT 24: likely


@dataclass(frozen=True)
class Vignette:
    name: str
    source: str
    story: str
    data: dict[str, Any]
    urgency: str
    red_flags: frozenset[str]
    pain_type: str
    axial_spa: str | None = None
    recommended: tuple[str, ...] = ()
    not_recommended: tuple[str, ...] = ()
    consider: tuple[str, ...] = field(default=())


def _lb(age: int, weeks: int, findings: list[Any], **extra: Any) -> dict[str, Any]:
    return {
        "region": "low_back",
        "age": age,
        "sex": extra.pop("sex", "female"),
        "duration_weeks": weeks,
        "findings": findings,
        **extra,
    }


def _neck(age: int, weeks: int, findings: list[Any], **extra: Any) -> dict[str, Any]:
    return {**_lb(age, weeks, findings, **extra), "region": "neck"}


def _th(age: int, weeks: int, findings: list[Any], **extra: Any) -> dict[str, Any]:
    return {**_lb(age, weeks, findings, **extra), "region": "thoracic"}


def _f(code: str, days: int, course: str) -> dict[str, Any]:
    return {"code": code, "days": days, "course": course}


V = Vignette
VIGNETTES: tuple[Vignette, ...] = (
    # --- cauda equina (GIRFT 2023) ------------------------------------------------------------
    V(
        "saddle_anaesthesia",
        GIRFT,
        "45-year-old with sciatica and numbness around the anus for 2 days.",
        _lb(45, 10, ["leg_pain_worse_than_back", _f("saddle_anaesthesia", 2, "new")]),
        "emergency",
        frozenset({"cauda_equina"}),
        "non_specific",
    ),
    V(
        "urinary_retention_bilateral_sciatica",
        GIRFT,
        "38-year-old man, sciatica in both legs since yesterday and cannot pass urine.",
        _lb(
            38,
            3,
            [_f("urinary_retention", 1, "new"), _f("bilateral_radicular_pain", 1, "new")],
            sex="male",
        ),
        "emergency",
        frozenset({"cauda_equina"}),
        "non_specific",
    ),
    V(
        "ces_deteriorating_after_14_days",
        GIRFT,
        "Difficulty starting urination for a month, worse this week: deteriorating -> emergency.",
        _lb(52, 20, [_f("urinary_difficulty", 30, "deteriorating")]),
        "emergency",
        frozenset({"cauda_equina"}),
        "non_specific",
    ),
    V(
        "ces_stable_after_14_days",
        GIRFT,
        "Altered saddle sensation for 3 weeks, unchanged: present > 14 days and stable -> urgent.",
        _lb(47, 30, [_f("saddle_anaesthesia", 21, "stable")]),
        "urgent",
        frozenset({"cauda_equina"}),
        "non_specific",
    ),
    V(
        "ces_improving_after_14_days",
        GIRFT + "; painpath policy (ADR 0021): improving is never graded below stable",
        "Reduced rectal sensation for 4 weeks, slowly improving.",
        _lb(41, 12, [_f("loss_of_rectal_sensation", 28, "improving")]),
        "urgent",
        frozenset({"cauda_equina"}),
        "non_specific",
    ),
    V(
        "ces_bare_code_counts_as_new",
        GIRFT + "; CLINICAL.md section 1 (a bare code counts as new)",
        "Urinary incontinence recorded without its course.",
        _lb(60, 8, ["urinary_incontinence"]),
        "emergency",
        frozenset({"cauda_equina"}),
        "non_specific",
    ),
    V(
        "ces_stable_without_days_stays_emergency",
        GIRFT + "; painpath policy (ADR 0021): > 14 days must be stated",
        "Faecal incontinence said to be stable, but no duration recorded.",
        _lb(55, 6, [{"code": "faecal_incontinence", "course": "stable"}]),
        "emergency",
        frozenset({"cauda_equina"}),
        "non_specific",
    ),
    V(
        "sexual_dysfunction_alone",
        GIRFT + " (sexual dysfunction alone is not CES-suggestive: review)",
        "New erectile difficulty with back pain, no bladder, bowel or saddle symptoms.",
        _lb(44, 10, ["sexual_dysfunction"], sex="male"),
        "soon",
        frozenset({"ces_review"}),
        "non_specific",
    ),
    V(
        "sexual_dysfunction_with_stable_saddle_change",
        GIRFT + " (with another CES finding it counts)",
        "Saddle numbness for 3 weeks, stable, and new loss of genital sensation this week.",
        _lb(39, 16, [_f("saddle_anaesthesia", 21, "stable"), _f("sexual_dysfunction", 5, "new")]),
        "emergency",
        frozenset({"cauda_equina"}),
        "non_specific",
    ),
    # --- neurological deficit -------------------------------------------------------------------
    V(
        "foot_drop_sciatica",
        CKS_SCI + "; NHS Lothian RefHelp acute foot drop",
        "Sciatica below the knee with L5 weakness and dorsiflexion 2/5.",
        _lb(
            43,
            5,
            ["leg_pain_worse_than_back", "pain_below_knee", "myotomal_weakness", "foot_drop"],
            paindetect=NEUROPATHIC_LIKELY,
        ),
        "urgent",
        frozenset({"neurological_deficit"}),
        "radicular",
    ),
    V(
        "progressive_leg_weakness",
        CKS_SCI,
        "Leg weakness worsening over a week.",
        _lb(58, 6, ["progressive_leg_weakness"], sex="male"),
        "urgent",
        frozenset({"neurological_deficit"}),
        "non_specific",
    ),
    # --- cancer ---------------------------------------------------------------------------------
    V(
        "mscc_cancer_with_leg_weakness",
        NG234 + " (neurological symptoms: contact the MSCC coordinator immediately)",
        "68-year-old with prostate cancer, new leg weakness and difficulty walking.",
        _lb(68, 4, ["history_of_cancer", "limb_weakness", "difficulty_walking"], sex="male"),
        "emergency",
        frozenset({"mscc"}),
        "non_specific",
    ),
    V(
        "mscc_cancer_with_band_like_radicular_pain",
        NG234 + " (radicular pain is a neurological symptom of MSCC)",
        "57-year-old with breast cancer and band-like pain round the chest from the mid back.",
        _th(57, 3, ["history_of_cancer", "radicular_pain"]),
        "emergency",
        frozenset({"mscc"}),
        "non_specific",
    ),
    V(
        "cancer_thoracic_pain",
        NG234 + " (thoracic spinal pain: contact the MSCC coordinator within 24 hours)",
        "62-year-old treated for lung cancer with new mid-back pain, no neurology.",
        _th(62, 3, ["history_of_cancer", "pain_varies_with_activity"]),
        "urgent",
        frozenset({"spinal_metastases"}),
        "mechanical",
    ),
    V(
        "cancer_neck_pain",
        NG234 + " (cervical spinal pain)",
        "Myeloma in remission with new neck pain.",
        _neck(66, 2, ["history_of_cancer"]),
        "urgent",
        frozenset({"spinal_metastases"}),
        "mechanical",
    ),
    V(
        "cancer_night_pain_low_back",
        NG234 + " (nocturnal spinal pain preventing sleep)",
        "Previous colorectal cancer; low back pain that stops her sleeping.",
        _lb(71, 6, ["history_of_cancer", "night_pain"]),
        "urgent",
        frozenset({"spinal_metastases", "possible_malignancy"}),
        "non_specific",
    ),
    V(
        "cancer_pain_on_straining_and_tenderness",
        NG234 + " (pain on straining; localised tenderness)",
        "Renal cancer history; back pain worse on coughing, tender over L2.",
        _lb(48, 5, ["history_of_cancer", "pain_worse_on_straining", "localised_spinal_tenderness"]),
        "urgent",
        frozenset({"spinal_metastases"}),
        "non_specific",
    ),
    V(
        "cancer_history_only",
        CKS_LBP + " (past history of cancer); painpath policy (ADR 0023)",
        "Melanoma excised 8 years ago; mechanical low back pain, no NG234 feature.",
        _lb(45, 10, ["history_of_cancer", "pain_varies_with_activity"]),
        "soon",
        frozenset({"cancer_history"}),
        "mechanical",
    ),
    V(
        "age_50_weight_loss",
        NG12 + "; " + CKS_LBP + " (age 50 counts: inclusive)",
        "Exactly 50, unexplained weight loss with back pain.",
        _lb(50, 6, ["unexplained_weight_loss"], sex="male"),
        "soon",
        frozenset({"possible_malignancy"}),
        "non_specific",
    ),
    V(
        "age_49_weight_loss",
        CKS_LBP + " (the age criterion is 50 or over)",
        "49, unexplained weight loss, no other red flag.",
        _lb(49, 6, ["unexplained_weight_loss"], sex="male"),
        "routine",
        frozenset(),
        "non_specific",
    ),
    V(
        "over_50_no_improvement_after_4_weeks",
        CKS_LBP,
        "58, back pain not improving after 4 weeks of treatment.",
        _lb(58, 5, ["no_improvement_after_4_weeks", "pain_varies_with_activity"]),
        "soon",
        frozenset({"possible_malignancy"}),
        "mechanical",
    ),
    # --- infection ------------------------------------------------------------------------------
    V(
        "fever_iv_drug_use",
        CKS_LBP + " (spinal infection: fever with IV drug use)",
        "Injects heroin; fever and severe back pain.",
        _lb(33, 1, ["fever", "iv_drug_use"], sex="male"),
        "urgent",
        frozenset({"spinal_infection"}),
        "non_specific",
    ),
    V(
        "fever_alone",
        CKS_LBP + "; CLINICAL.md section 3 (fever alone with spinal pain -> urgent)",
        "Back pain with a temperature of 38.4 C, no risk factor.",
        _lb(29, 1, ["fever"]),
        "urgent",
        frozenset({"fever_with_spinal_pain"}),
        "non_specific",
    ),
    V(
        "fever_with_neurological_deficit",
        "Darouiche RO. N Engl J Med 2006;355:2012-20 (spinal epidural abscess triad)",
        "On methotrexate, febrile, back pain and leg weakness worsening over 2 days.",
        _lb(63, 1, ["fever", "immunosuppression", "progressive_leg_weakness"]),
        "emergency",
        frozenset({"spinal_epidural_abscess", "neurological_deficit"}),
        "non_specific",
    ),
    # --- fracture -------------------------------------------------------------------------------
    V(
        "major_trauma",
        "NICE NG41 Spinal injury: assessment and initial management (2016)",
        "Fell 3 metres from scaffolding; back pain.",
        _lb(35, 0, ["major_trauma"], sex="male"),
        "emergency",
        frozenset({"spinal_fracture_trauma"}),
        "non_specific",
    ),
    V(
        "minor_trauma_osteoporosis",
        CKS_LBP + "; NOGG (2022)",
        "74-year-old with osteoporosis, back pain after lifting a shopping bag.",
        _lb(74, 2, ["minor_trauma", "osteoporosis"]),
        "soon",
        frozenset({"fragility_fracture"}),
        "non_specific",
    ),
    V(
        "minor_trauma_on_steroids",
        CKS_LBP + " (prolonged corticosteroid use)",
        "On prednisolone for polymyalgia; back pain after a fall from standing.",
        _lb(69, 1, ["minor_trauma", "corticosteroid_use"]),
        "soon",
        frozenset({"fragility_fracture"}),
        "non_specific",
    ),
    V(
        "sudden_central_pain_relieved_lying",
        "Royal Osteoporosis Society: Identifying vertebral fractures (2017)",
        "Sudden severe central back pain, eased only by lying down.",
        _lb(66, 1, ["sudden_severe_central_pain_relieved_lying"]),
        "soon",
        frozenset({"fragility_fracture_pain"}),
        "non_specific",
    ),
    # --- neck -----------------------------------------------------------------------------------
    V(
        "dcm_stable",
        DCM + " (stable suspected myelopathy: soon)",
        "64-year-old, clumsy hands and unsteady gait for 6 months, unchanged; Hoffmann positive.",
        _neck(
            64,
            30,
            [
                _f("hand_clumsiness", 180, "stable"),
                _f("gait_disturbance", 180, "stable"),
                _f("hoffmann_sign", 180, "stable"),
            ],
            sex="male",
        ),
        "soon",
        frozenset({"myelopathy"}),
        "myelopathy",
        recommended=("act_on_red_flags", "myelopathy_surgical_assessment"),
    ),
    V(
        "dcm_deteriorating",
        DCM + " (deteriorating over days: emergency)",
        "Hand numbness and walking getting worse over the last 5 days.",
        _neck(
            59,
            12,
            [_f("bilateral_hand_numbness", 10, "deteriorating"), _f("gait_disturbance", 5, "new")],
        ),
        "emergency",
        frozenset({"myelopathy"}),
        "myelopathy",
    ),
    V(
        "single_myelopathy_sign_with_radiculopathy",
        CKS_NECK + "; CLINICAL.md section 3 (two or more myelopathy findings)",
        "C6 radiculopathy with an isolated Hoffmann sign for 2 months.",
        _neck(
            50,
            9,
            [
                "arm_pain_worse_than_neck",
                "dermatomal_arm_symptoms",
                _f("hoffmann_sign", 60, "stable"),
            ],
        ),
        "routine",
        frozenset(),
        "radiculopathy",
    ),
    V(
        "myelopathy_signs_in_low_back_assessment",
        DCM + "; painpath policy (ADR 0022): red flags fire in every region",
        "Referred for low back pain; brisk reflexes and extensor plantars found, getting worse.",
        _lb(
            61,
            8,
            [_f("hyperreflexia", 7, "deteriorating"), _f("babinski_sign", 7, "deteriorating")],
            sex="male",
        ),
        "emergency",
        frozenset({"myelopathy"}),
        "non_specific",
    ),
    V(
        "meningitis_triad",
        "NICE NG240 Meningitis (bacterial) and meningococcal disease (2024)",
        "Neck pain with severe headache, fever and a non-blanching rash.",
        _neck(22, 0, ["severe_headache", "fever", "non_blanching_rash"], sex="male"),
        "emergency",
        frozenset({"meningitis"}),
        "mechanical",
    ),
    V(
        "drop_attacks",
        CKS_NECK + "; IFOMPT cervical framework (Rushton et al. 2023)",
        "Neck pain with sudden falls without losing consciousness.",
        _neck(70, 3, ["drop_attacks"]),
        "urgent",
        frozenset({"cervical_arterial_dysfunction"}),
        "mechanical",
    ),
    V(
        "dizziness_on_neck_extension",
        CKS_NECK + "; IFOMPT cervical framework (Rushton et al. 2023)",
        "Dizzy and seeing double when looking up.",
        _neck(56, 2, ["dizziness_on_neck_extension", "pain_varies_with_activity"]),
        "urgent",
        frozenset({"cervical_arterial_dysfunction"}),
        "mechanical",
    ),
    V(
        "cervical_radiculopathy",
        CKS_NECK,
        "Arm pain worse than neck pain in the C7 dermatome, Spurling positive.",
        _neck(
            46,
            6,
            ["arm_pain_worse_than_neck", "dermatomal_arm_symptoms", "positive_spurling"],
            paindetect=NEUROPATHIC_LIKELY,
        ),
        "routine",
        frozenset(),
        "radiculopathy",
        recommended=("neck_physiotherapy", "cervical_radiculopathy_specialist"),
    ),
    V(
        "mechanical_neck_pain",
        CKS_NECK,
        "Neck pain for 2 weeks, worse at the desk.",
        _neck(31, 2, ["pain_varies_with_activity"]),
        "routine",
        frozenset(),
        "mechanical",
        recommended=("neck_reassurance_activity",),
    ),
    # --- axial spondyloarthritis (NICE NG65) -----------------------------------------------------
    V(
        "axial_spa_refer",
        NG65 + " (4 or more criteria: refer)",
        "28-year-old, back pain since 24, wakes at 4 am, buttock pain, better with exercise.",
        _lb(
            28,
            208,
            ["waking_second_half_night", "buttock_pain", "improves_with_movement"],
            sex="male",
            age_at_onset=24,
        ),
        "routine",
        frozenset(),
        "non_specific",
        axial_spa="refer",
        recommended=("rheumatology_referral",),
    ),
    V(
        "axial_spa_hla_b27",
        NG65 + " (exactly 3 criteria: HLA-B27 test)",
        "40-year-old, onset at 38, night waking, buttock pain, better within 48 h of ibuprofen.",
        _lb(
            40,
            104,
            ["waking_second_half_night", "buttock_pain", "nsaid_response_48h"],
            age_at_onset=38,
        ),
        "routine",
        frozenset(),
        "non_specific",
        axial_spa="hla_b27_test",
        recommended=("hla_b27_test",),
    ),
    V(
        "axial_spa_onset_after_45",
        NG65 + " (pain must start before 45)",
        "CLINICAL.md example: 51, pain since 46, with night waking and buttock pain.",
        _lb(
            51,
            260,
            ["waking_second_half_night", "buttock_pain", "psoriasis", "enthesitis"],
            age_at_onset=46,
        ),
        "routine",
        frozenset(),
        "non_specific",
        axial_spa="not_applicable",
    ),
    # --- NICE NG59 pathway ----------------------------------------------------------------------
    V(
        "ng59_low_risk_mechanical",
        NG59 + " (STarT Back low risk: simple support)",
        "35-year-old, 6 weeks of mechanical back pain, STarT Back low risk.",
        _lb(35, 6, ["pain_varies_with_activity"], startback=LOW_RISK),
        "routine",
        frozenset(),
        "mechanical",
        recommended=("self_management", "simple_support"),
        not_recommended=("paracetamol_alone", "opioids_routinely_acute_lbp", "cbpm_chronic_pain"),
        consider=("oral_nsaid", "weak_opioid_acute"),
    ),
    V(
        "ng59_high_risk_persistent",
        NG59 + " (high risk, persistent: combined physical and psychological programme)",
        "Back pain for a year with fear-avoidance and low mood, STarT Back high risk.",
        _lb(42, 52, ["pain_varies_with_activity"], startback=HIGH_RISK),
        "routine",
        frozenset(),
        "mechanical",
        recommended=(
            "exercise_programme",
            "manual_therapy_with_exercise",
            "psychological_therapy_with_exercise",
            "combined_physical_psychological",
        ),
        not_recommended=(
            "opioids_chronic_lbp",
            "acupuncture",
            "tens",
            "spinal_fusion_outside_trial",
        ),
        consider=("radiofrequency_denervation",),
    ),
    V(
        "ng59_sciatica_medium_risk",
        NG59 + " (sciatica: no gabapentinoids; epidural for acute severe sciatica)",
        "Acute sciatica below the knee with a positive straight leg raise, medium risk.",
        _lb(
            37,
            4,
            ["pain_below_knee", "positive_straight_leg_raise"],
            startback=MEDIUM_RISK,
            paindetect=NEUROPATHIC_LIKELY,
        ),
        "routine",
        frozenset(),
        "radicular",
        recommended=("exercise_programme",),
        not_recommended=("sciatica_gabapentinoids_antiepileptics_steroids_benzodiazepines",),
        consider=("epidural_acute_severe_sciatica", "decompression_sciatica"),
    ),
    # --- review additions (ruleset 1.1.0) ---------------------------------------------------------
    V(
        "cancer_with_sciatica_mscc",
        NG234 + " (radicular pain in a person with cancer: MSCC coordinator immediately)",
        "Breast cancer 3 years ago; new sciatica below the knee, straight leg raise positive.",
        _lb(61, 3, ["history_of_cancer", "pain_below_knee", "positive_straight_leg_raise"]),
        "emergency",
        frozenset({"mscc"}),
        "radicular",
        recommended=("act_on_red_flags", "sciatica_self_management"),
    ),
    V(
        "ces_finding_in_a_neck_assessment",
        GIRFT + "; painpath policy (ADR 0022): red flags fire in every region",
        "Seen for cervical radiculopathy; mentions new numbness between the legs.",
        _neck(
            48,
            6,
            ["arm_pain_worse_than_neck", "dermatomal_arm_symptoms", "saddle_anaesthesia"],
        ),
        "emergency",
        frozenset({"cauda_equina"}),
        "radiculopathy",
    ),
    V(
        "bilateral_radicular_pain_stable",
        GIRFT + "; BASS/SBNS 2018 (policy: bilateral radicular pain counts as CES)",
        "Sciatica in both legs for 6 weeks, unchanged, no bladder or bowel symptoms.",
        _lb(50, 8, [_f("bilateral_radicular_pain", 42, "stable")]),
        "urgent",
        frozenset({"cauda_equina"}),
        "non_specific",
    ),
    V(
        "sexual_dysfunction_deteriorating_with_stable_retention",
        GIRFT + " (with another CES finding sexual dysfunction counts, and so does its course)",
        "Hesitancy for a month, unchanged; erectile difficulty getting worse over that month.",
        _lb(
            44,
            10,
            [_f("urinary_difficulty", 30, "stable"), _f("sexual_dysfunction", 30, "deteriorating")],
            sex="male",
        ),
        "emergency",
        frozenset({"cauda_equina"}),
        "non_specific",
    ),
    V(
        "myelopathy_stable_without_days",
        DCM + "; painpath policy (ADR 0021): stable needs more than 14 days stated",
        "Clumsy hands and brisk reflexes said to be stable, but when they started is not recorded.",
        _neck(
            66,
            20,
            [
                {"code": "hand_clumsiness", "course": "stable"},
                {"code": "hyperreflexia", "course": "stable"},
            ],
        ),
        "emergency",
        frozenset({"myelopathy"}),
        "myelopathy",
        recommended=("act_on_red_flags", "myelopathy_surgical_assessment"),
    ),
    V(
        "neck_radiculopathy_high_risk_persistent",
        CKS_NECK + "; " + NG59 + " stratified care applied to the neck by clinic policy (ADR 0027)",
        "C6 radiculopathy for 5 months with fear of movement and low mood, STarT Back high risk.",
        _neck(
            52,
            20,
            ["arm_pain_worse_than_neck", "dermatomal_arm_symptoms", "myotomal_weakness"],
            startback=HIGH_RISK,
        ),
        "routine",
        frozenset(),
        "radiculopathy",
        recommended=(
            "cervical_radiculopathy_care",
            "exercise_programme",
            "manual_therapy_with_exercise",
            "psychological_therapy_with_exercise",
            "combined_physical_psychological",
            "neck_physiotherapy",
            "cervical_radiculopathy_specialist",
        ),
        not_recommended=("cbpm_chronic_pain",),
    ),
    V(
        "mechanical_neck_pain_low_risk",
        CKS_NECK + "; " + NG59 + " (low risk) applied to the neck by clinic policy (ADR 0027)",
        "Desk worker, 6 weeks of neck pain with posture, STarT Back low risk.",
        _neck(34, 6, ["pain_varies_with_activity"], startback=LOW_RISK),
        "routine",
        frozenset(),
        "mechanical",
        recommended=("neck_reassurance_activity", "simple_support", "neck_physiotherapy"),
    ),
    V(
        "chronic_sciatica",
        NG59 + " (chronic sciatica: no opioids; decompression and radiofrequency to consider)",
        "Sciatica below the knee for 6 months with reduced ankle reflex, STarT Back medium risk.",
        _lb(
            47,
            26,
            ["leg_pain_worse_than_back", "pain_below_knee", "reflex_change"],
            startback=MEDIUM_RISK,
        ),
        "routine",
        frozenset(),
        "radicular",
        recommended=("sciatica_self_management", "exercise_programme"),
        not_recommended=(
            "opioids_chronic_sciatica",
            "opioids_chronic_lbp",
            "sciatica_gabapentinoids_antiepileptics_steroids_benzodiazepines",
        ),
        consider=(
            "decompression_sciatica",
            "radiofrequency_denervation",
            "combined_physical_psychological",
        ),
    ),
    V(
        "thoracic_mechanical",
        "painpath policy (ADR 0022); " + CKS_LBP + " (thoracic pain)",
        "40-year-old, mid-back pain with posture, no cancer history.",
        _th(40, 8, ["pain_varies_with_activity"]),
        "routine",
        frozenset(),
        "mechanical",
        recommended=("thoracic_specialist_assessment",),
    ),
)

BY_NAME: dict[str, Vignette] = {v.name: v for v in VIGNETTES}
assert len(BY_NAME) == len(VIGNETTES), "duplicate vignette name"
