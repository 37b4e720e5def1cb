"""URL x role rows for the follow-up dashboard, patient outcomes and adverse-event grading
(apps/outcomes and /api/v1/outcomes), for the URLs that exist today. The outcomes engineers own
and extend this module."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from tests.integration.web.url_matrix import CLINICAL, Row, World, api, expect, page


def _event(w: World) -> Any:
    from painpath.apps.outcomes.models import AdverseEvent

    return AdverseEvent.objects.create(
        patient=w["patient"],
        reported_at=timezone.now(),
        source="home",
        symptom="dizziness",
        reported_severity="mild",
    )


def _alert(w: World) -> Any:
    from tests.factories import AlertFactory

    return AlertFactory(patient=w["patient"])


BUILDERS = {"adverse_event": _event, "outcomes_alert": _alert}


def _pid(w: World) -> dict[str, Any]:
    return {"patient_id": w["patient"].pk}


ROWS = [
    Row("outcomes:dashboard", page(200, *CLINICAL)),
    Row(
        "outcomes:acknowledge",
        page(302, *CLINICAL),
        kwargs=lambda w: {"alert_id": w["outcomes_alert"].pk},
        method="POST",
        note="acknowledged, back to the dashboard",
    ),
    Row(
        "outcomes:acknowledge",
        page(405, *CLINICAL),
        kwargs=lambda w: {"alert_id": w["outcomes_alert"].pk},
        note="GET refused",
    ),
    Row("outcomes:patient", page(200, *CLINICAL), kwargs=_pid),
    Row(
        "outcomes:grade", page(200, *CLINICAL), kwargs=lambda w: {"event_id": w["adverse_event"].pk}
    ),
    Row(
        "outcomes:grade",
        page(422, *CLINICAL),
        kwargs=lambda w: {"event_id": w["adverse_event"].pk},
        method="POST",
        data=lambda w: {"grade": "9"},
        note="refused grade",
    ),
    # API
    Row("api-v1:list_open_alerts", api(200, *CLINICAL)),
    Row(
        "api-v1:acknowledge",
        api(200, *CLINICAL),
        kwargs=lambda w: {"alert_id": w["outcomes_alert"].pk},
        method="POST",
        data=lambda w: {"note": "seen"},
    ),
    Row("api-v1:patient_adverse_events", api(200, *CLINICAL), kwargs=_pid),
    Row(
        "api-v1:grade",
        expect(422, anonymous=401),
        kwargs=lambda w: {"event_id": w["adverse_event"].pk},
        method="POST",
        data=lambda w: {"grade": "not-a-grade"},
        note="schema refusal",
    ),
    Row("api-v1:responders", api(200, *CLINICAL), kwargs=_pid),
]
