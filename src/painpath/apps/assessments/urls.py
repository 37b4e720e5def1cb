from django.urls import URLPattern, URLResolver, path

from painpath.apps.assessments import views

app_name = "assessments"
urlpatterns: list[URLPattern | URLResolver] = [
    path("patients/<int:patient_id>/assessments/new/", views.assessment_new, name="new"),
    path(
        "patients/<int:patient_id>/assessments/preview/",
        views.assessment_preview,
        name="preview",
    ),
    path("assessments/<int:assessment_id>/", views.assessment_detail, name="detail"),
    path(
        "patients/<int:patient_id>/questionnaires/new/",
        views.questionnaire_choose,
        name="questionnaire_choose",
    ),
    path(
        "patients/<int:patient_id>/questionnaires/<slug:code>/new/",
        views.questionnaire_new,
        name="questionnaire_new",
    ),
    path("questionnaire-responses/<int:response_id>/", views.response_detail, name="response"),
]
