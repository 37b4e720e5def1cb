"""Safety screen before a CBPM is prescribed: contraindications, cautions, interactions, THC
maximum, liver function rule, driving advice (CLINICAL.md section 5).

Every check runs; every issue is returned (never the first only), ordered block, warn, inform.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields
from decimal import Decimal

from painpath.clinical.errors import InvalidInput
from painpath.clinical.medicines import interactions as ix
from painpath.clinical.medicines.issues import Issue, ordered
from painpath.clinical.medicines.products import (
    Product,
    as_product,
    at_most,
    fmt,
    non_negative,
)
from painpath.clinical.medicines.titration import THC_MAX_MG_PER_DAY

SATIVEX = "Sativex (nabiximols) SmPC, sections 4.3-4.6"
EPIDYOLEX = "Epidyolex (cannabidiol) SmPC, sections 4.3-4.5"
CLINIC_POLICY = "painpath clinic policy (CLINICAL.md section 5)"
BHASKAR = "Bhaskar A et al. J Cannabis Res 2021;3:22 (THC maximum 40 mg/day)"
RTA = "Road Traffic Act 1988 s5A; Drug Driving (Specified Limits) Regulations 2014 (THC 2 ug/L)"

HEPATIC_LEVELS = ("none", "mild", "moderate", "severe")
ELDERLY_AGE = 65
THC_MIN_AGE_POLICY = 25
ALT_AST_LIMIT_X_ULN = Decimal("3")
#: A plausibility limit on liver tests entered as multiples of the upper limit of normal, not a
#: clinical threshold: acute liver failure reaches a few hundred times ULN (ALT ~10,000 U/L
#: against an ULN of ~40), so 1,000 x ULN is past any real result and catches a mistyped or
#: pasted value (a number in U/L where a multiple was asked for, digits run together).
LIVER_TEST_MAX_X_ULN = Decimal("1000")
_X_ULN = " x ULN (enter the result as a multiple of the upper limit of normal)"
BILIRUBIN_LIMIT_X_ULN = Decimal("2")


@dataclass(frozen=True)
class PatientFacts:
    """What the screen needs to know about the patient (plain values, no record access).

    Liver tests are given as multiples of the upper limit of normal (x ULN); None = not known.
    """

    age_years: int
    pregnant: bool = False
    breastfeeding: bool = False
    psychosis_personal_history: bool = False
    psychosis_family_history: bool = False
    unstable_cardiovascular_disease: bool = False
    hepatic_impairment: str = "none"
    substance_use_disorder: bool = False
    epilepsy: bool = False
    alt_x_uln: Decimal | None = None
    ast_x_uln: Decimal | None = None
    bilirubin_x_uln: Decimal | None = None

    def __post_init__(self) -> None:
        if (
            isinstance(self.age_years, bool)
            or not isinstance(self.age_years, int)
            or not (0 <= self.age_years <= 130)
        ):
            raise InvalidInput(
                f"age_years: must be a whole number 0-130, got {self.age_years!r}",
                field="age_years",
            )
        if self.hepatic_impairment not in HEPATIC_LEVELS:
            raise InvalidInput(
                f"hepatic_impairment: {self.hepatic_impairment!r} not one of "
                + ", ".join(HEPATIC_LEVELS),
                field="hepatic_impairment",
            )
        for name in ("alt_x_uln", "ast_x_uln", "bilirubin_x_uln"):
            value = getattr(self, name)
            if value is not None:
                number = at_most(non_negative(value, name), LIVER_TEST_MAX_X_ULN, name, _X_ULN)
                object.__setattr__(self, name, number)
        for name in _BOOL_FACTS:
            if not isinstance(getattr(self, name), bool):
                raise InvalidInput(
                    f"{name}: expected true or false, got {getattr(self, name)!r}", field=name
                )

    @classmethod
    def from_mapping(cls, data: Mapping[str, object]) -> PatientFacts:
        """Facts from a plain mapping (API, external checks); unknown keys are refused."""
        allowed = {f.name for f in fields(cls)}
        unknown = sorted(set(data) - allowed)
        if unknown:
            raise InvalidInput(
                f"patient_facts: unknown fact(s) {', '.join(unknown)}; allowed: "
                + ", ".join(sorted(allowed)),
                field=unknown[0],
            )
        if "age_years" not in data:
            raise InvalidInput("age_years: required", field="age_years")
        return cls(**data)  # type: ignore[arg-type]


_BOOL_FACTS = (
    "pregnant",
    "breastfeeding",
    "psychosis_personal_history",
    "psychosis_family_history",
    "unstable_cardiovascular_disease",
    "substance_use_disorder",
    "epilepsy",
)


def as_facts(value: object) -> PatientFacts:
    """A PatientFacts as given, or built from a mapping; anything else is refused."""
    if isinstance(value, PatientFacts):
        return value
    if isinstance(value, Mapping):
        return PatientFacts.from_mapping(value)
    raise InvalidInput(
        f"patient_facts: expected PatientFacts or a mapping, got {type(value).__name__}",
        field="patient_facts",
    )


def safety_screen(
    patient_facts: PatientFacts | Mapping[str, object],
    product: Product | Mapping[str, object],
    daily_thc_mg: object,
    daily_cbd_mg: object,
    current_medicines: Iterable[str],
) -> tuple[Issue, ...]:
    """All safety issues for giving ``product`` at these daily doses to this patient.

    Every rule runs and every issue comes back, ordered block, warn, inform. ``patient_facts``
    and ``product`` may be given as mappings (``PatientFacts.from_mapping``,
    ``Product.from_mapping``). Bad input (negative dose, a dose of a cannabinoid the product
    does not contain, a medicine that is not a name) raises InvalidInput naming the field.
    """
    patient_facts = as_facts(patient_facts)
    product = as_product(product)
    if isinstance(current_medicines, (str, bytes)) or not isinstance(current_medicines, Iterable):
        raise InvalidInput(
            "current_medicines: expected a list of medicine names", field="current_medicines"
        )
    thc = non_negative(daily_thc_mg, "daily_thc_mg")
    cbd = non_negative(daily_cbd_mg, "daily_cbd_mg")
    if thc == 0 and cbd == 0:
        raise InvalidInput(
            "daily_thc_mg, daily_cbd_mg: both are 0; screen the planned daily dose",
            field="daily_thc_mg",
        )
    if thc > 0 and product.thc.mg == 0:
        raise InvalidInput(
            f"daily_thc_mg: {product.name} contains no THC but {fmt(thc)} mg/day was given",
            field="daily_thc_mg",
        )
    if cbd > 0 and product.cbd.mg == 0:
        raise InvalidInput(
            f"daily_cbd_mg: {product.name} contains no CBD but {fmt(cbd)} mg/day was given",
            field="daily_cbd_mg",
        )
    medicines: list[object] = list(current_medicines)
    issues: list[Issue] = []
    issues += _contraindications(patient_facts, thc, cbd)
    issues += _cautions(patient_facts, thc, cbd)
    issues += _interactions(medicines, thc, cbd)
    if thc > THC_MAX_MG_PER_DAY:
        issues.append(
            Issue(
                "THC_OVER_MAXIMUM",
                "block",
                f"THC {fmt(thc)} mg/day is over the maximum of {fmt(THC_MAX_MG_PER_DAY)} mg/day; "
                "proceed only with a recorded reason",
                BHASKAR,
                "daily_thc_mg",
                overridable=True,
            )
        )
    issues.append(
        Issue(
            "DRIVING_ADVICE",
            "inform",
            "Tell the patient: driving with THC above 2 micrograms/L blood is an offence; the "
            "medical defence applies only when taken as prescribed and not impaired. Do not drive "
            "if impaired, especially while titrating. Record that this was told.",
            RTA,
            must_record=True,
        )
    )
    return ordered(issues)


def _contraindications(p: PatientFacts, thc: Decimal, cbd: Decimal) -> list[Issue]:
    out: list[Issue] = []
    if thc > 0 and p.psychosis_personal_history:
        out.append(
            Issue(
                "PSYCHOSIS_PERSONAL",
                "block",
                "Personal history of psychosis: THC is contraindicated",
                SATIVEX,
                "psychosis_personal_history",
            )
        )
    if thc > 0 and p.psychosis_family_history:
        out.append(
            Issue(
                "PSYCHOSIS_FAMILY",
                "block",
                "Family history of psychosis: THC is contraindicated",
                SATIVEX,
                "psychosis_family_history",
            )
        )
    if p.breastfeeding:
        out.append(
            Issue(
                "BREASTFEEDING",
                "block",
                "Breastfeeding: cannabinoids pass into breast milk; contraindicated",
                f"{SATIVEX}; {EPIDYOLEX}",
                "breastfeeding",
            )
        )
    if p.pregnant:
        out.append(
            Issue(
                "PREGNANCY",
                "block",
                "Pregnancy: avoid cannabinoids",
                f"{SATIVEX}; {EPIDYOLEX}",
                "pregnant",
            )
        )
    if cbd > 0:
        transaminase = max((v for v in (p.alt_x_uln, p.ast_x_uln) if v is not None), default=None)
        if (
            transaminase is not None
            and p.bilirubin_x_uln is not None
            and transaminase > ALT_AST_LIMIT_X_ULN
            and p.bilirubin_x_uln > BILIRUBIN_LIMIT_X_ULN
        ):
            out.append(
                Issue(
                    "CBD_LIVER",
                    "block",
                    f"ALT/AST {fmt(transaminase)}x ULN (> 3x) with bilirubin "
                    f"{fmt(p.bilirubin_x_uln)}x ULN (> 2x): do not give CBD",
                    EPIDYOLEX,
                    "alt_x_uln",
                )
            )
        elif transaminase is None or p.bilirubin_x_uln is None:
            missing = [
                label
                for label, value in (
                    ("ALT or AST", transaminase),
                    ("bilirubin", p.bilirubin_x_uln),
                )
                if value is None
            ]
            out.append(
                Issue(
                    "CBD_LIVER_NOT_CHECKED",
                    "inform",
                    f"Liver rule for CBD not checked: {' and '.join(missing)} not recorded. "
                    "Measure ALT, AST and bilirubin before starting CBD.",
                    EPIDYOLEX,
                    "alt_x_uln" if transaminase is None else "bilirubin_x_uln",
                )
            )
    return out


def _cautions(p: PatientFacts, thc: Decimal, cbd: Decimal) -> list[Issue]:
    out: list[Issue] = []
    if p.age_years < 18:
        out.append(
            Issue(
                "AGE_UNDER_18",
                "warn",
                "Under 18: not established in this age group",
                f"{SATIVEX}; {CLINIC_POLICY}",
                "age_years",
            )
        )
    if thc > 0 and p.age_years < THC_MIN_AGE_POLICY:
        out.append(
            Issue(
                "THC_UNDER_25",
                "warn",
                "Under 25: clinic policy is to avoid THC (developing brain, psychosis risk)",
                CLINIC_POLICY,
                "age_years",
            )
        )
    if p.age_years >= ELDERLY_AGE:
        out.append(
            Issue(
                "ELDERLY",
                "warn",
                f"Aged {p.age_years}: more sensitive to CNS effects and falls; start low",
                SATIVEX,
                "age_years",
            )
        )
    if p.unstable_cardiovascular_disease:
        out.append(
            Issue(
                "UNSTABLE_CVD",
                "warn",
                "Unstable cardiovascular disease: THC causes tachycardia and postural hypotension",
                SATIVEX,
                "unstable_cardiovascular_disease",
            )
        )
    if p.hepatic_impairment in ("moderate", "severe"):
        out.append(
            Issue(
                "HEPATIC_IMPAIRMENT",
                "warn",
                f"{p.hepatic_impairment.capitalize()} hepatic impairment: lower doses, "
                "slower titration, check LFTs",
                f"{EPIDYOLEX}; {SATIVEX}",
                "hepatic_impairment",
            )
        )
    if p.substance_use_disorder:
        out.append(
            Issue(
                "SUBSTANCE_USE",
                "warn",
                "Substance use disorder: risk of misuse and dependence",
                SATIVEX,
                "substance_use_disorder",
            )
        )
    if p.epilepsy:
        out.append(
            Issue(
                "EPILEPSY",
                "warn",
                "Epilepsy: "
                + ("THC may lower the seizure threshold; " if thc > 0 else "")
                + ("CBD interacts with antiepileptics (clobazam, valproate); " if cbd > 0 else "")
                + "monitor seizure frequency",
                SATIVEX,
                "epilepsy",
            )
        )
    return out


_INTERACTIONS: tuple[tuple[str, str, str, str, str], ...] = (
    # class, applies to (cbd/thc/any), code, message, source
    (
        ix.CLOBAZAM,
        "cbd",
        "IX_CLOBAZAM",
        "CBD raises N-desmethylclobazam about 3-fold: sedation; consider reducing clobazam",
        EPIDYOLEX,
    ),
    (
        ix.VALPROATE,
        "cbd",
        "IX_VALPROATE",
        "CBD with valproate raises transaminases: monitor LFTs",
        EPIDYOLEX,
    ),
    (
        ix.WARFARIN,
        "any",
        "IX_WARFARIN",
        "Cannabinoids can raise the INR: check INR within 3 days of starting or changing dose",
        "BNF interactions: warfarin with cannabidiol / cannabis extract",
    ),
    (
        ix.CYP3A4_INHIBITOR,
        "any",
        "IX_CYP3A4_INHIBITOR",
        "Strong CYP3A4 inhibitor raises THC/CBD levels: lower starting dose, slower titration",
        f"{SATIVEX}; {EPIDYOLEX}",
    ),
    (
        ix.CYP3A4_INDUCER,
        "any",
        "IX_CYP3A4_INDUCER",
        "Strong CYP3A4 inducer lowers THC/CBD levels: effect may be reduced",
        f"{SATIVEX}; {EPIDYOLEX}",
    ),
    (
        ix.CNS_DEPRESSANT,
        "any",
        "IX_CNS_DEPRESSANT",
        "CNS depressant: additive sedation and impairment (falls, driving)",
        SATIVEX,
    ),
)


def _interactions(medicines: list[object], thc: Decimal, cbd: Decimal) -> list[Issue]:
    out: list[Issue] = []
    seen: set[str] = set()
    for name in medicines:
        if not isinstance(name, str) or not name.strip():
            raise InvalidInput(
                f"current_medicines: each must be a medicine name, got {name!r}",
                field="current_medicines",
            )
        key = ix.key(name)
        if key in seen:
            continue
        seen.add(key)
        classes = ix.classes_of(name)
        if classes is None:
            out.append(
                Issue(
                    "IX_UNKNOWN_MEDICINE",
                    "inform",
                    f"{name.strip()}: not checked for interactions (not in painpath's "
                    "interaction table); check the BNF",
                    "BNF interactions",
                    "current_medicines",
                )
            )
            continue
        for cls, applies, code, message, source in _INTERACTIONS:
            relevant = {"cbd": cbd > 0, "thc": thc > 0, "any": True}[applies]
            if cls in classes and relevant:
                out.append(
                    Issue(code, "warn", f"{name.strip()}: {message}", source, "current_medicines")
                )
    return out
