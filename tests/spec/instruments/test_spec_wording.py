"""Licensed wording from a clinic's FHIR R4 Questionnaire (CLINICAL.md section 2, Licences).

The file below is written for the test with invented wording (not any licensed text).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from painpath.clinical import InvalidInput
from painpath.clinical.instruments import get, score
from painpath.questionnaire_wording import load_wording


def _questionnaire(code: str) -> dict[str, Any]:
    inst = get(code)
    return {
        "resourceType": "Questionnaire",
        "status": "active",
        "title": f"Clinic wording for {code}",
        "item": [
            {"linkId": "intro", "type": "display", "text": "Please answer every question."},
            {
                "linkId": "main",
                "type": "group",
                "item": [
                    {
                        "linkId": it.code,
                        "type": "choice",
                        "text": f"Clinic question {n}",
                        "answerOption": [
                            {"valueCoding": {"code": str(o.value), "display": f"Answer {o.value}"}}
                            for o in it.options
                        ],
                    }
                    for n, it in enumerate(inst.items, start=1)
                ],
            },
        ],
    }


def _write(tmp_path: Path, data: dict[str, Any]) -> Path:
    path = tmp_path / "q.json"
    path.write_text(json.dumps(data))
    return path


def test_loads_wording_onto_our_items(tmp_path: Path) -> None:
    worded = load_wording("startback", _write(tmp_path, _questionnaire("startback")))
    assert worded.items[0].label == "Clinic question 1"
    assert [o.label for o in worded.items[8].options] == [f"Answer {v}" for v in range(5)]
    assert [it.code for it in worded.items] == [it.code for it in get("startback").items]
    assert worded.score([1, 1, 0, 0, 1, 1, 1, 0, 3]) == score(
        "startback", [1, 1, 0, 0, 1, 1, 1, 0, 3]
    )
    assert get("startback").items[0].label != "Clinic question 1"  # the registry is unchanged


def test_value_integer_options_are_accepted(tmp_path: Path) -> None:
    data = _questionnaire("nrs")
    data["item"][1]["item"][0]["answerOption"] = [{"valueInteger": v} for v in range(11)]
    worded = load_wording("nrs", _write(tmp_path, data))
    assert worded.items[0].options[0].label == get("nrs").items[0].options[0].label


def test_missing_link_id_is_named(tmp_path: Path) -> None:
    data = _questionnaire("odi")
    del data["item"][1]["item"][3]
    with pytest.raises(InvalidInput, match="no item for odi linkId\\(s\\): odi_4"):
        load_wording("odi", _write(tmp_path, data))


def test_unknown_link_id_is_named(tmp_path: Path) -> None:
    data = _questionnaire("odi")
    data["item"][1]["item"][0]["linkId"] = "q1"
    with pytest.raises(InvalidInput, match="linkId 'q1' is not a odi item"):
        load_wording("odi", _write(tmp_path, data))


def test_duplicate_link_id(tmp_path: Path) -> None:
    data = _questionnaire("nrs")
    data["item"][1]["item"].append(data["item"][1]["item"][0])
    with pytest.raises(InvalidInput, match="'nrs_1' appears twice"):
        load_wording("nrs", _write(tmp_path, data))


def test_mismatched_answer_codes(tmp_path: Path) -> None:
    data = _questionnaire("paindetect")
    data["item"][1]["item"][7]["answerOption"].pop()
    with pytest.raises(InvalidInput, match="paindetect_course: answer codes \\[0, 1, 2\\]"):
        load_wording("paindetect", _write(tmp_path, data))


def test_invalid_fhir_structure(tmp_path: Path) -> None:
    data = _questionnaire("nrs")
    del data["item"][1]["item"][0]["type"]
    with pytest.raises(InvalidInput, match="not a valid FHIR Questionnaire"):
        load_wording("nrs", _write(tmp_path, data))


def test_not_a_questionnaire_or_not_json(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="expected a FHIR Questionnaire"):
        load_wording("nrs", _write(tmp_path, {"resourceType": "Patient"}))
    bad = tmp_path / "bad.json"
    bad.write_text("{")
    with pytest.raises(InvalidInput, match="not JSON"):
        load_wording("nrs", bad)
    with pytest.raises(InvalidInput, match="wording file"):
        load_wording("nrs", tmp_path / "absent.json")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\xff\xfe{}", "not UTF-8"),
        (b'{"resourceType": ' + b"9" * 5000 + b"}", "number too long"),
        (b"[" * 100_000 + b"]" * 100_000, "nesting too deep"),
    ],
)
def test_a_file_that_cannot_be_read_as_json_is_named_not_a_traceback(
    tmp_path: Path, content: bytes, message: str
) -> None:
    """The clinic's configured wording file is read by the forms and follow-up pages too: a
    damaged file must be a clear refusal naming it, not a crash."""
    bad = tmp_path / "damaged.json"
    bad.write_bytes(content)
    with pytest.raises(InvalidInput, match=message) as caught:
        load_wording("nrs", bad)
    assert caught.value.field == "file"
