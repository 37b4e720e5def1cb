from django.urls import URLPattern, URLResolver, path

from painpath.apps.research import views

app_name = "research"
urlpatterns: list[URLPattern | URLResolver] = [
    path("research/reports/", views.report_list, name="reports"),
    path("research/reports/<str:report>/", views.report_page, name="report"),
    path("research/reports/<str:report>/<str:filename>", views.report_file, name="file"),
]
