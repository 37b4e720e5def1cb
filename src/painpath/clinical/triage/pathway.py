"""Treatment pathway (CLINICAL.md section 4): NICE NG59 for low back pain and sciatica, the same
risk-stratified options for the neck by clinic policy, NICE CKS for neck-specific care, and NICE
NG144's position on cannabis-based medicinal products in every result.

Why declared items: each option is one ``PathwayItem`` with its source, and ``pathway_for`` only
chooses among them by region, classification, STarT Back risk and duration, so the reference page
lists exactly what can be shown. The first recommended item after any red-flag item is the *lead*
for this pain type (what the routine ``action`` shows). Policies (ADRs 0022, 0026 and 0027):
"chronic" means more than 12 weeks; the NG59 do-not-offer list of CLINICAL.md section 4 is shown
whole for every low back assessment; NG59 covers low back pain and sciatica, so for the neck its
risk-stratified options are applied by clinic policy and each says so in its source, while its
low-back drug and device list is not; suspected myelopathy gets the surgical assessment only;
the thoracic spine has no NICE pathway; with any red flag the first recommendation is to act on
it, because the pathway applies only once serious pathology has been excluded.
"""

from __future__ import annotations

from typing import Final

from painpath.clinical.triage.result import Pathway, PathwayItem, RedFlag, Risk

CHRONIC_AFTER_WEEKS: Final = 12
NECK_PHYSIO_FROM_WEEKS: Final = 4

_NG59 = "NICE NG59 (2016, updated 2020)"
_NG59_RISK = _NG59 + " section 1.1, risk stratification"
_NG59_NON_INV = _NG59 + " section 1.2, non-invasive treatments"
_NG59_DRUGS = _NG59 + " section 1.2, pharmacological management"
_NG59_INV = _NG59 + " section 1.3, invasive treatments"
_NG59_SURG = _NG59 + " section 1.3, surgery"
_CKS_NECK = "NICE CKS Neck pain - non-specific (management)"
_CKS_RAD = "NICE CKS Neck pain - cervical radiculopathy (management)"
_GIRFT = "GIRFT national suspected cauda equina syndrome pathway (2023): safety-netting"
#: Appended to the source of every NG59 option shown for the neck (ADR 0027).
NECK_EXTRAPOLATION: Final = (
    "; NG59 covers low back pain: applied to neck pain by clinic policy (ADR 0027; STarT Back "
    "in back and/or neck pain: Forsbrand MH et al. BMJ Open 2018;8:e021748)"
)


def _i(code: str, text: str, source: str) -> PathwayItem:
    return PathwayItem(code, text, source)


