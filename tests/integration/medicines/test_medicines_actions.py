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


# --- eligibility from the record -------------------------------------------------------------


def test_core_categories_are_the_records_categories():
    from painpath.apps.patients.models import TreatmentCategory, TreatmentEffect
    from painpath.clinical.medicines.eligibility import CATEGORIES, EFFECTS

    assert set(TreatmentCategory.values) == CATEGORIES
    assert set(TreatmentEffect.values) == EFFECTS


def test_failed_cbpm_in_the_record_never_counts(users, patient):
    Treatment.objects.filter(patient=patient, category="gabapentinoid").delete()
    Treatment.objects.create(patient=patient, category="cbpm", name="CBD oil", effect="no_effect")
    check = actions.eligibility_for(patient, prescriber=users["prescriber"], mdt_agreement=True)
    assert check.failed_treatments == ("nsaid: naproxen",) and not check.eligible
    assert "not counted" in check.not_counted[0]
    with pytest.raises(ActionError, match="At least 2 conventional"):
        actions.record_eligibility_decision(
            by=users["prescriber"], patient=patient, decision="approved", rationale="r",
            mdt_agreement=True, informed_consent_unlicensed=True, prior_cannabis_use="current",
        )  # fmt: skip
    assert not m.EligibilityDecision.objects.exists()


def test_decline_is_recorded_with_rationale_and_logged(users, patient):
    row = actions.record_eligibility_decision(
        by=users["prescriber"], patient=patient, decision="declined",
        rationale="Psychosis risk outweighs benefit", mdt_agreement=False,
        informed_consent_unlicensed=False, prior_cannabis_use="never",
    )  # fmt: skip
    assert row.decision == "declined" and row.rationale == "Psychosis risk outweighs benefit"
    assert "NG144" in row.ng144_shown and "do not offer" in row.ng144_shown
    entry = m.PrescribingLogEntry.objects.get(event="decision")
    assert entry.reason == row.rationale and entry.actor_role == "prescriber"


def test_approval_without_consent_refused_nothing_saved(users, patient):
    with pytest.raises(ActionError) as exc:
        actions.record_eligibility_decision(
            by=users["prescriber"], patient=patient, decision="approved", rationale="r",
            mdt_agreement=True, informed_consent_unlicensed=False, prior_cannabis_use="never",
        )  # fmt: skip
    assert set(exc.value.errors) == {"informed_consent_unlicensed"}
    assert m.EligibilityDecision.objects.count() == 0
    assert m.PrescribingLogEntry.objects.count() == 0


# --- bad input: field named, nothing saved ---------------------------------------------------


def _counts():
    return (
        m.Prescription.objects.count(),
        m.PrescriptionTransition.objects.count(),
        m.PrescribingLogEntry.objects.count(),
    )


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"daily_amount": "0"}, "daily_amount", "greater than 0"),
        ({"daily_amount": "-1"}, "daily_amount", "greater than 0"),
        ({"quantity": "abc"}, "quantity", "expected a number"),
        ({"quantity": "NaN"}, "quantity", "finite"),
        ({"daily_amount": "50.5"}, "daily_amount", "over the maximum of 50"),
        ({"quantity": "5000.5"}, "quantity", "over the maximum of 5000"),
        ({"quantity": "1e9"}, "quantity", "over the maximum"),
        ({"daily_amount": "0.0005"}, "daily_amount", "at most 3 decimal places"),
        ({"unit": "g"}, "unit", "unit mismatch"),
        ({"unit": "litre"}, "unit", "must be one of"),
        ({"dose": "x" * 201}, "dose", "at most 200 characters"),
        ({"quantity_words": "y" * 201}, "quantity_words", "at most 200 characters"),
        ({"kind": "repeat"}, "kind", "must be one of"),
    ],
)
def test_draft_bad_input_names_field_and_saves_nothing(
    users, patient, products, approved, change, field, message
):
    before = _counts()
    values = {
        "dose": "0.5 ml twice daily", "daily_amount": "1", "quantity": "30",
        "quantity_words": "thirty millilitres", "unit": "ml", **change,
    }  # fmt: skip
    with pytest.raises(ActionError) as exc:
        actions.draft_prescription(
            by=users["nurse"], patient=patient, product=products["cbd"], **values
        )
    assert field in exc.value.errors and message in exc.value.errors[field]
    assert _counts() == before


