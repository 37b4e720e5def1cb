"""``assess``: the whole triage of one assessment, from validated input to the Triage result.

Order matters only for reading: red flags first (cauda equina first in the rule table), then the
classification, screening and pathway. The urgency is the most urgent red flag's and nothing else
(CLINICAL.md section 1): a classification, a risk group or a pathway can never lower it.
"""

from __future__ import annotations

from collections.abc import Mapping

from painpath.clinical.triage import classification, pathway, red_flags, screening
from painpath.clinical.triage.input import parse
from painpath.clinical.triage.result import RedFlag, Risk, Triage, most_urgent
from painpath.clinical.triage.ruleset import RULESET

#: Closes the action whenever a red flag fired: the pathway is never read as the plan first.
PATHWAY_AFTER_RED_FLAG = "Treatment pathway options apply only once this has been dealt with."
PATHWAY_AFTER_RED_FLAGS = "Treatment pathway options apply only once these have been dealt with."


def action_text(
    flags: tuple[RedFlag, ...],
    *,
    region: str,
    pain_type: str,
    risk: Risk | None,
    duration_weeks: int,
) -> str:
    """What a clinician reads in ten seconds.

    With red flags: the most urgent flag's condition and action first (``EMERGENCY: ...``), the
    others named with their urgency, then that the pathway waits. Without: the pain type in
    words, the pathway's lead step for that pain type, and (except where no stratified pathway
    applies) the STarT Back step.
    """
    if flags:
        top, rest = flags[0], flags[1:]
        text = f"{top.urgency.upper()}: {top.condition}. {top.action}"
        if rest:
            text += " Also: " + "; ".join(f"{f.condition} ({f.urgency})" for f in rest) + "."
        return f"{text} {PATHWAY_AFTER_RED_FLAGS if rest else PATHWAY_AFTER_RED_FLAG}"
    key = (region, pain_type)
    lead = pathway.LEADS[key]
    step = lead.text[0].lower() + lead.text[1:]
    text = f"No red flags. {pathway.PAIN_TYPE_NAMES[key]}: {step}"
    if region != "thoracic" and pain_type != "myelopathy":
        text += " " + pathway.risk_step(risk, duration_weeks > pathway.CHRONIC_AFTER_WEEKS)
    return text


def assess(data: Mapping[str, object]) -> Triage:
    """Triage one assessment (CLINICAL.md sections 1, 3 and 4).

    ``data`` is the input object of CLINICAL.md section 1. Raises ``InvalidInput`` (a ValueError)
    naming the field and the allowed values for anything it cannot interpret; never guesses and
    never returns a partial result. Pure: no I/O, no clock, deterministic.
    """
    inp = parse(data)
    flags, flag_notes = red_flags.evaluate(inp)
    notes = list(flag_notes)
    single = red_flags.single_myelopathy_note(inp)
    if single:
        notes.append(single)
    pain_type, class_notes = classification.classify(inp)
    risk, risk_note = screening.risk_of(inp.startback)
    neuropathic, neuro_note = screening.neuropathic_of(inp.paindetect)
    axial, axial_notes = screening.axial_spa_of(inp)
    path, path_notes = pathway.pathway_for(
        region=inp.region,
        pain_type=pain_type,
        risk=risk,
        duration_weeks=inp.duration_weeks,
        axial_spa=axial,
        red_flags=flags,
    )
    urgency = most_urgent(f.urgency for f in flags)
    if not flags:
        notes.insert(0, "[URGENCY] No red-flag rule fired: routine.")
    else:
        notes.insert(0, f"[URGENCY] {urgency}: the most urgent red flag sets the urgency.")
    if inp.region == "neck" and inp.startback is not None:
        risk_note += (
            " STarT Back was developed for low back pain; used for the neck pathway by clinic "
            "policy (ADR 0027)."
        )
    elif inp.region == "thoracic" and inp.startback is not None:
        risk_note += " STarT Back was developed for low back pain; not used for this pathway."
    return Triage(
        urgency=urgency,
        action=action_text(
            flags,
            region=inp.region,
            pain_type=pain_type,
            risk=risk,
            duration_weeks=inp.duration_weeks,
        ),
        red_flags=flags,
        pain_type=pain_type,
        neuropathic=neuropathic,
        neuropathic_score=None if inp.paindetect is None else inp.paindetect.value,
        risk=risk,
        axial_spa=axial,
        pathway=path,
        explanations=(
            *notes,
            *class_notes,
            risk_note,
            neuro_note,
            *axial_notes,
            *path_notes,
            f"[RULESET] {RULESET}",
        ),
        ruleset=RULESET,
        region=inp.region,
    )
