"""API authentication and the helpers every router uses to apply the same role rules as the web.

Token authentication: ``Authorization: Bearer <token>`` (tokens issued by
``painpath.apps.accounts.tokens.issue_token``, stored hashed). The authenticated user becomes
``request.auth`` and ``request.user``, so ``has_perm`` and the audit trail see the same person.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja.security import HttpBearer

from painpath.apps.accounts.permissions import has_perm
from painpath.apps.accounts.tokens import user_for_token
from painpath.apps.errors import ActionError
from painpath.apps.patients.actions import _may_act_for_self
from painpath.apps.patients.models import Patient
from painpath.apps.patients.selectors import patient_by_id


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = user_for_token(token.strip())
        if user is not None:
            request.user = user
        return user


token_auth = TokenAuth()


def user_of(request: HttpRequest) -> Any:
    return getattr(request, "auth", None)


def require_perm(request: HttpRequest, perm: str) -> Any:
    """The authenticated user, if their role grants ``perm``; else PermissionDenied (403)."""
    user = user_of(request)
    if not has_perm(user, perm):
        raise PermissionDenied("your role may not do this")
    return user


def patient_for_write(
    request: HttpRequest, patient_id: int, perm: str, *, self_service: bool = False
) -> Patient:
    """The patient a write is for: the role must grant ``perm`` (or, with ``self_service``, the
    user is that patient). An unknown id is a 422 naming ``patient_id``. The write itself is
    audited by the action, so this lookup is not audited separately."""
    user = user_of(request)
    patient = patient_by_id(patient_id)
    if not has_perm(user, perm) and not (
        self_service and patient is not None and _may_act_for_self(user, patient)
    ):
        raise PermissionDenied("your role may not do this")
    if patient is None:
        raise ActionError({"patient_id": f"no patient with id {patient_id}"})
    return patient
