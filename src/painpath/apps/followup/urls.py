from django.urls import URLPattern, URLResolver, path

from painpath.apps.followup import views

app_name = "followup"
urlpatterns: list[URLPattern | URLResolver] = [
    # The patient's pages: by secure link (no login), or signed in to the portal.
    path("f/<str:token>/", views.fill, name="fill"),
    path("follow-up/thanks/", views.thanks, name="thanks"),
    path("portal/follow-up/", views.portal, name="portal"),
    path("portal/follow-up/<int:set_id>/", views.portal_set, name="portal_set"),
    # The clinic's pages.
    path("patients/<int:patient_id>/follow-up/", views.patient, name="patient"),
    path("patients/<int:patient_id>/follow-up/start/", views.start, name="start"),
    path("follow-up/sets/<int:set_id>/revoke/", views.revoke, name="revoke"),
    path("follow-up/sets/<int:set_id>/resend/", views.resend, name="resend"),
    path("follow-up/plans/<int:plan_id>/stop/", views.stop, name="stop"),
]
