"""Models for this area (see its issue)."""
