"""docs/reference/triage.md is generated from the triage rules and must match them."""

from __future__ import annotations

from pathlib import Path

from painpath.clinical.triage import FINDINGS, RULES, RULESET
from painpath.clinical.triage.reference import reference_markdown

DOC = Path(__file__).resolve().parents[3] / "docs" / "reference" / "triage.md"


def test_reference_page_matches_the_rules() -> None:
    assert DOC.read_text(encoding="utf-8") == reference_markdown(), (
        "regenerate: painpath findings --markdown > docs/reference/triage.md"
    )


def test_reference_page_names_every_rule_code_and_the_ruleset() -> None:
    text = reference_markdown()
    assert f"`{RULESET}`" in text
    for rule in RULES:
        assert f"| {rule.id} | `{rule.code}` |" in text
    for code in FINDINGS:
        assert f"| `{code}` |" in text
