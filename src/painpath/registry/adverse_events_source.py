"""Graded adverse events from the outcomes app (``AdverseEvent``).

Only coded fields are read: the report date (turned into months by the extract), the symptom
code, the clinician's CTCAE v5 grade, seriousness and causality; never the free-text
description. Ungraded events (still awaiting a clinician) are not research data yet and are left
out.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass


@dataclass(frozen=True)
class GradedEvent:
    onset: dt.date
    symptom: str | None
    grade: int
    serious: bool | None
    causality: str | None


def events(ids: list[int]) -> dict[int, list[GradedEvent]]:
    """Graded adverse events per patient id, oldest first."""
    from django.utils import timezone

    from painpath.apps.outcomes.models import AdverseEvent

    found: dict[int, list[GradedEvent]] = defaultdict(list)
    rows = (
        AdverseEvent.objects.filter(patient_id__in=ids, grade__isnull=False)
        .order_by("patient_id", "reported_at", "id")
        .values_list("patient_id", "reported_at", "symptom", "grade", "serious", "causality")
    )
    for pid, reported_at, symptom, grade, serious, causality in rows:
        found[pid].append(
            GradedEvent(
                onset=timezone.localdate(reported_at),
                symptom=symptom or None,
                grade=int(grade),
                serious=serious,
                causality=causality or None,
            )
        )
    return dict(found)
