"""Prescribing actions: eligibility, check, sign with overrides, change/stop, state machine."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from painpath.apps.errors import ActionError
from painpath.apps.medicines import actions
from painpath.apps.medicines import models as m
from painpath.apps.patients.models import Treatment

from .conftest import TODAY

pytestmark = pytest.mark.django_db


def test_approval_refused_with_everything_missing(users, patient):
    Treatment.objects.filter(patient=patient).update(effect="partial")
    with pytest.raises(ActionError) as exc:
        actions.record_eligibility_decision(
            by=users["prescriber"],
            patient=patient,
            decision="approved",
            rationale="",
            mdt_agreement=False,
            informed_consent_unlicensed=False,
            prior_cannabis_use="never",
        )
    assert "At least 2 conventional treatments" in exc.value.errors["decision"]
    assert "MDT agreement" in exc.value.errors["decision"]
    assert set(exc.value.errors) == {"decision", "rationale", "informed_consent_unlicensed"}
    assert not m.EligibilityDecision.objects.exists()
    assert not m.PrescribingLogEntry.objects.exists()


def test_non_specialist_cannot_approve(users, patient):
    with pytest.raises(ActionError, match="Specialist Register"):
        actions.record_eligibility_decision(
            by=users["gp"],
            patient=patient,
            decision="approved",
            rationale="r",
            mdt_agreement=True,
            informed_consent_unlicensed=True,
            prior_cannabis_use="never",
        )


def test_approval_recorded_with_ng144_and_logged(users, approved):
    assert approved.policy_met and approved.prior_cannabis_use == "past"
    assert "NG144" in approved.ng144_shown
    assert approved.failed_treatments == ["nsaid: naproxen", "gabapentinoid: pregabalin"]
    entry = m.PrescribingLogEntry.objects.get(event="decision")
    assert entry.actor == users["prescriber"] and entry.actor_gmc_number == "7000001"


def test_nurse_cannot_decide_or_sign(users, patient, draft):
    with pytest.raises(PermissionDenied):
        actions.record_eligibility_decision(
            by=users["nurse"],
            patient=patient,
            decision="declined",
            rationale="r",
            mdt_agreement=False,
            informed_consent_unlicensed=False,
            prior_cannabis_use="never",
        )
    with pytest.raises(PermissionDenied):
        actions.sign_prescription(by=users["nurse"], prescription=draft, today=TODAY)


def test_draft_refuses_zero_and_negative_amounts(users, patient, products):
    with pytest.raises(ActionError) as exc:
        actions.draft_prescription(
            by=users["nurse"],
            patient=patient,
            product=products["cbd"],
            dose="1 ml daily",
            daily_amount="0",
            quantity="-5",
            quantity_words="x",
        )
    assert set(exc.value.errors) == {"daily_amount", "quantity"}
    assert not m.Prescription.objects.exists()


def test_check_refuses_as_directed_and_quantity_mismatch(users, patient, products, approved):
    rx = actions.draft_prescription(
        by=users["nurse"],
        patient=patient,
        product=products["cbd"],
        dose="as directed",
        daily_amount="1",
        quantity="30",
        quantity_words="thirteen ml",
    )
    with pytest.raises(ActionError) as exc:
        actions.check_prescription_draft(
            by=users["nurse"], prescription=rx, facts={}, current_medicines=[], today=TODAY
        )
    assert "'As directed' is not a dose" in exc.value.errors["dose"]
    assert "disagree" in exc.value.errors["quantity_words"]
    rx.refresh_from_db()
    assert rx.status == "draft" and not m.SafetyScreen.objects.exists()


def test_sign_after_override_with_reason(users, draft):
    rx = actions.check_prescription_draft(
        by=users["nurse"],
        prescription=draft,
        facts={"epilepsy": True},
        current_medicines=["pregabalin"],
        today=TODAY,
    )
    assert rx.status == "checked"
    codes = {i["code"] for i in rx.safety_screen.issues}
    assert {"EPILEPSY", "IX_CNS_DEPRESSANT", "DRIVING_ADVICE"} <= codes
    with pytest.raises(ActionError) as exc:
        actions.sign_prescription(
            by=users["prescriber"],
            prescription=rx,
            today=TODAY,
            overrides={"EPILEPSY": "seizure-free 10 years"},
        )
    assert set(exc.value.errors) == {"override_IX_CNS_DEPRESSANT", "driving_advice_given"}
    assert not m.SafetyOverride.objects.exists()
    rx = actions.sign_prescription(
        by=users["prescriber"],
        prescription=rx,
        today=TODAY,
        driving_advice_given=True,
        overrides={"EPILEPSY": "seizure-free 10 years", "IX_CNS_DEPRESSANT": "low dose, at night"},
    )
    assert rx.status == "signed" and rx.signed_by == users["prescriber"]
    assert rx.date_signed == TODAY
    assert m.SafetyOverride.objects.filter(prescription=rx).count() == 2
    assert m.DrivingAdvice.objects.filter(prescription=rx).exists()
    events = list(
        m.PrescribingLogEntry.objects.filter(prescription=rx).values_list("event", flat=True)
    )
    assert events == ["draft", "check", "override", "override", "driving_advice", "sign"]
    transitions = list(rx.transitions.values_list("from_status", "to_status", "by__username"))
    assert transitions == [
        ("", "draft", "nurse_demo"),
        ("draft", "checked", "nurse_demo"),
        ("checked", "signed", "dr_demo"),
    ]


def test_block_cannot_be_overridden(users, draft):
    rx = actions.check_prescription_draft(
        by=users["nurse"],
        prescription=draft,
        facts={"pregnant": True},
        current_medicines=[],
        today=TODAY,
    )
    with pytest.raises(ActionError) as exc:
        actions.sign_prescription(
            by=users["prescriber"],
            prescription=rx,
            today=TODAY,
            driving_advice_given=True,
            overrides={"PREGNANCY": "wants it"},
        )
    assert "cannot be overridden" in exc.value.errors["issue_PREGNANCY"]


def test_initiation_by_non_specialist_refused(users, draft):
    rx = actions.check_prescription_draft(
        by=users["nurse"], prescription=draft, facts={}, current_medicines=[], today=TODAY
    )
    with pytest.raises(ActionError) as exc:
        actions.sign_prescription(
            by=users["gp"], prescription=rx, today=TODAY, driving_advice_given=True
        )
    assert "Specialist Register" in exc.value.errors["prescriber"]


def test_initiation_needs_approved_decision(users, patient, products):
    rx = actions.draft_prescription(
        by=users["nurse"],
        patient=patient,
        product=products["cbd"],
        dose="0.5 ml twice daily",
        daily_amount="1",
        quantity="30",
        quantity_words="thirty",
    )
    rx = actions.check_prescription_draft(
        by=users["nurse"], prescription=rx, facts={}, current_medicines=[], today=TODAY
    )
    with pytest.raises(ActionError) as exc:
        actions.sign_prescription(
            by=users["prescriber"], prescription=rx, today=TODAY, driving_advice_given=True
        )
    assert "eligibility" in exc.value.errors


def test_over_30_days_needs_justification(users, patient, products, approved):
    rx = actions.draft_prescription(
        by=users["nurse"],
        patient=patient,
        product=products["cbd"],
        dose="0.5 ml twice daily",
        daily_amount="1",
        quantity="60",
        quantity_words="sixty ml",
    )
    rx = actions.check_prescription_draft(
        by=users["nurse"], prescription=rx, facts={}, current_medicines=[], today=TODAY
    )
    with pytest.raises(ActionError) as exc:
        actions.sign_prescription(
            by=users["prescriber"], prescription=rx, today=TODAY, driving_advice_given=True
        )
    assert "override_SUPPLY_OVER_30_DAYS" in exc.value.errors
    actions.sign_prescription(
        by=users["prescriber"],
        prescription=rx,
        today=TODAY,
        driving_advice_given=True,
        overrides={"SUPPLY_OVER_30_DAYS": "abroad for 8 weeks"},
    )


def test_change_and_stop_need_reason(users, draft):
    rx = actions.check_prescription_draft(
        by=users["nurse"], prescription=draft, facts={}, current_medicines=[], today=TODAY
    )
    rx = actions.sign_prescription(
        by=users["prescriber"], prescription=rx, today=TODAY, driving_advice_given=True
    )
    with pytest.raises(ActionError, match="reason"):
        actions.change_prescription(by=users["prescriber"], prescription=rx, reason=" ")
    new = actions.change_prescription(
        by=users["prescriber"],
        prescription=rx,
        reason="dose increase",
        daily_amount="2",
        dose="1 ml twice daily",
    )
    rx.refresh_from_db()
    assert rx.status == "changed" and new.replaces == rx and new.status == "draft"
    assert new.daily_thc_mg == Decimal("20") and new.kind == "continuation"
    with pytest.raises(ActionError, match="cannot stop"):
        actions.end_prescription(by=users["prescriber"], prescription=new, event="stop", reason="x")
    actions.end_prescription(
        by=users["nurse"], prescription=new, event="cancel", reason="not needed"
    )


@pytest.mark.parametrize(
    ("status", "event", "target"), list((s, e, t) for (s, e), t in m.TRANSITIONS.items())
)
def test_every_transition_in_table(users, draft, status, event, target):
    m.Prescription.objects.filter(pk=draft.pk).update(status=status)
    draft.refresh_from_db()
    actions._transition(draft, event, by=users["prescriber"], reason="because")
    assert draft.status == target


@pytest.mark.parametrize("status", ["cancelled", "stopped", "changed"])
def test_final_states_allow_nothing(users, draft, status):
    m.Prescription.objects.filter(pk=draft.pk).update(status=status)
    draft.refresh_from_db()
    assert draft.allowed_events() == []
    with pytest.raises(ActionError):
        actions._transition(draft, "sign", by=users["prescriber"])


def test_titration_plan_saved_with_schedule(users, patient, products):
    plan = actions.create_titration_plan(
        by=users["nurse"],
        patient=patient,
        protocol="routine",
        product=products["cbd"],
        thc_product=products["thc"],
        days=30,
        start_date=TODAY,
    )
    assert plan.schedule[12]["thc_mg"] == "2.5" and plan.schedule[12]["cbd_mg"] == "40"
    with pytest.raises(ActionError) as exc:
        actions.create_titration_plan(
            by=users["nurse"],
            patient=patient,
            protocol="turbo",
            product=products["cbd"],
            days=30,
            start_date=TODAY,
        )
    assert "unknown protocol" in exc.value.errors["protocol"]


def test_add_product_validates(users):
    with pytest.raises(ActionError) as exc:
        actions.add_product(
            by=users["prescriber"],
            name="Bad",
            form="oil",
            unit="g",
            thc_mg_per_unit="1",
            cbd_mg_per_unit="1",
        )
    assert "oil is measured in ml" in exc.value.errors["unit"]
    with pytest.raises(ActionError) as exc:
        actions.add_product(
            by=users["prescriber"],
            name="Bad",
            form="oil",
            unit="ml",
            thc_mg_per_unit="0",
            cbd_mg_per_unit="0",
        )
    assert "both 0" in str(exc.value)
    with pytest.raises(PermissionDenied):
        actions.add_product(
            by=users["nurse"],
            name="X",
            form="oil",
            unit="ml",
            thc_mg_per_unit="1",
            cbd_mg_per_unit="1",
        )
    p = actions.add_product(
        by=users["prescriber"],
        name="Demo caps",
        form="capsule",
        unit="unit",
        thc_mg_per_unit="0",
        cbd_mg_per_unit="10",
        pack_sizes=["30"],
    )
    assert p.to_core().strength_text() == "THC 0 mg/unit, CBD 10 mg/unit"


def test_registry_facts(users, patient, draft):
    from painpath.apps.medicines.selectors import registry_facts

    assert registry_facts([patient.pk]) == ({}, {patient.pk: "past"}, {})
    rx = actions.check_prescription_draft(
        by=users["nurse"], prescription=draft, facts={}, current_medicines=[], today=TODAY
    )
    actions.sign_prescription(
        by=users["prescriber"], prescription=rx, today=TODAY, driving_advice_given=True
    )
    assert registry_facts([patient.pk]) == (
        {patient.pk: "oil"},
        {patient.pk: "past"},
        {patient.pk: TODAY},
    )


def test_state_diagram_doc_in_sync():
    from pathlib import Path

    doc = Path(__file__).parents[3] / "docs" / "reference" / "prescription-states.md"
    assert doc.read_text() == m.transitions_markdown()
