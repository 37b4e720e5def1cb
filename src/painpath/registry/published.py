"""A report's manifest, and publishing disclosure-controlled reports to researchers.

Every report folder written by ``report.write_report`` ends with ``manifest.json``: what made it
(engine, painpath version, extract schema, created time), whether disclosure control was applied
and under which rule set, every table (title, CSV file, rows, columns, cells suppressed) and every
file (kind, media type, size, SHA-256). The manifest is written last, and any previous one is
removed first, so a folder being (re)written is never mistaken for a finished report.

``painpath registry publish --report DIR [--name NAME]`` is the only way a report reaches the
researcher web area (``settings.PAINPATH_REGISTRY_REPORTS_DIR``): it refuses a report made with
``--no-disclosure-control``, checks every file against the manifest and every published count
against the disclosure-control rules (independently of how the report was made), copies only the
files the manifest lists into a hidden temporary folder there and renames it into place, never
over an existing report (ADR 0088). The web area reads published reports through
``published_reports`` and ``open_report`` here, which repeat those checks and serve a file only
when it is listed in the manifest, by its exact name, and its bytes still match.

Pure standard library: importing this module loads neither pandas nor Django.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import logging
import os
import re
import shutil
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from painpath.registry import disclosure_control as dc

logger = logging.getLogger(__name__)

MANIFEST_NAME = "manifest.json"
FORMAT = "painpath-registry-report"
MANIFEST_VERSION = 1
#: A published report's name: its folder under the reports folder and its URL segment.
NAME_PATTERN = re.compile(r"[a-z0-9](?:[a-z0-9_-]{0,62}[a-z0-9])?")
#: A file a manifest may list: a plain name in the report folder itself (no path, no dot-file).
FILE_PATTERN = re.compile(r"[a-z0-9][a-z0-9_]{0,59}\.(?:csv|png|html)")
#: kind -> media type. ``report_body`` is the HTML the web area embeds; the others are offered
#: for download.
KINDS: dict[str, str] = {
    "table": "text/csv",
    "data_dictionary": "text/csv",
    "plot": "image/png",
    "report": "text/html",
    "report_body": "text/html",
}
DOWNLOADABLE_KINDS = frozenset({"table", "data_dictionary", "plot", "report"})
MAX_MANIFEST_BYTES = 1_000_000
#: Never in a report body the web area embeds (the report is static: tables, text, images).
FORBIDDEN_IN_BODY = ("<script", "<iframe", "<object", "<embed", "javascript:", "<form")
UNCONTROLLED_BANNER = "NO DISCLOSURE CONTROL"


class ReportUnavailable(ValueError):
    """A report folder that cannot be published or served; ``reason`` is a short code for the
    audit trail, the message one line for the user."""

    def __init__(self, reason: str, message: str) -> None:
        self.reason = reason
        super().__init__(message)


@dataclass(frozen=True)
class ManifestFile:
    name: str
    kind: str
    media_type: str
    bytes: int
    sha256: str


@dataclass(frozen=True)
class ManifestTable:
    name: str
    title: str
    file: str
    rows: int
    columns: tuple[str, ...]
    suppressed_cells: int


@dataclass(frozen=True)
class Manifest:
    created: str
    painpath_version: str
    engine: str
    synthetic: bool
    disclosure_control: bool
    ruleset: dict[str, Any] | None
    extract_schema: str
    tables: tuple[ManifestTable, ...]
    files: tuple[ManifestFile, ...]

    def file(self, name: str) -> ManifestFile | None:
        return next((f for f in self.files if f.name == name), None)

    def files_of(self, kind: str) -> list[ManifestFile]:
        return [f for f in self.files if f.kind == kind]

    @property
    def downloads(self) -> list[ManifestFile]:
        return [f for f in self.files if f.kind in DOWNLOADABLE_KINDS]


@dataclass(frozen=True)
class PublishedReport:
    name: str
    path: Path
    manifest: Manifest


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# ---- writing ------------------------------------------------------------------------------


def remove_manifest(out_dir: Path) -> None:
    """Before a report is (re)written into ``out_dir``: it is no longer a finished report."""
    (out_dir / MANIFEST_NAME).unlink(missing_ok=True)


def write_manifest(
    out_dir: Path,
    *,
    engine: str,
    synthetic: bool,
    controlled: bool,
    tables: Sequence[ManifestTable],
    files: Iterable[tuple[str, str]],
    created: dt.datetime | None = None,
) -> Path:
    """Write ``manifest.json`` for the files (name, kind) already written in ``out_dir``."""
    import painpath
    from painpath.registry.schema import SCHEMA_VERSION

    listed = []
    for name, kind in files:
        data = (out_dir / name).read_bytes()
        listed.append(
            {
                "name": name,
                "kind": kind,
                "media_type": KINDS[kind],
                "bytes": len(data),
                "sha256": sha256_of(data),
            }
        )
    when = (created or dt.datetime.now(dt.UTC)).astimezone(dt.UTC)
    document = {
        "format": FORMAT,
        "manifest_version": MANIFEST_VERSION,
        "created": when.replace(microsecond=0).isoformat().replace("+00:00", "Z"),
        "painpath_version": painpath.__version__,
        "engine": engine,
        "synthetic": synthetic,
        "disclosure_control": controlled,
        "ruleset": (
            {
                "version": dc.RULESET_VERSION,
                "suppression_threshold": dc.SUPPRESSION_THRESHOLD,
                "rounding_base": dc.ROUNDING_BASE,
                "suppressed_mark": dc.SUPPRESSED_MARK,
            }
            if controlled
            else None
        ),
        "extract_schema": SCHEMA_VERSION,
        "tables": [
            {
                "name": t.name,
                "title": t.title,
                "file": t.file,
                "rows": t.rows,
                "columns": list(t.columns),
                "suppressed_cells": t.suppressed_cells,
            }
            for t in tables
        ],
        "files": listed,
    }
    path = out_dir / MANIFEST_NAME
    partial = out_dir / f".{MANIFEST_NAME}.partial"
    partial.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
    os.replace(partial, path)
    return path


# ---- reading ------------------------------------------------------------------------------


def _bad(message: str) -> ReportUnavailable:
    return ReportUnavailable("bad_manifest", message)


def _get(document: dict[str, Any], key: str, kind: type | tuple[type, ...]) -> Any:
    value = document.get(key)
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise _bad(f"manifest field {key!r} is missing or not a {getattr(kind, '__name__', kind)}")
    return value


def read_manifest(report_dir: Path) -> Manifest:
    """The manifest of the report in ``report_dir``; ReportUnavailable when there is none or
    it is not one this version of painpath wrote."""
    path = report_dir / MANIFEST_NAME
    if not path.is_file() or path.is_symlink():
        raise ReportUnavailable("no_manifest", f"{report_dir} has no {MANIFEST_NAME}")
    if path.stat().st_size > MAX_MANIFEST_BYTES:
        raise _bad(f"{path} is too large to be a report manifest")
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise _bad(f"{path} is not readable JSON ({type(exc).__name__})") from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise _bad(f"{path} is not a painpath registry report manifest")
    if document.get("manifest_version") != MANIFEST_VERSION:
        raise _bad(f"{path} has manifest_version {document.get('manifest_version')!r}")
    files = []
    seen: set[str] = set()
    for entry in _get(document, "files", list):
        if not isinstance(entry, dict):
            raise _bad("manifest 'files' holds something that is not an object")
        name = _get(entry, "name", str)
        kind = _get(entry, "kind", str)
        digest = _get(entry, "sha256", str)
        size = _get(entry, "bytes", int)
        if not FILE_PATTERN.fullmatch(name) or name in seen:
            raise _bad(f"manifest lists a file name that is not allowed: {name[:80]!r}")
        if kind not in KINDS or entry.get("media_type") != KINDS[kind]:
            raise _bad(f"manifest lists {name} with an unknown kind or media type")
        if not re.fullmatch(r"[0-9a-f]{64}", digest) or size < 0:
            raise _bad(f"manifest lists {name} without a valid size and SHA-256")
        seen.add(name)
        files.append(ManifestFile(name, kind, KINDS[kind], size, digest))
    tables = []
    for entry in _get(document, "tables", list):
        if not isinstance(entry, dict):
            raise _bad("manifest 'tables' holds something that is not an object")
        table_file = _get(entry, "file", str)
        listed = next((f for f in files if f.name == table_file), None)
        if listed is None or listed.kind != "table":
            raise _bad(f"manifest table {table_file[:80]!r} is not a listed table file")
        columns = _get(entry, "columns", list)
        if not all(isinstance(c, str) for c in columns):
            raise _bad(f"manifest table {table_file} has a column that is not text")
        tables.append(
            ManifestTable(
                name=_get(entry, "name", str),
                title=_get(entry, "title", str),
                file=table_file,
                rows=_get(entry, "rows", int),
                columns=tuple(columns),
                suppressed_cells=_get(entry, "suppressed_cells", int),
            )
        )
    controlled = _get(document, "disclosure_control", bool)
    ruleset = document.get("ruleset")
    if ruleset is not None and not isinstance(ruleset, dict):
        raise _bad("manifest field 'ruleset' is not an object")
    for kind in ("report", "report_body", "data_dictionary"):
        if sum(f.kind == kind for f in files) != 1:
            raise _bad(f"manifest must list exactly one {kind} file")
    return Manifest(
        created=_get(document, "created", str),
        painpath_version=_get(document, "painpath_version", str),
        engine=_get(document, "engine", str),
        synthetic=_get(document, "synthetic", bool),
        disclosure_control=controlled,
        ruleset=ruleset,
        extract_schema=_get(document, "extract_schema", str),
        tables=tuple(tables),
        files=tuple(files),
    )


# ---- checking -----------------------------------------------------------------------------


def _regular_file(report_dir: Path, name: str) -> Path:
    """``report_dir / name`` when it is a regular file directly inside ``report_dir``."""
    path = report_dir / name
    if path.is_symlink() or not path.is_file() or path.resolve().parent != report_dir.resolve():
        raise ReportUnavailable("missing_file", f"{report_dir.name}: {name} is missing")
    return path


def _check_counts(table: ManifestTable, data: bytes) -> None:
    """Every published count is suppressed ([c]), blank, or a multiple of ROUNDING_BASE above
    SUPPRESSION_THRESHOLD: what disclosure control publishes, checked from the CSV itself."""
    rules = dc.TABLE_RULES.get(table.name)
    if rules is None:
        raise ReportUnavailable(
            "not_controlled", f"table {table.name} has no disclosure-control rules"
        )
    reader = csv.reader(io.StringIO(data.decode("utf-8")))
    header = next(reader, [])
    if tuple(header) != table.columns:
        raise ReportUnavailable("tampered", f"{table.file} does not have the manifest's columns")
    positions = [header.index(c) for c in rules.counts if c in header]
    for row in reader:
        for i in positions:
            cell = row[i] if i < len(row) else ""
            if cell in ("", dc.SUPPRESSED_MARK):
                continue
            if not cell.isdigit():
                raise ReportUnavailable("not_controlled", f"{table.file} has a count {cell!r}")
            count = int(cell)
            if count <= dc.SUPPRESSION_THRESHOLD or count % dc.ROUNDING_BASE:
                raise ReportUnavailable(
                    "not_controlled",
                    f"{table.file} shows a count ({count}) that disclosure control would not "
                    "publish",
                )


def check_report(report_dir: Path, manifest: Manifest, *, contents: bool = True) -> None:
    """Refuse (ReportUnavailable) anything but a whole, disclosure-controlled report.

    Always: control was applied and every listed file is a regular file of the listed size.
    With ``contents``: every file's SHA-256 matches, every count in every table is one that
    disclosure control publishes, and the embedded body is static HTML stating control.
    """
    if not manifest.disclosure_control:
        raise ReportUnavailable(
            "not_controlled",
            "this report was made with --no-disclosure-control; only a disclosure-controlled "
            "report can be published (run painpath registry report without that option)",
        )
    for entry in manifest.files:
        path = _regular_file(report_dir, entry.name)
        if path.stat().st_size != entry.bytes:
            raise ReportUnavailable("tampered", f"{report_dir.name}: {entry.name} has changed")
    if not contents:
        return
    blobs = {}
    for entry in manifest.files:
        data = (report_dir / entry.name).read_bytes()
        if sha256_of(data) != entry.sha256:
            raise ReportUnavailable("tampered", f"{report_dir.name}: {entry.name} has changed")
        blobs[entry.name] = data
    for table in manifest.tables:
        _check_counts(table, blobs[table.file])
    body = blobs[manifest.files_of("report_body")[0].name].decode("utf-8", errors="replace")
    if UNCONTROLLED_BANNER in body:
        raise ReportUnavailable("not_controlled", "the report says it is not controlled")
    lowered = body.lower()
    if any(marker in lowered for marker in FORBIDDEN_IN_BODY):
        raise ReportUnavailable("tampered", "the report body holds active content")


# ---- publishing ---------------------------------------------------------------------------


def check_name(name: str) -> str:
    if not NAME_PATTERN.fullmatch(name):
        raise ReportUnavailable(
            "invalid_name",
            f"--name {name[:80]!r} is not allowed: use 1-64 lower-case letters, digits, '-' or "
            "'_', starting and ending with a letter or digit (e.g. 2026-q4-cohort)",
        )
    return name


def default_name(report_dir: Path) -> str:
    """The report folder's name, lower-cased, with anything else turned into '-'."""
    name = re.sub(r"[^a-z0-9_-]+", "-", report_dir.resolve().name.lower()).strip("-_")
    return name[:64].rstrip("-_") or "report"


