"""Bad input: InvalidInput (a ValueError) naming the field and what is allowed; nothing guessed."""

from __future__ import annotations

from typing import Any

import pytest

from painpath.clinical import InvalidInput
from painpath.clinical.triage import assess

from .helpers import data, f, run

BAD = [
    # (change to a valid input, field, message start, message fragment)
    ({"region": "elbow"}, "region", "region:", "low_back, neck, thoracic"),
    ({"region": None}, "region", "region:", "low_back, neck, thoracic"),
    ({"age": 15}, "age", "age:", "whole number from 16 to 120"),
    ({"age": 121}, "age", "age:", "16 to 120"),
    ({"age": 40.5}, "age", "age:", "whole number"),
    ({"age": True}, "age", "age:", "whole number"),
    ({"age": "40"}, "age", "age:", "whole number"),
    ({"sex": "f"}, "sex", "sex:", "female, male, other"),
    ({"duration_weeks": -1}, "duration_weeks", "duration_weeks:", "whole number from 0"),
    ({"duration_weeks": 5000}, "duration_weeks", "duration_weeks:", "(age 40)"),
    ({"duration_weeks": 2.0}, "duration_weeks", "duration_weeks:", "whole number"),
    ({"age_at_onset": 41}, "age_at_onset", "age_at_onset:", "no later than the current age"),
    ({"age_at_onset": -1}, "age_at_onset", "age_at_onset:", "whole number"),
    ({"findings": "foot_drop"}, "findings", "findings:", "must be a list"),
    ({"findings": None}, "findings", "findings:", "must be a list"),
    (
        {"findings": ["saddle_numbness"]},
        "findings",
        "findings[0]:",
        "did you mean 'saddle_anaesthesia'",
    ),
    ({"findings": ["fever", 3]}, "findings", "findings[1]:", "a finding code or an object"),
    ({"findings": [{"days": 3}]}, "findings", "findings[0].code:", "is required"),
    ({"findings": [{"code": "nope"}]}, "findings", "findings[0].code:", "unknown finding code"),
    ({"findings": [f("fever", -1)]}, "findings", "findings[0].days:", "whole number from 0"),
    ({"findings": [f("fever", 2.5)]}, "findings", "findings[0].days:", "whole number"),
    ({"findings": [f("fever", 99999)]}, "findings", "findings[0].days:", "whole number"),
    (
        {"findings": [f("fever", 2, "worse")]},
        "findings",
        "findings[0].course:",
        "new, stable, improving, deteriorating",
    ),
    (
        {"findings": [f("saddle_anaesthesia", 30, "new")]},
        "findings",
        "findings[0].course:",
        "'new' means present 14 days or fewer",
    ),
    (
        {"findings": [{"code": "fever", "colour": "red"}]},
        "findings",
        "findings[0]:",
        "unknown key(s) colour",
    ),
    (
        {"findings": ["saddle_anaesthesia", f("saddle_anaesthesia", 30, "stable")]},
        "findings",
        "findings[1]:",
        "also findings[0] with a different course or days",
    ),
    (
        {"findings": [f("foot_drop", 3, "new"), f("foot_drop", 5, "new")]},
        "findings",
        "findings[1]:",
        "give each finding once",
    ),
    ({"colour": "red"}, "colour", "colour:", "is not a triage field; allowed: age, age_at_onset"),
    ({"startback": [1]}, "startback", "startback:", "expected 9 answers"),
    ({"paindetect": [0] * 8 + [2]}, "paindetect", "paindetect[8]:", "2 is not allowed"),
    # every malformed type, each message starting with the field path
    ({"age": None}, "age", "age:", "got None"),
    ({"age": {"years": 40}}, "age", "age:", "whole number"),
    ({"age": [40]}, "age", "age:", "whole number"),
    ({"age": False}, "age", "age:", "got False"),
    ({"region": 3}, "region", "region:", "low_back, neck, thoracic"),
    ({"region": {"name": "neck"}}, "region", "region:", "low_back, neck, thoracic"),
    ({"region": "Neck"}, "region", "region:", "got 'Neck'"),
    ({"sex": True}, "sex", "sex:", "female, male, other"),
    ({"sex": ""}, "sex", "sex:", "female, male, other"),
    ({"duration_weeks": None}, "duration_weeks", "duration_weeks:", "got None"),
    ({"duration_weeks": True}, "duration_weeks", "duration_weeks:", "whole number"),
    ({"duration_weeks": "8"}, "duration_weeks", "duration_weeks:", "got '8'"),
    ({"duration_weeks": [8]}, "duration_weeks", "duration_weeks:", "whole number"),
    ({"age_at_onset": True}, "age_at_onset", "age_at_onset:", "whole number"),
    ({"age_at_onset": 30.0}, "age_at_onset", "age_at_onset:", "whole number"),
    ({"age_at_onset": "30"}, "age_at_onset", "age_at_onset:", "whole number"),
    ({"findings": {"code": "fever"}}, "findings", "findings:", "must be a list"),
    ({"findings": 3}, "findings", "findings:", "must be a list"),
    ({"findings": [None]}, "findings", "findings[0]:", "got NoneType"),
    ({"findings": [["fever"]]}, "findings", "findings[0]:", "got list"),
    ({"findings": [True]}, "findings", "findings[0]:", "got bool"),
    ({"findings": [{"code": None}]}, "findings", "findings[0].code:", "got NoneType"),
    ({"findings": [{"code": 3}]}, "findings", "findings[0].code:", "got int"),
    ({"findings": [{"code": {"a": 1}}]}, "findings", "findings[0].code:", "got dict"),
    ({"findings": [f("fever", True)]}, "findings", "findings[0].days:", "got True"),
    ({"findings": [f("fever", "3")]}, "findings", "findings[0].days:", "got '3'"),
    ({"findings": [f("fever", 3.0)]}, "findings", "findings[0].days:", "got 3.0"),
    ({"findings": [f("fever", 3, True)]}, "findings", "findings[0].course:", "got True"),
    ({"findings": [f("fever", 3, "New")]}, "findings", "findings[0].course:", "got 'New'"),
    (
        {"findings": ["fever", {"code": "fever", "days": [3]}]},
        "findings",
        "findings[1].days:",
        "whole number",
    ),
    ({"startback": [0] * 8 + [None]}, "startback", "startback[8]:", "is unanswered"),
    ({"startback": [0] * 8 + [True]}, "startback", "startback[8]:", "True is not allowed"),
    ({"startback": [0.0] + [0] * 8}, "startback", "startback[0]:", "0.0 is not allowed"),
    ({"startback": "000000000"}, "startback", "startback:", "must be a list"),
    ({"startback": {"a": 1}}, "startback", "startback:", "must be a list"),
    ({"startback": [[0]] * 9}, "startback", "startback[0]:", "[0] is not allowed"),
    (
        {"paindetect": [0] * 7 + [4, 0]},
        "paindetect",
        "paindetect[7]:",
        "allowed: an integer 0-3",
    ),
    ({"paindetect": [0] * 9 + [0]}, "paindetect", "paindetect:", "expected 9 answers"),
]


