"""The clinical vignettes (tests/spec/triage/vignettes.py): each answered as its source says, and
each shipped unchanged as examples/triage/<name>.json."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from painpath.clinical.triage import assess

from .vignettes import BY_NAME, VIGNETTES, Vignette

EXAMPLES = Path(__file__).resolve().parents[3] / "examples" / "triage"


@pytest.mark.parametrize("v", VIGNETTES, ids=lambda v: v.name)
def test_vignette(v: Vignette) -> None:
    t = assess(v.data)
    out = t.to_dict()
    assert t.urgency == v.urgency, (v.source, out["explanations"])
    assert {f.code for f in t.red_flags} == v.red_flags, out["explanations"]
    assert t.pain_type == v.pain_type
    if v.axial_spa is not None:
        assert t.axial_spa == v.axial_spa
    path = out["pathway"]
    assert isinstance(path, dict)
    for key, wanted in (
        ("recommended", v.recommended),
        ("not_recommended", v.not_recommended),
        ("consider", v.consider),
    ):
        codes = {item["code"] for item in path[key]}
        assert set(wanted) <= codes, (key, sorted(set(wanted) - codes))
    if t.red_flags:
        assert path["recommended"][0]["code"] == "act_on_red_flags"


def test_at_least_thirty_vignettes_each_citing_a_source() -> None:
    assert len(VIGNETTES) >= 30
    assert all(v.source and v.story for v in VIGNETTES)
    urgencies = {v.urgency for v in VIGNETTES}
    assert urgencies == {"emergency", "urgent", "soon", "routine"}


@pytest.mark.parametrize("v", VIGNETTES, ids=lambda v: v.name)
def test_example_file_is_the_vignette(v: Vignette) -> None:
    path = EXAMPLES / f"{v.name}.json"
    assert json.loads(path.read_text(encoding="utf-8")) == v.data, (
        f"examples/triage/{v.name}.json differs from the vignette table"
    )


def test_every_example_file_is_a_vignette() -> None:
    names = {p.stem for p in EXAMPLES.glob("*.json")}
    assert names == set(BY_NAME)
    assert "saddle_anaesthesia" in names  # the README names this one