def publish(report_dir: Path, reports_root: Path, name: str | None = None) -> PublishedReport:
    """Copy the disclosure-controlled report in ``report_dir`` to ``reports_root / name``."""
    if not report_dir.is_dir():
        raise ReportUnavailable("no_report", f"--report {report_dir} is not a folder")
    name = check_name(name if name is not None else default_name(report_dir))
    manifest = read_manifest(report_dir)
    check_report(report_dir, manifest)
    if reports_root.resolve() == report_dir.resolve() or report_dir.resolve().is_relative_to(
        reports_root.resolve()
    ):
        raise ReportUnavailable(
            "inside_reports", f"--report {report_dir} is already inside the reports folder"
        )
    destination = reports_root / name
    if destination.exists() or destination.is_symlink():
        raise ReportUnavailable(
            "exists",
            f"a report named {name!r} is already published ({destination}); choose another "
            "--name (a published report is never replaced)",
        )
    reports_root.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{name}.", dir=reports_root))
    try:
        for entry in (*manifest.files, None):
            filename = MANIFEST_NAME if entry is None else entry.name
            shutil.copyfile(report_dir / filename, staging / filename)
        copied = read_manifest(staging)
        check_report(staging, copied)
        try:
            os.rename(staging, destination)
        except OSError:
            raise ReportUnavailable(
                "exists", f"a report named {name!r} was published meanwhile; choose another --name"
            ) from None
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return PublishedReport(name, destination, copied)


