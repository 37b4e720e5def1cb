"""One local SparkSession for the whole test session, shared by unit and integration tests.

PySpark is part of the development install (``make`` installs ``.[dev,spark]``) and Java 17 is on
every machine, so a missing PySpark or Java fails these tests loudly instead of skipping them.
``spark_engine.session`` uses ``getOrCreate``, so the CLI run in-process reuses this session.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest


@pytest.fixture(scope="session")
def spark() -> Iterator[Any]:
    from painpath.registry.analytics.spark_engine import SparkUnavailable, session

    try:
        s = session(2)
    except SparkUnavailable as exc:
        pytest.fail(f"Spark tests cannot run: {exc}", pytrace=False)
    yield s
    s.stop()
