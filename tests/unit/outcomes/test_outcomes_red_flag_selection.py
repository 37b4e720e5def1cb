"""Which of a triage's red flags an alert for home-reported findings takes its urgency from.

The urgencies themselves come from the triage core (CLINICAL.md section 3); this is only the
selection: red flags involving a home-reported finding, the most urgent first (section 1: "the
most urgent red flag sets the urgency").
"""

from __future__ import annotations

from painpath.apps.outcomes.actions import red_flags_involving

TRIAGE = {
    "urgency": "emergency",
    "red_flags": [
        {
            "code": "mscc",
            "condition": "Suspected metastatic spinal cord compression",
            "urgency": "emergency",
            "findings": ["history_of_cancer", "progressive_leg_weakness"],
            "source": "NICE NG234",
        },
        {
            "code": "neuro_deficit",
            "condition": "Progressive neurological deficit",
            "urgency": "urgent",
            "findings": [{"code": "progressive_leg_weakness", "days": 2, "course": "new"}],
            "source": "NICE NG59",
        },
        {
            "code": "infection",
            "condition": "Suspected spinal infection",
            "urgency": "urgent",
            "findings": ["fever"],
            "source": "NICE",
        },
    ],
}


def test_most_urgent_involving_a_reported_finding() -> None:
    urgency, conditions = red_flags_involving(TRIAGE, ["progressive_leg_weakness"])
    assert urgency == "emergency"
    assert conditions == [
        "Suspected metastatic spinal cord compression",
        "Progressive neurological deficit",
    ]


def test_red_flags_from_earlier_findings_only_are_left_out() -> None:
    assert red_flags_involving(TRIAGE, ["night_pain"]) == ("routine", [])


def test_finding_objects_are_matched_by_code() -> None:
    only_object = {"red_flags": [TRIAGE["red_flags"][1]]}  # type: ignore[index]
    assert red_flags_involving(only_object, ["progressive_leg_weakness"])[0] == "urgent"
