"""Writing audit events. Call ``record`` inside the same transaction as the change it audits."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from painpath.apps.audit.models import AuditEvent
from painpath.db import rows


def client_ip(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def record(
    *,
    actor: Any,
    action: str,
    object_type: str,
    object_id: object = "",
    patient_id: int | None = None,
    request: HttpRequest | None = None,
    detail: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one audit event: who (actor), what (action on object), when (now), from where.

    ``detail`` must never hold clinical content or identifiers beyond ids: the audit trail is
    read by investigators, not clinicians.
    """
    is_user = actor is not None and getattr(actor, "is_authenticated", False)
    event = AuditEvent(
        actor=actor if is_user else None,
        actor_label=(actor.get_username() if is_user else (str(actor) if actor else "anonymous")),
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        patient_id=patient_id,
        ip_address=client_ip(request),
        user_agent=(request.META.get("HTTP_USER_AGENT", "")[:300] if request else ""),
        detail=detail or {},
    )
    # Every audited API request writes one of these: the INSERT is compiled once, not per row.
    inserted: AuditEvent = rows.insert(event)
    return inserted
