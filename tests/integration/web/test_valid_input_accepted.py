"""Valid clinical input is still accepted after the input hardening, and stored exactly.

The hardening of December 2026 refuses control characters (C0 but tab and line breaks, DEL),
non-ASCII digits in numbers and ids, and absurd lengths. These tests post what clinicians and
patients really type, through the web forms and the API, and read the row back: names with
accents, apostrophes, hyphens and other scripts, multi-line notes with tabs, bullets, emoji and
typographic quotes, NHS numbers typed with spaces or hyphens (validators.normalise_nhs_number:
"spaces or hyphens allowed between them"), today's date and the recent past, decimals, long
notes, GP practice names with '&' and '/', phone numbers with '+', lower-case postcodes.

What the app normalises on purpose is checked as normalised: an NHS number is stored as its ten
digits, a postcode in upper case with single spaces, free text without leading and trailing
white space.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from painpath.apps.accounts.tokens import issue_token
from painpath.apps.assessments.models import Assessment, QuestionnaireResponse
from painpath.apps.medicines import models as m
from painpath.apps.outcomes.models import AdverseEvent
from painpath.apps.patients.models import Alert, Consent, Note, Patient, Referral, Treatment
from painpath.apps.patients.validators import check_digit
from painpath.clinical.instruments import get
from tests.integration.web.test_form_bad_input import BUILDERS as FORM_BUILDERS
from tests.integration.web.url_matrix import World, load

pytestmark = pytest.mark.django_db

MATRIX = load()
TODAY = timezone.localdate()
LAST_WEEK = TODAY - dt.timedelta(days=7)

#: Names as people are really called: accents, apostrophes, hyphens, Welsh, Irish,
#: Vietnamese, Chinese, Arabic, Persian, Greek, Cyrillic.
NAMES = [
    ("Zoë", "O'Brien-Łukasiewicz"),
    ("Siân", "ap Dafydd"),
    ("李", "小龙"),
    ("José María", "García-Núñez"),
    ("Siobhán", "Ó Súilleabháin"),
    ("Nguyễn", "Thị Ánh"),
    ("فاطمة", "الزهراء"),
    ("Αθηνά", "Παπαδοπούλου"),
    ("Ёлка", "Щукина"),
    ("Mary\u2019s", "D\u2019Arcy"),  # typographic apostrophe, as phones type it
    ("Mehrnoush", "نیک\u200cنام"),  # Persian: a zero-width non-joiner is part of the spelling
    ("Zoe\u0308", "Lo\u0301pez"),  # decomposed accents (as macOS may send them): kept as typed
]

#: A note as clinicians write one: line breaks as a browser posts them (CRLF), tabs, bullets,
#: emoji, typographic quotes and dashes, accents, symbols and other scripts.
NOTE_LINES = (
    "Review \u2013 telephone call with Zoë\u2019s daughter.\r\n"
    "\u2022 Pain 6/10 \u2192 4/10 since starting the ‘new’ regime 👍\r\n"
    "\t\u25e6 Sleep: “better, most nights”\r\n"
    "\u2022 Dose 2.5 ml b.d. (≈ 50 mg CBD/day); no dizziness; T° 37.2 °C\r\n"
    "Seen with 👩\u200d⚕️ (ZWJ emoji) and interpreter\u00a0(Arabic)\r\n"
    "Plan:\t1) continue\t2) review in 2/52 ½ dose if drowsy ✓ — Dr Ó Súilleabháin 李医生\r\n"
)


def nhs_number(first_nine: str) -> str:
    """A valid NHS number (Modulus 11) from nine digits."""
    digit = check_digit(first_nine)
    assert digit is not None, first_nine
    return f"{first_nine}{digit}"


def _nine(seed: int) -> str:
    """Nine digits whose NHS number has a check digit (11 - sum mod 11 is not 10)."""
    n = 400_000_000 + seed * 7919
    while check_digit(str(n)) is None:
        n += 1
    return str(n)


def typed(number: str, style: str) -> str:
    """``number`` as people type it: 3-3-4 groups with spaces, hyphens or both."""
    groups = (number[:3], number[3:6], number[6:])
    return {
        "spaces": " ".join(groups),
        "hyphens": "-".join(groups),
        "mixed": f" {groups[0]} - {groups[1]}-{groups[2]} ",
        "plain": number,
    }[style]


def _long_note(length: int) -> str:
    """``length`` characters of realistic note text (no leading or trailing white space)."""
    text = (NOTE_LINES * (length // len(NOTE_LINES) + 1))[:length]
    while text[-1].isspace():  # the action strips: keep the test's expectation exact
        text = text[:-1] + "."
    return text


@pytest.fixture
def world(db: Any) -> World:
    return World({**MATRIX.builders, **FORM_BUILDERS})


def _client(world: World, role: str) -> Client:
    client = Client(raise_request_exception=True)
    if role != "anonymous":
        client.force_login(world.user(role))
    return client


def _post_form(client: Client, name: str, body: dict[str, Any], **kwargs: Any) -> Any:
    response = client.post(reverse(name, kwargs=kwargs or None), body)
    assert response.status_code in (200, 302, 303), (
        f"{name} refused valid input: {response.status_code}\n"
        f"{response.content.decode('utf-8', 'replace')[:3000]}"
    )
    if response.status_code == 200:  # a re-shown form must not be showing errors
        html = response.content.decode()
        assert 'class="error' not in html, html[:3000]
    return response


# --- web forms ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("given", "family"), NAMES, ids=[f"{g} {f}" for g, f in NAMES])
def test_web_registration_stores_real_names_and_details_exactly(
    world: World, given: str, family: str
) -> None:
    number = nhs_number(_nine(NAMES.index((given, family))))
    body = {
        "nhs_number": typed(number, "spaces"),
        "given_name": given,
        "family_name": family,
        "date_of_birth": "1948-02-29",
        "sex": "female",
        "email": "zoe.obrien@example.org",
        "phone": "+44 (0)29 2087 4000",
        "address": "Flat 2/1, Tŷ Gwyn\r\n12 Heol y Frenhines\r\nCaerdydd",
        "postcode": "cf10  1aa",
        "gp_practice_name": "St Mary's & St John's Surgery / Meddygfa Llan",
        "gp_practice_code": "w97001",
        "gp_email": "gp.practice@nhs.example",
        "consent_gp_sharing": "yes",
        "referral_source": "gp",
        "referral_referrer": "Dr Siân Ó Briain, Meddygfa Llan",
        "referral_received_on": TODAY.isoformat(),
        "referral_reason": "Low back pain – 6 months.\r\n\t• nights worse\r\n“can’t sit” 😣",
    }
    _post_form(_client(world, "admin"), "patients:new", body)
    p = Patient.objects.get(nhs_number=number)
    assert (p.given_name, p.family_name) == (given, family)
    assert p.date_of_birth == dt.date(1948, 2, 29)
    assert p.phone == "+44 (0)29 2087 4000"
    assert p.address == "Flat 2/1, Tŷ Gwyn\r\n12 Heol y Frenhines\r\nCaerdydd"
    assert p.postcode == "CF10 1AA"
    assert p.gp_practice_name == "St Mary's & St John's Surgery / Meddygfa Llan"
    assert p.gp_practice_code == "W97001"
    referral = Referral.objects.get(patient=p)
    assert referral.received_on == TODAY
    assert referral.referrer == "Dr Siân Ó Briain, Meddygfa Llan"
    assert referral.reason == "Low back pain – 6 months.\r\n\t• nights worse\r\n“can’t sit” 😣"


@pytest.mark.parametrize("style", ["spaces", "hyphens", "mixed", "plain"])
def test_web_demographics_edit_takes_nhs_numbers_typed_with_spaces_or_hyphens(
    world: World, style: str
) -> None:
    patient = world["patient"]
    number = nhs_number(_nine(100 + ["spaces", "hyphens", "mixed", "plain"].index(style)))
    body = {
        "nhs_number": typed(number, style),
        "given_name": "Siân",
        "family_name": "Ní Bhriain-李",
        "date_of_birth": LAST_WEEK.isoformat(),  # a newborn: the recent past is a valid birth
        "sex": "male",
        "phone": "+353 1 234 5678",
        "postcode": "bt1 1aa",
        "address": "",
        "email": "",
        "gp_practice_name": "Smith & Jones / Riverside",
        "gp_practice_code": "",
        "gp_email": "",
    }
    _post_form(_client(world, "nurse"), "patients:edit", body, patient_id=patient.pk)
    patient.refresh_from_db()
    assert patient.nhs_number == number
    assert (patient.given_name, patient.family_name) == ("Siân", "Ní Bhriain-李")
    assert patient.date_of_birth == LAST_WEEK
    assert patient.postcode == "BT1 1AA"
    assert patient.gp_practice_name == "Smith & Jones / Riverside"


@pytest.mark.parametrize("length", [len(NOTE_LINES.strip()), 5_000, 20_000])
def test_web_note_stores_multi_line_unicode_text_exactly(world: World, length: int) -> None:
    patient = world["patient"]
    text = NOTE_LINES.strip() if length == len(NOTE_LINES.strip()) else _long_note(length)
    _post_form(_client(world, "nurse"), "patients:note_new", {"text": text}, patient_id=patient.pk)
    assert Note.objects.get(patient=patient).text == text


def test_web_referral_treatment_and_consent_take_today_and_unicode(world: World) -> None:
    patient = world["patient"]
    nurse, admin = _client(world, "nurse"), _client(world, "admin")
    _post_form(admin, "patients:referral_new", {
        "source": "gp", "referrer": "Dr Ó Súilleabháin & partners / Llan", "received_on":
        TODAY.isoformat(), "reason": "Neck pain ‘since the fall’ —\r\n\t• worse at night 🌙",
    }, patient_id=patient.pk)  # fmt: skip
    referral = Referral.objects.get(patient=patient)
    assert referral.received_on == TODAY
    assert referral.referrer == "Dr Ó Súilleabháin & partners / Llan"
    assert referral.reason == "Neck pain ‘since the fall’ —\r\n\t• worse at night 🌙"

    _post_form(nurse, "patients:treatment_new", {
        "category": "nsaid", "name": "co-codamol 30/500 → naproxen 500 mg", "started_on":
        LAST_WEEK.isoformat(), "stopped_on": TODAY.isoformat(), "effect": "not_tolerated",
        "reason_stopped": "Dyspepsia; “felt sick” 🤢\r\n\tstopped by GP",
    }, patient_id=patient.pk)  # fmt: skip
    treatment = Treatment.objects.get(patient=patient)
    assert treatment.name == "co-codamol 30/500 → naproxen 500 mg"
    assert (treatment.started_on, treatment.stopped_on) == (LAST_WEEK, TODAY)
    assert treatment.reason_stopped == "Dyspepsia; “felt sick” 🤢\r\n\tstopped by GP"

    _post_form(admin, "patients:consents", {
        "kind": "gp_sharing", "status": "given", "decided_on": TODAY.isoformat(),
    }, patient_id=patient.pk)  # fmt: skip
    assert Consent.objects.filter(patient=patient, kind="gp_sharing", decided_on=TODAY).exists()


def test_web_assessment_takes_range_edges_and_a_unicode_examination(world: World) -> None:
    patient = world["patient"]
    examination = "SLR 60° R, 80° L.\r\n\t• Power 5/5 — “normal” ✓\r\nReflexes ↔ symmetrical"
    body = {
        "region": "low_back", "duration_weeks": "0", "age_at_onset": "0",
        "finding": ["night_pain"], "examination": examination, "action": "save",
        **{f"startback_startback_{i}": "1" for i in range(1, 9)},
        "startback_startback_9": "4",
    }  # fmt: skip
    _post_form(_client(world, "nurse"), "assessments:new", body, patient_id=patient.pk)
    assessment = Assessment.objects.get(patient=patient)
    assert assessment.examination == examination


@pytest.mark.parametrize("value", ["0", "3"])
def test_web_questionnaire_takes_the_lowest_and_highest_answers(world: World, value: str) -> None:
    patient = world["patient"]
    body = {f"item_gad7_{i}": value for i in range(1, 8)}
    _post_form(_client(world, "nurse"), "assessments:questionnaire_new", body,
               patient_id=patient.pk, code="gad7")  # fmt: skip
    response = QuestionnaireResponse.objects.get(patient=patient, instrument="gad7")
    assert response.answers == [int(value)] * 7


def test_web_medicines_take_decimals_today_and_unicode(world: World) -> None:
    prescriber, nurse = _client(world, "prescriber"), _client(world, "nurse")
    _post_form(prescriber, "medicines:formulary", {
        "name": "Ölfarm CBD 22.5/0.5 oil – “full spectrum”", "form": "oil", "unit": "ml",
        "route": "oral / sublingual", "thc_mg_per_unit": "0.5", "cbd_mg_per_unit": "22.5",
        "pack_sizes": "10, 30",
    })  # fmt: skip
    product = m.Product.objects.get(name="Ölfarm CBD 22.5/0.5 oil – “full spectrum”")
    assert product.route == "oral / sublingual"
    assert (product.thc_mg_per_unit, product.cbd_mg_per_unit) == (Decimal("0.5"), Decimal("22.5"))

    patient = world["patient"]
    rationale = "Two failed treatments (naproxen, pregabalin).\r\n\t• NG144 discussed — “accepts”"
    _post_form(prescriber, "medicines:decide", {
        "decision": "declined", "rationale": rationale, "mdt_agreement": "on",
        "mdt_date": TODAY.isoformat(), "prior_cannabis_use": "never",
    }, patient_id=patient.pk)  # fmt: skip
    decision = m.EligibilityDecision.objects.get(patient=patient)
    assert decision.rationale == rationale
    assert decision.mdt_date == TODAY

    _post_form(nurse, "medicines:rx_new", {
        "product": str(product.pk), "kind": "initiation", "dose": "0.25 ml b.d. – ½ dose at first",
        "unit": "ml", "daily_amount": "2.5", "quantity": "30",
        "quantity_words": "thirty (30) millilitres",
    }, patient_id=patient.pk)  # fmt: skip
    rx = m.Prescription.objects.get(patient=patient)
    assert rx.dose == "0.25 ml b.d. – ½ dose at first"
    assert (rx.daily_amount, rx.quantity) == (Decimal("2.5"), Decimal("30"))

    reason = _long_note(2000)  # the longest reason allowed
    _post_form(nurse, "medicines:rx_cancel", {"reason": reason}, rx_id=rx.pk)
    transition = m.PrescriptionTransition.objects.get(prescription=rx, event="cancel")
    assert transition.reason == reason


def test_web_alert_acknowledgement_takes_the_longest_unicode_note(world: World) -> None:
    alert = world["outcomes_alert"]
    note = _long_note(2000)
    client = _client(world, "nurse")
    response = client.post(reverse("outcomes:acknowledge", kwargs={"alert_id": alert.pk}),
                           {"note": note})  # fmt: skip
    assert response.status_code in (200, 302), response.content[:2000]
    alert.refresh_from_db()
    assert alert.acknowledged_at is not None
    assert alert.acknowledgement_note == note


# --- API ---------------------------------------------------------------------------------------


def _api(world: World, role: str = "prescriber") -> tuple[Client, dict[str, str]]:
    _, raw = issue_token(world.user(role), name="valid-input")
    return Client(raise_request_exception=True), {"Authorization": f"Bearer {raw}"}


def _send(client: Client, method: str, path: str, body: Any, headers: dict[str, str]) -> Any:
    response = getattr(client, method)(
        path, json.dumps(body), content_type="application/json", headers=headers
    )
    assert response.status_code in (200, 201), (response.status_code, response.content[:3000])
    return response.json()


@pytest.mark.parametrize("style", ["spaces", "hyphens", "mixed"])
def test_api_registration_and_update_store_real_names_exactly(world: World, style: str) -> None:
    client, headers = _api(world)
    number = nhs_number(_nine(200 + ["spaces", "hyphens", "mixed"].index(style)))
    body = {
        "nhs_number": typed(number, style), "given_name": "Zoë", "family_name":
        "O'Brien-Łukasiewicz", "date_of_birth": "2001-12-31", "sex": "other",
        "phone": "+44 7700 900123", "postcode": "sw1a 1aa",
        "address": "Apartment 3/2\n10 Rue de l’Église\tBlock B",
        "gp_practice_name": "Dr Patel & Partners / The Health Centre",
        "gp_practice_code": "a81001",
        "consents": {"gp_sharing": True},
        "referral": {"source": "gp", "referrer": "Dr José María García", "received_on":
                     LAST_WEEK.isoformat(), "reason": "• Sciatica “shooting”\n\tL5 ✓ 🙏"},
    }  # fmt: skip
    data = _send(client, "post", "/api/v1/patients", body, headers)
    p = Patient.objects.get(pk=data["id"])
    assert p.nhs_number == number == data["nhs_number"]
    assert (p.given_name, p.family_name) == ("Zoë", "O'Brien-Łukasiewicz")
    assert p.phone == "+44 7700 900123"
    assert p.postcode == "SW1A 1AA"
    assert p.address == "Apartment 3/2\n10 Rue de l’Église\tBlock B"
    assert p.gp_practice_name == "Dr Patel & Partners / The Health Centre"
    referral = Referral.objects.get(patient=p)
    assert referral.reason == "• Sciatica “shooting”\n\tL5 ✓ 🙏"
    assert referral.received_on == LAST_WEEK

    for given, family in NAMES:
        _send(client, "patch", f"/api/v1/patients/{p.pk}",
              {"given_name": given, "family_name": family}, headers)  # fmt: skip
        p.refresh_from_db()
        assert (p.given_name, p.family_name) == (given, family)
    hundred = "Ł" * 100  # the longest name the column holds
    _send(client, "patch", f"/api/v1/patients/{p.pk}", {"family_name": hundred}, headers)
    p.refresh_from_db()
    assert p.family_name == hundred


@pytest.mark.parametrize("length", [len(NOTE_LINES.strip()), 5_000, 20_000])
def test_api_note_stores_multi_line_unicode_text_exactly(world: World, length: int) -> None:
    client, headers = _api(world)
    patient = world["patient"]
    text = NOTE_LINES.strip() if length == len(NOTE_LINES.strip()) else _long_note(length)
    data = _send(client, "post", f"/api/v1/patients/{patient.pk}/notes", {"text": text}, headers)
    assert data["text"] == text
    assert Note.objects.get(patient=patient).text == text


def test_api_treatment_referral_consent_take_today_and_unicode(world: World) -> None:
    client, headers = _api(world)
    patient = world["patient"]
    _send(client, "post", "/api/v1/treatments", {
        "patient_id": patient.pk, "category": "nsaid", "name": "ibuprofen 400 mg t.d.s. – PRN",
        "started_on": LAST_WEEK.isoformat(), "stopped_on": TODAY.isoformat(),
        "effect": "no_effect", "reason_stopped": "“No difference” ✗\n\tstopped 😕",
    }, headers)  # fmt: skip
    treatment = Treatment.objects.get(patient=patient)
    assert treatment.name == "ibuprofen 400 mg t.d.s. – PRN"
    assert treatment.reason_stopped == "“No difference” ✗\n\tstopped 😕"
    assert treatment.stopped_on == TODAY

    _send(client, "post", f"/api/v1/patients/{patient.pk}/referrals", {
        "source": "self", "referrer": "", "received_on": TODAY.isoformat(),
        "reason": "Fy nghefn – poen ers mis\n• ‘methu cysgu’",
    }, headers)  # fmt: skip
    assert (
        Referral.objects.get(patient=patient).reason == "Fy nghefn – poen ers mis\n• ‘methu cysgu’"
    )

    _send(client, "post", f"/api/v1/patients/{patient.pk}/consents",
          {"kind": "gp_sharing", "status": "given", "decided_on": TODAY.isoformat()},
          headers)  # fmt: skip
    assert Consent.objects.filter(patient=patient, decided_on=TODAY).exists()


@pytest.mark.parametrize("answers", [[0] * 9, [3] * 9, [0, 1, 2, 3, 0, 3, 2, 1, 0]])
def test_api_questionnaire_takes_the_lowest_and_highest_answers(
    world: World, answers: list[int]
) -> None:
    client, headers = _api(world)
    patient = world["patient"]
    body = {"patient_id": patient.pk, "instrument": "phq9", "answers": answers}
    _send(client, "post", "/api/v1/questionnaire-responses", body, headers)
    assert QuestionnaireResponse.objects.get(patient=patient).answers == answers


def test_api_alert_acknowledgement_takes_the_longest_unicode_note(world: World) -> None:
    client, headers = _api(world, "nurse")
    alert = world["outcomes_alert"]
    note = _long_note(2000)
    path = f"/api/v1/outcomes/alerts/{alert.pk}/acknowledge"
    _send(client, "post", path, {"note": note}, headers)
    assert Alert.objects.get(pk=alert.pk).acknowledgement_note == note


def test_api_search_finds_names_with_accents_and_apostrophes(world: World) -> None:
    client, headers = _api(world)
    number = nhs_number(_nine(300))
    _send(client, "post", "/api/v1/patients", {
        "nhs_number": number, "given_name": "Siân", "family_name": "O'Brien-Łukasiewicz",
        "date_of_birth": "1970-01-01", "sex": "female",
    }, headers)  # fmt: skip
    for q in ("O'Brien", "Łukasiewicz", "Siân"):
        r = client.get("/api/v1/patients", {"q": q}, headers=headers)
        assert r.status_code == 200, r.content
        assert [row["nhs_number"] for row in r.json()] == [number], q


@pytest.mark.parametrize("nrs", ["0", "10"])
def test_web_patient_link_takes_pain_edges_and_an_emoji_side_effect(world: World, nrs: str) -> None:
    """The patient's own words (a secure-link form, no login): pain at both ends, an emoji."""
    description = "Dry mouth 👄 & “a bit woozy” after the 2nd dose —\r\n\tbetter by lunch ☺"
    s = world["followup_sent_set"]
    s.ask_side_effects = True  # the baseline set does not ask; later ones do
    s.save(update_fields=["ask_side_effects"])
    body = {
        "action": "submit", "se_any": "yes", "se_symptoms": "other", "se_other_severity": "mild",
        "se_other_description": description, "rf_any": "no",
    }  # fmt: skip
    for code in s.instruments:  # every item answered with its lowest answer
        for item in get(code).items:
            body[item.code] = str(item.values[0])
    body["nrs_1"] = nrs
    r = _post_form(
        _client(world, "anonymous"), "followup:fill", body, token=world["followup_token"]
    )
    assert r.headers["Location"] == reverse("followup:thanks")
    event = AdverseEvent.objects.get(followup_set_id=s.pk)
    assert event.description == description
