"""CBPM prescribing rules: titration, safety screen, eligibility, Schedule 2 prescriptions.

Pure functions of plain values (CLINICAL.md section 5). Amounts are Decimal with explicit units.
"""

from painpath.clinical.medicines.eligibility import (
    Eligibility,
    TreatmentTried,
    check_eligibility,
)
from painpath.clinical.medicines.issues import Issue
from painpath.clinical.medicines.prescription import (
    Prescription,
    PrescriptionCheck,
    check_prescription,
)
from painpath.clinical.medicines.products import Amount, Form, Product, Strength, Unit
from painpath.clinical.medicines.safety import PatientFacts, safety_screen
from painpath.clinical.medicines.titration import (
    PROTOCOLS,
    THC_MAX_MG_PER_DAY,
    TitrationDay,
    TitrationSchedule,
    titration_schedule,
)

__all__ = [
    "PROTOCOLS",
    "THC_MAX_MG_PER_DAY",
    "Amount",
    "Eligibility",
    "Form",
    "Issue",
    "PatientFacts",
    "Prescription",
    "PrescriptionCheck",
    "Product",
    "Strength",
    "TitrationDay",
    "TitrationSchedule",
    "TreatmentTried",
    "Unit",
    "check_eligibility",
    "check_prescription",
    "safety_screen",
    "titration_schedule",
]
