"""The registry tables, their Arrow schemas and the data dictionary written with every extract.

Three Parquet files (ADR 0080): ``patients`` (one row per consented patient), ``outcomes`` (long:
one row per patient x instrument x response) and ``adverse_events``. ``pkey`` is a compact row key
valid inside one extract only (assigned in pseudonym order, so it reveals nothing about database
order); ``pid`` is the stable pseudonym for linking releases. No column holds a name, address,
NHS number, contact detail, date or free text: every string column except ``pid`` is coded, and
its closed vocabulary (``Column.codes``) is enforced when an extract is written (ADR 0086).
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa

from painpath.registry.timepoints import AGE_BANDS, TIMEPOINT_WINDOWS, TIMEPOINTS

#: 2: months are whole months (int16), start_basis "questionnaire", vocabularies enforced.
SCHEMA_VERSION = "2"

#: The only free-form string allowed in an extract: the 64-hex-character HMAC pseudonym.
PID_PATTERN = re.compile(r"[0-9a-f]{64}")

#: Closed vocabularies (interfaces: CLINICAL.md and the Django choices they mirror, checked by
#: tests/integration/registry/test_registry_vocabulary.py).
SEXES = frozenset({"female", "male", "other"})
REGIONS = frozenset({"low_back", "neck", "thoracic"})
#: CLINICAL.md section 4: low back radicular / mechanical / non_specific; neck myelopathy /
#: radiculopathy / mechanical.
PAIN_TYPES = frozenset({"mechanical", "radicular", "non_specific", "myelopathy", "radiculopathy"})
PRODUCT_FORMS = frozenset({"oil", "flower", "oil_and_flower", "other"})
CANNABIS_USES = frozenset({"naive", "former", "current"})
START_BASES = frozenset({"cbpm", "assessment", "questionnaire"})
#: Every instrument of the clinical core (painpath.clinical.instruments).
INSTRUMENTS = frozenset(
    {
        "startback",
        "odi",
        "ndi",
        "rmdq",
        "bpi",
        "gad7",
        "phq9",
        "sqs",
        "pgic",
        "nrs",
        "eq5d5l",
        "paindetect",
        "dn4",
        "pseq",
    }
)
SYMPTOMS = frozenset(
    {
        "dizziness",
        "drowsiness",
        "dry_mouth",
        "nausea",
        "fatigue",
        "anxiety",
        "palpitations",
        "confusion",
        "other",
    }
)
CAUSALITIES = frozenset({"unrelated", "unlikely", "possible", "probable", "definite"})


@dataclass(frozen=True)
class Column:
    name: str
    type: pa.DataType
    nullable: bool
    description: str
    values: str = ""
    #: The closed vocabulary of a coded string column (None: not a coded string).
    codes: frozenset[str] | None = None


def _listed(codes: frozenset[str]) -> str:
    return ", ".join(sorted(codes))


@dataclass(frozen=True)
class Table:
    name: str
    description: str
    columns: tuple[Column, ...]

    @property
    def arrow_schema(self) -> pa.Schema:
        return pa.schema([pa.field(c.name, c.type, nullable=c.nullable) for c in self.columns])

    @property
    def filename(self) -> str:
        return f"{self.name}.parquet"

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)


_windows = "; ".join(f"{t}: [{lo}, {hi})" for t, (lo, hi) in TIMEPOINT_WINDOWS.items())

PATIENTS = Table(
    "patients",
    "One row per patient whose newest research-registry consent is 'given' at extract time.",
    (
        Column("pkey", pa.int32(), False, "Row key, valid within this extract only.", "0..N-1"),
        Column(
            "pid",
            pa.string(),
            False,
            "Pseudonym: keyed HMAC-SHA256 of the internal id.",
            "64 hex characters",
        ),
        Column("sex", pa.string(), True, "Recorded sex.", _listed(SEXES), SEXES),
        Column(
            "age_band",
            pa.string(),
            True,
            "Age at treatment start, 5-year band.",
            "0-4, 5-9, ..., 85-89, 90+",
            frozenset(AGE_BANDS),
        ),
        Column(
            "region",
            pa.string(),
            True,
            "Pain region at the first assessment.",
            _listed(REGIONS),
            REGIONS,
        ),
        Column(
            "pain_type",
            pa.string(),
            True,
            "Pain type from the first assessment's triage (CLINICAL.md section 4).",
            _listed(PAIN_TYPES),
            PAIN_TYPES,
        ),
        Column(
            "product_form",
            pa.string(),
            True,
            "Forms of every signed (not cancelled) CBPM prescription, grouped; null when none "
            "is recorded.",
            "oil, flower, oil_and_flower, other (capsule, spray, pastille or a mix)",
            PRODUCT_FORMS,
        ),
        Column(
            "prior_cannabis_use",
            pa.string(),
            True,
            "Cannabis use before treatment (eligibility decision); null when not recorded.",
            _listed(CANNABIS_USES),
            CANNABIS_USES,
        ),
        Column(
            "n_prior_treatments",
            pa.int16(),
            False,
            "Conventional (non-CBPM) treatments recorded as tried before treatment start.",
            ">= 0",
        ),
        Column(
            "start_basis",
            pa.string(),
            False,
            "What treatment start (month 0) is: the first CBPM start (CBPM treatment or signed "
            "prescription), else the first assessment, else the first questionnaire.",
            "cbpm, assessment, questionnaire",
            START_BASES,
        ),
        Column(
            "months_observed",
            pa.int16(),
            False,
            "Whole months from treatment start to the extract date (eligibility for "
            "follow-up completion).",
            ">= 0",
        ),
    ),
)

OUTCOMES = Table(
    "outcomes",
    "One row per scored questionnaire: at most one per patient x instrument x timepoint "
    "(the response nearest the scheduled month); responses outside every window have a null "
    "timepoint.",
    (
        Column("pkey", pa.int32(), False, "Patient row key (patients.pkey)."),
        Column(
            "instrument",
            pa.string(),
            False,
            "Instrument code (painpath.clinical.instruments).",
            _listed(INSTRUMENTS),
            INSTRUMENTS,
        ),
        Column(
            "timepoint",
            pa.int8(),
            True,
            f"Scheduled timepoint in months (0 = baseline). Windows: {_windows}.",
            ", ".join(str(t) for t in TIMEPOINTS),
        ),
        Column(
            "months",
            pa.int16(),
            False,
            "Whole months since treatment start (nearest; negative before it). The timepoint "
            "was assigned from the exact interval inside the clinic.",
        ),
        Column("value", pa.float64(), False, "The instrument's primary score."),
    ),
)

ADVERSE_EVENTS = Table(
    "adverse_events",
    "One row per clinician-graded adverse event (ungraded reports are not included).",
    (
        Column("pkey", pa.int32(), False, "Patient row key (patients.pkey)."),
        Column(
            "months",
            pa.int16(),
            False,
            "Whole months since treatment start when reported (nearest).",
        ),
        Column(
            "symptom",
            pa.string(),
            True,
            "Coded symptom (never the free-text description).",
            _listed(SYMPTOMS),
            SYMPTOMS,
        ),
        Column("grade", pa.int8(), False, "CTCAE v5 grade.", "1, 2, 3, 4, 5"),
        Column("serious", pa.bool_(), True, "Serious adverse event."),
        Column(
            "causality",
            pa.string(),
            True,
            "Relatedness to the medicine.",
            _listed(CAUSALITIES),
            CAUSALITIES,
        ),
    ),
)

TABLES: tuple[Table, ...] = (PATIENTS, OUTCOMES, ADVERSE_EVENTS)

#: Columns that may never appear in any extract (checked by the tests).
FORBIDDEN_COLUMNS = frozenset(
    {
        "nhs_number",
        "given_name",
        "family_name",
        "name",
        "date_of_birth",
        "email",
        "phone",
        "address",
        "postcode",
        "gp_practice_name",
        "gp_practice_code",
        "gp_email",
        "text",
        "note",
        "examination",
        "reason",
        "message",
    }
)


def write_data_dictionary(out_dir: Path) -> tuple[Path, Path]:
    """Write ``data_dictionary.csv`` and ``data_dictionary.md`` describing every table."""
    rows = [
        (t.name, c.name, str(c.type), "yes" if c.nullable else "no", c.description, c.values)
        for t in TABLES
        for c in t.columns
    ]
    header = ("table", "column", "type", "nullable", "description", "values")
    csv_path = out_dir / "data_dictionary.csv"
    with csv_path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(rows)
    lines = [
        "# painpath research registry: data dictionary",
        "",
        f"Schema version {SCHEMA_VERSION}. Pseudonymised: no names, addresses, NHS numbers, "
        "contact details, dates or free text. Dates are whole months since treatment start; ages "
        "are 5-year bands; every text column but `pid` holds only the codes listed.",
        "",
    ]
    for t in TABLES:
        lines += [
            f"## {t.filename}",
            "",
            t.description,
            "",
            "| column | type | nullable | description | values |",
            "|---|---|---|---|---|",
        ]
        for c in t.columns:
            desc = c.description.replace("|", "\\|")
            lines.append(
                f"| `{c.name}` | {c.type} | {'yes' if c.nullable else 'no'} | {desc} | {c.values} |"
            )
        lines.append("")
    md_path = out_dir / "data_dictionary.md"
    md_path.write_text("\n".join(lines), encoding="utf-8")
    return csv_path, md_path
