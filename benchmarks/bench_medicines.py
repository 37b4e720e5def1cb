"""CBPM rules throughput, one core: 366-day titration schedules, safety screens, prescription
checks. No target in issue 6; the figures show the rules are cheap enough to run on every
keystroke of a live form. Run: ``.venv/bin/python -m benchmarks.bench_medicines``.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import date
from decimal import Decimal

from painpath.clinical.medicines import (
    Amount,
    Form,
    PatientFacts,
    Prescription,
    Product,
    Strength,
    Unit,
    check_prescription,
    safety_screen,
    titration_schedule,
)

D = Decimal
CBD = Product("CBD 20", Form.OIL, Unit.ML, Strength(D(0), Unit.ML), Strength(D(20), Unit.ML))
THC = Product("THC 10", Form.OIL, Unit.ML, Strength(D(10), Unit.ML), Strength(D(0), Unit.ML))
BAL = Product("BAL 10", Form.OIL, Unit.ML, Strength(D(10), Unit.ML), Strength(D(10), Unit.ML))
FACTS = PatientFacts(age_years=70, epilepsy=True, alt_x_uln=D("1.2"), bilirubin_x_uln=D("1"))
MEDS = ["pregabalin 75 mg", "warfarin", "clobazam", "omeprazole", "codeine"]
RX = Prescription(
    patient_name="A",
    patient_address="B",
    product=CBD,
    form="oil",
    strength="CBD 20 mg/ml",
    dose="0.5 ml twice daily",
    daily_amount=Amount(D(1), Unit.ML),
    quantity=Amount(D(45), Unit.ML),
    quantity_words="forty-five millilitres",
    prescriber_name="Dr",
    prescriber_address="Clinic",
    prescriber_signed=True,
    date_signed=date(2026, 3, 1),
    prescriber_on_specialist_register=True,
)


def rate(label: str, n: int, fn: Callable[[], object]) -> None:
    started = time.perf_counter()
    for _ in range(n):
        fn()
    elapsed = time.perf_counter() - started
    print(f"{label}: {n / elapsed:,.0f}/s ({elapsed / n * 1e6:,.0f} us each)")


def main() -> None:
    rate(
        "titration routine 366 days (two products)",
        300,
        lambda: titration_schedule("routine", 366, CBD, thc_product=THC),
    )
    rate("titration rapid 366 days", 300, lambda: titration_schedule("rapid", 366, BAL))
    rate(
        "safety screen (5 medicines, 8 issues)",
        20000,
        lambda: safety_screen(FACTS, BAL, D(20), D(20), MEDS),
    )
    rate("prescription check", 20000, lambda: check_prescription(RX, date(2026, 3, 20)))


if __name__ == "__main__":
    main()
