"""URL x role rows for the follow-up pages (apps/followup): the secure-link questionnaire, the
patient portal and the clinic's follow-up pages.

No follow-up URL existed when this module was started, so it has no rows yet: the follow-up
engineers own it and add a row per URL (and ``PUBLIC = {"followup:fill": "secure link, no
log-in", ...}`` for views that deliberately have no ``@require``). ``test_url_matrix.py`` fails
naming every follow-up URL that still has no row.
"""

from __future__ import annotations

from tests.integration.web.url_matrix import Row

ROWS: list[Row] = []
PUBLIC: dict[str, str] = {}
