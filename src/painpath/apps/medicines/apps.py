from django.apps import AppConfig


class MedicinesConfig(AppConfig):
    name = "painpath.apps.medicines"
    label = "medicines"
    default_auto_field = "django.db.models.BigAutoField"
