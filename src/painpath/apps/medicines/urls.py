from django.urls import URLPattern, URLResolver, path

from painpath.apps.medicines import views

app_name = "medicines"
urlpatterns: list[URLPattern | URLResolver] = [
    path("medicines/formulary/", views.formulary, name="formulary"),
    path("medicines/formulary/<int:product_id>/edit/", views.product_edit, name="product_edit"),
    path(
        "medicines/formulary/<int:product_id>/retire/",
        views.product_retire,
        name="product_retire",
    ),
    path("medicines/patients/<int:patient_id>/", views.patient_medicines, name="patient"),
    path("medicines/patients/<int:patient_id>/eligibility/", views.decide, name="decide"),
    path("medicines/patients/<int:patient_id>/titration/new/", views.plan_new, name="plan_new"),
    path("medicines/patients/<int:patient_id>/prescriptions/new/", views.rx_new, name="rx_new"),
    path("medicines/titration/<int:plan_id>/", views.plan_detail, name="plan"),
    path("medicines/titration/<int:plan_id>/pdf/", views.plan_pdf, name="plan_pdf"),
    path("medicines/prescriptions/<int:rx_id>/", views.rx_detail, name="rx"),
    path("medicines/prescriptions/<int:rx_id>/check/", views.rx_check, name="rx_check"),
    path("medicines/prescriptions/<int:rx_id>/sign/", views.rx_sign, name="rx_sign"),
    path(
        "medicines/prescriptions/<int:rx_id>/cancel/",
        views.rx_end,
        {"event": "cancel"},
        name="rx_cancel",
    ),
    path(
        "medicines/prescriptions/<int:rx_id>/stop/", views.rx_end, {"event": "stop"}, name="rx_stop"
    ),
    path("medicines/prescriptions/<int:rx_id>/change/", views.rx_change, name="rx_change"),
    path("medicines/prescriptions/<int:rx_id>/print/", views.rx_print, name="rx_print"),
    path("medicines/prescriptions/<int:rx_id>/pdf/", views.rx_pdf, name="rx_pdf"),
    path("medicines/log/", views.log_list, name="log"),
    path("medicines/log.csv", views.log_csv, name="log_csv"),
]
