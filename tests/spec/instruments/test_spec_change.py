"""Change and MCID (CLINICAL.md section 2): NRS 2 points or 30%, substantial >= 50% (Farrar 2001;
IMMPACT); ODI 10 points or 30% and RMDQ 5 points or 30% (Ostelo 2008); NDI 5 (Vernon);
BPI interference 1 (IMMPACT); GAD-7 4 (Toussaint 2020); PHQ-9 5 (Lowe 2004); EQ-5D-5L 0.06
(policy). Categories: ADR 0012."""

from __future__ import annotations

import pytest

from painpath.clinical import InvalidInput
from painpath.clinical.instruments import score
from painpath.clinical.outcomes import change

# code, baseline, follow-up, change, improved, mcid points, mcid percent, category
CASES = [
    ("nrs", 8, 4, -4, True, True, True, "substantial"),  # -50%: Farrar "much improved" zone
    ("nrs", 8, 5, -3, True, True, True, "moderate"),  # -37.5%
    ("nrs", 10, 8, -2, True, True, False, "moderate"),  # 2 points, 20%
    ("nrs", 3, 2, -1, True, False, True, "moderate"),  # 1 point, 33%
    ("nrs", 7, 6, -1, True, False, False, "minimal"),  # 1 point, 14%
    ("nrs", 5, 5, 0, False, False, False, "none"),
    ("nrs", 5, 6, 1, False, False, False, "none"),  # worse, below MCID
    ("nrs", 5, 7, 2, False, False, False, "worse"),
    ("odi", 40.0, 30.0, -10.0, True, True, False, "moderate"),  # Ostelo: 10 points
    ("odi", 20.0, 14.0, -6.0, True, False, True, "moderate"),  # 30%
    ("odi", 20.0, 16.0, -4.0, True, False, False, "minimal"),
    ("rmdq", 12, 7, -5, True, True, True, "moderate"),
    ("rmdq", 10, 8, -2, True, False, False, "minimal"),
    ("ndi", 20, 15, -5, True, True, None, "moderate"),
    ("phq9", 15, 10, -5, True, True, None, "moderate"),
    ("phq9", 15, 11, -4, True, False, None, "minimal"),
    ("phq9", 10, 15, 5, False, False, None, "worse"),
    ("gad7", 12, 8, -4, True, True, None, "moderate"),
    ("gad7", 8, 11, 3, False, False, None, "none"),
    ("eq5d5l", 0.64, 0.7, 0.06, True, True, None, "moderate"),  # float difference 0.0599...
    ("eq5d5l", 0.7, 0.64, -0.06, False, False, None, "worse"),  # higher is better
    ("eq5d5l", 0.7, 0.75, 0.05, True, False, None, "minimal"),
]


@pytest.mark.parametrize(
    ("code", "base", "follow", "diff", "improved", "points", "percent", "category"), CASES
)
def test_change_against_mcid(
    code: str,
    base: float,
    follow: float,
    diff: float,
    improved: bool,
    points: bool,
    percent: bool | None,
    category: str,
) -> None:
    c = change(code, base, follow)
    assert c.change == pytest.approx(diff)
    assert (c.improved, c.meets_mcid_points, c.meets_mcid_percent, c.category) == (
        improved,
        points,
        percent,
        category,
    )


def test_percent_change_is_signed_and_relative_to_baseline() -> None:
    assert change("nrs", 8, 4).percent_change == -50.0
    assert change("pseq", 20, 30).percent_change == 50.0


def test_percent_is_undefined_from_zero_or_negative_baseline() -> None:
    c = change("nrs", 0, 3)
    assert c.percent_change is None and c.meets_mcid_percent is None and c.category == "worse"
    assert change("eq5d5l", -0.2, 0.3).percent_change is None


def test_higher_is_better_instruments_without_mcid() -> None:
    c = change("pseq", 20, 30)
    assert c.improved and c.category is None and c.meets_mcid_points is None
    assert change("sqs", 7, 4).improved is False