ACT_ON_RED_FLAGS = _i(
    "act_on_red_flags",
    "Act on the red flags first; the treatment options below apply once serious pathology has "
    "been excluded.",
    "NICE NG59 section 1.1 (alternative diagnoses); CLINICAL.md section 1",
)
# --- the lead item for each pain type (the routine action shows it) ----------------------------
SELF_MANAGEMENT = _i(
    "self_management",
    "Advice and information to self-manage, at every step: the nature of low back pain, and "
    "encouragement to continue normal activities.",
    _NG59_NON_INV,
)
SCIATICA_SELF_MANAGEMENT = _i(
    "sciatica_self_management",
    "Advice and information to self-manage, at every step: the nature of sciatica, and "
    "encouragement to continue normal activities; give written cauda equina safety-net advice "
    "(bladder, bowel or saddle symptoms, or weakness in both legs: emergency department at once).",
    _NG59_NON_INV + "; " + _GIRFT,
)
NECK_ACTIVITY = _i(
    "neck_reassurance_activity",
    "Reassurance that non-specific neck pain usually settles within a few weeks; encourage "
    "activity and a return to normal lifestyle; simple analgesia for symptom relief.",
    _CKS_NECK,
)
CERVICAL_RADICULOPATHY_CARE = _i(
    "cervical_radiculopathy_care",
    "Explain that most cervical radiculopathy improves with conservative care; encourage "
    "activity; analgesia for symptom relief; re-examine at once if weakness spreads or hands, "
    "gait or bladder are affected.",
    _CKS_RAD,
)
MYELOPATHY_SURGICAL = _i(
    "myelopathy_surgical_assessment",
    "Spinal surgical assessment with MRI of the cervical spine (surgery is recommended for "
    "moderate and severe degenerative cervical myelopathy).",
    "Fehlings MG et al. Global Spine J 2017;7(3 Suppl):70S-83S (AO Spine guideline)",
)
THORACIC = _i(
    "thoracic_specialist_assessment",
    "No NICE treatment pathway covers thoracic spinal pain (NG59 is for low back pain and "
    "sciatica): assess in the specialist clinic once red flags are excluded.",
    "painpath policy (ADR 0022); NICE NG59 scope",
)
# --- NG59 stratified care (low back; the neck by clinic policy) --------------------------------
RETURN_TO_WORK = _i(
    "return_to_work",
    "Promote and facilitate return to work or normal activities of daily living.",
    _NG59_NON_INV,
)
LOW_RISK_SUPPORT = _i(
    "simple_support",
    "Simpler and less intensive support (low risk): reassurance, advice to keep active and "
    "guidance on self-management, for example charity education material.",
    _NG59_RISK,
)
STRATIFY = _i(
    "stratify_startback",
    "Stratify risk with STarT Back to choose the intensity of support.",
    _NG59_RISK,
)
EXERCISE = _i(
    "exercise_programme",
    "Group exercise programme (biomechanical, aerobic, mind-body or a combination) within the "
    "NHS, chosen for the person's needs, preferences and capabilities.",
    _NG59_NON_INV,
)
MANUAL_WITH_EXERCISE = _i(
    "manual_therapy_with_exercise",
    "Manual therapy (spinal manipulation, mobilisation or soft tissue techniques such as "
    "massage) only as part of a treatment package including exercise.",
    _NG59_NON_INV,
)
CBT_WITH_EXERCISE = _i(
    "psychological_therapy_with_exercise",
    "Psychological therapy using a cognitive behavioural approach, only as part of a treatment "
    "package including exercise.",
    _NG59_NON_INV,
)
COMBINED = _i(
    "combined_physical_psychological",
    "Combined physical and psychological programme with a cognitive behavioural approach "
    "(preferably in a group) for persistent pain with significant psychosocial obstacles to "
    "recovery, or when previous treatments have not been effective.",
    _NG59_NON_INV,
)
NSAID = _i(
    "oral_nsaid",
    "Oral NSAID at the lowest effective dose for the shortest possible time, after assessing "
    "gastrointestinal, liver and cardio-renal risk; consider gastroprotection.",
    _NG59_DRUGS,
)
WEAK_OPIOID_ACUTE = _i(
    "weak_opioid_acute",
    "Weak opioid (with or without paracetamol) for acute low back pain only if an NSAID is "
    "contraindicated, not tolerated or has been ineffective.",
    _NG59_DRUGS,
)
EPIDURAL = _i(
    "epidural_acute_severe_sciatica",
    "Epidural injection of local anaesthetic and steroid for acute and severe sciatica.",
    _NG59_INV,
)
RF_DENERVATION = _i(
    "radiofrequency_denervation",
    "Referral for radiofrequency denervation for chronic low back pain when non-surgical "
    "treatment has not worked, the main source of pain is thought to be structures supplied by "
    "the medial branch nerve, and localised back pain is 5/10 or more; only after a positive "
    "diagnostic medial branch block.",
    _NG59_INV,
)
DECOMPRESSION = _i(
    "decompression_sciatica",
    "Spinal decompression for sciatica when non-surgical treatment has not improved pain or "
    "function and radiological findings are consistent with the sciatic symptoms.",
    _NG59_SURG,
)
RHEUMATOLOGY = _i(
    "rheumatology_referral",
    "Refer to rheumatology for a spondyloarthritis assessment (4 or more NG65 criteria).",
    "NICE NG65 (2017) section 1.1",
)
HLA_B27 = _i(
    "hla_b27_test",
    "HLA-B27 test (exactly 3 NG65 criteria); refer to rheumatology if positive.",
    "NICE NG65 (2017) section 1.1",
)
# --- neck-specific (NICE CKS) ------------------------------------------------------------------
NECK_PHYSIO = _i(
    "neck_physiotherapy",
    "Referral to physiotherapy, and address psychosocial factors (pain for 4 weeks or more).",
    _CKS_NECK,
)
NECK_RADICULOPATHY = _i(
    "cervical_radiculopathy_specialist",
    "Specialist spinal assessment if radicular symptoms are severe or persist after 4 to 6 "
    "weeks of conservative care.",
    _CKS_RAD,
)