def test_draft_collects_every_error_at_once(users, patient, products):
    with pytest.raises(ActionError) as exc:
        actions.draft_prescription(
            by=users["nurse"], patient=patient, product=products["cbd"], dose="d" * 300,
            daily_amount="0", quantity="-1", quantity_words="", unit="g", kind="x",
        )  # fmt: skip
    assert set(exc.value.errors) == {"dose", "daily_amount", "quantity", "unit", "kind"}
    assert _counts() == (0, 0, 0)


def test_capsules_are_prescribed_in_whole_units(users, patient, approved):
    caps = m.Product.objects.create(
        name="Demo CBD capsule 10", form="capsule", unit="unit",
        thc_mg_per_unit=Decimal(0), cbd_mg_per_unit=Decimal(10),
    )  # fmt: skip
    with pytest.raises(ActionError) as exc:
        actions.draft_prescription(
            by=users["nurse"], patient=patient, product=caps, dose="one capsule twice daily",
            daily_amount="2", quantity="60.5", quantity_words="sixty", unit="unit",
        )  # fmt: skip
    assert "whole number" in exc.value.errors["quantity"]
    assert m.Prescription.objects.count() == 0


def test_retired_product_cannot_be_prescribed_or_planned(users, patient, products):
    actions.retire_product(by=users["prescriber"], product=products["cbd"], reason="withdrawn")
    products["cbd"].refresh_from_db()
    with pytest.raises(ActionError) as exc:
        actions.draft_prescription(
            by=users["nurse"], patient=patient, product=products["cbd"], dose="1 ml daily",
            daily_amount="1", quantity="30", quantity_words="thirty", unit="ml",
        )  # fmt: skip
    assert "no longer on the formulary" in exc.value.errors["product"]
    assert m.Prescription.objects.count() == 0


# --- THC maximum: block unless overridden with a reason --------------------------------------


def test_thc_over_maximum_needs_a_reason_then_signs(users, patient, products, approved):
    rx = actions.draft_prescription(
        by=users["nurse"], patient=patient, product=products["thc"], dose="2.25 ml twice daily",
        daily_amount="4.5", quantity="45", quantity_words="forty-five ml", unit="ml",
    )  # fmt: skip
    assert rx.daily_thc_mg == Decimal(45)
    rx = actions.check_prescription_draft(
        by=users["nurse"], prescription=rx, facts={}, current_medicines=[], today=TODAY
    )
    with pytest.raises(ActionError) as exc:
        actions.sign_prescription(
            by=users["prescriber"], prescription=rx, today=TODAY, driving_advice_given=True
        )
    assert set(exc.value.errors) == {"override_THC_OVER_MAXIMUM"}
    assert "over the maximum of 40 mg/day" in exc.value.errors["override_THC_OVER_MAXIMUM"]
    rx.refresh_from_db()
    assert rx.status == "checked" and not m.SafetyOverride.objects.exists()
    assert not m.PrescribingLogEntry.objects.filter(event__in=["override", "sign"]).exists()
    rx = actions.sign_prescription(
        by=users["prescriber"], prescription=rx, today=TODAY, driving_advice_given=True,
        overrides={"THC_OVER_MAXIMUM": "tolerant long-term user, specialist review weekly"},
    )  # fmt: skip
    override = m.SafetyOverride.objects.get(prescription=rx)
    assert (override.code, override.level) == ("THC_OVER_MAXIMUM", "block")
    assert override.overridden_by == users["prescriber"]
    entry = m.PrescribingLogEntry.objects.get(event="override")
    assert entry.reason.startswith("tolerant") and entry.actor_gmc_number == "7000001"


def test_override_reason_of_spaces_is_no_reason(users, draft):
    rx = actions.check_prescription_draft(
        by=users["nurse"], prescription=draft, facts={"epilepsy": True}, current_medicines=[],
        today=TODAY,
    )  # fmt: skip
    with pytest.raises(ActionError) as exc:
        actions.sign_prescription(
            by=users["prescriber"], prescription=rx, today=TODAY, driving_advice_given=True,
            overrides={"EPILEPSY": "   "},
        )  # fmt: skip
    assert "override_EPILEPSY" in exc.value.errors


