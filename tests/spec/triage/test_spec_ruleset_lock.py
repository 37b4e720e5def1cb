"""A stale ruleset is a hazard (HAZ-TRI-05): results stored under one RULESET must come from one
set of rules. ruleset.lock pins a fingerprint of the rules' behaviour (the generated reference page
and the output for every vignette and every single finding in every region) to RULESET: change a
rule without bumping RULESET and this fails; bump it and the lock must be updated with it."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from painpath.clinical.triage import FINDINGS, RULESET, assess
from painpath.clinical.triage.input import REGIONS
from painpath.clinical.triage.reference import reference_markdown

from .vignettes import VIGNETTES

LOCK = Path(__file__).with_name("ruleset.lock")


def fingerprint() -> str:
    h = hashlib.sha256(reference_markdown().encode())
    cases: list[dict[str, object]] = [v.data for v in VIGNETTES]
    for region in REGIONS:
        for code in FINDINGS:
            for finding in (code, {"code": code, "days": 30, "course": "stable"}):
                cases.append(
                    {
                        "region": region,
                        "age": 55,
                        "sex": "other",
                        "duration_weeks": 20,
                        "findings": [finding],
                        "age_at_onset": 30,
                    }
                )
    for case in cases:
        h.update(json.dumps(assess(case).to_dict(), sort_keys=True).encode())
    return h.hexdigest()


def test_ruleset_version_pins_the_rules() -> None:
    lock = json.loads(LOCK.read_text(encoding="utf-8"))
    now = fingerprint()
    if lock["ruleset"] == RULESET:
        assert now == lock["sha256"], (
            "the triage rules changed but RULESET did not: bump RULESET in "
            "src/painpath/clinical/triage/ruleset.py, then record "
            f'{{"ruleset": "<new>", "sha256": "{now}"}} in {LOCK.name}'
        )
    else:
        raise AssertionError(
            f"RULESET is {RULESET} but {LOCK.name} pins {lock['ruleset']}: after review record "
            f'{{"ruleset": "{RULESET}", "sha256": "{now}"}}'
        )