# ---- what the web area reads --------------------------------------------------------------


def published_reports(reports_root: Path) -> list[PublishedReport]:
    """Every disclosure-controlled report in ``reports_root``, newest first.

    Quick checks only (manifest, control, files present with their sizes); ``open_report``
    checks the contents before anything is shown. A folder that fails is left out and logged
    by name and reason (reports hold no patient-level data).
    """
    if not reports_root.is_dir():
        return []
    found = []
    for path in reports_root.iterdir():
        if not NAME_PATTERN.fullmatch(path.name) or path.is_symlink() or not path.is_dir():
            continue
        try:
            manifest = read_manifest(path)
            check_report(path, manifest, contents=False)
        except (ReportUnavailable, OSError) as exc:
            logger.warning(
                "registry report %s not listed: %s",
                path.name,
                getattr(exc, "reason", "unreadable"),
            )
            continue
        found.append(PublishedReport(path.name, path, manifest))
    return sorted(found, key=lambda r: (r.manifest.created, r.name), reverse=True)


def open_report(reports_root: Path, name: str) -> PublishedReport:
    """The published report ``name``, fully checked; ReportUnavailable otherwise.

    ``name`` must match NAME_PATTERN and be a folder directly inside ``reports_root`` (no path,
    no symlink), so nothing outside the reports folder can be reached.
    """
    if not NAME_PATTERN.fullmatch(name):
        raise ReportUnavailable("invalid_name", "no such report")
    path = reports_root / name
    if not reports_root.is_dir() or path.is_symlink() or not path.is_dir():
        raise ReportUnavailable("not_found", "no such report")
    if path.resolve().parent != reports_root.resolve():
        raise ReportUnavailable("not_found", "no such report")
    manifest = read_manifest(path)
    check_report(path, manifest)
    return PublishedReport(name, path, manifest)


def read_report_file(report: PublishedReport, filename: str, *, kinds: frozenset[str]) -> bytes:
    """The bytes of a file the manifest lists under ``filename`` exactly (one of ``kinds``),
    read once and checked against its SHA-256, so what is served is what was checked."""
    entry = report.manifest.file(filename)
    if entry is None or entry.kind not in kinds:
        raise ReportUnavailable("unknown_file", "no such file in this report")
    data = _regular_file(report.path, entry.name).read_bytes()
    if sha256_of(data) != entry.sha256:
        raise ReportUnavailable("tampered", f"{report.name}: {entry.name} has changed")
    return data
