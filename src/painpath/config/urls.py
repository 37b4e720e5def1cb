"""URL configuration: every area's urls are included here; the API lives at /api/v1."""

from django.urls import include, path

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
