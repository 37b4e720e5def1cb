"""Resolving a secure link from its URL, and why one does not work (ADR 0078).

Order of checks: too many bad links from this address (429), the signature (forged: 404,
no query), the token's hash (unknown: 404), then the link's state: used (410), replaced by a
newer link (410), withdrawn by the clinic (403), expired (410), or its set no longer open (410).
Every bad or forged attempt is counted per IP address to slow down guessing; nothing else is
saved. A good link's read is audited (the patient's record is shown).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils import timezone

from painpath.apps.audit import services as audit
from painpath.apps.audit.models import AuditAction
from painpath.apps.followup import tokens
from painpath.apps.followup.models import FollowUpLink, FollowUpSet, LinkFailure, RevokeReason

#: Bad links per IP address within the window before further links are refused (policy).
MAX_FAILURES = 20
WINDOW = dt.timedelta(minutes=15)

STATUS = {
    "throttled": 429,
    "forged": 404,
    "unknown": 404,
    "used": 410,
    "replaced": 410,
    "expired": 410,
    "closed": 410,
    "revoked": 403,
}


class LinkProblem(Exception):
    """Why a link cannot be used; ``status`` is the HTTP status of the page that says so."""

    def __init__(self, reason: str, followup_set: FollowUpSet | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.status = STATUS[reason]
        self.followup_set = followup_set


def _ip(request: HttpRequest | None) -> str | None:
    return audit.client_ip(request)


def throttled(request: HttpRequest | None, now: dt.datetime | None = None) -> bool:
    now = now or timezone.now()
    return (
        LinkFailure.objects.filter(ip_address=_ip(request), at__gte=now - WINDOW).count()
        >= MAX_FAILURES
    )


def _fail(request: HttpRequest | None, reason: str) -> LinkProblem:
    LinkFailure.objects.create(ip_address=_ip(request))
    return LinkProblem(reason)


def resolve(url_token: str, *, request: HttpRequest | None = None) -> FollowUpLink:
    """The live link for ``url_token`` with its set and patient; LinkProblem otherwise."""
    if throttled(request):
        raise LinkProblem("throttled")
    token = tokens.unsign(url_token)
    if token is None:
        raise _fail(request, "forged")
    link = (
        FollowUpLink.objects.select_related("followup_set__patient", "followup_set__plan")
        .filter(token_hash=tokens.token_hash(token))
        .first()
    )
    if link is None:
        raise _fail(request, "unknown")
    reason = problem_with(link, link.followup_set, timezone.now())
    if reason is not None:
        raise LinkProblem(reason, link.followup_set)
    return link


def problem_with(link: FollowUpLink, s: FollowUpSet, now: dt.datetime) -> str | None:
    """Why ``link`` (of set ``s``) cannot be used at ``now``, or None when it can."""
    state = link.state(now)
    if state == "revoked":
        return {RevokeReason.REPLACED: "replaced", RevokeReason.CLOSED: "closed"}.get(
            link.revoke_reason, "revoked"
        )
    if state == "live" and not s.is_open:
        return "closed"
    return None if state == "live" else state


def audit_open(link: FollowUpLink, request: HttpRequest | None) -> None:
    """The patient opened their set by link: audited, and remembered on the link."""
    now = timezone.now()
    FollowUpLink.objects.filter(pk=link.pk).update(last_opened_at=now)
    audit.record(
        actor="followup-link",
        action=AuditAction.READ,
        object_type="followup_set",
        object_id=link.followup_set_id,
        patient_id=link.followup_set.patient_id,
        request=request,
        detail={"link_id": link.pk},
    )


def describe(problem: LinkProblem) -> dict[str, Any]:
    """Plain words for the page that explains a link that does not work."""
    completed = problem.followup_set is not None and problem.followup_set.status == "completed"
    texts = {
        "throttled": (
            "Too many attempts",
            "Too many links that do not work were opened from this connection. Please wait 15 "
            "minutes and try the link in your latest email again.",
        ),
        "forged": (
            "This link does not work",
            "The link is not complete or has been changed. Please open it again from your email, "
            "or copy the whole address.",
        ),
        "unknown": (
            "This link does not work",
            "We do not recognise this link. Please open it again from your latest email.",
        ),
        "used": (
            "Already sent",
            "These questionnaires have already been sent to your clinic. Thank you. "
            "You do not need to do anything else.",
        ),
        "replaced": (
            "This link has been replaced",
            "Your clinic sent you a newer link. Please use the link in your latest email.",
        ),
        "revoked": (
            "This link has been withdrawn",
            "Your clinic has withdrawn this link. If you think this is a mistake, please "
            "contact your clinic.",
        ),
        "expired": (
            "This link has expired",
            "The time to answer these questionnaires has passed. Your clinic will send the next "
            "ones when they are due.",
        ),
        "closed": (
            "Already sent" if completed else "These questionnaires are closed",
            "These questionnaires have already been sent to your clinic. Thank you."
            if completed
            else "These questionnaires can no longer be answered. Your clinic will send the "
            "next ones when they are due.",
        ),
    }
    title, text = texts[problem.reason]
    return {"title": title, "text": text, "reason": problem.reason}
