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


#: CLINICAL.md section 2: (code, number of items, answer codes per item, value range).
_0_1 = (0, 1)
TABLE = [
    ("startback", 9, [_0_1] * 8 + [(0, 1, 2, 3, 4)], (0, 9)),
    ("odi", 10, [tuple(range(6))] * 10, (0, 100)),
    ("ndi", 10, [tuple(range(6))] * 10, (0, 50)),
    ("rmdq", 24, [_0_1] * 24, (0, 24)),
    ("bpi", 11, [tuple(range(11))] * 11, (0, 10)),
    ("gad7", 7, [tuple(range(4))] * 7, (0, 21)),
    ("phq9", 9, [tuple(range(4))] * 9, (0, 27)),
    ("sqs", 1, [tuple(range(11))], (0, 10)),
    ("pgic", 1, [tuple(range(1, 8))], (1, 7)),
    ("nrs", 1, [tuple(range(11))], (0, 10)),
    ("eq5d5l", 6, [tuple(range(1, 6))] * 5 + [tuple(range(101))], (-0.594, 1.0)),
    ("paindetect", 9, [tuple(range(6))] * 7 + [(0, 1, 2, 3), _0_1], (-1, 38)),
    ("dn4", 10, [_0_1] * 10, (0, 10)),
    ("pseq", 10, [tuple(range(7))] * 10, (0, 60)),
]


@pytest.mark.parametrize(("code", "n", "answer_codes", "value_range"), TABLE)
def test_items_answer_codes_and_range_as_clinical_md(
    code: str, n: int, answer_codes: list[tuple[int, ...]], value_range: tuple[float, float]
) -> None:
    inst = get(code)
    assert len(inst.items) == n
    assert [it.values for it in inst.items] == answer_codes
    assert (inst.min_value, inst.max_value) == value_range
    assert len({it.code for it in inst.items}) == n  # item codes are the FHIR linkIds
    with pytest.raises(InvalidInput, match=f"{code}: expected {n} answers"):
        score(code, [answer_codes[0][0]] * (n + 1))