CBPM = _i(
    "cbpm_chronic_pain",
    "Cannabis-based medicinal products are not recommended for chronic pain (do not offer "
    "nabilone, dronabinol, THC or THC with CBD; CBD only within a clinical trial). A specialist "
    "who prescribes one privately records why.",
    "NICE NG144 (2019, updated 2021): chronic pain; CLINICAL.md section 5",
)

#: NG59 "do not offer" for low back pain with or without sciatica (CLINICAL.md section 4, whole,
#: for every low back assessment: the classification may be wrong, and a prescriber needs the
#: sciatica items whenever leg pain is present).
NOT_RECOMMENDED_LOW_BACK: Final[tuple[PathwayItem, ...]] = (
    _i("paracetamol_alone", "Paracetamol alone for low back pain.", _NG59_DRUGS),
    _i("opioids_chronic_lbp", "Opioids for chronic low back pain.", _NG59_DRUGS),
    _i("opioids_chronic_sciatica", "Opioids for chronic sciatica.", _NG59_DRUGS),
    _i(
        "antidepressants_for_lbp",
        "SSRIs, SNRIs or tricyclic antidepressants for low back pain.",
        _NG59_DRUGS,
    ),
    _i("anticonvulsants_for_lbp", "Anticonvulsants for low back pain.", _NG59_DRUGS),
    _i(
        "sciatica_gabapentinoids_antiepileptics_steroids_benzodiazepines",
        "Gabapentinoids, other antiepileptics, oral corticosteroids or benzodiazepines for "
        "sciatica.",
        _NG59_DRUGS,
    ),
    _i("belts_corsets", "Belts or corsets.", _NG59_NON_INV),
    _i("foot_orthotics", "Foot orthotics.", _NG59_NON_INV),
    _i("rocker_sole_shoes", "Rocker sole shoes.", _NG59_NON_INV),
    _i("traction", "Traction.", _NG59_NON_INV),
    _i("acupuncture", "Acupuncture.", _NG59_NON_INV),
    _i("ultrasound", "Therapeutic ultrasound.", _NG59_NON_INV),
    _i("tens", "Transcutaneous electrical nerve stimulation (TENS).", _NG59_NON_INV),
    _i("pens", "Percutaneous electrical nerve stimulation (PENS).", _NG59_NON_INV),
    _i("interferential_therapy", "Interferential therapy.", _NG59_NON_INV),
    _i("spinal_injections_for_lbp", "Spinal injections for low back pain.", _NG59_INV),
    _i("disc_replacement", "Disc replacement for low back pain.", _NG59_SURG),
    _i(
        "spinal_fusion_outside_trial",
        "Spinal fusion for low back pain, except as part of a randomised controlled trial.",
        _NG59_SURG,
    ),
)
OPIOIDS_ACUTE = _i(
    "opioids_routinely_acute_lbp",
    "Opioids routinely for acute low back pain.",
    _NG59_DRUGS,
)

#: Every item the pathway can show (the reference page lists them; for the neck the NG59 items
#: carry NECK_EXTRAPOLATION in their source).
ALL_ITEMS: Final[tuple[PathwayItem, ...]] = (
    ACT_ON_RED_FLAGS,
    SELF_MANAGEMENT,
    SCIATICA_SELF_MANAGEMENT,
    NECK_ACTIVITY,
    CERVICAL_RADICULOPATHY_CARE,
    MYELOPATHY_SURGICAL,
    THORACIC,
    RETURN_TO_WORK,
    LOW_RISK_SUPPORT,
    STRATIFY,
    EXERCISE,
    MANUAL_WITH_EXERCISE,
    CBT_WITH_EXERCISE,
    COMBINED,
    RHEUMATOLOGY,
    HLA_B27,
    NSAID,
    WEAK_OPIOID_ACUTE,
    EPIDURAL,
    RF_DENERVATION,
    DECOMPRESSION,
    NECK_PHYSIO,
    NECK_RADICULOPATHY,
    *NOT_RECOMMENDED_LOW_BACK,
    OPIOIDS_ACUTE,
    CBPM,
)

#: The lead item of each (region, pain type): the first step the routine action shows.
LEADS: Final[dict[tuple[str, str], PathwayItem]] = {
    ("low_back", "radicular"): SCIATICA_SELF_MANAGEMENT,
    ("low_back", "mechanical"): SELF_MANAGEMENT,
    ("low_back", "non_specific"): SELF_MANAGEMENT,
    ("neck", "mechanical"): NECK_ACTIVITY,
    ("neck", "radiculopathy"): CERVICAL_RADICULOPATHY_CARE,
    ("neck", "myelopathy"): MYELOPATHY_SURGICAL,
    ("thoracic", "mechanical"): THORACIC,
    ("thoracic", "non_specific"): THORACIC,
}

