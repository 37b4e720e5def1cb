"""/api/v1/outcomes: alerts, acknowledgement, adverse events, grading, responders."""

from __future__ import annotations

from typing import Any

import pytest

from painpath.apps.outcomes.actions import review_followup_submission
from painpath.apps.outcomes.models import AdverseEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(client: Any, users: dict[str, Any]) -> Any:
    from painpath.apps.accounts.tokens import issue_token

    def call(role: str, method: str, path: str, body: Any = None) -> Any:
        _, raw = issue_token(users[role], name="test")
        headers = {"Authorization": f"Bearer {raw}"}
        if method == "get":
            return client.get(f"/api/v1/outcomes{path}", headers=headers)
        return client.post(
            f"/api/v1/outcomes{path}", body or {}, content_type="application/json", headers=headers
        )

    return call


@pytest.fixture
def severe(patient: Any) -> Any:
    (alert,) = review_followup_submission(
        patient=patient,
        responses=[],
        side_effects=[{"symptom": "confusion", "severity": "severe"}],
        red_flag_findings=[],
    )
    return alert


def test_open_alerts_and_acknowledge(api: Any, severe: Any) -> None:
    got = api("nurse", "get", "/alerts").json()
    assert [a["id"] for a in got] == [severe.pk]
    assert api("researcher", "get", "/alerts").status_code == 403
    ack = api("nurse", "post", f"/alerts/{severe.pk}/acknowledge", {"note": "rang"})
    assert ack.status_code == 200 and ack.json()["acknowledged_at"] is not None
    assert api("nurse", "get", "/alerts").json() == []
    again = api("nurse", "post", f"/alerts/{severe.pk}/acknowledge")
    assert again.status_code == 422 and "alert" in again.json()["errors"]


def test_grade_via_api_with_field_errors(api: Any, severe: Any, patient: Any) -> None:
    event = AdverseEvent.objects.get()
    bad = api("nurse", "post", f"/adverse-events/{event.pk}/grade", {"grade": 7, "serious": True})
    assert bad.status_code == 422
    assert {"grade", "causality"} <= set(bad.json()["errors"])
    death = api(
        "nurse",
        "post",
        f"/adverse-events/{event.pk}/grade",
        {"grade": 5, "serious": False, "causality": "possible"},
    )
    assert death.status_code == 422 and "serious" in death.json()["errors"]
    ok = api(
        "prescriber",
        "post",
        f"/adverse-events/{event.pk}/grade",
        {"grade": 2, "serious": False, "causality": "unlikely"},
    )
    assert ok.status_code == 200 and ok.json()["grade"] == 2
    listed = api("nurse", "get", f"/patients/{patient.pk}/adverse-events").json()
    assert [(e["symptom"], e["grade"]) for e in listed] == [("confusion", 2)]
    assert api("admin", "get", f"/patients/{patient.pk}/adverse-events").status_code == 403


def test_responders(api: Any, patient: Any, respond: Any) -> None:
    respond(patient, "nrs", [8], days_ago=60)
    respond(patient, "nrs", [4])
    got = api("nurse", "get", f"/patients/{patient.pk}/responders").json()
    assert got == [
        {
            "instrument": "nrs",
            "measure": "value",
            "status": "responder",
            "reason": "8 -> 4: improvement from baseline meets the MCID",
        }
    ]
