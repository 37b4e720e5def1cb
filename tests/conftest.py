"""Suite-wide test configuration. Area-specific fixtures live in each folder's conftest.py."""

from __future__ import annotations

from collections.abc import Iterator

import pytest


@pytest.fixture(scope="session", autouse=True)
def _transactional_flush_past_append_only_triggers() -> Iterator[None]:
    """Transactional tests end with a flush the append-only triggers refuse: lift them for it."""
    from django.test.testcases import TransactionTestCase

    from tests.append_only_support import flushing_past_triggers

    original = TransactionTestCase._fixture_teardown
    TransactionTestCase._fixture_teardown = flushing_past_triggers(original)  # type: ignore[method-assign]
    try:
        yield
    finally:
        TransactionTestCase._fixture_teardown = original  # type: ignore[method-assign]
