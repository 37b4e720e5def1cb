"""Secure links: forged, unknown, expired, used (replayed), withdrawn, replaced, another patient's
set, guessing throttled; a clear page each time and nothing saved (ADR 0078)."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

import pytest
from django.core import signing
from django.urls import resolve
from django.utils import timezone

from painpath.apps.assessments.models import QuestionnaireResponse
from painpath.apps.audit.models import AuditEvent
from painpath.apps.followup import actions, links, tokens
from painpath.apps.followup.models import FollowUpDraft, FollowUpLink, LinkFailure
from tests.factories.followup import patient_with_email

pytestmark = pytest.mark.django_db


def nothing_saved() -> bool:
    return not QuestionnaireResponse.objects.exists() and not FollowUpDraft.objects.exists()


def test_good_link_opens_only_its_set_and_the_read_is_audited(client: Any, invited: Any) -> None:
    s, path = invited()
    resp = client.get(path)
    assert resp.status_code == 200
    html = resp.content.decode()
    assert "Hello Robin." in html and "Patient Health Questionnaire 9" in html
    assert s.patient.family_name not in html and s.patient.nhs_number not in html
    assert resp["Referrer-Policy"] == "same-origin" and "no-store" in resp["Cache-Control"]
    event = AuditEvent.objects.get(object_type="followup_set", action="read")
    assert (event.actor_label, event.patient_id, event.object_id) == (
        "followup-link",
        s.patient_id,
        str(s.pk),
    )
    assert FollowUpLink.objects.get(followup_set=s, used_at__isnull=True).last_opened_at


def test_forged_link_is_refused_before_any_lookup(
    client: Any, invited: Any, django_assert_max_num_queries: Any
) -> None:
    _, path = invited()
    token = path.split("/")[2]
    raw, sig = token.rsplit(":", 1)
    tampered = f"/f/{raw[:-1]}{'A' if raw[-1] != 'A' else 'B'}:{sig}/"
    resp = client.post(tampered, {"action": "save", "nrs_1": "5"})
    assert resp.status_code == 404 and "This link does not work" in resp.content.decode()
    assert nothing_saved() and LinkFailure.objects.count() == 1


def test_unknown_but_well_signed_token_is_404(client: Any, invited: Any) -> None:
    invited()
    forged = signing.Signer(salt="painpath.followup.link-url").sign("x" * 43)
    resp = client.get(f"/f/{forged}/")
    assert resp.status_code == 404 and "We do not recognise this link" in resp.content.decode()


def test_expired_link_is_410_and_saves_nothing(client: Any, invited: Any, form: Any) -> None:
    s, path = invited()
    FollowUpLink.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    for resp in (client.get(path), client.post(path, form(s, action="save"))):
        assert resp.status_code == 410 and "This link has expired" in resp.content.decode()
    assert nothing_saved()


def test_used_link_replayed_is_410_and_saves_nothing_twice(
    client: Any, invited: Any, form: Any
) -> None:
    s, path = invited()
    assert client.post(path, form(s)).status_code == 303
    n = QuestionnaireResponse.objects.count()
    assert n == len(s.instruments)
    again = client.post(path, form(s, phq9_item9=3))
    assert again.status_code == 410 and "Already sent" in again.content.decode()
    assert QuestionnaireResponse.objects.count() == n
    assert client.get(path).status_code == 410


def test_withdrawn_link_is_403(client: Any, invited: Any, nurse: Any, form: Any) -> None:
    s, path = invited()
    actions.revoke_link(by=nurse, followup_set=s)
    resp = client.post(path, form(s))
    assert resp.status_code == 403 and "withdrawn" in resp.content.decode()
    assert nothing_saved() and s.status != "completed"


def test_replaced_link_is_410_and_the_new_one_works(client: Any, invited: Any) -> None:
    _, old = invited()
    _, new = invited()
    assert old != new
    resp = client.get(old)
    assert resp.status_code == 410 and "newer link" in resp.content.decode()
    assert client.get(new).status_code == 200


def test_link_reaches_only_its_own_set(client: Any, invited: Any, form: Any, nurse: Any) -> None:
    """A's link submits A's set only; there is no way to name B's set through it."""
    other = patient_with_email(given_name="Sam", family_name="Other")
    b, b_path = invited(who=other)
    a, a_path = invited()
    assert client.post(a_path, form(a)).status_code == 303
    b.refresh_from_db()
    assert b.status == "sent"
    assert set(QuestionnaireResponse.objects.values_list("patient_id", flat=True)) == {a.patient_id}
    # The URL holds only the token: no set or patient id to change.
    assert list(resolve(b_path).kwargs) == ["token"]


def test_guessing_is_throttled_per_address(client: Any, invited: Any) -> None:
    _, path = invited()
    for i in range(links.MAX_FAILURES):
        assert client.get(f"/f/guess{i}:nosig/").status_code == 404
    resp = client.get(path)
    assert resp.status_code == 429 and "Too many attempts" in resp.content.decode()


def test_raw_tokens_are_never_stored_and_never_logged(
    client: Any, invited: Any, caplog: Any
) -> None:
    s, path = invited()
    url_token = path.split("/")[2]
    token = tokens.unsign(url_token)
    assert token is not None
    link = FollowUpLink.objects.get(followup_set=s, used_at__isnull=True, revoked_at__isnull=True)
    assert link.token_hash == tokens.token_hash(token) and token not in str(vars(link))
    FollowUpLink.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    with caplog.at_level(logging.DEBUG):
        assert client.get(path).status_code == 410
    assert caplog.records and not any(token in r.getMessage() for r in caplog.records)
