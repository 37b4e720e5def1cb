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
- BNF "Prescription writing" / "Controlled drugs and drug dependence": "the instruction 'one
  as directed' constitutes a dose but 'as directed' does not"; likewise "as required" or "prn"
  without an amount (docs/decisions/0067-dose-wording.md).
- Misuse of Drugs (Amendments) (Cannabis and Licence Fees) Regulations 2018: initiation only by a
  doctor on the GMC Specialist Register; continuation by others only under shared care.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import MISSING, dataclass, fields
from datetime import date, datetime, timedelta
from decimal import Decimal

from painpath.clinical.errors import InvalidInput
from painpath.clinical.medicines.issues import Issue
from painpath.clinical.medicines.products import (
    MAX_DAILY_AMOUNT,
    MAX_QUANTITY,
    PLACES,
    Amount,
    Product,
    Unit,
    as_product,
    at_most,
    fmt,
    parse_unit,
    places_at_most,
    positive,
)
from painpath.clinical.medicines.quantity_words import unit_words, words_to_number

REG15 = "Misuse of Drugs Regulations 2001 reg 15; BNF Controlled drugs and drug dependence"
REG16 = "Misuse of Drugs Regulations 2001 reg 16(1)(e)"
REG16_REPEAT = "Misuse of Drugs Regulations 2001 reg 16 (no repeat dispensing of Schedule 2)"
SUPPLY_GUIDANCE = "Department of Health / BNF good practice: at most 30 days' supply of a CD"
SPECIALIST = "Misuse of Drugs (Amendments) (Cannabis and Licence Fees) Regulations 2018"
BNF_WRITING = "BNF Prescription writing; Controlled drugs and drug dependence"
VALIDITY_DAYS = 28
MAX_SUPPLY_DAYS = 30
KINDS = ("initiation", "continuation")