def test_driving_advice_always_recorded(users, draft):
    rx = actions.check_prescription_draft(
        by=users["nurse"], prescription=draft, facts={}, current_medicines=[], today=TODAY
    )
    with pytest.raises(ActionError) as exc:
        actions.sign_prescription(by=users["prescriber"], prescription=rx, today=TODAY)
    assert set(exc.value.errors) == {"driving_advice_given"}
    rx = actions.sign_prescription(
        by=users["prescriber"], prescription=rx, today=TODAY, driving_advice_given=True,
        driving_note="Told: 2 micrograms/L; do not drive if impaired",
    )  # fmt: skip
    advice = m.DrivingAdvice.objects.get(prescription=rx)
    assert advice.given_by == users["prescriber"] and advice.patient == rx.patient


def test_unknown_medicine_is_shown_as_not_checked(users, draft):
    rx = actions.check_prescription_draft(
        by=users["nurse"], prescription=draft, facts={}, current_medicines=["Madeupzumab"],
        today=TODAY,
    )  # fmt: skip
    unknown = [i for i in rx.safety_screen.issues if i["code"] == "IX_UNKNOWN_MEDICINE"]
    assert unknown and "not checked" in unknown[0]["message"]


# --- signer rules: initiation by the specialist register, continuation under shared care ------


def _signed_initiation(users, draft):
    rx = actions.check_prescription_draft(
        by=users["nurse"], prescription=draft, facts={}, current_medicines=[], today=TODAY
    )
    return actions.sign_prescription(
        by=users["prescriber"], prescription=rx, today=TODAY, driving_advice_given=True
    )


def _continuation(users, patient, products, *, shared_care):
    rx = actions.draft_prescription(
        by=users["nurse"], patient=patient, product=products["balanced"],
        dose="0.5 ml twice daily", daily_amount="1", quantity="30",
        quantity_words="thirty millilitres", kind="continuation", unit="ml",
        shared_care_agreement=shared_care,
    )  # fmt: skip
    return actions.check_prescription_draft(
        by=users["nurse"], prescription=rx, facts={}, current_medicines=[], today=TODAY
    )


def test_continuation_by_gp_needs_shared_care(users, patient, products, draft):
    _signed_initiation(users, draft)
    rx = _continuation(users, patient, products, shared_care=False)
    with pytest.raises(ActionError) as exc:
        actions.sign_prescription(
            by=users["gp"], prescription=rx, today=TODAY, driving_advice_given=True
        )
    assert "shared care" in exc.value.errors["prescriber"]
    rx = _continuation(users, patient, products, shared_care=True)
    rx = actions.sign_prescription(
        by=users["gp"], prescription=rx, today=TODAY, driving_advice_given=True
    )
    assert rx.status == "signed" and rx.signed_by == users["gp"]


def test_continuation_needs_a_specialist_initiation_first(users, patient, products, approved):
    rx = _continuation(users, patient, products, shared_care=True)
    for signer in ("gp", "prescriber"):
        with pytest.raises(ActionError) as exc:
            actions.sign_prescription(
                by=users[signer], prescription=rx, today=TODAY, driving_advice_given=True
            )
        assert "initiated for this patient by a specialist" in exc.value.errors["kind"]
    rx.refresh_from_db()
    assert rx.status == "checked"


def test_sign_rechecks_validity_at_signing(users, patient, products, approved):
    rx = actions.draft_prescription(
        by=users["nurse"], patient=patient, product=products["cbd"], dose="0.5 ml twice daily",
        daily_amount="1", quantity="30", quantity_words="thirty", unit="ml",
    )  # fmt: skip
    rx = actions.check_prescription_draft(
        by=users["nurse"], prescription=rx, facts={}, current_medicines=[], today=TODAY
    )
    # A prescriber without a work address cannot sign: the address is a reg 15 requirement.
    users["prescriber"].work_address = ""
    users["prescriber"].save()
    with pytest.raises(ActionError) as exc:
        actions.sign_prescription(
            by=users["prescriber"], prescription=rx, today=TODAY, driving_advice_given=True
        )
    assert "Prescriber's address is required" in exc.value.errors["prescriber_address"]


