"""Assessment pages (live triage preview, save, stored triage) and questionnaire entry."""

from __future__ import annotations

from typing import Any

import pytest

from painpath.apps.assessments.models import Assessment, QuestionnaireResponse
from painpath.apps.audit.models import AuditEvent
from painpath.apps.patients.models import Alert

pytestmark = pytest.mark.django_db

SADDLE = {
    "region": "low_back",
    "duration_weeks": "30",
    "finding": ["saddle_anaesthesia"],
    "days_saddle_anaesthesia": "2",
    "course_saddle_anaesthesia": "new",
}


def _new(patient: Any) -> str:
    return f"/patients/{patient.pk}/assessments/new/"


def test_form_shows_grouped_findings_and_neutral_screening_labels(
    as_role: Any, patient: Any
) -> None:
    from painpath.clinical import triage
    from painpath.clinical.instruments import get

    html = as_role("nurse").get(_new(patient)).content.decode()
    for code, finding in triage.FINDINGS.items():
        assert f'value="{code}"' in html
        assert finding.meaning.replace("'", "&#x27;") in html
    assert 'name="days_saddle_anaesthesia"' in html  # timed finding: days and course asked
    assert 'name="days_night_pain"' not in html
    for item in get("startback").items:
        assert item.label in html
    assert 'hx-post="/patients/' in html and 'value="preview"' in html  # works without JS too


def test_preview_shows_the_emergency_banner_and_saves_nothing(as_role: Any, patient: Any) -> None:
    response = as_role("nurse").post(f"/patients/{patient.pk}/assessments/preview/", SADDLE)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="banner-emergency" role="alert"' in html
    assert "EMERGENCY" in html and "cauda equina" in html.lower()
    assert "Source:" in html and "GIRFT" in html
    assert 'id="triage-strip" hx-swap-oob="true"' in html
    assert not Assessment.objects.exists() and not Alert.objects.exists()


def test_preview_of_incomplete_form_names_the_field(as_role: Any, patient: Any) -> None:
    html = (
        as_role("nurse")
        .post(f"/patients/{patient.pk}/assessments/preview/", {"duration_weeks": "x"})
        .content.decode()
    )
    assert "Region must be one of" in html and "Duration (weeks) must be a whole number" in html


