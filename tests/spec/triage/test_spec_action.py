"""The ``action`` text: what a clinician reads in ten seconds (CLINICAL.md section 1).

With red flags it is the most urgent flag's condition and action, then the others with their
urgency, then that the pathway waits; without, it names THIS pain type and gives the pathway's
first step for it (NICE NG59 for low back, NICE CKS for the neck) and the STarT Back step.
"""

from __future__ import annotations

from typing import Any

import pytest

from .helpers import f, run

LOW = [0, 0, 0, 0, 0, 0, 0, 0, 0]
MEDIUM = [1, 1, 1, 1, 1, 0, 0, 0, 0]
HIGH = [1, 0, 1, 0, 1, 1, 1, 1, 3]

ROUTINE = [
    # (region, findings, weeks, startback, action starts with, action contains, never contains)
    (
        "low_back",
        ["pain_below_knee", "positive_straight_leg_raise"],
        6,
        MEDIUM,
        "No red flags. Sciatica (lumbar radicular pain): advice and information to self-manage",
        ("nature of sciatica", "cauda equina safety-net", "STarT Back medium risk: exercise"),
        ("neck",),
    ),
    (
        "low_back",
        ["pain_varies_with_activity"],
        6,
        LOW,
        "No red flags. Mechanical low back pain: advice and information to self-manage",
        ("STarT Back low risk: simple support",),
        ("sciatica", "neck"),
    ),
    (
        "low_back",
        [],
        30,
        HIGH,
        "No red flags. Non-specific low back pain: advice",
        ("STarT Back high risk", "combined physical and psychological programme"),
        ("neck",),
    ),
    (
        "low_back",
        [],
        6,
        None,
        "No red flags. Non-specific low back pain:",
        ("Stratify with STarT Back",),
        (),
    ),
    (
        "neck",
        ["arm_pain_worse_than_neck", "dermatomal_arm_symptoms", "positive_spurling"],
        6,
        None,
        "No red flags. Cervical radiculopathy: explain that most cervical radiculopathy improves",
        ("conservative care",),
        ("non-specific neck pain", "low back"),
    ),
    (
        "neck",
        ["pain_varies_with_activity"],
        2,
        MEDIUM,
        "No red flags. Mechanical (non-specific) neck pain: reassurance that non-specific neck "
        "pain usually settles",
        ("STarT Back medium risk",),
        ("radiculopathy", "low back"),
    ),
    (
        "thoracic",
        ["pain_varies_with_activity"],
        8,
        None,
        "No red flags. Mechanical thoracic spinal pain: no NICE treatment pathway",
        ("specialist clinic",),
        ("STarT Back",),
    ),
    (
        "thoracic",
        [],
        8,
        None,
        "No red flags. Non-specific thoracic spinal pain:",
        (),
        ("STarT Back",),
    ),
]


@pytest.mark.parametrize(
    ("region", "findings", "weeks", "startback", "start", "contains", "absent"), ROUTINE
)
def test_routine_action_matches_the_pain_type(
    region: str,
    findings: list[str],
    weeks: int,
    startback: list[int] | None,
    start: str,
    contains: tuple[str, ...],
    absent: tuple[str, ...],
) -> None:
    t = run(findings, region=region, duration_weeks=weeks, startback=startback)
    assert t.urgency == "routine"
    assert t.action.startswith(start), t.action
    for text in contains:
        assert text in t.action, (text, t.action)
    for text in absent:
        assert text not in t.action, (text, t.action)


RED_FLAG_ACTIONS = [
    # (findings, region, the action starts with, then contains)
    (
        ["saddle_anaesthesia", "arm_pain_worse_than_neck", "positive_spurling"],
        "neck",
        "EMERGENCY: Suspected cauda equina syndrome. Send to the emergency department now",
        (),
    ),
    (
        ["history_of_cancer", "pain_below_knee", "positive_straight_leg_raise"],
        "low_back",
        "EMERGENCY: Suspected metastatic spinal cord compression (MSCC). Oncological emergency",
        (),
    ),
    (
        ["fever", "iv_drug_use", "foot_drop"],
        "low_back",
        "EMERGENCY: Suspected spinal epidural abscess",
        (
            "Also: Progressive or severe motor deficit (foot drop / progressive leg weakness) "
            "(urgent).",
        ),
    ),
    (
        ["drop_attacks", "minor_trauma", "osteoporosis"],
        "neck",
        "URGENT: Possible vertebrobasilar insufficiency",
        ("Also: Possible vertebral fragility fracture (soon).",),
    ),
    (
        [f("hoffmann_sign", 60, "stable"), f("hyperreflexia", 60, "stable")],
        "neck",
        "SOON: Suspected myelopathy (spinal cord compression). Refer to the spinal surgical team",
        (),
    ),
]


@pytest.mark.parametrize(("findings", "region", "start", "contains"), RED_FLAG_ACTIONS)
def test_red_flag_action_leads_with_the_most_urgent_flag(
    findings: list[Any], region: str, start: str, contains: tuple[str, ...]
) -> None:
    t = run(findings, region=region, age=60)
    assert t.action.startswith(start), t.action
    assert t.action.startswith(f"{t.urgency.upper()}: {t.red_flags[0].condition}")
    for text in contains:
        assert text in t.action
    waits = "apply only once these have" if len(t.red_flags) > 1 else "apply only once this has"
    assert t.action.endswith(f"Treatment pathway options {waits} been dealt with.")
    assert "No red flags" not in t.action
