"""Database helpers shared by every app."""