@pytest.mark.parametrize(("change", "field", "start", "fragment"), BAD)
def test_bad_input_names_the_field(
    change: dict[str, Any], field: str, start: str, fragment: str
) -> None:
    with pytest.raises(InvalidInput) as err:
        assess({**data(), **change})
    assert isinstance(err.value, ValueError)
    assert err.value.field == field
    assert str(err.value).startswith(start), str(err.value)
    assert fragment in str(err.value), str(err.value)
    assert "\n" not in str(err.value)


@pytest.mark.parametrize("key", ["region", "age", "duration_weeks", "findings"])
def test_required_keys(key: str) -> None:
    d = data()
    del d[key]
    with pytest.raises(InvalidInput, match=f"^{key}: is required") as err:
        assess(d)
    assert err.value.field == key


def test_sex_is_optional_and_checked_when_given() -> None:
    """No rule uses sex: a missing or null sex is accepted; a wrong one is still refused."""
    d = data()
    del d["sex"]
    assert assess(d).urgency == "routine"
    assert assess({**d, "sex": None}).urgency == "routine"
    with pytest.raises(InvalidInput, match=r"^sex: must be one of female, male, other"):
        assess({**d, "sex": "f"})


@pytest.mark.parametrize("bad", [None, [], "text", 3])
def test_input_must_be_an_object(bad: Any) -> None:
    with pytest.raises(InvalidInput, match=r"^input: must be an object"):
        assess(bad)


def test_unknown_code_lists_the_allowed_codes() -> None:
    with pytest.raises(InvalidInput) as err:
        run(["saddle_numbness"])
    assert "allowed (see `painpath findings`): ankle_clonus," in str(err.value)


def test_boundaries_accepted() -> None:
    for age in (16, 120):
        assert run(age=age).urgency == "routine"
    assert run(duration_weeks=0).urgency == "routine"
    assert run(age_at_onset=40, age=40).axial_spa in ("not_applicable", "not_met")
    assert run(age_at_onset=None, startback=None, paindetect=None).risk is None


def test_identical_duplicates_are_one_finding() -> None:
    t = run(["fever", "fever", f("fever"), f("fever", course="new")])
    assert [fl.findings for fl in t.red_flags] == [("fever",)]


def test_field_mapping_used_by_the_assessment_actions() -> None:
    """apps/assessments/actions._field_of maps an InvalidInput to a form field by ``field``."""
    from painpath.apps.assessments.actions import TRIAGE_KEYS, _field_of

    for change, field, _, _ in BAD:
        if field in TRIAGE_KEYS:
            with pytest.raises(InvalidInput) as err:
                assess({**data(), **change})
            assert _field_of(err.value, TRIAGE_KEYS, "findings") == field


def test_str_subclasses_from_the_api_schema_are_plain_codes_in_the_result() -> None:
    """The API passes Django TextChoices (a str subclass); the stored JSON must hold the code."""
    import json
    from enum import StrEnum

    class Region(StrEnum):
        NECK = "neck"

    class Code(StrEnum):
        DROP = "drop_attacks"

    t = assess(data([Code.DROP, {"code": Code.DROP}], region=Region.NECK))  # type: ignore[arg-type]
    out = json.loads(json.dumps(t.to_dict()))
    assert out["region"] == "neck" and type(t.region) is str
    assert out["red_flags"][0]["findings"] == ["drop_attacks"]
    assert type(t.red_flags[0].findings[0]) is str
