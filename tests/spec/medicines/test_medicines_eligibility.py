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


def test_cbpm_never_counts_and_is_listed_as_not_counted():
    e = check_eligibility(
        [
            T("cbpm", "CBD oil", "no_effect"),
            T("cbpm", "THC flower", "not_tolerated"),
            T("nsaid", "naproxen", "no_effect"),
        ],
        prescriber_on_specialist_register=True,
        mdt_agreement_recorded=True,
    )
    assert not e.eligible and e.failed_treatments == ("nsaid: naproxen",)
    assert len(e.not_counted) == 2 and all("not counted" in x for x in e.not_counted)
    assert "cannabis-based medicinal product is not a conventional" in e.not_counted[0]
    assert e.missing[0].startswith("At least 2 conventional treatments")


@pytest.mark.parametrize(
    ("category", "counts"),
    [
        ("exercise", True), ("physiotherapy", True), ("manual_therapy", True),
        ("psychological", True), ("pain_programme", True), ("nsaid", True),
        ("paracetamol", True), ("opioid", True), ("gabapentinoid", True),
        ("antidepressant", True), ("spinal_injection", True), ("radiofrequency", True),
        ("surgery", True), ("acupuncture", False), ("other", False), ("cbpm", False),
    ],
)  # fmt: skip
def test_only_conventional_categories_count(category, counts):
    e = check_eligibility(
        [T(category, "x", "no_effect"), T("opioid", "codeine", "not_tolerated")],
        prescriber_on_specialist_register=True,
        mdt_agreement_recorded=True,
    )
    assert e.eligible is counts
    assert (len(e.not_counted) == 0) is counts


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"category": "yoga", "name": "", "effect": "no_effect"}, "category"),
        ({"category": "nsaid", "name": "", "effect": "failed"}, "effect"),
        ({"category": "nsaid", "name": None, "effect": "worse"}, "name"),
    ],
)
def test_unknown_category_or_effect_refused(kwargs, field):
    from painpath.clinical import InvalidInput

    with pytest.raises(InvalidInput) as exc:
        T(**kwargs)
    assert exc.value.field == field


def test_ng144_text_says_what_nice_recommends():
    e = check_eligibility([], prescriber_on_specialist_register=True, mdt_agreement_recorded=True)
    assert "do not offer" in e.ng144_position and "chronic pain" in e.ng144_position
    assert "CBD alone unless as part of a clinical trial" in e.ng144_position


def test_each_missing_condition_has_a_code_and_source():
    e = check_eligibility([], prescriber_on_specialist_register=False, mdt_agreement_recorded=False)
    assert [i.code for i in e.issues] == [
        "ELIGIBILITY_TOO_FEW_FAILED_TREATMENTS",
        "ELIGIBILITY_NOT_SPECIALIST",
        "ELIGIBILITY_NO_MDT_AGREEMENT",
    ]
    assert [i.message for i in e.issues] == list(e.missing)
    assert all(i.source and i.level == "block" for i in e.issues)
    assert "Specialist Register" in e.issues[1].source
    ok = check_eligibility(
        [T("nsaid", "a", "worse"), T("opioid", "b", "no_effect")],
        prescriber_on_specialist_register=True,
        mdt_agreement_recorded=True,
    )
    assert ok.eligible and ok.issues == () and ok.missing == ()