def test_stop_and_cancel_are_logged_with_reason(users, draft):
    rx = _signed_initiation(users, draft)
    actions.end_prescription(
        by=users["prescriber"], prescription=rx, event="stop", reason="no benefit at 3 months"
    )
    entry = m.PrescribingLogEntry.objects.get(event="stop")
    assert entry.reason == "no benefit at 3 months" and entry.prescription == rx
    transition = rx.transitions.get(event="stop")
    assert (transition.from_status, transition.to_status) == ("signed", "stopped")
    with pytest.raises(PermissionDenied):
        other = _continuation(users, rx.patient, {"balanced": rx.product}, shared_care=True)
        actions.sign_prescription(by=users["nurse"], prescription=other, today=TODAY)


def test_nurse_cannot_stop_a_signed_prescription(users, draft):
    rx = _signed_initiation(users, draft)
    with pytest.raises(PermissionDenied):
        actions.end_prescription(by=users["nurse"], prescription=rx, event="stop", reason="x")


# --- formulary management ---------------------------------------------------------------------


def test_edit_product_before_use_and_logged(users, products):
    p = actions.edit_product(
        by=users["prescriber"], product=products["cbd"], reason="label corrected",
        cbd_mg_per_unit="25", pack_sizes=["10", "30"],
    )  # fmt: skip
    p.refresh_from_db()
    assert p.cbd_mg_per_unit == Decimal(25) and p.pack_sizes == ["10", "30"]
    entry = m.PrescribingLogEntry.objects.get(event="product_edit")
    assert entry.reason == "label corrected" and entry.detail["fields"] == [
        "cbd_mg_per_unit",
        "pack_sizes",
    ]
    assert "was THC 0 mg/ml, CBD 20 mg/ml" in entry.summary


def test_content_of_a_used_product_is_fixed(users, products, draft):
    before = m.PrescribingLogEntry.objects.count()
    with pytest.raises(ActionError) as exc:
        actions.edit_product(
            by=users["prescriber"], product=products["balanced"], reason="r",
            thc_mg_per_unit="20", name="Renamed",
        )  # fmt: skip
    assert set(exc.value.errors) == {"thc_mg_per_unit", "name"}
    assert "retire it and add a new product" in exc.value.errors["thc_mg_per_unit"]
    products["balanced"].refresh_from_db()
    assert products["balanced"].thc_mg_per_unit == Decimal(10)
    assert m.PrescribingLogEntry.objects.count() == before
    # Route and pack sizes may still change.
    actions.edit_product(
        by=users["prescriber"], product=products["balanced"], reason="new pack", pack_sizes=["50"]
    )
    products["balanced"].refresh_from_db()
    assert products["balanced"].pack_sizes == ["50"]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"cbd_mg_per_unit": "-1"}, "cbd_mg_per_unit"),
        ({"cbd_mg_per_unit": "0"}, "thc"),  # THC and CBD both 0
        ({"cbd_mg_per_unit": "1000.5"}, "cbd_mg_per_unit"),
        ({"unit": "g"}, "unit"),  # oil in g
        ({"name": ""}, "name"),
        ({"name": "n" * 121}, "name"),
        ({"route": "r" * 41}, "route"),
        ({"pack_sizes": ["0"]}, "pack_sizes"),
        ({"pack_sizes": ["6000"]}, "pack_sizes"),
        ({"form": "tincture"}, "form"),
        ({"name": "Demo THC oil 10"}, "name"),  # duplicate
        ({"colour": "green"}, "changes"),
        ({}, "__all__"),  # nothing changed
    ],
)
def test_edit_product_bad_input_names_field(users, products, changes, field):
    with pytest.raises(ActionError) as exc:
        actions.edit_product(by=users["prescriber"], product=products["cbd"], reason="r", **changes)
    assert field in exc.value.errors, exc.value.errors
    products["cbd"].refresh_from_db()
    assert products["cbd"].cbd_mg_per_unit == Decimal(20) and products["cbd"].name == (
        "Demo CBD oil 20"
    )
    assert not m.PrescribingLogEntry.objects.filter(event="product_edit").exists()


