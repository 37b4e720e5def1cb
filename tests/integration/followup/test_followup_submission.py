"""Save and return, submitting a set in one transaction, and refused answers (ADRs 0070, 0090)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from painpath.apps.assessments.models import QuestionnaireResponse
from painpath.apps.errors import ActionError
from painpath.apps.followup import actions
from painpath.apps.followup.answers import SetAnswers, check_complete, parse_form
from painpath.apps.followup.models import FollowUpDraft, FollowUpLink, FollowUpSet
from painpath.apps.outcomes.models import AdverseEvent
from painpath.apps.patients.models import Alert
from painpath.clinical.instruments import get
from tests.factories.followup import patient_with_email, start_plan

pytestmark = pytest.mark.django_db


def half(data: dict[str, Any]) -> dict[str, Any]:
    """The first questionnaires only (NRS, SQS, GAD-7), as a patient who stops halfway."""
    keep = ("nrs_", "sqs_", "gad7_")
    out = {k: v for k, v in data.items() if k.startswith(keep)}
    out["action"] = "save"
    return out


def test_save_halfway_keeps_a_draft_never_scored(client: Any, invited: Any, form: Any) -> None:
    s, path = invited()
    resp = client.post(path, half(form(s)))
    assert resp.status_code == 303 and resp["Location"].endswith("?saved=1")
    draft = FollowUpDraft.objects.get(followup_set=s)
    assert draft.answers["gad7"] == [1] * 7 or all(v is not None for v in draft.answers["gad7"])
    assert draft.answers["phq9"] == [None] * 9
    assert not QuestionnaireResponse.objects.exists() and not Alert.objects.exists()
    s.refresh_from_db()
    assert s.status == "sent"
    page = client.get(resp["Location"]).content.decode()
    assert "Your answers are saved" in page
    gad7_1 = form(s)["gad7_1"]
    assert f'id="gad7_1-{gad7_1}" name="gad7_1" value="{gad7_1}" checked' in page
    # Saving again updates the same draft (the link still works until submission).
    assert client.post(path, half(form(s))).status_code == 303
    assert FollowUpDraft.objects.get(followup_set=s).saves == 2


def test_out_of_range_answer_names_the_field_and_keeps_the_draft(
    client: Any, invited: Any, form: Any
) -> None:
    s, path = invited()
    client.post(path, half(form(s)))
    before = FollowUpDraft.objects.get(followup_set=s)
    for action in ("save", "submit"):
        data = form(s, action=action)
        data["eq5d5l_vas"] = "150"
        data["phq9_9"] = "7"
        resp = client.post(path, data)
        assert resp.status_code == 422
        html = resp.content.decode()
        assert (
            "Patient Health Questionnaire 9 (PHQ-9), question 9: &#x27;7&#x27; is not allowed"
            in html
        )
        assert "question 6: &#x27;150&#x27; is not allowed" in html and 'href="#phq9_9-0"' in html
        after = FollowUpDraft.objects.get(followup_set=s)
        assert (after.answers, after.saves) == (before.answers, before.saves)
    assert not QuestionnaireResponse.objects.exists()


def test_incomplete_submission_names_each_missing_answer(
    client: Any, invited: Any, form: Any
) -> None:
    s, path = invited()
    data = form(s)
    del data["phq9_9"], data["rf_any"]
    resp = client.post(path, data)
    assert resp.status_code == 422
    html = resp.content.decode()
    assert "question 9: please answer this question" in html
    assert "New symptoms: please answer yes or no" in html
    assert not QuestionnaireResponse.objects.exists()
    s.refresh_from_db()
    assert s.status == "sent"


def test_finish_with_phq9_item9_alerts_and_completes_in_one_go(
    client: Any, invited: Any, form: Any
) -> None:
    s, path = invited()
    client.post(path, half(form(s)))
    resp = client.post(path, form(s, phq9_item9=2))
    assert resp.status_code == 303 and resp["Location"] == reverse("followup:thanks")
    responses = QuestionnaireResponse.objects.filter(patient=s.patient)
    assert sorted(r.instrument for r in responses) == sorted(s.instruments)
    assert {r.source for r in responses} == {"home"}
    assert all(r.complete for r in responses)
    alert = Alert.objects.get(kind="phq9_item9_positive")
    assert alert.severity == "urgent" and alert.acknowledged_at is None
    s.refresh_from_db()
    assert s.status == "completed" and s.completed_at is not None and s.next_action_at is None
    assert FollowUpLink.objects.get(followup_set=s, revoked_at__isnull=True).used_at is not None
    assert not FollowUpDraft.objects.exists()


def test_side_effects_and_home_red_flags_are_reviewed(client: Any, invited: Any, form: Any) -> None:
    invited()  # baseline answered first, so the 2-week set asks side effects
    s, path = invited("2w")
    data = form(s, se=[("nausea", "mild"), ("palpitations", "severe")], rf=["saddle_numbness"])
    resp = client.post(path, data)
    assert resp.status_code == 303 and resp["Location"].endswith("?urgent=1")
    events = AdverseEvent.objects.filter(followup_set_id=s.pk).order_by("symptom")
    assert [(e.symptom, e.reported_severity, e.source) for e in events] == [
        ("nausea", "mild", "home"),
        ("palpitations", "severe", "home"),
    ]
    kinds = set(Alert.objects.values_list("kind", flat=True))
    assert {"severe_adverse_event", "red_flag"} <= kinds
    red = Alert.objects.get(kind="red_flag")
    assert red.severity == "emergency" and red.source_id == str(s.pk)  # new saddle anaesthesia
    assert "You told us about new symptoms" in client.get(resp["Location"]).content.decode()


def test_other_side_effect_needs_a_description(client: Any, invited: Any, form: Any) -> None:
    invited()
    s, path = invited("2w")
    data = form(s, se=[("other", "moderate")])
    resp = client.post(path, data)
    assert resp.status_code == 422
    assert "Other side effect: please describe it" in resp.content.decode()
    data["se_other_description"] = "Itchy skin"
    assert client.post(path, data).status_code == 303
    assert AdverseEvent.objects.get().description == "Itchy skin"


def test_a_failing_review_rolls_everything_back(invited: Any, form: Any, monkeypatch: Any) -> None:
    s, _ = invited()
    got, errors = parse_form(
        form(s, phq9_item9=1), s.instruments, ask_side_effects=False, region="low_back"
    )
    assert not errors
    actions.save_draft(followup_set=s, answers=SetAnswers())

    def broken(**kwargs: Any) -> Any:
        raise RuntimeError("review failed")

    monkeypatch.setattr(actions, "review_followup_submission", broken)
    with pytest.raises(RuntimeError):
        actions.submit_set(followup_set=s, answers=got)
    # The PHQ-9 response and its alert were written inside the transaction: both rolled back.
    assert not QuestionnaireResponse.objects.exists() and not Alert.objects.exists()
    s.refresh_from_db()
    assert s.status == "sent" and s.completed_at is None
    assert FollowUpLink.objects.get(followup_set=s, revoked_at__isnull=True).used_at is None
    assert FollowUpDraft.objects.filter(followup_set=s).exists()


def test_submission_outside_the_window_is_refused(invited: Any, form: Any) -> None:
    s, _ = invited()
    got, _ = parse_form(form(s), s.instruments, ask_side_effects=False, region="low_back")
    today = s.due_on
    FollowUpSet.objects.filter(pk=s.pk).update(  # the window closed at midnight today
        due_on=today - dt.timedelta(days=20), closes_on=today
    )
    s.refresh_from_db()
    with pytest.raises(ActionError) as exc:
        actions.submit_set(followup_set=s, answers=got)
    assert "window has closed" in exc.value.errors["set"]


# --- the portal -------------------------------------------------------------------------------


def test_portal_lists_due_sets_and_the_patient_answers_there(
    client: Any, users: dict[str, Any], form: Any
) -> None:
    own = patient_with_email(user=users["patient"], given_name="Pat")
    plan = start_plan(own)
    s = plan.sets.get(timepoint="baseline")
    client.force_login(users["patient"])
    page = client.get(reverse("followup:portal")).content.decode()
    assert reverse("followup:portal_set", args=[s.pk]) in page
    assert "2w" not in page  # not due yet
    url = reverse("followup:portal_set", args=[s.pk])
    assert client.post(url, half(form(s))).status_code == 303
    assert "Finish your answers" in client.get(reverse("followup:portal")).content.decode()
    assert client.post(url, form(s)).status_code == 303
    s.refresh_from_db()
    assert s.status == "completed"
    response = QuestionnaireResponse.objects.filter(patient=own).first()
    assert response is not None and response.recorded_by == users["patient"]
    assert "no questions to answer" in client.get(reverse("followup:portal")).content.decode()


def test_portal_never_shows_another_patients_set(
    client: Any, users: dict[str, Any], form: Any, patient: Any
) -> None:
    patient_with_email(user=users["patient"])
    theirs = start_plan(patient).sets.get(timepoint="baseline")
    client.force_login(users["patient"])
    url = reverse("followup:portal_set", args=[theirs.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, form(theirs)).status_code == 404
    with pytest.raises(ActionError):
        got, _ = parse_form(
            form(theirs), theirs.instruments, ask_side_effects=False, region="low_back"
        )
        actions.submit_set(by=users["patient"], followup_set=theirs, answers=got)
    assert not QuestionnaireResponse.objects.exists()


def test_clinicians_cannot_answer_as_the_patient(invited: Any, form: Any, nurse: Any) -> None:
    s, _ = invited()
    got, _ = parse_form(form(s), s.instruments, ask_side_effects=False, region="low_back")
    with pytest.raises((ActionError, PermissionDenied)):
        actions.submit_set(by=nurse, followup_set=s, answers=got)
    assert not QuestionnaireResponse.objects.exists()


def test_every_missing_answer_is_named_but_optional_ones_are_not(invited: Any) -> None:
    s, _ = invited()
    got = SetAnswers(answers={code: [None] * len(get(code).items) for code in s.instruments})
    got.answers["eq5d5l"] = [2, 2, None, 2, 2, None]  # VAS is optional
    errors = check_complete(got, ask_side_effects=False)
    assert {f"phq9_{i}" for i in range(1, 10)} <= set(errors)
    assert {f"odi_{i}" for i in range(1, 11)} <= set(errors)  # a count rule: all are asked for
    assert "eq5d5l_usual_activities" in errors and "eq5d5l_vas" not in errors


def test_submitting_a_set_already_answered_elsewhere_says_so(
    client: Any, invited: Any, form: Any
) -> None:
    """Answered in another tab or the portal a moment ago: the page says it was sent."""
    s, path = invited()
    page = client.get(path)
    assert page.status_code == 200
    got, _ = parse_form(form(s), s.instruments, ask_side_effects=False, region="low_back")
    actions.submit_set(followup_set=s, answers=got)
    resp = client.post(path, form(s))
    assert resp.status_code == 410 and "Already sent" in resp.content.decode()
    assert QuestionnaireResponse.objects.count() == len(s.instruments)


@pytest.mark.parametrize("raw", ["1_0", "١٠", "¹", "0" * 5000 + "1", "5.0", " 1 0"])
def test_a_home_answer_is_read_in_ascii_digits_only(raw: str) -> None:
    """``int`` reads "1_0" as 10 and Arabic-Indic digits as numbers: a patient's answer must be
    exactly one of the values shown, or refused naming the question."""
    got, errors = parse_form({"nrs_1": raw}, ["nrs"], ask_side_effects=False, region="low_back")
    assert "nrs_1" in errors and "is not allowed" in errors["nrs_1"]
    assert got.answers["nrs"][0] is None


def test_a_home_answer_in_ascii_digits_is_read() -> None:
    got, errors = parse_form({"nrs_1": "10"}, ["nrs"], ask_side_effects=False, region="low_back")
    assert "nrs_1" not in errors and got.answers["nrs"][0] == 10
