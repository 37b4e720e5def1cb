"""painpath: clinical software for chronic back and neck pain services."""

__version__ = "0.1.0"