def test_bpi_change_uses_interference_by_default() -> None:
    base = score("bpi", [6, 4, 5, 5, 6, 6, 6, 6, 6, 6, 6])
    follow = score("bpi", [6, 4, 5, 5, 5, 5, 5, 5, 5, 5, 5])
    c = change("bpi", base, follow)
    assert (c.measure, c.change, c.meets_mcid_points, c.category) == (
        "interference",
        -1.0,
        True,
        "moderate",
    )
    severity = change("bpi", base, follow, measure="value")
    assert severity.change == 0 and severity.category is None


def test_bpi_interference_not_scored_is_refused() -> None:
    base = score("bpi", [6, 4, 5, 5, None, None, None, None, 6, 6, 6])
    with pytest.raises(InvalidInput, match="baseline: bpi interference was not scored"):
        change("bpi", base, 4.0)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("nrs", 11, 3), "baseline: 11 is outside the nrs range 0 to 10"),
        (("nrs", 5, True), "follow_up: expected a number 0 to 10, got True"),
        (("nrs", 5, float("nan")), "follow_up: expected a number"),
        (("nrs", 5, "4"), "follow_up: expected a number"),
        (("nope", 5, 4), "unknown instrument 'nope'"),
        (("bpi", 5, 4, "mood"), "measure: 'mood' is not a bpi change measure"),
    ],
)
def test_change_rejects_bad_input(args: tuple[object, ...], message: str) -> None:
    with pytest.raises(InvalidInput, match=message.replace("(", r"\(").replace(")", r"\)")):
        change(*args)  # type: ignore[arg-type]


def test_change_refuses_a_score_of_another_instrument() -> None:
    with pytest.raises(InvalidInput, match="a phq9 score cannot be compared on gad7"):
        change("gad7", score("phq9", [0] * 9), 3)


# Every MCID of CLINICAL.md section 2, both sides of each threshold:
# (code, baseline, follow-up, meets points, meets percent, category)
BOUNDARIES = [
    # NRS: 2 points or 30%, substantial >= 50% (Farrar 2001; IMMPACT)
    ("nrs", 9, 8, False, False, "minimal"),  # 1 point, 11%
    ("nrs", 9, 7, True, False, "moderate"),  # 2 points, 22%
    ("nrs", 10, 8, True, False, "moderate"),  # 2 points, 20%: points alone
    ("nrs", 3, 2, False, True, "moderate"),  # 33%: percent alone
    ("nrs", 7, 5, True, False, "moderate"),  # 28.6%: below 30%
    ("nrs", 10, 7, True, True, "moderate"),  # exactly 30%
    ("nrs", 10, 6, True, True, "moderate"),  # 40%
    ("nrs", 10, 5, True, True, "substantial"),  # exactly 50%
    ("nrs", 7, 4, True, True, "moderate"),  # 42.9%
    ("nrs", 6, 3, True, True, "substantial"),  # 50%
    ("nrs", 4, 6, False, False, "worse"),  # worse by exactly 2
    ("nrs", 4, 5, False, False, "none"),  # worse by 1
    # ODI: 10 points or 30% (Ostelo 2008)
    ("odi", 60.0, 51.0, False, False, "minimal"),  # 9 points, 15%
    ("odi", 60.0, 50.0, True, False, "moderate"),  # 10 points, 16.7%
    ("odi", 20.0, 14.0, False, True, "moderate"),  # 6 points, exactly 30%
    ("odi", 20.0, 14.5, False, False, "minimal"),  # 27.5%
    ("odi", 30.0, 39.0, False, False, "none"),  # worse by 9
    ("odi", 30.0, 40.0, False, False, "worse"),  # worse by 10
    # NDI: 5 points (Vernon)
    ("ndi", 20, 16, False, None, "minimal"),
    ("ndi", 20, 15, True, None, "moderate"),
    ("ndi", 20, 24, False, None, "none"),
    ("ndi", 20, 25, False, None, "worse"),
    # RMDQ: 5 points or 30% (Ostelo 2008)
    ("rmdq", 20, 16, False, False, "minimal"),  # 4 points, 20%
    ("rmdq", 20, 15, True, False, "moderate"),  # 5 points, 25%
    ("rmdq", 10, 7, False, True, "moderate"),  # 3 points, exactly 30%
    ("rmdq", 10, 8, False, False, "minimal"),
    ("rmdq", 10, 15, False, False, "worse"),
    # GAD-7: 4 points (Toussaint 2020)
    ("gad7", 15, 12, False, None, "minimal"),
    ("gad7", 15, 11, True, None, "moderate"),
    ("gad7", 5, 8, False, None, "none"),
    ("gad7", 5, 9, False, None, "worse"),
    # PHQ-9: 5 points (Lowe 2004)
    ("phq9", 20, 16, False, None, "minimal"),
    ("phq9", 20, 15, True, None, "moderate"),
    ("phq9", 5, 9, False, None, "none"),
    ("phq9", 5, 10, False, None, "worse"),
    # EQ-5D-5L index: 0.06 (policy), higher is better
    ("eq5d5l", 0.5, 0.559, False, None, "minimal"),
    ("eq5d5l", 0.5, 0.56, True, None, "moderate"),
    ("eq5d5l", 0.516, 0.576, True, None, "moderate"),
    ("eq5d5l", 0.5, 0.441, False, None, "none"),
    ("eq5d5l", 0.5, 0.44, False, None, "worse"),
    ("eq5d5l", -0.2, -0.14, True, None, "moderate"),  # from a negative index
]


