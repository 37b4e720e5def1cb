"""Scanning registry output for identifiers, dates and free text (shared by the extract tests).

``output_texts`` reads every file an extract wrote: the raw bytes of every file, and for Parquet
files every cell of every column, the schema and the key-value metadata, decoded. ``hits`` looks
for each needle as a whole word, case-insensitively (so "Eve" is not found in "every"): in the
decoded text always, and in the raw bytes too when the needle is long enough (6+ characters) that
compressed bytes cannot match it by chance.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from painpath.registry.schema import PID_PATTERN, TABLES

RAW_MIN_LENGTH = 6

#: Full dates in the forms a date could leak: ISO, UK numeric (/, -, .), compact, and in words.
_MONTHS = "jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec"
DATE_PATTERNS = [
    re.compile(r"\b(?:19|20)\d{2}-\d{1,2}-\d{1,2}\b"),
    re.compile(r"\b\d{1,2}[/.-]\d{1,2}[/.-](?:19|20)?\d{2}\b"),
    re.compile(r"\b(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\b"),
    re.compile(rf"\b\d{{1,2}}(?:st|nd|rd|th)? (?:{_MONTHS})[a-z]* (?:19|20)\d{{2}}\b", re.I),
    re.compile(rf"\b(?:{_MONTHS})[a-z]* \d{{1,2}},? (?:19|20)\d{{2}}\b", re.I),
]


def date_forms(day: dt.date) -> list[str]:
    """``day`` as people and systems write it."""
    return [
        day.isoformat(),
        day.strftime("%d/%m/%Y"),
        f"{day.day}/{day.month}/{day.year}",
        day.strftime("%d/%m/%y"),
        day.strftime("%d-%m-%Y"),
        day.strftime("%d.%m.%Y"),
        day.strftime("%Y%m%d"),
        day.strftime("%d %B %Y"),
        f"{day.day} {day:%B %Y}",
        f"{day.day} {day:%b %Y}",
        f"{day:%B} {day.day}, {day.year}",
    ]


def identifiers(patient: Any) -> list[str]:
    """Every direct identifier of a patient, in the forms it could leak."""
    nhs = patient.nhs_number
    values = [
        patient.given_name,
        patient.family_name,
        patient.full_name,
        f"{patient.family_name}, {patient.given_name}",
        nhs,
        f"{nhs[:3]} {nhs[3:6]} {nhs[6:]}",
        f"{nhs[:3]}-{nhs[3:6]}-{nhs[6:]}",
        patient.email,
        patient.phone,
        patient.phone.replace(" ", ""),
        "+44" + patient.phone.replace(" ", "")[1:] if patient.phone.startswith("0") else "",
        patient.postcode,
        patient.postcode.replace(" ", ""),
        patient.address,
        patient.address.replace("\n", ", "),
        patient.gp_practice_name,
        patient.gp_email,
        *date_forms(patient.date_of_birth),
    ]
    values += [line.strip() for line in re.split(r"[\n,]", patient.address)]
    return sorted({v for v in values if v and v.strip()})


@dataclass(frozen=True)
class Output:
    name: str
    raw: str  # the file's bytes, one character per byte
    text: str  # decoded: Parquet cells, column names, schema, metadata; text files as text


def output_texts(out: Path) -> list[Output]:
    found = []
    for path in sorted(p for p in out.rglob("*") if p.is_file()):
        raw = path.read_bytes()
        if path.suffix == ".parquet":
            table = pq.read_table(path)
            parts = [str(table.schema), str(pq.read_metadata(path).metadata)]
            parts += list(table.column_names)
            for column in table.column_names:
                parts += [str(v) for v in table.column(column).to_pylist()]
            text = "\n".join(parts)
        else:
            text = raw.decode("utf-8", errors="replace")
        found.append(Output(path.relative_to(out).as_posix(), raw.decode("latin-1"), text))
    return found


def hits(needles: list[str], outputs: list[Output]) -> list[tuple[str, str]]:
    """(file, needle) for every needle found in any output."""
    found = []
    for needle in needles:
        pattern = re.compile(rf"(?<!\w){re.escape(needle)}(?!\w)", re.I)
        for o in outputs:
            if pattern.search(o.text) or (len(needle) >= RAW_MIN_LENGTH and pattern.search(o.raw)):
                found.append((o.name, needle))
    return found


def dates_in(outputs: list[Output]) -> list[tuple[str, str]]:
    return [
        (o.name, m.group(0)) for o in outputs for p in DATE_PATTERNS for m in p.finditer(o.text)
    ]


def free_text_cells(out: Path) -> list[tuple[str, str, str]]:
    """(file, column, value) for every string cell that is neither a code nor a pseudonym,
    and (file, column, "<not in schema>") for every column the schema does not declare."""
    bad = []
    by_file = {t.filename: t for t in TABLES}
    for path in sorted(out.glob("*.parquet")):
        table = pq.read_table(path)
        spec = by_file.get(path.name)
        if spec is None:
            bad.append((path.name, "*", "<not a registry table>"))
            continue
        declared = {c.name: c for c in spec.columns}
        for name in table.column_names:
            column = declared.get(name)
            if column is None:
                bad.append((path.name, name, "<not in schema>"))
                continue
            if not pa.types.is_string(table.schema.field(name).type):
                continue
            for value in set(table.column(name).to_pylist()):
                if value is None:
                    continue
                if name == "pid" and PID_PATTERN.fullmatch(value):
                    continue
                if column.codes is None or value not in column.codes:
                    bad.append((path.name, name, value))
    return bad