#: How the routine action names each (region, pain type).
PAIN_TYPE_NAMES: Final[dict[tuple[str, str], str]] = {
    ("low_back", "radicular"): "Sciatica (lumbar radicular pain)",
    ("low_back", "mechanical"): "Mechanical low back pain",
    ("low_back", "non_specific"): "Non-specific low back pain",
    ("neck", "mechanical"): "Mechanical (non-specific) neck pain",
    ("neck", "radiculopathy"): "Cervical radiculopathy",
    ("neck", "myelopathy"): "Suspected cervical myelopathy",
    ("thoracic", "mechanical"): "Mechanical thoracic spinal pain",
    ("thoracic", "non_specific"): "Non-specific thoracic spinal pain",
}


def _if_risk_unknown(item: PathwayItem) -> PathwayItem:
    return PathwayItem(item.code, f"If STarT Back medium or high risk: {item.text}", item.source)


def _for_neck(item: PathwayItem) -> PathwayItem:
    return PathwayItem(item.code, item.text, item.source + NECK_EXTRAPOLATION)


def risk_step(risk: Risk | None, chronic: bool) -> str:
    """The risk-stratified step in a few words (the routine action shows it)."""
    group = None if risk is None else risk.group
    if group == "low":
        return "STarT Back low risk: simple support (reassurance, keep active, self-management)."
    if group in ("medium", "high"):
        step = (
            f"STarT Back {group} risk: exercise programme, with manual therapy or a CBT approach "
            "only alongside exercise"
        )
        if group == "high" and chronic:
            step += "; combined physical and psychological programme"
        return step + "."
    return "Stratify with STarT Back to choose the intensity of support."


def _stratified(
    risk: Risk | None, chronic: bool, label: str
) -> tuple[list[PathwayItem], list[PathwayItem], list[str]]:
    """NG59 section 1.1-1.2 stratified care: (recommended, consider, explanations)."""
    rec: list[PathwayItem] = []
    con: list[PathwayItem] = []
    why: list[str] = []
    group = None if risk is None else risk.group
    if group == "low":
        rec.append(LOW_RISK_SUPPORT)
        why.append(
            f"[PW-LOW] {label}STarT Back low risk: simpler, less intensive support (NICE NG59)."
        )
    elif group in ("medium", "high"):
        rec += [EXERCISE, MANUAL_WITH_EXERCISE, CBT_WITH_EXERCISE]
        why.append(
            f"[PW-{group.upper()}] {label}STarT Back {group} risk: exercise programme, manual "
            "therapy and CBT approach only with exercise (NICE NG59)."
        )
    else:
        rec.append(STRATIFY)
        con += [_if_risk_unknown(i) for i in (EXERCISE, MANUAL_WITH_EXERCISE, CBT_WITH_EXERCISE)]
        why.append(f"[PW-NORISK] {label}No STarT Back: stratify first (NICE NG59).")
    if group == "high" and chronic:
        rec.append(COMBINED)
        why.append(
            f"[PW-COMBINED] {label}High risk with pain for more than 12 weeks: combined physical "
            "and psychological programme (NICE NG59)."
        )
    elif chronic:
        con.append(COMBINED)
    rec.append(RETURN_TO_WORK)
    return rec, con, why


