"""The researcher web area: published cohort reports (pseudonymised aggregates only).

Researchers (``VIEW_REGISTRY``) list the reports a data manager published with
``painpath registry publish``, read one (its own HTML, plots embedded) and download its CSV
tables, data dictionary, plots and whole HTML page. Nothing here writes: publishing is done on
the command line (ADR 0087). Every view is audited through ``selectors`` (ids only), including
refusals: a role without ``VIEW_REGISTRY`` gets 403 and a "denied" event; anything that is not a
published, disclosure-controlled, unchanged report or a file its manifest lists gets 404.
"""

from __future__ import annotations

from functools import wraps
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET

from painpath.apps.accounts.permissions import VIEW_REGISTRY, has_perm, require
from painpath.apps.audit import services as audit
from painpath.apps.audit.models import AuditAction
from painpath.apps.research import presenters, selectors
from painpath.registry.published import ReportUnavailable

NO_STORE = "private, no-store"


def audit_role_refusal(view: Any) -> Any:
    """Outside ``@require``: a signed-in user whose role may not read research outputs is
    recorded as "denied" (ids only) before the 403."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user = request.user
        if user.is_authenticated and not has_perm(user, VIEW_REGISTRY):
            audit.record(
                actor=user,
                action=AuditAction.DENIED,
                object_type=selectors.REPORT_OBJECT,
                object_id=selectors.safe_id(str(kwargs.get("report", ""))),
                request=request,
                detail={"view": view.__name__, "reason": "role"},
            )
        return view(request, *args, **kwargs)  # type: ignore[no-any-return]

    return wrapped


@audit_role_refusal
@require(VIEW_REGISTRY)
@require_GET
def report_list(request: HttpRequest) -> HttpResponse:
    reports = selectors.list_reports(by=request.user, request=request)
    return render(
        request,
        "research/reports.html",
        {"reports": [presenters.summary(r) for r in reports]},
    )


@audit_role_refusal
@require(VIEW_REGISTRY)
@require_GET
def report_page(request: HttpRequest, report: str) -> HttpResponse:
    try:
        found, body = selectors.get_report(by=request.user, request=request, name=report)
    except ReportUnavailable:
        raise Http404("no such report") from None
    response = render(
        request,
        "research/report.html",
        {
            "report": presenters.summary(found),
            "downloads": presenters.downloads(found),
            # Written by painpath's own report writer (every value escaped), checked against
            # the manifest's SHA-256 and for active content just now (registry.published).
            "body": mark_safe(body),
        },
    )
    response["Cache-Control"] = NO_STORE
    return response


@audit_role_refusal
@require(VIEW_REGISTRY)
@require_GET
def report_file(request: HttpRequest, report: str, filename: str) -> HttpResponse:
    try:
        found, entry, data = selectors.get_file(
            by=request.user, request=request, name=report, filename=filename
        )
    except ReportUnavailable:
        raise Http404("no such file") from None
    content_type = entry.media_type + ("; charset=utf-8" if entry.media_type != "image/png" else "")
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{found.name}_{entry.name}"'
    response["Cache-Control"] = NO_STORE
    return response
