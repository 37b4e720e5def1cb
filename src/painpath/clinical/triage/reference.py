"""The triage reference (docs/reference/triage.md), generated from the rules the code runs.

Why generated: the page a clinician reviews must be the rule table ``assess`` applies; a spec test
fails when the committed page differs (regenerate with
``painpath findings --markdown > docs/reference/triage.md``).
"""

from __future__ import annotations

from painpath.clinical.triage import classification, engine, pathway, screening
from painpath.clinical.triage.input import (
    COURSES,
    MAX_AGE,
    MIN_AGE,
    NEW_WITHIN_DAYS,
    OPTIONAL_KEYS,
    REGIONS,
    REQUIRED_KEYS,
    SEXES,
)
from painpath.clinical.triage.red_flags import RULES, rule_criteria
from painpath.clinical.triage.result import URGENCIES, URGENCY_MEANINGS
from painpath.clinical.triage.ruleset import RULESET
from painpath.clinical.triage.vocabulary import FINDINGS, GROUPS


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _codes(codes: frozenset[str] | tuple[str, ...]) -> str:
    return ", ".join(f"`{c}`" for c in sorted(codes))


def _red_flags() -> list[str]:
    out = [
        "## Red-flag rules",
        "",
        "Every rule fires whatever the region. A timed rule takes its lower urgency only when",
        f"every finding it counts is present more than {NEW_WITHIN_DAYS} days AND stable or "
        "improving (both given);",
        "a finding without days or course counts as new. The most urgent red flag sets the",
        "urgency.",
        "",
        "| rule | code | condition | fires on | urgency | action | source | policy |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in RULES:
        urgency = f"`{r.urgency}`"
        if r.established_urgency:
            urgency += f"; established: `{r.established_urgency}`"
        action = r.action + (f" Established: {r.established_action}" if r.timed else "")
        for region, note in sorted(r.region_notes.items()):
            action += f" ({region}: {note})"
        if r.superseded_by:
            policy = r.policy + f" Shown under {', '.join(r.superseded_by)} when that fires."
        else:
            policy = r.policy
        out.append(
            "| "
            + " | ".join(
                _cell(x)
                for x in (
                    r.id,
                    f"`{r.code}`",
                    r.condition,
                    rule_criteria(r) + f" ({r.basis})",
                    urgency,
                    action,
                    r.source,
                    policy.strip(),
                )
            )
            + " |"
        )
    out.append("")
    return out


def _classification() -> list[str]:
    return [
        "## Classification (`pain_type`)",
        "",
        "- Low back: `radicular` when any of "
        + _codes(classification.LEG_DOMINANT)
        + " with any of "
        + _codes(classification.ROOT_SIGNS)
        + "; `mechanical` when `pain_varies_with_activity` and none of "
        + _codes(classification.RADICULAR_FEATURES)
        + "; otherwise `non_specific` (NICE NG59; CKS Sciatica).",
        "- Neck: `myelopathy` with two or more myelopathy findings; `radiculopathy` when "
        "`arm_pain_worse_than_neck` with any of "
        + _codes(classification.ARM_ROOT_SIGNS)
        + "; otherwise `mechanical` (CKS Neck pain; Davies 2018).",
        "- Thoracic (policy, ADR 0022): `mechanical` when `pain_varies_with_activity` without "
        "radicular features, otherwise `non_specific`.",
        "- `neuropathic`: the painDETECT band (`unlikely` <= 12, `ambiguous` 13-18, "
        "`likely` >= 19; Freynhagen 2006), null without painDETECT.",
        "- `risk`: STarT Back (Keele; Hill 2008) `low` total <= 3, `high` psychosocial >= 4, "
        "otherwise `medium`; null without STarT Back.",
        "",
        "## Axial spondyloarthritis (`axial_spa`, NICE NG65)",
        "",
        f"Low back pain for more than {screening.NG65_MIN_WEEKS_EXCLUSIVE} weeks that started "
        f"before {screening.NG65_ONSET_BEFORE}; criteria counted: `onset_before_35` (from "
        "`age_at_onset`, or the finding), " + _codes(screening.NG65_FEATURES) + ". "
        f"{screening.NG65_REFER_AT} or more: `refer`; exactly {screening.NG65_HLA_B27_AT}: "
        "`hla_b27_test`; fewer: `not_met`; otherwise `not_applicable`. Without `age_at_onset` the "
        "onset is taken as age minus duration, the earliest it can be (policy, ADR 0024).",
        "",
    ]


def _pathway() -> list[str]:
    out = [
        "## Pathway options",
        "",
        "Low back: NICE NG59 by STarT Back group (low: simple support; medium/high: exercise,",
        "manual therapy and CBT approach only with exercise; high with pain > "
        f"{pathway.CHRONIC_AFTER_WEEKS} weeks: combined",
        "programme), classification (sciatica items for `radicular`) and duration (chronic > "
        f"{pathway.CHRONIC_AFTER_WEEKS} weeks);",
        "the whole NG59 do-not-offer list of CLINICAL.md section 4 in every low back result.",
        "Neck (ADR 0027): NICE CKS neck care for the pain type plus the same NG59 risk-stratified",
        "options by clinic policy (their source then ends with: "
        f"`{pathway.NECK_EXTRAPOLATION.lstrip('; ')}`);",
        "suspected myelopathy: the surgical assessment only. Thoracic: no NICE pathway.",
        "NICE NG144 (CBPMs) is in every result (`pathway.cbpm`). With any red flag the first",
        f'item is `act_on_red_flags` and the action ends with: "{engine.PATHWAY_AFTER_RED_FLAG}"',
        "",
        "Lead item (first step; the routine action shows it) by region and pain type: "
        + "; ".join(
            f"{region} {pain_type} `{item.code}`"
            for (region, pain_type), item in pathway.LEADS.items()
        )
        + ".",
        "",
        "| code | option | source |",
        "|---|---|---|",
    ]
    for item in pathway.ALL_ITEMS:
        out.append(f"| `{item.code}` | {_cell(item.text)} | {_cell(item.source)} |")
    out.append("")
    return out


def _vocabulary() -> list[str]:
    out = ["## Finding vocabulary", ""]
    for group, title in GROUPS.items():
        out += [f"### {title} (`{group}`)", "", "| code | meaning | timed | source |"]
        out.append("|---|---|---|---|")
        for f in FINDINGS.values():
            if f.group == group:
                timed = "yes" if f.timed else ""
                out.append(f"| `{f.code}` | {_cell(f.meaning)} | {timed} | {_cell(f.source)} |")
        out.append("")
    return out


def reference_markdown() -> str:
    """The whole reference page as Markdown."""
    lines = [
        "# Triage reference",
        "",
        "Generated from the triage rules (`painpath findings --markdown`); do not edit by hand.",
        f"Ruleset: `{RULESET}` (stored with every result).",
        "",
        "## Input",
        "",
        f"Required: {', '.join(f'`{k}`' for k in REQUIRED_KEYS)}; optional: "
        f"{', '.join(f'`{k}`' for k in OPTIONAL_KEYS)}; any other key is refused.",
        f"`region` one of {', '.join(REGIONS)}; `age` a whole number {MIN_AGE}-{MAX_AGE}; "
        f"`sex` one of {', '.join(SEXES)};",
        "`duration_weeks` a whole number from 0 (no longer than the patient's life); "
        "`age_at_onset` 0 to age.",
        "A finding is a code, or `{code, days, course}` with `course` one of "
        f"{', '.join(COURSES)}; `new` means {NEW_WITHIN_DAYS} days or fewer.",
        "A bare code counts as new. The same code twice with different days or course is refused.",
        "",
        "## Urgency",
        "",
    ]
    lines += [f"- `{u}`: {URGENCY_MEANINGS[u]}" for u in URGENCIES]
    lines.append("")
    lines += _red_flags()
    lines += _classification()
    lines += _pathway()
    lines += _vocabulary()
    return "\n".join(lines)