def low_back_pathway(
    pain_type: str, risk: Risk | None, duration_weeks: int, axial_spa: str
) -> tuple[list[PathwayItem], list[PathwayItem], list[PathwayItem], list[str]]:
    """NICE NG59 for this classification, STarT Back risk group and duration.

    Lead: advice to self-manage (for sciatica with CES safety-net advice, GIRFT 2023). Low risk:
    simple support. Medium or high: exercise programme, manual therapy only with exercise, CBT
    approach only with exercise. High risk with pain for more than 12 weeks (persistent,
    significant psychosocial obstacles): combined physical and psychological programme;
    otherwise, when chronic, it is listed under consider (after failed treatment). Consider:
    NSAID; weak opioid (acute only); for sciatica (radicular) epidural for acute severe sciatica
    and decompression; for chronic pain radiofrequency denervation. Not recommended: the whole
    NG59 do-not-offer list of CLINICAL.md section 4, and opioids routinely for acute pain.
    """
    chronic = duration_weeks > CHRONIC_AFTER_WEEKS
    radicular = pain_type == "radicular"
    rec = [SCIATICA_SELF_MANAGEMENT if radicular else SELF_MANAGEMENT]
    strat_rec, con, why = _stratified(risk, chronic, "")
    rec += strat_rec
    if axial_spa == "refer":
        rec.append(RHEUMATOLOGY)
    elif axial_spa == "hla_b27_test":
        rec.append(HLA_B27)
    con.append(NSAID)
    if not chronic:
        con.append(WEAK_OPIOID_ACUTE)
    if radicular:
        if not chronic:
            con.append(EPIDURAL)
        con.append(DECOMPRESSION)
    if chronic:
        con.append(RF_DENERVATION)
    nr = list(NOT_RECOMMENDED_LOW_BACK)
    if not chronic:
        nr.insert(1, OPIOIDS_ACUTE)
    why.append(
        f"[PW-NG59] {'chronic' if chronic else 'acute'} ({duration_weeks} weeks; chronic means "
        f"more than {CHRONIC_AFTER_WEEKS}), {pain_type}: NICE NG59 options and the whole "
        "do-not-offer list."
    )
    return rec, con, nr, why


def neck_pathway(
    pain_type: str, risk: Risk | None, duration_weeks: int
) -> tuple[list[PathwayItem], list[PathwayItem], list[PathwayItem], list[str]]:
    """Neck: NICE CKS neck care for the pain type, plus NG59's risk-stratified options applied
    by clinic policy (ADR 0027; each such item's source says so).

    Suspected myelopathy: the spinal surgical assessment only (no reassurance that the pain will
    settle, no physiotherapy or manual therapy before it). Mechanical: CKS reassurance, activity
    and simple analgesia; physiotherapy from 4 weeks. Radiculopathy: CKS conservative care and
    specialist assessment if severe or persisting after 4 to 6 weeks. NG59's drug, device and
    injection list is for low back pain and is not shown for the neck.
    """
    if pain_type == "myelopathy":
        return (
            [MYELOPATHY_SURGICAL],
            [],
            [],
            [
                "[PW-NECK-MYELOPATHY] suspected myelopathy: spinal surgical assessment first; "
                "conservative neck pain options are withheld until it has been made."
            ],
        )
    chronic = duration_weeks > CHRONIC_AFTER_WEEKS
    rec = [LEADS[("neck", pain_type)]]
    strat_rec, strat_con, why = _stratified(risk, chronic, "neck (clinic policy, ADR 0027): ")
    rec += [_for_neck(i) for i in strat_rec]
    con = [_for_neck(i) for i in strat_con]
    if duration_weeks >= NECK_PHYSIO_FROM_WEEKS:
        rec.append(NECK_PHYSIO)
    if pain_type == "radiculopathy":
        rec.append(NECK_RADICULOPATHY)
    why.append(
        f"[PW-NECK] neck, {pain_type}, {duration_weeks} weeks: NICE CKS Neck pain options, with "
        "NICE NG59's risk-stratified care applied to the neck by clinic policy (ADR 0027)."
    )
    return rec, con, [], why


def pathway_for(
    *,
    region: str,
    pain_type: str,
    risk: Risk | None,
    duration_weeks: int,
    axial_spa: str,
    red_flags: tuple[RedFlag, ...],
) -> tuple[Pathway, tuple[str, ...]]:
    """The pathway and its explanations. NICE NG144's CBPM position is always included."""
    if region == "low_back":
        rec, con, nr, why = low_back_pathway(pain_type, risk, duration_weeks, axial_spa)
        guideline = "NICE NG59"
    elif region == "neck":
        rec, con, nr, why = neck_pathway(pain_type, risk, duration_weeks)
        guideline = "NICE CKS Neck pain; NICE NG59 stratified care by clinic policy"
    else:
        rec, con, nr = [THORACIC], [], []
        why = ["[PW-THORACIC] thoracic: no NICE treatment pathway (policy, ADR 0022)."]
        guideline = "none (thoracic: no NICE pathway)"
    if red_flags:
        rec.insert(0, ACT_ON_RED_FLAGS)
        why.insert(0, "[PW-RED-FLAGS] Red flags present: act on them first.")
    nr.append(CBPM)
    why.append("[PW-NG144] NICE NG144: CBPMs not recommended for chronic pain.")
    return Pathway(tuple(rec), tuple(con), tuple(nr), CBPM, guideline), tuple(why)
