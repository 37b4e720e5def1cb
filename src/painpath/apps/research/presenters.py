"""Display of published reports: labels and sizes for the templates (no logic in templates)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.urls import reverse

from painpath.registry.published import ManifestFile, PublishedReport

KIND_LABELS = {
    "table": "table (CSV)",
    "data_dictionary": "data dictionary (CSV)",
    "plot": "plot (PNG)",
    "report": "whole report (HTML, to keep or print)",
}


@dataclass(frozen=True)
class Download:
    name: str
    label: str
    size: str
    url: str


@dataclass(frozen=True)
class ReportSummary:
    name: str
    url: str
    created: str
    engine: str
    tables: int
    synthetic: bool
    control: str
    extract_schema: str
    painpath_version: str


def size(n: int) -> str:
    if n < 1024:
        return f"{n} bytes"
    if n < 1024 * 1024:
        return f"{n / 1024:.0f} KB"
    return f"{n / (1024 * 1024):.1f} MB"


def created(text: str) -> str:
    """``2026-12-01T20:23:39Z`` -> ``1 December 2026, 20:23 UTC`` (as written if not a time)."""
    try:
        when = dt.datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(dt.UTC)
    except ValueError:
        return text
    return f"{when.day} {when:%B %Y, %H:%M} UTC"


def control(report: PublishedReport) -> str:
    rules = report.manifest.ruleset or {}
    return (
        f"applied (rule set {rules.get('version', '?')}): counts of "
        f"{rules.get('suppression_threshold', '?')} or fewer suppressed, others rounded to the "
        f"nearest {rules.get('rounding_base', '?')}"
    )


def summary(report: PublishedReport) -> ReportSummary:
    m = report.manifest
    return ReportSummary(
        name=report.name,
        url=reverse("research:report", kwargs={"report": report.name}),
        created=created(m.created),
        engine=m.engine,
        tables=len(m.tables),
        synthetic=m.synthetic,
        control=control(report),
        extract_schema=m.extract_schema,
        painpath_version=m.painpath_version,
    )


def downloads(report: PublishedReport) -> list[Download]:
    order = list(KIND_LABELS)
    files: list[ManifestFile] = sorted(
        report.manifest.downloads, key=lambda f: (order.index(f.kind), f.name)
    )
    return [
        Download(
            name=f.name,
            label=KIND_LABELS[f.kind],
            size=size(f.bytes),
            url=reverse("research:file", kwargs={"report": report.name, "filename": f.name}),
        )
        for f in files
    ]
