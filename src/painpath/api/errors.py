"""API error bodies: every refusal is JSON, and input errors name each field.

- 422 ``{"errors": {field: message}}`` for request validation (django-ninja/pydantic) and for
  ``ActionError`` raised by actions (the same shape forms show next to fields);
- 400 ``{"errors": {"body": ...}}`` for a body that is not JSON at all, and 422 naming the field
  for a control character (NUL, escape...) in the body or query (``painpath.api.parser``);
- 403 ``{"detail": ...}`` for PermissionDenied (role rules); 401 from the token auth;
  404 ``{"detail": "Not Found"}`` for unknown ids.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import HttpError, ValidationError

from painpath.api.parser import BodyNotAnObject, ControlCharacterInBody
from painpath.apps.errors import CONTROL_MESSAGE, ActionError

# What django-ninja says (with the parser's exception appended when DEBUG is on) when the body
# cannot be parsed as JSON.
_UNPARSEABLE = "Cannot parse request body"
_LOCATIONS = {"body", "query", "path", "header", "cookie", "form", "file"}


def field_name(loc: list[Any] | tuple[Any, ...]) -> str:
    """A dotted field name from a pydantic error location, without ninja's wrapper parts.

    ninja reports ``("body", "payload", "nhs_number")`` for a body field and
    ``("query", "limit")`` for a query parameter; clients want ``nhs_number`` and ``limit``.
    A missing body is ``("body", "payload")``: the handler's argument name means nothing to a
    client, so that is ``body``.
    """
    parts = [str(p) for p in loc]
    if parts and parts[0] in _LOCATIONS:
        kind = parts.pop(0)
        if kind == "body" and parts:
            parts.pop(0)
    return ".".join(parts) or "body"


def validation_errors(exc: ValidationError) -> dict[str, str]:
    errors: dict[str, str] = {}
    for err in exc.errors:
        name = field_name(err.get("loc", ()))
        message = str(err.get("msg", "is not valid"))
        errors[name] = f"{errors[name]}; {message}" if name in errors else message
    return errors


def install_handlers(api: NinjaAPI) -> None:
    """Register the JSON error handlers on ``api`` (called once where the API is built)."""

    def on_validation(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        return api.create_response(request, {"errors": validation_errors(exc)}, status=422)

    def on_action_error(request: HttpRequest, exc: ActionError) -> HttpResponse:
        return api.create_response(request, {"errors": exc.errors}, status=422)

    def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        if isinstance(exc.__cause__, ControlCharacterInBody):
            name = field_name(("body", "payload", *exc.__cause__.loc))
            return api.create_response(request, {"errors": {name: CONTROL_MESSAGE}}, status=422)
        if isinstance(exc.__cause__, BodyNotAnObject):
            return api.create_response(
                request, {"errors": {"body": str(exc.__cause__)}}, status=422
            )
        if exc.status_code == 400 and str(exc).startswith(_UNPARSEABLE):
            body: dict[str, Any] = {"errors": {"body": "is not valid JSON"}}
        else:
            body = {"detail": str(exc)}
        return api.create_response(request, body, status=exc.status_code)

    def on_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        detail = str(exc) or "your role may not do this"
        return api.create_response(request, {"detail": detail}, status=403)

    api.add_exception_handler(ValidationError, on_validation)
    api.add_exception_handler(ActionError, on_action_error)
    api.add_exception_handler(PermissionDenied, on_denied)
    api.add_exception_handler(HttpError, on_http_error)
