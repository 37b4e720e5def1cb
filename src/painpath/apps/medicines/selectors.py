"""Reads of medicines records for other areas (coded fields only, no free text)."""

from __future__ import annotations

import datetime as dt

from painpath.apps.medicines import models as m


def registry_facts(
    patient_ids: list[int],
) -> tuple[dict[int, str], dict[int, str], dict[int, dt.date]]:
    """For the research registry: per patient id, (form of the product on the first signed
    prescription, ``prior_cannabis_use`` from the newest eligibility decision, date of the first
    signed prescription). Patients without one are absent from that dict. Three queries."""
    first_form: dict[int, str] = {}
    first_date: dict[int, dt.date] = {}
    signed = (
        m.Prescription.objects.filter(patient_id__in=patient_ids, date_signed__isnull=False)
        .order_by("patient_id", "date_signed", "id")
        .values_list("patient_id", "product__form", "date_signed")
    )
    for pid, form, signed_on in signed:
        if pid not in first_form:
            first_form[pid] = form
            first_date[pid] = signed_on
    prior: dict[int, str] = {}
    decisions = (
        m.EligibilityDecision.objects.filter(patient_id__in=patient_ids)
        .order_by("patient_id", "-decided_at", "-id")
        .values_list("patient_id", "prior_cannabis_use")
    )
    for pid, use in decisions:
        prior.setdefault(pid, use)
    return first_form, prior, first_date
