"""Safety properties of the triage (Hypothesis), over any valid assessment in every region and with
any of the finding codes:

- adding any emergency finding (or emergency combination) always yields ``emergency``;
- exhaustively over every pair of finding codes in every region: a finding added never lowers
  the urgency;
- removing findings never raises the urgency; making a timed finding acute never lowers it;
- the output is deterministic and does not depend on the order of the findings;
- the output is always JSON-serialisable and schema-complete, its urgency the most urgent flag's;
- any unknown code or bad value is refused naming the field, never ignored.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from painpath.clinical import InvalidInput
from painpath.clinical.triage import FINDINGS, RULESET, URGENCIES, assess
from painpath.clinical.triage.input import REGIONS
from painpath.clinical.triage.vocabulary import (
    CES_CODES,
    MSCC_NEURO_CODES,
    MYELOPATHY_CODES,
    NEURO_DEFICIT_CODES,
)

CODES = sorted(FINDINGS)
#: Findings that alone make an emergency (CLINICAL.md section 3): every CES finding when new or
#: deteriorating, and major trauma.
EMERGENCY_FINDINGS = sorted(CES_CODES | {"major_trauma"})
RANK = {u: i for i, u in enumerate(URGENCIES)}
#: Combinations that make an emergency whatever else is present (CLINICAL.md section 3; ADR 0025).
EMERGENCY_COMBINATIONS: list[tuple[str, ...]] = [
    *((c,) for c in EMERGENCY_FINDINGS),
    *(("history_of_cancer", c) for c in sorted(MSCC_NEURO_CODES)),
    *(("fever", c) for c in sorted(NEURO_DEFICIT_CODES)),
    ("severe_headache", "fever", "non_blanching_rash"),
    *((a, b) for a in sorted(MYELOPATHY_CODES) for b in sorted(MYELOPATHY_CODES) if a < b),
]

TOP_KEYS = {
    "urgency",
    "action",
    "red_flags",
    "pain_type",
    "neuropathic",
    "neuropathic_score",
    "risk",
    "axial_spa",
    "pathway",
    "explanations",
    "ruleset",
    "region",
}
FLAG_KEYS = {"code", "condition", "urgency", "findings", "source", "action", "rule"}
ITEM_KEYS = {"code", "text", "source"}
PAIN_TYPES = {"radicular", "mechanical", "non_specific", "radiculopathy", "myelopathy"}

SETTINGS = settings(max_examples=150, deadline=None)


@st.composite
def findings(draw: st.DrawFn) -> list[Any]:
    codes = draw(st.lists(st.sampled_from(CODES), unique=True, max_size=8))
    out: list[Any] = []
    for code in codes:
        kind = draw(st.sampled_from(("bare", "object", "full")))
        if kind == "bare":
            out.append(code)
            continue
        days = draw(st.none() | st.integers(0, 800))
        courses = ["stable", "improving", "deteriorating", None]
        if days is None or days <= 14:
            courses.append("new")
        course = draw(st.sampled_from(courses))
        item: dict[str, Any] = {"code": code}
        if days is not None:
            item["days"] = days
        if course is not None:
            item["course"] = course
        out.append(item)
    return out


@st.composite
def assessments(draw: st.DrawFn) -> dict[str, Any]:
    age = draw(st.integers(16, 120))
    data: dict[str, Any] = {
        "region": draw(st.sampled_from(("low_back", "neck", "thoracic"))),
        "age": age,
        "sex": draw(st.sampled_from(("female", "male", "other"))),
        "duration_weeks": draw(st.integers(0, 600)),
        "findings": draw(findings()),
    }
    fs = data["findings"]
    if draw(st.booleans()):
        onset = draw(st.integers(0, age))
        has_early = any((x if isinstance(x, str) else x["code"]) == "onset_before_35" for x in fs)
        if not (has_early and onset >= 35):
            data["age_at_onset"] = onset
    if draw(st.booleans()):
        agree = draw(st.lists(st.integers(0, 1), min_size=8, max_size=8))
        data["startback"] = [*agree, draw(st.integers(0, 4))]
    if draw(st.booleans()):
        sensory = draw(st.lists(st.integers(0, 5), min_size=7, max_size=7))
        data["paindetect"] = [*sensory, draw(st.integers(0, 3)), draw(st.integers(0, 1))]
    return data


def code_of(finding: Any) -> str:
    return finding if isinstance(finding, str) else str(finding["code"])


@SETTINGS
@given(data=assessments(), code=st.sampled_from(EMERGENCY_FINDINGS), form=st.integers(0, 3))
def test_adding_an_emergency_finding_always_gives_emergency(
    data: dict[str, Any], code: str, form: int
) -> None:
    present = {code_of(f) for f in data["findings"]}
    assume(code not in present)
    added: Any = (
        code,
        {"code": code},
        {"code": code, "days": 3, "course": "new"},
        {"code": code, "days": 90, "course": "deteriorating"},
    )[form]
    t = assess({**data, "findings": [*data["findings"], added]})
    assert t.urgency == "emergency"
    assert any(code in f.findings and f.urgency == "emergency" for f in t.red_flags)


@SETTINGS
@given(
    data=assessments(),
    combo=st.sampled_from(EMERGENCY_COMBINATIONS),
    acute=st.sampled_from(("bare", "new", "deteriorating")),
)
def test_adding_an_emergency_combination_always_gives_emergency(
    data: dict[str, Any], combo: tuple[str, ...], acute: str
) -> None:
    """Cancer with a neurological finding (MSCC), fever with a deficit, the meningitis triad,
    two acute myelopathy findings, or any new CES finding or major trauma: emergency, in any
    region, whatever else was found."""
    present = {code_of(f) for f in data["findings"]}
    assume(not present & set(combo))
    form = {
        "bare": lambda c: c,
        "new": lambda c: {"code": c, "days": 2, "course": "new"},
        "deteriorating": lambda c: {"code": c, "days": 60, "course": "deteriorating"},
    }[acute]
    t = assess({**data, "findings": [*data["findings"], *(form(c) for c in combo)]})
    assert t.urgency == "emergency", (combo, t.to_dict()["explanations"])
    assert t.action.startswith("EMERGENCY: ")


@SETTINGS
@given(data=assessments(), keep=st.lists(st.booleans(), min_size=8, max_size=8))
def test_removing_findings_never_raises_urgency(data: dict[str, Any], keep: list[bool]) -> None:
    before = assess(data).urgency
    fewer = [f for f, k in zip(data["findings"], keep, strict=False) if k]
    after = assess({**data, "findings": fewer}).urgency
    assert RANK[after] >= RANK[before]


@SETTINGS
@given(data=assessments())
def test_making_a_finding_acute_never_lowers_urgency(data: dict[str, Any]) -> None:
    """Replacing every finding by its bare code (counted as new) never lowers the urgency."""
    before = assess(data).urgency
    bare = [code_of(f) for f in data["findings"]]
    assert RANK[assess({**data, "findings": bare}).urgency] <= RANK[before]


@SETTINGS
@given(data=assessments(), seed=st.randoms(use_true_random=False))
def test_deterministic_and_order_free(data: dict[str, Any], seed: Any) -> None:
    first = assess(data).to_dict()
    assert assess(data).to_dict() == first
    shuffled = list(data["findings"])
    seed.shuffle(shuffled)
    again = assess({**data, "findings": shuffled}).to_dict()
    assert again["urgency"] == first["urgency"]
    assert {f["code"] for f in again["red_flags"]} == {f["code"] for f in first["red_flags"]}  # type: ignore[index, union-attr]
    assert again["pain_type"] == first["pain_type"] and again["axial_spa"] == first["axial_spa"]


@SETTINGS
@given(data=assessments())
def test_output_is_json_and_schema_complete(data: dict[str, Any]) -> None:
    out = json.loads(json.dumps(assess(data).to_dict()))
    assert set(out) == TOP_KEYS
    assert out["urgency"] in URGENCIES and out["ruleset"] == RULESET and out["action"]
    flags = out["red_flags"]
    for flag in flags:
        assert set(flag) == FLAG_KEYS
        assert flag["urgency"] in URGENCIES and flag["condition"] and flag["source"]
        assert flag["action"] and isinstance(flag["findings"], list)
        assert all(c in FINDINGS for c in flag["findings"])
    expected = min((flag["urgency"] for flag in flags), key=RANK.__getitem__, default="routine")
    assert out["urgency"] == expected  # the most urgent red flag sets the urgency
    assert [RANK[f["urgency"]] for f in flags] == sorted(RANK[f["urgency"]] for f in flags)
    assert out["pain_type"] in PAIN_TYPES
    assert out["neuropathic"] in (None, "likely", "ambiguous", "unlikely")
    assert out["axial_spa"] in ("refer", "hla_b27_test", "not_met", "not_applicable")
    risk = out["risk"]
    assert risk is None or (
        set(risk) == {"instrument", "group", "total", "subscale", "subscale_name"}
        and risk["group"] in ("low", "medium", "high")
    )
    path = out["pathway"]
    assert set(path) == {"guideline", "recommended", "consider", "not_recommended", "cbpm"}
    for key in ("recommended", "consider", "not_recommended"):
        for item in path[key]:
            assert set(item) == ITEM_KEYS and all(item.values())
    assert path["cbpm"]["code"] == "cbpm_chronic_pain"
    assert path["recommended"], "there is always a recommendation"
    if flags:
        assert path["recommended"][0]["code"] == "act_on_red_flags"
    assert out["explanations"] and all(isinstance(e, str) and e for e in out["explanations"])
    for flag in flags:
        assert any(e.startswith(f"[{flag['rule']}]") for e in out["explanations"])


@SETTINGS
@given(data=assessments(), bad=st.text(min_size=1, max_size=20), at=st.integers(0, 8))
def test_an_unknown_code_is_never_ignored(data: dict[str, Any], bad: str, at: int) -> None:
    assume(bad not in FINDINGS)
    fs = list(data["findings"])
    at = min(at, len(fs))
    fs.insert(at, bad if at % 2 else {"code": bad})
    with pytest.raises(InvalidInput) as err:
        assess({**data, "findings": fs})
    assert str(err.value).startswith(f"findings[{at}]") and err.value.field == "findings"


@SETTINGS
@given(
    data=assessments(),
    key=st.sampled_from(("age", "duration_weeks", "age_at_onset")),
    value=st.one_of(st.integers(max_value=-1), st.floats(allow_nan=True), st.booleans(), st.text()),
)
def test_a_bad_number_is_refused_naming_the_field(
    data: dict[str, Any], key: str, value: Any
) -> None:
    with pytest.raises(InvalidInput) as err:
        assess({**data, key: value})
    assert str(err.value).startswith(f"{key}:") and err.value.field == key


def _urgency(region: str, findings: list[Any]) -> int:
    t = assess(
        {
            "region": region,
            "age": 55,
            "duration_weeks": 20,
            "findings": findings,
            "age_at_onset": 30,
        }
    )
    return RANK[t.urgency]


FORMS = (lambda c: c, lambda c: {"code": c, "days": 30, "course": "stable"})


@pytest.mark.parametrize("region", REGIONS)
def test_exhaustive_pairs_adding_a_finding_never_lowers_urgency(region: str) -> None:
    """Every pair of finding codes, each bare (new) or established (30 days, stable), in every
    region: the pair is at least as urgent as each finding alone."""
    single = {(c, i): _urgency(region, [form(c)]) for c in CODES for i, form in enumerate(FORMS)}
    for x, a in enumerate(CODES):
        for b in CODES[x + 1 :]:
            for i, fa in enumerate(FORMS):
                for j, fb in enumerate(FORMS):
                    both = _urgency(region, [fa(a), fb(b)])
                    assert both <= min(single[(a, i)], single[(b, j)]), (region, a, i, b, j)


@pytest.mark.parametrize("region", REGIONS)
@pytest.mark.parametrize("code", CODES)
def test_every_single_finding_in_every_region_is_stable_across_regions(
    region: str, code: str
) -> None:
    """A red flag never depends on the region (ADR 0022): one finding alone gives the same red
    flags in every region, except the thoracic/neck region counting as thoracic or cervical pain
    for a cancer history (NICE NG234)."""
    base = {"age": 55, "duration_weeks": 20, "findings": [code]}
    flags = {f.code for f in assess({**base, "region": region}).red_flags}
    low_back = {f.code for f in assess({**base, "region": "low_back"}).red_flags}
    if code == "history_of_cancer" and region != "low_back":
        assert flags == {"spinal_metastases"} and low_back == {"cancer_history"}
    else:
        assert flags == low_back
