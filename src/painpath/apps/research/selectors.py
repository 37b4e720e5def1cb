"""Audited reads of published cohort reports (the researcher web area).

Every read writes one audit event with ids only: the report's name and, for a download, the
file's name (a report holds disclosure-controlled aggregates, never a patient). A refused read
(no such report, a report that is not disclosure-controlled or no longer matches its manifest,
a file the manifest does not list) is recorded as "denied" with a short reason code, and the
caller answers 404 whatever the reason, so nothing about unpublished folders leaks.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.http import HttpRequest

from painpath.apps.audit import services as audit
from painpath.apps.audit.models import AuditAction
from painpath.registry import published
from painpath.registry.published import PublishedReport, ReportUnavailable

#: Files a researcher may download; ``report_body`` is embedded in the page instead.
DOWNLOADS = published.DOWNLOADABLE_KINDS
LIST_OBJECT = "registry_report_list"
REPORT_OBJECT = "registry_report"
FILE_OBJECT = "registry_report_file"


def reports_root() -> Path:
    return Path(settings.PAINPATH_REGISTRY_REPORTS_DIR)


def safe_id(name: str) -> str:
    """The requested name for the audit trail only if it is a valid report name (a URL segment
    could hold any text someone typed; the trail holds ids, never free text)."""
    return name if published.NAME_PATTERN.fullmatch(name) else "(invalid)"


def _denied(by: Any, request: HttpRequest, object_type: str, name: str, **detail: Any) -> None:
    audit.record(
        actor=by,
        action=AuditAction.DENIED,
        object_type=object_type,
        object_id=safe_id(name),
        request=request,
        detail=detail,
    )


def list_reports(*, by: Any, request: HttpRequest) -> list[PublishedReport]:
    reports = published.published_reports(reports_root())
    audit.record(
        actor=by,
        action=AuditAction.READ,
        object_type=LIST_OBJECT,
        request=request,
        detail={"reports": [r.name for r in reports]},
    )
    return reports


def get_report(*, by: Any, request: HttpRequest, name: str) -> tuple[PublishedReport, str]:
    """The report and its checked body HTML; ReportUnavailable (audited) otherwise."""
    try:
        report = published.open_report(reports_root(), name)
        body = published.read_report_file(
            report,
            report.manifest.files_of("report_body")[0].name,
            kinds=frozenset({"report_body"}),
        )
    except ReportUnavailable as exc:
        _denied(by, request, REPORT_OBJECT, name, reason=exc.reason)
        raise
    audit.record(
        actor=by,
        action=AuditAction.READ,
        object_type=REPORT_OBJECT,
        object_id=report.name,
        request=request,
    )
    return report, body.decode("utf-8")


def get_file(
    *, by: Any, request: HttpRequest, name: str, filename: str
) -> tuple[PublishedReport, published.ManifestFile, bytes]:
    """A downloadable file of a published report, by its exact manifest name, checked."""
    try:
        report = published.open_report(reports_root(), name)
        data = published.read_report_file(report, filename, kinds=DOWNLOADS)
    except ReportUnavailable as exc:
        listed = published.FILE_PATTERN.fullmatch(filename) is not None
        _denied(
            by,
            request,
            FILE_OBJECT,
            name,
            reason=exc.reason,
            file=filename if listed else "(invalid)",
        )
        raise
    entry = report.manifest.file(filename)
    assert entry is not None  # read_report_file found it
    audit.record(
        actor=by,
        action=AuditAction.EXPORT,
        object_type=FILE_OBJECT,
        object_id=report.name,
        request=request,
        detail={"file": entry.name, "kind": entry.kind},
    )
    return report, entry, data
