"""docs/reference/instruments.md is generated from the registry and must match it."""

from __future__ import annotations

from pathlib import Path

from painpath.clinical.instruments.reference import reference_markdown

DOC = Path(__file__).resolve().parents[3] / "docs" / "reference" / "instruments.md"


def test_reference_page_matches_the_registry() -> None:
    assert DOC.read_text(encoding="utf-8") == reference_markdown(), (
        "regenerate: painpath instruments --markdown > docs/reference/instruments.md"
    )


def test_reference_page_names_every_item_code() -> None:
    text = reference_markdown()
    for code in ("phq9_9", "paindetect_course", "eq5d5l_vas", "bpi_enjoyment", "rmdq_24"):
        assert f"`{code}`" in text
