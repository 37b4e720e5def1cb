"""URL x role rows for the researcher web area (apps/research): published cohort reports.

Only researchers (``VIEW_REGISTRY``) may open these pages; every other role gets 403 before
anything is looked up, anonymous users go to log in. The matrix runs without a reports folder
of its own (the setting's default), so a report or file that is not published answers a
researcher 404; tests/integration/research/ covers published reports, downloads and refusals
with a real report built from `painpath registry synth`.
"""

from __future__ import annotations

from tests.integration.web.url_matrix import Row, page

RESEARCH = ("researcher",)

ROWS = [
    Row("research:reports", page(200, *RESEARCH)),
    Row(
        "research:reports",
        page(405, *RESEARCH),
        method="POST",
        note="read-only: publishing is on the command line",
    ),
    Row(
        "research:report",
        page(404, *RESEARCH),
        kwargs=lambda w: {"report": "not-published"},
        note="no such published report",
    ),
    Row(
        "research:file",
        page(404, *RESEARCH),
        kwargs=lambda w: {"report": "not-published", "filename": "outcomes.csv"},
        note="no such published report",
    ),
]