def test_no_javascript_preview_button_re_renders_the_form_with_the_triage(
    as_role: Any, patient: Any
) -> None:
    response = as_role("nurse").post(_new(patient), {**SADDLE, "action": "preview"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Triage preview (not saved)" in html and 'role="alert"' in html
    assert 'value="saddle_anaesthesia" checked' in html and 'value="2"' in html
    assert not Assessment.objects.exists()


def test_save_stores_the_triage_with_ruleset_alert_and_audit(
    as_role: Any, patient: Any, users: Any
) -> None:
    client = as_role("prescriber")
    response = client.post(_new(patient), {**SADDLE, "action": "save", "examination": "Reduced."})
    assessment = Assessment.objects.get(patient=patient)
    assert response.status_code == 302
    assert response["Location"] == f"/assessments/{assessment.pk}/"
    assert assessment.urgency == "emergency" and assessment.ruleset
    assert assessment.findings == [{"code": "saddle_anaesthesia", "days": 2, "course": "new"}]
    assert assessment.examination == "Reduced."
    assert Alert.objects.get(patient=patient).kind == "triage_emergency"
    assert AuditEvent.objects.filter(
        action="create", object_type="assessment", object_id=str(assessment.pk),
        actor=users["prescriber"],
    ).exists()  # fmt: skip
    html = client.get(response["Location"]).content.decode()
    assert 'id="emergency-banner"' in html and "Triage (as stored)" in html
    assert assessment.ruleset in html
    assert "Altered perianal, perineal or genital sensation" in html and "2 days, new" in html


def test_saved_page_shows_pain_type_risk_and_pathway_with_sources(
    as_role: Any, patient: Any
) -> None:
    client = as_role("nurse")
    data = {
        "region": "low_back",
        "duration_weeks": "20",
        "finding": ["pain_varies_with_activity"],
        "action": "save",
        **{f"startback_startback_{i}": "1" for i in range(1, 9)},
        "startback_startback_9": "4",
    }
    response = client.post(_new(patient), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assessment = Assessment.objects.get(patient=patient)
    html = client.get(response["Location"]).content.decode()
    triage = assessment.triage
    assert triage["risk"]["group"] in html
    for entry in triage["pathway"]["recommended"] + triage["pathway"]["not_recommended"]:
        assert entry["source"].replace("'", "&#x27;") in html
    assert "Not recommended" in html
    assert triage["pathway"]["cbpm"]["source"] in html  # NICE NG144 on CBPMs
    for text in triage["explanations"]:
        assert text.replace("'", "&#x27;").replace('"', "&quot;") in html


def test_bad_input_is_refused_naming_the_field_and_kept(as_role: Any, patient: Any) -> None:
    response = as_role("nurse").post(
        _new(patient),
        {
            "region": "low_back",
            "duration_weeks": "lots",
            "finding": ["foot_drop"],
            "action": "save",
        },
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "Duration (weeks) must be a whole number 0-5200" in html
    assert 'value="foot_drop" checked' in html
    assert not Assessment.objects.exists()


@pytest.mark.parametrize("role", ["admin", "researcher", "charity", "patient"])
def test_only_clinicians_may_assess(as_role: Any, patient: Any, role: str) -> None:
    response = as_role(role).post(_new(patient), {**SADDLE, "action": "save"})
    assert response.status_code == 403
    assert not Assessment.objects.exists()


def test_questionnaire_list_and_licensed_wording(as_role: Any, patient: Any) -> None:
    from painpath.clinical.instruments import get

    client = as_role("nurse")
    html = client.get(f"/patients/{patient.pk}/questionnaires/new/").content.decode()
    assert "Generalised Anxiety Disorder 7-item scale (GAD-7)" in html
    gad7 = client.get(f"/patients/{patient.pk}/questionnaires/gad7/new/").content.decode()
    assert "Feeling nervous, anxious or on edge" in gad7 and "Full wording" in gad7
    bpi = client.get(f"/patients/{patient.pk}/questionnaires/bpi/new/").content.decode()
    assert "Neutral labels" in bpi
    for item in get("bpi").items:
        assert item.label in bpi


def test_gad7_saved_and_scored(as_role: Any, patient: Any, users: Any) -> None:
    client = as_role("nurse")
    answers = {f"item_gad7_{i}": "2" for i in range(1, 8)}
    response = client.post(f"/patients/{patient.pk}/questionnaires/gad7/new/", answers)
    saved = QuestionnaireResponse.objects.get(patient=patient)
    assert response["Location"] == f"/questionnaire-responses/{saved.pk}/"
    assert (saved.value, saved.band, saved.source) == (14, "moderate", "clinic")
    html = client.get(response["Location"]).content.decode()
    assert '<span class="score-value" id="score-value">14</span>' in html
    assert "moderate" in html and "gad7 positive screen" in html
    assert AuditEvent.objects.filter(
        object_type="questionnaire_response", actor=users["nurse"]
    ).exists()


def test_phq9_item9_positive_shows_an_urgent_message_and_raises_an_alert(
    as_role: Any, patient: Any
) -> None:
    client = as_role("nurse")
    answers = {f"item_phq9_{i}": "0" for i in range(1, 9)} | {"item_phq9_9": "1"}
    response = client.post(f"/patients/{patient.pk}/questionnaires/phq9/new/", answers, follow=True)
    html = response.content.decode()
    assert 'id="phq9-item9"' in html and "same-day risk assessment" in html
    assert Alert.objects.get(patient=patient).kind == "phq9_item9_positive"


def test_questionnaire_bad_input_names_the_item_and_keeps_answers(
    as_role: Any, patient: Any
) -> None:
    client = as_role("nurse")
    answers = {f"item_gad7_{i}": "1" for i in range(1, 7)}  # item 7 missing
    response = client.post(f"/patients/{patient.pk}/questionnaires/gad7/new/", answers)
    assert response.status_code == 422
    html = response.content.decode()
    assert "gad7 item 7" in html
    assert 'id="item_gad7_1_1" name="item_gad7_1" value="1" checked' in html
    out_of_range = client.post(
        f"/patients/{patient.pk}/questionnaires/gad7/new/", {**answers, "item_gad7_7": "9"}
    )
    assert out_of_range.status_code == 422
    assert "must be one of 0, 1, 2, 3" in out_of_range.content.decode()
    assert not QuestionnaireResponse.objects.exists()


def _clinic_wording(code: str) -> dict[str, Any]:
    from painpath.clinical.instruments import get

    return {
        "resourceType": "Questionnaire",
        "status": "active",
        "item": [
            {"linkId": it.code, "type": "choice", "text": f"Clinic licensed question {n}"}
            for n, it in enumerate(get(code).items, start=1)
        ],
    }


def test_licensed_wording_from_the_clinics_file_replaces_neutral_labels(
    as_role: Any, patient: Any, settings: Any, tmp_path: Any
) -> None:
    import json

    (tmp_path / "bpi.json").write_text(json.dumps(_clinic_wording("bpi")))
    (tmp_path / "startback.json").write_text(json.dumps({"resourceType": "Patient"}))
    settings.PAINPATH_QUESTIONNAIRE_WORDING_DIR = str(tmp_path)
    client = as_role("nurse")
    bpi = client.get(f"/patients/{patient.pk}/questionnaires/bpi/new/").content.decode()
    assert "Clinic licensed question 1" in bpi and "Clinic licensed question 11" in bpi
    assert "Wording from the clinic's licensed questionnaire" in bpi
    # A file that is not a matching Questionnaire is reported; neutral labels are shown.
    form = client.get(_new(patient)).content.decode()
    assert "wording file could not be used" in form and "FHIR Questionnaire" in form
    # Scoring does not depend on the wording.
    from painpath.clinical.instruments import get

    answers = {f"item_{it.code}": "5" for it in get("bpi").items}
    response = client.post(f"/patients/{patient.pk}/questionnaires/bpi/new/", answers)
    assert response.status_code == 302
    assert QuestionnaireResponse.objects.get(patient=patient).value == 5
