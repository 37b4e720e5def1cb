"""Secret follow-up link tokens never reach a log line.

A patient's follow-up link (``/f/<token>/``) is a bearer secret. The follow-up views keep their
own error answers out of Django's request log, but other loggers print the path too (CSRF
failures in ``django.security.csrf``, server errors in ``django.request``). This filter, on every
handler, rewrites any ``/f/<token>`` in a record to ``/f/[redacted]`` before it is written.
"""

from __future__ import annotations

import logging
import re

LINK_TOKEN = re.compile(r"/f/[^/\s?#\"']+")
REDACTED = "/f/[redacted]"


def redact(text: str) -> str:
    return LINK_TOKEN.sub(REDACTED, text)


class RedactLinkTokens(logging.Filter):
    """Formats the message once, redacted; never drops a record."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = redact(message)
        if redacted != message:
            record.msg, record.args = redacted, None
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        return True
