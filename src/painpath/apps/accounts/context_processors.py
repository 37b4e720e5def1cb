"""What every page's header needs: the navigation the signed-in user's role may use, and who
they are. Links are computed from ``permissions.has_perm`` (the same table the views enforce), so
the menu never offers a page that would answer 403; a link whose URL is not installed yet is left
out rather than breaking every page."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse

from painpath.apps.accounts import permissions as perms


@dataclass(frozen=True)
class NavLink:
    label: str
    url: str
    current: bool


#: (label, URL name, permission). Order is the order shown.
NAV: tuple[tuple[str, str, str], ...] = (
    ("Patients", "patients:list", perms.VIEW_DEMOGRAPHICS),
    ("Follow-up dashboard", "outcomes:dashboard", perms.MANAGE_FOLLOWUP),
    ("Formulary", "medicines:formulary", perms.DRAFT_PRESCRIPTION),
    ("Prescribing log", "medicines:log", perms.EXPORT_PRESCRIBING_LOG),
    ("Your portal", "followup:portal", perms.USE_PORTAL),
    ("Cohort reports", "research:reports", perms.VIEW_REGISTRY),
)


def url_or_none(name: str, *args: Any) -> str | None:
    """The URL for ``name``, or None when no such URL is installed (yet)."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def nav_links(user: Any, path: str = "") -> list[NavLink]:
    links = []
    for label, name, perm in NAV:
        if not perms.has_perm(user, perm):
            continue
        url = url_or_none(name)
        if url is None:
            continue
        links.append(NavLink(label, url, current=bool(path) and path.startswith(url)))
    return links


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_links": [], "signed_in": None}
    return {
        "nav_links": nav_links(user, request.path),
        "signed_in": {"name": user.display_name, "role": user.get_role_display()},
    }