@pytest.mark.parametrize(("code", "base", "follow", "points", "percent", "category"), BOUNDARIES)
def test_every_mcid_threshold_both_sides(
    code: str, base: float, follow: float, points: bool, percent: bool | None, category: str
) -> None:
    c = change(code, base, follow)
    assert (c.meets_mcid_points, c.meets_mcid_percent, c.category) == (points, percent, category)
    assert c.change == pytest.approx(follow - base)


@pytest.mark.parametrize(
    ("base", "follow", "points", "category"),
    [(5.0, 4.1, False, "minimal"), (5.0, 4.0, True, "moderate"), (4.0, 5.0, False, "worse")],
)
def test_bpi_interference_mcid_one_point_both_sides(
    base: float, follow: float, points: bool, category: str
) -> None:
    """IMMPACT: BPI interference 1 point (numbers are interference means by default)."""
    c = change("bpi", base, follow)
    assert (c.measure, c.meets_mcid_points, c.category) == ("interference", points, category)


@pytest.mark.parametrize(
    ("code", "base", "follow", "improved"),
    [
        ("sqs", 3, 5, True),
        ("sqs", 5, 3, False),
        ("pseq", 20, 30, True),
        ("pseq", 30, 20, False),
        ("eq5d5l", 0.5, 0.6, True),
        ("eq5d5l", 0.6, 0.5, False),
        ("nrs", 5, 3, True),
        ("odi", 30.0, 40.0, False),
        ("phq9", 10, 10, False),
    ],
)
def test_direction_higher_is_better_only_for_sqs_pseq_eq5d(
    code: str, base: float, follow: float, improved: bool
) -> None:
    """CLINICAL.md: improvement is a decrease except for SQS, PSEQ, EQ-5D."""
    c = change(code, base, follow)
    assert c.improved is improved
    assert c.change == pytest.approx(follow - base)  # follow-up minus baseline, unsigned by dir


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("nrs", None, 3), "baseline: expected a number 0 to 10, got None"),
        (("nrs", [5], 3), "baseline: expected a number"),
        (("nrs", 5, {"v": 3}), "follow_up: expected a number"),
        (("odi", 5, 101), "follow_up: 101 is outside the odi range"),
        (("eq5d5l", 0.5, -0.7), "follow_up: -0.7 is outside the eq5d5l range"),
        (("pgic", 0, 3), "baseline: 0 is outside the pgic range 1 to 7"),
        (("nrs", False, 3), "baseline: expected a number 0 to 10, got False"),
        (("nrs", float("inf"), 3), "baseline: expected a number"),
    ],
)
def test_change_names_the_bad_argument(args: tuple[object, ...], message: str) -> None:
    with pytest.raises(InvalidInput) as err:
        change(*args)  # type: ignore[arg-type]
    assert str(err.value).startswith(message.split(":")[0] + ":")
    assert message in str(err.value)
