"""STarT Back risk, painDETECT neuropathic component and the NICE NG65 axial SpA rule."""

from __future__ import annotations

from typing import Any

import pytest

from painpath.clinical import InvalidInput

from .helpers import run


@pytest.mark.parametrize(
    ("answers", "group", "total", "subscale"),
    [
        ([0, 0, 0, 0, 0, 0, 0, 0, 0], "low", 0, 0),
        ([1, 1, 1, 0, 0, 0, 0, 0, 2], "low", 3, 0),  # item 9 'moderately' scores 0
        ([1, 1, 1, 1, 1, 0, 0, 0, 0], "medium", 5, 1),
        ([1, 0, 0, 0, 1, 1, 0, 0, 3], "medium", 4, 3),  # item 9 'very much' scores 1
        ([0, 0, 0, 0, 1, 1, 1, 1, 0], "high", 4, 4),
        ([1, 1, 1, 1, 1, 1, 1, 1, 4], "high", 9, 5),
    ],
)
def test_risk_startback_keele_groups(
    answers: list[int], group: str, total: int, subscale: int
) -> None:
    """Keele scoring (Hill 2008): low total <= 3; high psychosocial >= 4; else medium."""
    t = run(startback=answers)
    assert t.risk is not None
    assert t.risk.to_dict() == {
        "instrument": "startback",
        "group": group,
        "total": total,
        "subscale": subscale,
        "subscale_name": "psychosocial",
    }


def test_risk_null_without_startback() -> None:
    assert run().risk is None and run(startback=None).risk is None


@pytest.mark.parametrize(
    ("answers", "band"),
    [
        ([2, 2, 2, 2, 2, 2, 0, 0, 0], "unlikely"),  # 12
        ([2, 2, 2, 2, 2, 2, 1, 0, 0], "ambiguous"),  # 13
        ([3, 3, 3, 3, 2, 2, 2, 0, 0], "ambiguous"),  # 18
        ([3, 3, 3, 3, 3, 2, 2, 0, 0], "likely"),  # 19
        ([0, 0, 0, 0, 0, 0, 0, 1, 0], "unlikely"),  # -1
    ],
)
def test_neuropathic_from_paindetect(answers: list[int], band: str) -> None:
    """Freynhagen 2006: <= 12 unlikely, 13-18 ambiguous, >= 19 likely."""
    assert run(paindetect=answers).neuropathic == band


def test_neuropathic_null_without_paindetect() -> None:
    assert run().neuropathic is None


@pytest.mark.parametrize("key", ["startback", "paindetect"])
@pytest.mark.parametrize(
    ("answers", "fragment"),
    [
        ([0, 0], "expected 9 answers"),
        ([0, 0, 0, 0, 0, 0, 0, 0, None], "unanswered"),
        ([0, 0, 0, 0, 0, 0, 0, 0, True], "True is not allowed"),
        ("000000000", "must be a list"),
        ([9, 0, 0, 0, 0, 0, 0, 0, 0], "9 is not allowed"),
    ],
)
def test_malformed_answers_are_refused_naming_the_questionnaire(
    key: str, answers: Any, fragment: str
) -> None:
    with pytest.raises(InvalidInput) as err:
        run(**{key: answers})
    assert str(err.value).startswith(key) and fragment in str(err.value)
    assert err.value.field == key


SPA = [
    "waking_second_half_night",
    "buttock_pain",
    "improves_with_movement",
    "nsaid_response_48h",
    "family_history_spa",
    "arthritis",
    "enthesitis",
    "psoriasis",
]


@pytest.mark.parametrize(
    ("onset", "weeks", "n_features", "expected"),
    [
        (30, 52, 3, "refer"),  # onset before 35 + 3 = 4
        (30, 52, 2, "hla_b27_test"),  # onset before 35 + 2 = 3
        (30, 52, 1, "not_met"),
        (40, 52, 4, "refer"),
        (40, 52, 3, "hla_b27_test"),
        (40, 52, 2, "not_met"),
        (34, 52, 2, "hla_b27_test"),  # 34 is before 35
        (35, 52, 2, "not_met"),  # 35 is not before 35
        (44, 52, 4, "refer"),  # 44 is before 45
        (45, 52, 8, "not_applicable"),  # 45 is not before 45
        (30, 12, 8, "not_applicable"),  # 12 weeks is not more than 3 months
        (30, 13, 3, "refer"),
    ],
)
def test_axial_spa_ng65(onset: int, weeks: int, n_features: int, expected: str) -> None:
    """NICE NG65: started before 45, > 3 months; 4 or more -> refer, exactly 3 -> HLA-B27."""
    t = run(SPA[:n_features], age=46, duration_weeks=weeks, age_at_onset=onset)
    assert t.axial_spa == expected


def test_axial_spa_not_applicable_outside_low_back() -> None:
    for region in ("neck", "thoracic"):
        assert run(SPA, region=region, age_at_onset=20, duration_weeks=52).axial_spa == (
            "not_applicable"
        )


@pytest.mark.parametrize(
    ("age", "weeks", "features", "expected"),
    [
        (33, 52, 3, "refer"),  # under 35 now: onset before 35 for certain
        (45, 52, 4, "refer"),  # onset no later than 45 - 1 year = 44
        (45, 26, 4, "refer"),  # earliest onset 44.5: before 45
        (60, 52, 8, "not_applicable"),
        (40, 312, 2, "hla_b27_test"),  # 6 years: onset about 34, before 35
    ],
)
def test_axial_spa_missing_onset_policy(age: int, weeks: int, features: int, expected: str) -> None:
    """Policy (ADR 0024): without age_at_onset, onset = age - duration (the earliest possible)."""
    t = run(SPA[:features], age=age, duration_weeks=weeks)
    assert t.axial_spa == expected
    assert any("age_at_onset not given" in e for e in t.explanations)


def test_axial_spa_onset_before_35_as_a_finding() -> None:
    t = run(["onset_before_35", *SPA[:3]], age=50, duration_weeks=52)
    assert t.axial_spa == "refer"
    with pytest.raises(InvalidInput, match="onset_before_35 contradicts age_at_onset 40"):
        run(["onset_before_35"], age=50, age_at_onset=40)
