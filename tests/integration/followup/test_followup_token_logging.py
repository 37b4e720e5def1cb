"""A follow-up link's token never reaches the server log, even from Django's own loggers.

The CSRF failure log (``django.security.csrf``) prints the request path, token included; the
console handler's filter (painpath.config.log_redaction) rewrites it before it is written.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client

from painpath.config.log_redaction import RedactLinkTokens, redact

pytestmark = pytest.mark.django_db


@pytest.fixture
def server_log() -> Iterator[io.StringIO]:
    """What the configured console handler (settings.LOGGING) writes."""
    handlers = [
        h
        for h in logging.getLogger().handlers
        if any(isinstance(f, RedactLinkTokens) for f in h.filters)
    ]
    assert handlers, "settings.LOGGING must put the redaction filter on the console handler"
    stream = io.StringIO()
    old = [h.setStream(stream) for h in handlers]  # type: ignore[attr-defined]
    try:
        yield stream
    finally:
        for h, s in zip(handlers, old, strict=True):
            h.setStream(s)  # type: ignore[attr-defined]


def test_csrf_failure_on_a_link_page_logs_no_token(invited: Any, server_log: io.StringIO) -> None:
    _, path = invited()
    token = path.split("/f/", 1)[1].strip("/")
    response = Client(enforce_csrf_checks=True).post(path, {"action": "save"})
    assert response.status_code == 403
    written = server_log.getvalue()
    assert "Forbidden (CSRF" in written  # the failure itself is still logged
    assert "/f/[redacted]" in written
    assert token not in written


def test_server_error_path_is_redacted() -> None:
    record = logging.LogRecord(
        "django.request",
        logging.ERROR,
        __file__,
        1,
        "Internal Server Error: %s",
        ("/f/abc.d-e/",),
        None,
    )
    assert RedactLinkTokens().filter(record) is True
    assert record.getMessage() == "Internal Server Error: /f/[redacted]/"
    assert redact("GET /patients/3/follow-up/") == "GET /patients/3/follow-up/"
