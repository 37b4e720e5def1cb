"""Licences (CLINICAL.md section 2): full wording ships ONLY for GAD-7, PHQ-9, PGIC, NRS and SQS.

The licensed instruments (BPI: Cleeland / MD Anderson; EQ-5D: EuroQol; painDETECT: Pfizer; STarT
Back: Keele; ODI: Mapi; NDI, RMDQ, DN4, PSEQ: their authors) ship scoring and neutral labels
written by us. These tests look for fragments of each licensed instrument's published wording
(short phrases, enough to recognise the text, not the text itself) in every item and option
label, and anywhere in the shipped source tree (code, templates, demo, data).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from painpath.clinical.instruments import all_instruments, get

SRC = Path(__file__).resolve().parents[3] / "src"

FULL_WORDING = {"gad7", "phq9", "pgic", "nrs", "sqs"}

#: instrument -> fragments of its published wording (lower case).
LICENSED_FRAGMENTS: dict[str, tuple[str, ...]] = {
    "odi": (
        "tolerate the pain",
        "pain prevents me",
        "look after myself normally",
        "lift heavy weights",
    ),
    "ndi": ("read as much as i want", "no headaches at all", "concentrate fully"),
    "rmdq": (
        "stay at home most of the time",
        "change position frequently",
        "walk more slowly than usual",
    ),
    "bpi": (
        "in the last 24 hours",
        "relations with other people",
        "enjoyment of life",
        "walking ability",
        "normal work",
        "pain right now",
    ),
    "startback": (
        "spread down my leg",
        "worrying thoughts",
        "never get any better",
        "not enjoyed things",
        "dressed more slowly",
        "not really safe",
        "short distances",
    ),
    "paindetect": (
        "stinging nettles",
        "crawling ants",
        "light touching",
        "bath water",
        "persistent pain with slight fluctuations",
        "persistent pain with pain attacks",
        "pain attacks without pain between",
        "pain attacks with pain between",
    ),
    "eq5d5l": (
        "no problems in walking",
        "slight problems",
        "washing or dressing myself",
        "best health you can imagine",
        "extremely anxious or depressed",
    ),
    "dn4": ("hypoesthesia", "increased by brushing"),
    "pseq": ("despite the pain", "not at all confident", "completely confident"),
}


def test_full_wording_flag_exactly_for_the_five_free_instruments() -> None:
    assert {i.code for i in all_instruments() if i.full_text_allowed} == FULL_WORDING
    assert set(LICENSED_FRAGMENTS) == {i.code for i in all_instruments()} - FULL_WORDING


@pytest.mark.parametrize("code", sorted(LICENSED_FRAGMENTS))
def test_licensed_instrument_labels_are_neutral(code: str) -> None:
    inst = get(code)
    assert not inst.full_text_allowed
    assert "wording not shipped" in inst.licence or "clinic-supplied" in inst.licence
    labels = [it.label for it in inst.items] + [o.label for it in inst.items for o in it.options]
    every = [f for frags in LICENSED_FRAGMENTS.values() for f in frags]
    for label in labels:
        assert not [f for f in every if f in label.lower()], (code, label)


def test_no_licensed_wording_anywhere_in_the_source_tree() -> None:
    """Templates, the demo, fixtures and docstrings too (ADR 0014)."""
    suffixes = {".py", ".html", ".txt", ".json", ".js", ".md", ".csv", ".css", ".yaml", ".yml"}
    every = [f for frags in LICENSED_FRAGMENTS.values() for f in frags]
    found = []
    for path in SRC.rglob("*"):
        if path.is_file() and path.suffix in suffixes:
            text = path.read_text(encoding="utf-8", errors="ignore").lower()
            found += [f"{path.relative_to(SRC)}: {f}" for f in every if f in text]
    assert not found, found


def test_free_instruments_ship_their_wording() -> None:
    """GAD-7, PHQ-9, PGIC, NRS and SQS are free to use with their wording (the item text)."""
    assert get("gad7").items[1].label == "Not being able to stop or control worrying"
    assert get("phq9").items[0].label == "Little interest or pleasure in doing things"
    assert [o.label for o in get("pgic").items[0].options][3] == "No change"
    assert "0 to 10" in get("nrs").items[0].label
    assert "sleep quality" in get("sqs").items[0].label