def test_edit_and_retire_need_reason_and_prescriber(users, products):
    with pytest.raises(ActionError) as exc:
        actions.edit_product(by=users["prescriber"], product=products["cbd"], reason=" ",
                             route="sublingual")  # fmt: skip
    assert "reason" in exc.value.errors
    with pytest.raises(ActionError):
        actions.retire_product(by=users["prescriber"], product=products["cbd"], reason="")
    for role in ("nurse", "admin", "researcher"):
        with pytest.raises(PermissionDenied):
            actions.edit_product(by=users[role], product=products["cbd"], reason="r",
                                 route="x")  # fmt: skip
        with pytest.raises(PermissionDenied):
            actions.retire_product(by=users[role], product=products["cbd"], reason="r")
        with pytest.raises(PermissionDenied):
            actions.add_product(by=users[role], name="N", form="oil", unit="ml",
                                thc_mg_per_unit="1", cbd_mg_per_unit="1")  # fmt: skip
    products["cbd"].refresh_from_db()
    assert products["cbd"].active and products["cbd"].route == "oral"


def test_retire_product_keeps_history(users, products, draft):
    p = actions.retire_product(
        by=users["prescriber"], product=products["balanced"], reason="supplier withdrew it"
    )
    assert not p.active and p.retired_by == users["prescriber"] and p.retired_at
    assert m.Prescription.objects.filter(product=p).count() == 1
    entry = m.PrescribingLogEntry.objects.get(event="product_retire")
    assert entry.reason == "supplier withdrew it"
    with pytest.raises(ActionError, match="already retired"):
        actions.retire_product(by=users["prescriber"], product=p, reason="again")


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"thc_mg_per_unit": "1001"}, "thc_mg_per_unit"),
        ({"thc_mg_per_unit": "x"}, "thc_mg_per_unit"),
        ({"thc_mg_per_unit": "0.0001"}, "thc_mg_per_unit"),
        ({"name": "  "}, "name"),
        ({"pack_sizes": ["-3"]}, "pack_sizes"),
        ({"pack_sizes": "30"}, "pack_sizes"),
        ({"unit": "unit"}, "unit"),
    ],
)
def test_add_product_bad_input_names_field_nothing_saved(users, values, field):
    data = {"name": "New oil", "form": "oil", "unit": "ml", "thc_mg_per_unit": "5",
            "cbd_mg_per_unit": "5", **values}  # fmt: skip
    with pytest.raises(ActionError) as exc:
        actions.add_product(by=users["prescriber"], **data)
    assert field in exc.value.errors, exc.value.errors
    assert m.Product.objects.count() == 0 and m.PrescribingLogEntry.objects.count() == 0


def test_demo_formulary_is_generic_and_valid():
    from painpath.apps.medicines.demo import seed_formulary

    assert seed_formulary() == 5 and seed_formulary() == 0
    for product in m.Product.objects.all():
        assert product.name.startswith("Demo ")
        product.to_core()  # every demo product passes the core's validation
    forms = set(m.Product.objects.values_list("form", flat=True))
    assert {"oil", "flower", "capsule"} <= forms


def test_change_with_bad_input_saves_nothing(users, draft):
    rx = _signed_initiation(users, draft)
    before = (_counts(), m.PrescriptionTransition.objects.filter(prescription=rx).count())
    for changes, field in (
        ({"daily_amount": "0"}, "daily_amount"),
        ({"daily_amount": "60"}, "daily_amount"),
        ({"unit": "g"}, "unit"),
        ({"colour": "x"}, "changes"),
    ):
        with pytest.raises(ActionError) as exc:
            actions.change_prescription(
                by=users["prescriber"], prescription=rx, reason="increase", **changes
            )
        assert field in exc.value.errors
        rx.refresh_from_db()
        assert rx.status == "signed"
        assert (
            _counts(),
            m.PrescriptionTransition.objects.filter(prescription=rx).count(),
        ) == before
