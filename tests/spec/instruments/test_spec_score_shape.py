"""The interface of CLINICAL.md section 1 and the licence rule of section 2."""

from __future__ import annotations

import dataclasses
import json

import pytest

from painpath.clinical import InvalidInput
from painpath.clinical.instruments import all_instruments, get, score

CLINICAL_MD_CODES = [
    "startback", "odi", "ndi", "rmdq", "bpi", "gad7", "phq9",
    "sqs", "pgic", "nrs", "eq5d5l", "paindetect", "dn4", "pseq",
]  # fmt: skip


def test_registry_holds_exactly_the_clinical_md_instruments() -> None:
    assert [i.code for i in all_instruments()] == CLINICAL_MD_CODES


def test_full_wording_only_where_the_licence_allows() -> None:
    allowed = {i.code for i in all_instruments() if i.full_text_allowed}
    assert allowed == {"gad7", "phq9", "pgic", "nrs", "sqs"}


def test_score_fields_and_json_shape() -> None:
    s = score("startback", [1, 1, 0, 0, 1, 1, 1, 0, 3])
    assert [f.name for f in dataclasses.fields(s)] == [
        "instrument", "value", "band", "subscores", "flags", "complete",
    ]  # fmt: skip
    assert json.loads(json.dumps(s.to_dict())) == {
        "instrument": "startback",
        "value": 6,
        "band": "high",
        "subscores": {"psychosocial": 4},
        "flags": [],
        "complete": True,
    }
    assert dataclasses.asdict(score("nrs", [3]))["subscores"] == {}


def test_score_is_immutable() -> None:
    s = score("nrs", [3])
    with pytest.raises(dataclasses.FrozenInstanceError):
        s.value = 4  # type: ignore[misc]
    with pytest.raises(TypeError, match="read-only"):
        s.subscores["x"] = 1  # type: ignore[index]
    assert score("gad7", [0] * 7).subscores == {}


@pytest.mark.parametrize("code", [None, 3, "PHQ9", ""])
def test_unknown_instrument(code: object) -> None:
    with pytest.raises(InvalidInput, match="unknown instrument"):
        score(code, [0])  # type: ignore[arg-type]
    with pytest.raises(InvalidInput, match="known: bpi, dn4"):
        get(code)  # type: ignore[arg-type]


def test_tuple_answers_are_accepted() -> None:
    assert score("nrs", (3,)).value == 3
    with pytest.raises(InvalidInput, match="answers must be a list"):
        score("nrs", 3)  # type: ignore[arg-type]
