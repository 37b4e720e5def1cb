from django.apps import AppConfig


class ResearchConfig(AppConfig):
    name = "painpath.apps.research"
    label = "research"
    verbose_name = "Research: published cohort reports"
