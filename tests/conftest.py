"""Suite-wide test configuration. Area-specific fixtures live in each folder's conftest.py."""
