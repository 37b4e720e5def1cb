"""Django's SQLite backend with its parameter-style conversion remembered (ADR 0092)."""