# Instructions that are not a dose on their own (BNF): the code reported for each.
_VAGUE = (
    (
        "DOSE_AS_DIRECTED",
        re.compile(
            r"\b(as\s+directed|as\s+dir\b|when\s+directed|as\s+per\b[\w\s']*|"
            r"m\.?\s?d\.?\s?u\.?(?!\w)|use\s+as\s+instructed|as\s+instructed|"
            r"as\s+advised|as\s+per\s+instructions)",
            re.IGNORECASE,
        ),
        "'As directed' is not a dose: state the amount and how often",
    ),
    (
        "DOSE_AS_REQUIRED",
        re.compile(
            r"\b(as\s+required|when\s+required|as\s+needed|when\s+needed|if\s+required|"
            r"if\s+needed|p\.?\s?r\.?\s?n\.?(?!\w))",
            re.IGNORECASE,
        ),
        "'As required' / 'prn' alone is not a dose: state the amount, how often and the "
        "maximum in 24 hours",
    ),
)
_HAS_AMOUNT = re.compile(
    r"\d|\b(one|two|three|four|five|six|seven|eight|nine|ten|half|a\s+quarter)\b",
    re.IGNORECASE,
)
_HAS_MAXIMUM = re.compile(
    r"\b(max|maximum|up\s+to|no\s+more\s+than|not\s+more\s+than|not\s+to\s+exceed)\b|"
    r"\bevery\s+\S+\s+hours?\b|\b\d+\s*(hourly|hrly)\b",
    re.IGNORECASE,
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

    @classmethod
    def from_mapping(cls, data: Mapping[str, object]) -> Prescription:
        """A prescription from plain values: ``product`` a Product or mapping; ``daily_amount``
        and ``quantity`` an Amount, a ``{"value", "unit"}`` mapping, or a bare number in the
        product's unit; dates as ``date`` or ISO text. Unknown keys are refused."""
        allowed = {f.name for f in fields(cls)}
        unknown = sorted(set(data) - allowed)
        if unknown:
            raise InvalidInput(
                f"prescription: unknown field(s) {', '.join(unknown)}", field=unknown[0]
            )
        missing = sorted(f.name for f in fields(cls) if f.name not in data and f.default is MISSING)
        if missing:
            raise InvalidInput(
                f"prescription: missing field(s) {', '.join(missing)}", field=missing[0]
            )
        values = dict(data)
        product = as_product(values["product"])
        values["product"] = product
        for name in ("daily_amount", "quantity"):
            values[name] = _amount(values[name], product.unit, name)
        for name in ("date_signed", "appropriate_date"):
            values[name] = _date_or_none(values.get(name), name)
        return cls(**values)  # type: ignore[arg-type]


def _amount(value: object, unit: Unit, field: str) -> Amount:
    if isinstance(value, Amount):
        return value
    if isinstance(value, Mapping):
        return Amount(positive(value.get("value"), field), parse_unit(value.get("unit"), field))
    return Amount(positive(value, field), unit)


def _date_or_none(value: object, field: str) -> date | None:
    if value is None or (isinstance(value, date) and not isinstance(value, datetime)):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise InvalidInput(f"{field}: expected a date (YYYY-MM-DD), got {value!r}", field=field)


def as_prescription(value: object) -> Prescription:
    if isinstance(value, Prescription):
        return value
    if isinstance(value, Mapping):
        return Prescription.from_mapping(value)
    raise InvalidInput(
        f"prescription: expected a Prescription or a mapping, got {type(value).__name__}",
        field="prescription",
    )


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


def _dose_errors(dose: str) -> list[Issue]:
    """'As directed', 'as required' or 'prn' with no amount is not a dose (BNF); neither is a
    text with no amount at all."""
    rest = dose
    vague: list[tuple[str, str]] = []
    for code, pattern, message in _VAGUE:
        if pattern.search(rest):
            vague.append((code, message))
            rest = pattern.sub(" ", rest)
    if _HAS_AMOUNT.search(rest):
        return []
    if vague:
        return [_error(code, message, REG15, "dose") for code, message in vague]
    return [
        _error("DOSE_NOT_DEFINED", "The dose must state an amount and how often", REG15, "dose")
    ]


def check_prescription(prescription: Prescription, today: date) -> PrescriptionCheck:
    """Every error and warning for ``prescription`` as it stands on ``today``.

    Malformed input (units that disagree with the product, an unknown kind, negative repeats,
    an amount over its maximum or finer than its unit allows) raises InvalidInput naming the
    field; a prescription that is merely incomplete or wrong comes back as ``errors`` (each a
    ``block`` issue with code and source), every one of them, never only the first.
    ``warnings``: ``warn`` issues need a recorded justification to sign; ``inform`` ones are
    shown (e.g. not to be supplied before a later start date).
    """
    p = as_prescription(prescription)
    if isinstance(today, datetime) or not isinstance(today, date):
        raise InvalidInput(f"today: expected a date, got {today!r}", field="today")
    if p.kind not in KINDS:
        raise InvalidInput(f"kind: {p.kind!r} not one of {', '.join(KINDS)}", field="kind")
    if isinstance(p.repeats, bool) or not isinstance(p.repeats, int) or p.repeats < 0:
        raise InvalidInput(
            f"repeats: must be a whole number >= 0, got {p.repeats!r}", field="repeats"
        )
    for name in ("patient_name", "patient_address", "form", "strength", "dose",
                 "quantity_words", "prescriber_name", "prescriber_address"):  # fmt: skip
        if not isinstance(getattr(p, name), str):
            raise InvalidInput(f"{name}: expected text, got {getattr(p, name)!r}", field=name)
    for name in ("prescriber_signed", "prescriber_on_specialist_register", "shared_care_agreement"):
        if not isinstance(getattr(p, name), bool):
            raise InvalidInput(f"{name}: expected true or false", field=name)
    for name in ("date_signed", "appropriate_date"):
        value = getattr(p, name)
        if value is not None and (isinstance(value, datetime) or not isinstance(value, date)):
            raise InvalidInput(f"{name}: expected a date, got {value!r}", field=name)
    p.product.check_unit(p.daily_amount, "daily_amount")
    p.product.check_unit(p.quantity, "quantity")
    places = PLACES[p.product.unit]
    unit_text = f" {p.product.unit.value}"
    at_most(p.daily_amount.value, MAX_DAILY_AMOUNT, "daily_amount", unit_text + " a day")
    at_most(p.quantity.value, MAX_QUANTITY, "quantity", unit_text)
    places_at_most(p.daily_amount.value, places, "daily_amount")
    places_at_most(p.quantity.value, places, "quantity")

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
    else:
        dose_errors = _dose_errors(dose)
        errors += dose_errors
        if not dose_errors and _VAGUE[1][1].search(dose) and not _HAS_MAXIMUM.search(dose):
            warnings.append(
                Issue(
                    "DOSE_PRN_NO_MAXIMUM",
                    "warn",
                    "A dose 'as required' should state the minimum interval or the maximum "
                    "in 24 hours: record why not",
                    BNF_WRITING,
                    "dose",
                )
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
        said = unit_words(words)
        if said and said != {p.product.unit.value}:
            errors.append(
                _error(
                    "QUANTITY_WORDS_UNIT_MISMATCH",
                    f"Quantity in words is in {', '.join(sorted(said))} but "
                    f"{p.product.name} is measured in {p.product.unit.value}",
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
        if today < valid_from:
            warnings.append(
                Issue(
                    "NOT_YET_VALID",
                    "inform",
                    f"Not to be supplied before {valid_from.isoformat()} (the start date); "
                    f"valid until {valid_until.isoformat()}",
                    REG16,
                    "appropriate_date",
                )
            )
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

    exact_days = p.quantity.value / p.daily_amount.value
    days_supply = exact_days.quantize(Decimal("0.1"))
    if exact_days > MAX_SUPPLY_DAYS:
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
