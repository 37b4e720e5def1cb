from django.urls import URLPattern, URLResolver, path

from painpath.apps.patients import views

app_name = "patients"
urlpatterns: list[URLPattern | URLResolver] = [
    path("patients/", views.patient_list, name="list"),
    path("patients/new/", views.patient_new, name="new"),
    path("patients/<int:patient_id>/", views.patient_detail, name="detail"),
    path("patients/<int:patient_id>/edit/", views.patient_edit, name="edit"),
    path("patients/<int:patient_id>/referrals/new/", views.referral_new, name="referral_new"),
    path(
        "patients/<int:patient_id>/referrals/<int:referral_id>/correct/",
        views.referral_correct,
        name="referral_correct",
    ),
    path("patients/<int:patient_id>/treatments/new/", views.treatment_new, name="treatment_new"),
    path("patients/<int:patient_id>/notes/new/", views.note_new, name="note_new"),
    path("patients/<int:patient_id>/consents/", views.consents, name="consents"),
    path("patients/<int:patient_id>/access-log/", views.access_log, name="access_log"),
]
