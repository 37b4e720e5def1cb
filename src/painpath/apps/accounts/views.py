"""Signing in and out, changing a password, and each role's home page.

Log-in goes through Django's own views with the throttled backend (``throttle.py``): a
locked-out user is told so plainly (not "wrong password"), and every attempt is audited by
``signals.py``. After log-in ``home`` sends each role to where its work is: clinic staff to the
patient list, a patient to their portal, researchers and charity staff to a page that says what
they can do here (they never see patient data).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy

from painpath.apps.accounts import permissions as perms
from painpath.apps.accounts import throttle
from painpath.apps.accounts.context_processors import url_or_none
from painpath.apps.accounts.models import Role
from painpath.apps.accounts.permissions import has_perm, require
from painpath.apps.audit import services as audit

LOCKED_OUT_MESSAGE = (
    "Too many failed log-in attempts for this username from this device. For your security, "
    "log-in is paused for {minutes} minutes. Try again later, or ask your clinic administrator."
)


class ThrottleAwareAuthenticationForm(AuthenticationForm):
    """Django's log-in form, saying "locked out" when the throttle refused the attempt."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": "The username or password is not right. Check them and try again.",
        "locked_out": LOCKED_OUT_MESSAGE,
    }

    def clean(self) -> dict[str, Any]:
        try:
            return super().clean()
        except ValidationError:
            username = self.cleaned_data.get("username") or ""
            if throttle.is_locked_out(username, audit.client_ip(self.request)):
                minutes = int(throttle.WINDOW.total_seconds() // 60)
                raise ValidationError(
                    self.error_messages["locked_out"].format(minutes=minutes), code="locked_out"
                ) from None
            raise


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = ThrottleAwareAuthenticationForm
    redirect_authenticated_user = True

    def form_invalid(self, form: AuthenticationForm) -> HttpResponse:
        """Refused: the form again with its message, status 422 like every refused form."""
        response = super().form_invalid(form)
        response.status_code = 422
        return response


class LogoutView(auth_views.LogoutView):
    """Log out (POST only, as Django 5 requires); back to the log-in page with a message."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        was_signed_in = request.user.is_authenticated
        response = super().post(request, *args, **kwargs)
        if was_signed_in:
            messages.info(request, "You have logged out.")
        return response


login_view = LoginView.as_view()
logout_view = LogoutView.as_view()


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:home")

    def form_valid(self, form: forms.Form) -> HttpResponse:
        response = super().form_valid(form)
        messages.success(self.request, "Your password has been changed.")
        return response

    def form_invalid(self, form: forms.Form) -> HttpResponse:
        response = super().form_invalid(form)
        response.status_code = 422
        return response


password_change = require()(PasswordChangeView.as_view())

#: What researchers and charity staff can do, for their home page (no patient data, ever).
ROLE_GUIDES: dict[str, tuple[str, ...]] = {
    Role.RESEARCHER: (
        "Work with pseudonymised registry extracts and cohort outcome reports from the command "
        "line (painpath registry ...) or the reports your data manager shares.",
        "Patient records are not available to your role: you never see names, addresses, NHS "
        "numbers or full dates of birth.",
    ),
    Role.CHARITY: (
        "Manage education articles, webinars and events for the public.",
        "Patient records are not available to your role.",
    ),
}


@require()
def home(request: HttpRequest) -> HttpResponse:
    """Send each role to where its work is."""
    user = request.user
    if has_perm(user, perms.VIEW_DEMOGRAPHICS) and url_or_none("patients:list"):
        return redirect("patients:list")
    if has_perm(user, perms.USE_PORTAL):
        return redirect(url_or_none("followup:portal") or "accounts:portal")
    return render(
        request,
        "accounts/role_home.html",
        {
            "role": user.get_role_display(),
            "guide": ROLE_GUIDES.get(user.role, ()),
            # Researchers: the published cohort reports (apps/research), once installed.
            "reports_url": (
                url_or_none("research:reports") if has_perm(user, perms.VIEW_REGISTRY) else None
            ),
        },
    )


@require(perms.USE_PORTAL)
def portal(request: HttpRequest) -> HttpResponse:
    """A patient's home until the follow-up portal (``followup:portal``) is installed."""
    portal_url = url_or_none("followup:portal")
    if portal_url:
        return redirect(portal_url)
    return render(request, "accounts/portal.html")
