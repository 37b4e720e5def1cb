"""The titration protocols as a reference document for clinical review.

``docs/reference/titration.md`` is generated from ``titration_markdown()``; a test keeps it in
sync, so the tables a clinician reviews are the ones the code produces (and the spec tests check
the same numbers by hand).
"""

from __future__ import annotations

from decimal import Decimal

from painpath.clinical.medicines.products import Form, Product, Strength, Unit, fmt
from painpath.clinical.medicines.titration import PROTOCOLS, SOURCE, titration_schedule

_ML = Unit.ML
EXAMPLE_CBD = Product("CBD oil 20 mg/ml", Form.OIL, _ML, Strength(Decimal(0), _ML),
                      Strength(Decimal(20), _ML))  # fmt: skip
EXAMPLE_THC = Product("THC oil 10 mg/ml", Form.OIL, _ML, Strength(Decimal(10), _ML),
                      Strength(Decimal(0), _ML))  # fmt: skip
EXAMPLE_BALANCED = Product("Balanced oil 10:10 mg/ml", Form.OIL, _ML,
                           Strength(Decimal(10), _ML), Strength(Decimal(10), _ML))  # fmt: skip
EXAMPLE_DAYS = {"routine": 40, "conservative": 40, "rapid": 50}


def titration_markdown() -> str:
    lines = [
        "# Titration protocols (worked examples)",
        "",
        f"Generated from `painpath.clinical.medicines.titration` (do not edit by hand). Source: "
        f"{SOURCE}. Policy points within the source's ranges: docs/decisions/0060.",
        "",
    ]
    for code, spec in PROTOCOLS.items():
        if spec.balanced:
            schedule = titration_schedule(code, EXAMPLE_DAYS[code], EXAMPLE_BALANCED)
            products = EXAMPLE_BALANCED.name
        else:
            schedule = titration_schedule(
                code, EXAMPLE_DAYS[code], EXAMPLE_CBD, thc_product=EXAMPLE_THC
            )
            products = f"{EXAMPLE_CBD.name}, then {EXAMPLE_THC.name}"
        lines += [
            f"## {spec.title}",
            "",
            f"{EXAMPLE_DAYS[code]} days with {products}.",
            "",
            "| from day | dose | THC mg/day | CBD mg/day |",
            "|---|---|---|---|",
        ]
        for day in schedule.steps():
            dose = " + ".join(f"{line.product}: {line.text()}" for line in day.doses)
            lines.append(f"| {day.day} | {dose} | {fmt(day.thc_mg)} | {fmt(day.cbd_mg)} |")
        lines.append("")
    return "\n".join(lines)
