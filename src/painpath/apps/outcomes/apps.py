from django.apps import AppConfig


class OutcomesConfig(AppConfig):
    name = "painpath.apps.outcomes"
    label = "outcomes"
    default_auto_field = "django.db.models.BigAutoField"
