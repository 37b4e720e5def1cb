"""/api/v1/followup: sets, starting a plan, withdrawing and resending links (tokens never shown)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core import mail
from django.test import Client

from painpath.apps.accounts.tokens import issue_token
from painpath.apps.followup.models import FollowUpLink, FollowUpPlan

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(users: dict[str, Any]) -> Any:
    def call(method: str, path: str, body: Any = None, *, role: str = "nurse") -> Any:
        token = issue_token(users[role], name="test")[1]
        client = Client()
        return getattr(client, method)(
            f"/api/v1/followup{path}",
            json.dumps(body) if body is not None else None,
            content_type="application/json",
            headers={"Authorization": f"Bearer {token}"},
        )

    return call


def test_start_plan_list_sets_resend_and_revoke(api: Any, patient: Any) -> None:
    resp = api("post", f"/patients/{patient.pk}/plans", {"region": "neck", "pain_measure": "bpi"})
    assert resp.status_code == 201, resp.content
    plan = resp.json()
    assert plan["region"] == "neck" and plan["sets"][0]["timepoint"] == "baseline"
    assert "ndi" in plan["sets"][0]["instruments"] and len(plan["sets"]) == 14
    sets = api("get", f"/patients/{patient.pk}/sets").json()
    assert [s["timepoint"] for s in sets][:3] == ["baseline", "2w", "1m"]
    baseline = sets[0]["id"]
    sent = api("post", f"/sets/{baseline}/resend")
    assert sent.status_code == 200 and sent.json()["status"] == "sent"
    assert len(mail.outbox) == 1
    assert "token" not in sent.content.decode() and "/f/" not in sent.content.decode()
    revoked = api("post", f"/sets/{baseline}/revoke")
    assert revoked.status_code == 200 and revoked.json()["status"] == "sent"
    assert FollowUpLink.objects.get().revoke_reason == "clinician"
    again = api("post", f"/sets/{baseline}/revoke")
    assert again.status_code == 422 and again.json() == {
        "errors": {"link": "there is no live link to revoke"}
    }


def test_bad_plan_input_names_the_field(api: Any, patient: Any) -> None:
    resp = api("post", f"/patients/{patient.pk}/plans", {"region": "knee"})
    assert resp.status_code == 422 and "region" in resp.json()["errors"]
    resp = api("post", f"/patients/{patient.pk}/plans", {"schedule": {"window_days": 0}})
    assert resp.status_code == 422 and "schedule.window_days" in resp.json()["errors"]
    resp = api("post", f"/patients/{patient.pk}/plans", {"treatment_id": 999999})
    assert resp.status_code == 422 and "treatment_id" in resp.json()["errors"]
    assert not FollowUpPlan.objects.exists()


@pytest.mark.parametrize("role", ["admin", "researcher", "charity", "patient"])
def test_other_roles_are_refused(api: Any, patient: Any, role: str) -> None:
    assert api("get", f"/patients/{patient.pk}/sets", role=role).status_code == 403
    resp = api("post", f"/patients/{patient.pk}/plans", {}, role=role)
    assert resp.status_code == 403 and not FollowUpPlan.objects.exists()
