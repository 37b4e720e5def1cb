"""URL x role rows for signing in and out, password change and role homes (apps/accounts)."""

from __future__ import annotations

from tests.integration.web.url_matrix import Row, expect, page


def _portal_installed() -> bool:
    from painpath.apps.accounts.context_processors import url_or_none

    return url_or_none("followup:portal") is not None


#: accounts:portal is the simple page until followup:portal exists, then a redirect to it.
PORTAL = 302 if _portal_installed() else 200

ROWS = [
    Row(
        "accounts:home",
        expect(
            prescriber=302,
            nurse=302,
            admin=302,
            researcher=200,
            charity=200,
            patient=302,
            anonymous=302,
        ),
        note="clinic staff to patients, patient to portal, others a guide",
    ),
    Row("accounts:login", expect(302, anonymous=200), note="signed-in users are sent home"),
    Row(
        "accounts:login",
        expect(302, anonymous=422),
        method="POST",
        data=lambda w: {"username": "nobody", "password": "wrong-password"},
        note="bad credentials re-show the form",
    ),
    Row("accounts:logout", expect(405), note="GET does not log out"),
    Row("accounts:logout", expect(302), method="POST"),
    Row(
        "accounts:password_change",
        page(200, *("prescriber", "nurse", "admin", "researcher", "charity", "patient")),
    ),
    Row(
        "accounts:password_change",
        page(422, *("prescriber", "nurse", "admin", "researcher", "charity", "patient")),
        method="POST",
        data=lambda w: {"old_password": "wrong", "new_password1": "x", "new_password2": "y"},
        note="refused change",
    ),
    Row("accounts:portal", page(PORTAL, "patient"), note="or to followup:portal once installed"),
]
