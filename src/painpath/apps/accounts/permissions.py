"""Who may do what: permissions declared per role, checked on the server everywhere.

The table is data so it can be reviewed by a clinician and tested rule by rule. Views use
``@require(PERM)``; API endpoints use ``api_require(request, PERM)``; selectors scope querysets
with ``scope_patients``. Roles follow DESIGN.md ("Who uses it").
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from painpath.apps.accounts.models import Role

# Demographics and contact details (name, address, GP): the clinic team including admin staff.
VIEW_DEMOGRAPHICS = "patient.view_demographics"
EDIT_DEMOGRAPHICS = "patient.edit_demographics"
# Clinical record: assessments, questionnaires, treatments, notes, alerts.
VIEW_CLINICAL = "patient.view_clinical"
EDIT_CLINICAL = "patient.edit_clinical"
ACKNOWLEDGE_ALERT = "alert.acknowledge"
VIEW_ACCESS_LOG = "audit.view_patient_log"
MANAGE_FOLLOWUP = "followup.manage"
# Prescribing: nurses support titration but cannot sign (DESIGN.md).
DRAFT_PRESCRIPTION = "prescription.draft"
SIGN_PRESCRIPTION = "prescription.sign"
MANAGE_FORMULARY = "formulary.manage"
EXPORT_PRESCRIBING_LOG = "prescribing_log.export"
# Research: pseudonymised registry data only, never a patient record.
VIEW_REGISTRY = "registry.view"
# Charity: education and events, no patient records.
MANAGE_EDUCATION = "education.manage"
# Patients: their own portal only.
USE_PORTAL = "portal.self"

ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    Role.PRESCRIBER: frozenset(
        {
            VIEW_DEMOGRAPHICS,
            EDIT_DEMOGRAPHICS,
            VIEW_CLINICAL,
            EDIT_CLINICAL,
            ACKNOWLEDGE_ALERT,
            VIEW_ACCESS_LOG,
            MANAGE_FOLLOWUP,
            DRAFT_PRESCRIPTION,
            SIGN_PRESCRIPTION,
            MANAGE_FORMULARY,
            EXPORT_PRESCRIBING_LOG,
        }
    ),
    Role.NURSE: frozenset(
        {
            VIEW_DEMOGRAPHICS,
            EDIT_DEMOGRAPHICS,
            VIEW_CLINICAL,
            EDIT_CLINICAL,
            ACKNOWLEDGE_ALERT,
            MANAGE_FOLLOWUP,
            DRAFT_PRESCRIPTION,
        }
    ),
    Role.ADMIN: frozenset({VIEW_DEMOGRAPHICS, EDIT_DEMOGRAPHICS, EXPORT_PRESCRIBING_LOG}),
    Role.RESEARCHER: frozenset({VIEW_REGISTRY}),
    Role.CHARITY: frozenset({MANAGE_EDUCATION}),
    Role.PATIENT: frozenset({USE_PORTAL}),
}

ALL_PERMISSIONS: frozenset[str] = frozenset().union(*ROLE_PERMISSIONS.values())


def has_perm(user: Any, perm: str) -> bool:
    """True when ``user`` is signed in, active, and their role grants ``perm``."""
    if perm not in ALL_PERMISSIONS:
        raise KeyError(f"unknown permission {perm!r}")
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return perm in ROLE_PERMISSIONS.get(user.role, frozenset())


V = TypeVar("V", bound=Callable[..., HttpResponse])


def require(*perms: str) -> Callable[[V], V]:
    """View decorator: anonymous users go to log in; users without every ``perms`` get 403."""

    def decorate(view: V) -> V:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not all(has_perm(request.user, p) for p in perms):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapped.required_permissions = perms  # type: ignore[attr-defined]
        return wrapped  # type: ignore[return-value]

    return decorate


def api_require(request: HttpRequest, *perms: str) -> None:
    """API endpoints: raise PermissionDenied (a 403 JSON answer) unless every ``perms`` is held.

    Authentication (a valid token) is checked before this by the router's auth.
    """
    user = getattr(request, "auth", None) or getattr(request, "user", None)
    if not all(has_perm(user, p) for p in perms):
        raise PermissionDenied("your role may not do this")
