"""URL x role rows for the follow-up pages (apps/followup): the patient's questionnaire by secure
link (no login: every role and anonymous get the same answer), the portal (patients only), and
the clinic's follow-up page and its actions (prescriber, nurse)."""

from __future__ import annotations

from typing import Any

from tests.integration.web.url_matrix import CLINICAL, Row, World, api, expect, page

PUBLIC = {
    "followup:fill": "the secure link is the credential (no login; ADR 0078)",
    "followup:thanks": "the page after a link submission; shows no patient data",
}


def _followup_patient(w: World) -> Any:
    from tests.factories.followup import patient_with_email

    return patient_with_email(given_name="Linked", family_name="Matrix")


def _plan(w: World) -> Any:
    from tests.factories.followup import start_plan

    return start_plan(w["followup_patient"])


def _sent_set(w: World) -> Any:
    """The baseline set with a live link (emailed by a nurse)."""
    from painpath.apps.followup import actions

    s = w["followup_plan"].sets.get(timepoint="baseline")
    actions.resend_link(by=w.user("nurse"), followup_set=s)
    return s


def _token(w: World) -> str:
    from painpath.apps.followup import tokens
    from painpath.apps.followup.models import FollowUpLink

    link = FollowUpLink.objects.get(
        followup_set=w["followup_sent_set"], used_at__isnull=True, revoked_at__isnull=True
    )
    return tokens.url_token(link.nonce)


def _own_set(w: World) -> Any:
    from tests.factories.followup import start_plan

    return start_plan(w["own_patient"]).sets.get(timepoint="baseline")


def _unsent_set(w: World) -> Any:
    return w["followup_plan"].sets.get(timepoint="2w")


BUILDERS = {
    "followup_patient": _followup_patient,
    "followup_plan": _plan,
    "followup_sent_set": _sent_set,
    "followup_token": _token,
    "own_followup_set": _own_set,
    "followup_unsent_set": _unsent_set,
}


def _fill(w: World) -> dict[str, Any]:
    return {"token": w["followup_token"]}


def _set(name: str) -> Any:
    return lambda w: {"set_id": w[name].pk}


ROWS = [
    Row("followup:fill", expect(200), kwargs=_fill, note="live link, any visitor"),
    Row(
        "followup:fill",
        expect(303),
        kwargs=_fill,
        method="POST",
        data=lambda w: {"action": "save", "nrs_1": "4"},
        note="draft saved",
    ),
    Row(
        "followup:fill",
        expect(422),
        kwargs=_fill,
        method="POST",
        data=lambda w: {"action": "save", "nrs_1": "11"},
        note="out-of-range answer refused",
    ),
    Row(
        "followup:fill",
        expect(404),
        kwargs=lambda w: {"token": "not-a-link:forged"},
        note="forged link",
    ),
    Row("followup:thanks", expect(200)),
    Row("followup:portal", page(200, "patient")),
    Row("followup:portal_set", page(200, "patient"), kwargs=_set("own_followup_set")),
    Row(
        "followup:portal_set",
        page(404, "patient"),
        kwargs=_set("followup_sent_set"),
        note="another patient's set",
    ),
    Row("followup:patient", page(200, *CLINICAL), kwargs=lambda w: {"patient_id": w["patient"].pk}),
    Row(
        "followup:start",
        page(302, *CLINICAL),
        kwargs=lambda w: {"patient_id": w["patient"].pk},
        method="POST",
        data=lambda w: {"region": "low_back", "pain_measure": "nrs"},
        note="plan started",
    ),
    Row(
        "followup:start",
        page(422, *CLINICAL),
        kwargs=lambda w: {"patient_id": w["patient"].pk},
        method="POST",
        data=lambda w: {"started_on": "2001-01-01"},
        note="start date refused",
    ),
    Row(
        "followup:start",
        page(405, *CLINICAL),
        kwargs=lambda w: {"patient_id": w["patient"].pk},
        note="GET refused",
    ),
    Row(
        "followup:revoke",
        page(302, *CLINICAL),
        kwargs=_set("followup_sent_set"),
        method="POST",
        note="link withdrawn",
    ),
    Row(
        "followup:revoke",
        page(409, *CLINICAL),
        kwargs=_set("followup_unsent_set"),
        method="POST",
        note="no live link",
    ),
    Row(
        "followup:resend",
        page(302, *CLINICAL),
        kwargs=_set("followup_sent_set"),
        method="POST",
        note="new link emailed",
    ),
    Row(
        "followup:stop",
        page(302, *CLINICAL),
        kwargs=lambda w: {"plan_id": w["followup_plan"].pk},
        method="POST",
    ),
    # API
    Row(
        "api-v1:followup_sets",
        api(200, *CLINICAL),
        kwargs=lambda w: {"patient_id": w["followup_patient"].pk},
    ),
    Row(
        "api-v1:followup_start_plan",
        api(201, *CLINICAL),
        kwargs=lambda w: {"patient_id": w["patient"].pk},
        method="POST",
        data=lambda w: {"region": "low_back"},
    ),
    Row(
        "api-v1:followup_revoke_link",
        api(200, *CLINICAL),
        kwargs=_set("followup_sent_set"),
        method="POST",
    ),
    Row(
        "api-v1:followup_resend_link",
        api(200, *CLINICAL),
        kwargs=_set("followup_sent_set"),
        method="POST",
    ),
]
