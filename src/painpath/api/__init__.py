"""The REST API (django-ninja) at /api/v1."""
