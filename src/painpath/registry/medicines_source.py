"""Product form, prior cannabis use and first prescription date from the medicines app.

Only coded fields are read (never the dose text, rationale or product name):

- ``prior_cannabis_use`` from the patient's earliest approved ``EligibilityDecision`` (else the
  earliest decision): ``never`` -> ``naive``, ``past`` -> ``former``, ``current`` -> ``current``
  (the UK Medical Cannabis Registry's categories).
- ``product_form`` over every signed prescription, grouped as the UKMCR papers do: oils only ->
  ``oil``, dried flower only -> ``flower``, both -> ``oil_and_flower``; any other form (capsule,
  spray, pastille) -> ``other``.
- the first signed prescription's date, a candidate for the CBPM start (month 0).

A prescription counts once signed (``date_signed`` set: signed, stopped or changed later) unless
it was cancelled, since a cancelled prescription may never have been dispensed.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

CANNABIS_USE = {"never": "naive", "past": "former", "current": "current"}


def product_form(forms: set[str]) -> str | None:
    """The registry's product-form group for the set of forms a patient was prescribed."""
    if not forms:
        return None
    if forms == {"oil"}:
        return "oil"
    if forms == {"flower"}:
        return "flower"
    if forms == {"oil", "flower"}:
        return "oil_and_flower"
    return "other"


def facts(ids: list[int]) -> tuple[dict[int, str], dict[int, str], dict[int, dt.date]]:
    """(product form group, prior cannabis use, first signed prescription date) per patient."""
    from painpath.apps.medicines.models import EligibilityDecision, Prescription, Status

    use: dict[int, str] = {}
    decisions = (
        EligibilityDecision.objects.filter(patient_id__in=ids)
        .order_by("patient_id", "decided_at", "id")
        .values_list("patient_id", "decision", "prior_cannabis_use")
    )
    approved_seen: set[int] = set()
    for pid, decision, prior in decisions:
        code = CANNABIS_USE.get(prior)
        if code is None:
            continue
        if decision == "approved" and pid not in approved_seen:
            use[pid] = code
            approved_seen.add(pid)
        elif pid not in use:
            use[pid] = code

    forms: dict[int, set[str]] = defaultdict(set)
    first: dict[int, dt.date] = {}
    signed = Prescription.objects.filter(patient_id__in=ids, date_signed__isnull=False).exclude(
        status=Status.CANCELLED
    )
    for pid, form, signed_on in signed.values_list("patient_id", "product__form", "date_signed"):
        forms[pid].add(form)
        if pid not in first or signed_on < first[pid]:
            first[pid] = signed_on
    groups = {pid: g for pid, f in forms.items() if (g := product_form(f)) is not None}
    return groups, use, first
