"""Eligibility policy (CLINICAL.md section 5): >= 2 conventional treatments failed or not
tolerated, specialist register, MDT agreement; NICE NG144 position shown with its source."""

import pytest

from painpath.clinical.medicines import TreatmentTried, check_eligibility

T = TreatmentTried


@pytest.mark.parametrize(
    ("treatments", "n_failed"),
    [
        ([T("nsaid", "naproxen", "no_effect"), T("opioid", "codeine", "not_tolerated")], 2),
        ([T("nsaid", "naproxen", "worse"), T("gabapentinoid", "", "no_effect")], 2),
        ([T("nsaid", "naproxen", "no_effect"), T("nsaid", "Naproxen", "not_tolerated")], 1),
        ([T("nsaid", "naproxen", "partial"), T("opioid", "codeine", "helped")], 0),
        ([T("physiotherapy", "", "ongoing"), T("opioid", "codeine", "no_effect")], 1),
    ],
)
def test_failed_treatments_counted(treatments, n_failed):
    e = check_eligibility(
        treatments, prescriber_on_specialist_register=True, mdt_agreement_recorded=True
    )
    assert len(e.failed_treatments) == n_failed
    assert e.eligible == (n_failed >= 2)


def test_everything_missing_is_listed():
    e = check_eligibility(
        [T("nsaid", "", "no_effect")],
        prescriber_on_specialist_register=False,
        mdt_agreement_recorded=False,
    )
    assert not e.eligible
    assert e.missing == (
        "At least 2 conventional treatments failed or not tolerated (recorded: 1)",
        "Decision by a doctor on the GMC Specialist Register",
        "MDT agreement recorded",
    )


def test_ng144_position_shown_with_source():
    e = check_eligibility([], prescriber_on_specialist_register=True, mdt_agreement_recorded=True)
    assert "NG144" in e.ng144_source
    assert "not recommend" in e.ng144_position
