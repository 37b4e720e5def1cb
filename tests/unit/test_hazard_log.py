"""The hazard log names real tests: every ``file.py::test_name`` it cites exists in tests/.

A control without a passing test is not a control (docs/safety/hazard-log.md). This check makes a
renamed or deleted test break the build instead of leaving the log pointing at nothing; the suite
running green proves the named tests pass.
"""

from __future__ import annotations

import ast
import re
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HAZARD_LOG = ROOT / "docs" / "safety" / "hazard-log.md"
TESTS = ROOT / "tests"
CITATION = re.compile(r"([A-Za-z0-9_/]+\.py)::([A-Za-z_][A-Za-z0-9_]*)")
HAZARD = re.compile(r"^- \*\*(HAZ-[A-Z]+-\d+)\b", re.MULTILINE)


@cache
def _test_names(path: Path) -> frozenset[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return frozenset(
        node.name
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
    )


def _files_named(name: str) -> list[Path]:
    if "/" in name:
        candidate = ROOT / name
        return [candidate] if candidate.exists() else list(TESTS.rglob(name.split("/")[-1]))
    return list(TESTS.rglob(name))


def _hazard_blocks(text: str) -> dict[str, str]:
    starts = [(m.group(1), m.start()) for m in HAZARD.finditer(text)]
    blocks: dict[str, str] = {}
    for i, (hazard, start) in enumerate(starts):
        end = starts[i + 1][1] if i + 1 < len(starts) else len(text)
        section_break = text.find("\n## ", start, end)
        blocks[hazard] = text[start : section_break if section_break != -1 else end]
    return blocks


def test_every_cited_test_exists() -> None:
    missing = []
    for file_name, test_name in CITATION.findall(HAZARD_LOG.read_text(encoding="utf-8")):
        files = _files_named(file_name)
        if not files:
            missing.append(f"{file_name}::{test_name} (no such test file)")
        elif not any(test_name in _test_names(f) for f in files):
            missing.append(f"{file_name}::{test_name} (no such test)")
    assert not missing, "hazard log cites tests that do not exist:\n" + "\n".join(missing)


def test_every_hazard_names_at_least_one_test() -> None:
    blocks = _hazard_blocks(HAZARD_LOG.read_text(encoding="utf-8"))
    assert len(blocks) >= 10
    untested = [h for h, block in blocks.items() if not CITATION.search(block)]
    assert not untested, f"hazards with no named test: {', '.join(untested)}"


def test_hazard_ids_are_unique() -> None:
    ids = HAZARD.findall(HAZARD_LOG.read_text(encoding="utf-8"))
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    assert not duplicates, f"duplicate hazard ids: {', '.join(duplicates)}"
