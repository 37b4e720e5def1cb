"""The instrument reference (docs/reference/instruments.md), generated from the registry.

Why generated: the page a clinician reviews must be the rules the code runs; a spec test fails
when the committed page differs from this output (regenerate with
``painpath instruments --markdown > docs/reference/instruments.md``).
"""

from __future__ import annotations

from painpath.clinical.instruments.base import Instrument
from painpath.clinical.instruments.registry import all_instruments


def _instrument_section(inst: Instrument) -> list[str]:
    out = [f"## `{inst.code}` — {inst.title}", ""]
    direction = "higher is better" if inst.higher_is_better else "higher is worse"
    out.append(f"- Range: {inst.min_value} to {inst.max_value} ({direction})")
    if inst.bands:
        bands = ", ".join(
            f"`{b.code}` {b.low}-{b.high}" + (f" ({b.note})" if b.note else "") for b in inst.bands
        )
        out.append(f"- Bands: {bands}")
    if inst.flags:
        out.append("- Flags: " + ", ".join(f"`{f}`" for f in inst.flags))
    if inst.mcid is not None:
        m = inst.mcid
        parts = []
        if m.points is not None:
            parts.append(f"{m.points} point" + ("" if m.points == 1 else "s"))
        if m.percent is not None:
            parts.append(f"{m.percent}%")
        extra = f"; substantial >= {m.substantial_percent}%" if m.substantial_percent else ""
        on = "" if m.measure == "value" else f" on `{m.measure}`"
        out.append(f"- MCID{on}: {' or '.join(parts)}{extra} ({m.source})")
    out.append(f"- Missing items: {inst.missing_rule}")
    out.append(f"- Source: {inst.source}")
    out.append(f"- Licence: {inst.licence}")
    out += ["", "| # | item code | label | answer codes |", "|---|---|---|---|"]
    for n, it in enumerate(inst.items, start=1):
        values = it.values
        if len(values) > 7:
            codes = f"{values[0]}-{values[-1]}"
        else:
            codes = "; ".join(
                o.label if o.label.startswith(str(o.value)) else f"{o.value} {o.label}"
                for o in it.options
            )
        out.append(f"| {n} | `{it.code}` | {it.label} | {codes} |")
    out.append("")
    return out


def reference_markdown() -> str:
    """The whole reference page as Markdown."""
    lines = [
        "# Instrument reference",
        "",
        "Generated from the instrument registry (`painpath instruments --markdown`); do not edit",
        "by hand. Answers are given in item order, each the code listed, `null` where",
        "unanswered. Labels are neutral descriptions written by the painpath team except where",
        "the licence allows the full wording (GAD-7, PHQ-9, PGIC, NRS, SQS); clinics load",
        "licensed wording from a FHIR R4 Questionnaire whose linkIds are the item codes below.",
        "Scoring rules, missing-item rules and flags are in each module's docstring",
        "(`src/painpath/clinical/instruments/`) and in docs/safety/hazard-log.md.",
        "",
    ]
    for inst in all_instruments():
        lines += _instrument_section(inst)
    return "\n".join(lines)
