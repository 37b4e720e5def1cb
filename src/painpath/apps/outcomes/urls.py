from django.urls import URLPattern, URLResolver, path

from painpath.apps.outcomes import views

app_name = "outcomes"
urlpatterns: list[URLPattern | URLResolver] = [
    path("clinic/follow-up/", views.dashboard, name="dashboard"),
    path(
        "clinic/follow-up/alerts/<int:alert_id>/acknowledge/",
        views.acknowledge,
        name="acknowledge",
    ),
    path("patients/<int:patient_id>/outcomes/", views.patient_outcomes, name="patient"),
    path("clinic/adverse-events/<int:event_id>/grade/", views.grade, name="grade"),
]
