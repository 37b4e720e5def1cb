"""``assess``: the whole triage of one assessment, from validated input to the Triage result.

Order matters only for reading: red flags first (cauda equina first in the rule table), then the
classification, screening and pathway. The urgency is the most urgent red flag's and nothing else
(CLINICAL.md section 1): a classification, a risk group or a pathway can never lower it.
"""

from __future__ import annotations

from collections.abc import Mapping

from painpath.clinical.triage import classification, pathway, red_flags, screening
from painpath.clinical.triage.input import parse
from painpath.clinical.triage.result import RedFlag, Triage, most_urgent
from painpath.clinical.triage.ruleset import RULESET


def _action(flags: tuple[RedFlag, ...], pain_type: str, first_option: str) -> str:
    if not flags:
        return f"No red flags. Pain type {pain_type.replace('_', ' ')}: {first_option}"
    top, rest = flags[0], flags[1:]
    text = f"{top.urgency.upper()}: {top.condition}. {top.action}"
    if rest:
        text += " Also: " + "; ".join(f"{f.condition} ({f.urgency})" for f in rest) + "."
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
    if inp.region != "low_back" and inp.startback is not None:
        risk_note += " STarT Back was developed for low back pain; not used for this pathway."
    first = next((i.text for i in path.recommended if i.code != "act_on_red_flags"), "")
    return Triage(
        urgency=urgency,
        action=_action(flags, pain_type, first),
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
