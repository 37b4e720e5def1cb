"""Schedule 2 controlled drug prescription rules for CBPMs (CLINICAL.md section 5).

Sources:
- Misuse of Drugs Regulations 2001 (MDR) reg 15: a Schedule 2 prescription states the patient's
  name and address, the form and strength, the dose, the total quantity in both words and
  figures, and is signed and dated by the prescriber with their address. BNF "Controlled drugs
  and drug dependence": "as directed" is not an acceptable dose.
- MDR reg 16(1)(e): not supplied later than 28 days after the appropriate date (the date signed,
  or a later start date the prescriber gives): valid on day 28, expired on day 29.
- Department of Health / BNF good practice: no more than 30 days' supply (a warning; proceeding
  needs a recorded justification). CDs in Schedule 2 cannot be repeat-dispensed (MDR reg 16).
- Misuse of Drugs (Amendments) (Cannabis and Licence Fees) Regulations 2018: initiation only by a
  doctor on the GMC Specialist Register; continuation by others only under shared care.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from painpath.clinical.errors import InvalidInput
from painpath.clinical.medicines.issues import Issue
from painpath.clinical.medicines.products import Amount, Product, fmt
from painpath.clinical.medicines.quantity_words import words_to_number

REG15 = "Misuse of Drugs Regulations 2001 reg 15; BNF Controlled drugs and drug dependence"
REG16 = "Misuse of Drugs Regulations 2001 reg 16(1)(e)"
REG16_REPEAT = "Misuse of Drugs Regulations 2001 reg 16 (no repeat dispensing of Schedule 2)"
SUPPLY_GUIDANCE = "Department of Health / BNF good practice: at most 30 days' supply of a CD"
SPECIALIST = "Misuse of Drugs (Amendments) (Cannabis and Licence Fees) Regulations 2018"
VALIDITY_DAYS = 28
MAX_SUPPLY_DAYS = 30
KINDS = ("initiation", "continuation")

_AS_DIRECTED = re.compile(
    r"\b(as\s+directed|as\s+dir\b|when\s+directed|as\s+per\s+|m\.?\s?d\.?\s?u\.?\b|"
    r"use\s+as\s+instructed)",
    re.IGNORECASE,
)
_HAS_AMOUNT = re.compile(
    r"\d|\b(one|two|three|four|five|six|seven|eight|nine|ten|half)\b", re.IGNORECASE
)


@dataclass(frozen=True)
class Prescription:
    """A prescription as written, in plain values (before or after signing)."""

    patient_name: str
    patient_address: str
    product: Product
    form: str
    strength: str
    dose: str
    daily_amount: Amount
    quantity: Amount
    quantity_words: str
    prescriber_name: str
    prescriber_address: str
    prescriber_signed: bool
    date_signed: date | None
    prescriber_on_specialist_register: bool
    kind: str = "initiation"
    shared_care_agreement: bool = False
    appropriate_date: date | None = None
    repeats: int = 0


@dataclass(frozen=True)
class PrescriptionCheck:
    errors: tuple[Issue, ...]
    warnings: tuple[Issue, ...]
    days_supply: Decimal
    valid_from: date | None
    valid_until: date | None

    @property
    def ok(self) -> bool:
        return not self.errors


def _error(code: str, message: str, source: str, field: str) -> Issue:
    return Issue(code, "block", message, source, field)


def check_prescription(prescription: Prescription, today: date) -> PrescriptionCheck:
    """Every error and warning for ``prescription`` as it stands on ``today``.

    Malformed input (units that disagree with the product, an unknown kind, negative repeats)
    raises InvalidInput; a prescription that is merely incomplete or wrong comes back as errors.
    """
    p = prescription
    if isinstance(today, datetime) or not isinstance(today, date):
        raise InvalidInput(f"today: expected a date, got {today!r}", field="today")
    if p.kind not in KINDS:
        raise InvalidInput(f"kind: {p.kind!r} not one of {', '.join(KINDS)}", field="kind")
    if isinstance(p.repeats, bool) or not isinstance(p.repeats, int) or p.repeats < 0:
        raise InvalidInput(
            f"repeats: must be a whole number >= 0, got {p.repeats!r}", field="repeats"
        )
    p.product.check_unit(p.daily_amount, "daily_amount")
    p.product.check_unit(p.quantity, "quantity")

    errors: list[Issue] = []
    warnings: list[Issue] = []
    for field, label in (
        ("patient_name", "Patient's full name"),
        ("patient_address", "Patient's address"),
        ("form", "Form of the preparation"),
        ("strength", "Strength of the preparation"),
        ("prescriber_name", "Prescriber's name"),
        ("prescriber_address", "Prescriber's address"),
    ):
        if not str(getattr(p, field)).strip():
            errors.append(_error(f"MISSING_{field.upper()}", f"{label} is required", REG15, field))

    dose = p.dose.strip()
    if not dose:
        errors.append(_error("MISSING_DOSE", "The dose is required", REG15, "dose"))
    elif _AS_DIRECTED.search(dose):
        errors.append(
            _error(
                "DOSE_AS_DIRECTED",
                "'As directed' is not a dose: state the amount and frequency",
                REG15,
                "dose",
            )
        )
    elif not _HAS_AMOUNT.search(dose):
        errors.append(
            _error("DOSE_NOT_DEFINED", "The dose must state an amount and how often", REG15, "dose")
        )

    words = p.quantity_words.strip()
    if not words:
        errors.append(
            _error(
                "MISSING_QUANTITY_WORDS",
                "Total quantity must also be written in words",
                REG15,
                "quantity_words",
            )
        )
    else:
        in_words = words_to_number(words)
        if in_words is None:
            errors.append(
                _error(
                    "QUANTITY_WORDS_UNREADABLE",
                    f"Total quantity in words could not be read: {words!r}",
                    REG15,
                    "quantity_words",
                )
            )
        elif in_words != p.quantity.value:
            errors.append(
                _error(
                    "QUANTITY_MISMATCH",
                    f"Quantity in words ({fmt(in_words)}) and figures "
                    f"({fmt(p.quantity.value)}) disagree",
                    REG15,
                    "quantity_words",
                )
            )

    if not p.prescriber_signed:
        errors.append(
            _error(
                "NOT_SIGNED",
                "The prescriber must sign the prescription",
                REG15,
                "prescriber_signed",
            )
        )
    valid_from: date | None = None
    valid_until: date | None = None
    if p.date_signed is None:
        errors.append(
            _error("MISSING_DATE", "The prescription must be dated", REG15, "date_signed")
        )
    else:
        if p.date_signed > today:
            errors.append(
                _error(
                    "DATED_IN_FUTURE",
                    f"Dated {p.date_signed.isoformat()}, after today",
                    REG15,
                    "date_signed",
                )
            )
        valid_from = max(p.date_signed, p.appropriate_date or p.date_signed)
        valid_until = valid_from + timedelta(days=VALIDITY_DAYS)
        if today > valid_until:
            errors.append(
                _error(
                    "EXPIRED",
                    f"Expired: valid until {valid_until.isoformat()} (28 days "
                    f"after {valid_from.isoformat()})",
                    REG16,
                    "date_signed",
                )
            )

    if p.repeats > 0:
        errors.append(
            _error(
                "REPEATS_NOT_ALLOWED",
                "Schedule 2 CDs cannot be prescribed on repeat",
                REG16_REPEAT,
                "repeats",
            )
        )

    if p.kind == "initiation" and not p.prescriber_on_specialist_register:
        errors.append(
            _error(
                "INITIATION_NOT_SPECIALIST",
                "Only a doctor on the GMC Specialist Register may initiate a CBPM",
                SPECIALIST,
                "prescriber",
            )
        )
    if (
        p.kind == "continuation"
        and not p.prescriber_on_specialist_register
        and not p.shared_care_agreement
    ):
        errors.append(
            _error(
                "CONTINUATION_WITHOUT_SHARED_CARE",
                "A prescriber not on the Specialist Register may continue a CBPM "
                "only under a shared care agreement",
                SPECIALIST,
                "prescriber",
            )
        )

    days_supply = (p.quantity.value / p.daily_amount.value).quantize(Decimal("0.1"))
    if days_supply > MAX_SUPPLY_DAYS:
        warnings.append(
            Issue(
                "SUPPLY_OVER_30_DAYS",
                "warn",
                f"{fmt(days_supply)} days' supply is more than {MAX_SUPPLY_DAYS}: "
                "record a justification",
                SUPPLY_GUIDANCE,
                "quantity",
            )
        )
    return PrescriptionCheck(
        errors=tuple(errors),
        warnings=tuple(warnings),
        days_supply=days_supply,
        valid_from=valid_from,
        valid_until=valid_until,
    )
