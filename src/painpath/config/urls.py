"""URL configuration: every area's urls are included here; the API lives at /api/v1."""

from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import include, path
from django.views import defaults

from painpath.api.urls import urlpatterns as api_urlpatterns

urlpatterns = [
    *api_urlpatterns,
    path("", include("painpath.apps.accounts.urls")),
    path("", include("painpath.apps.patients.urls")),
    path("", include("painpath.apps.assessments.urls")),
    path("", include("painpath.apps.followup.urls")),
    path("", include("painpath.apps.medicines.urls")),
    path("", include("painpath.apps.outcomes.urls")),
    path("", include("painpath.apps.research.urls")),
]


def handler404(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """API clients get JSON for an address that does not exist (a negative or non-numeric id
    in a path, a mistyped endpoint); people get the site's 404 page."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "not found: no such endpoint or record"}, status=404)
    response: Any = defaults.page_not_found(request, exception or Exception())
    return response
