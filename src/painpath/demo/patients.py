"""Synthetic patients with plausible histories, made through the same actions the clinic uses.

Each patient gets a pain profile (mechanical or radicular low back pain, neck pain with or without
radiculopathy, a few red-flag presentations), a baseline assessment triaged by the real clinical
core, baseline questionnaires scored by the real instruments, follow-ups on the usual schedule
(2 weeks, 1, 3, 6, 12 months, then 6-monthly) along a trajectory (responder, partial,
non-responder, worse), a history of conventional treatments, consents, the referral that brought
them to the clinic (mostly from the GP, some self-referrals) and a note. Everything is made up: see
``painpath.demo.names``; referrers are invented people at the patient's invented practice or at
"Demo" services.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from painpath.apps.assessments import actions as assessment_actions
from painpath.apps.patients import actions as patient_actions
from painpath.apps.patients.models import Alert, Patient
from painpath.apps.patients.validators import check_digit
from painpath.demo import names

#: Follow-up offsets in days from the first visit (DESIGN.md journey step 4), then 6-monthly.
FOLLOW_UP_DAYS = (14, 30, 91, 182, 365)


@dataclass(frozen=True)
class Profile:
    code: str
    weight: int
    region: str
    findings: tuple[Any, ...]
    neuropathic: bool = False
    min_age: int = 22
    age_at_onset_before_35: bool = False


PROFILES = (
    Profile("mechanical", 30, "low_back", ("pain_varies_with_activity",)),
    Profile(
        "radicular",
        22,
        "low_back",
        (
            "leg_pain_worse_than_back",
            "pain_below_knee",
            "dermatomal_numbness",
            "positive_straight_leg_raise",
        ),
        neuropathic=True,
    ),
    Profile("non_specific", 14, "low_back", ()),
    Profile("neck_mechanical", 12, "neck", ("pain_varies_with_activity",)),
    Profile(
        "neck_radiculopathy",
        7,
        "neck",
        ("arm_pain_worse_than_neck", "dermatomal_arm_symptoms", "positive_spurling"),
        neuropathic=True,
    ),
    Profile(
        "axial_spa",
        3,
        "low_back",
        (
            "waking_second_half_night",
            "buttock_pain",
            "improves_with_movement",
            "family_history_spa",
        ),
        min_age=25,
        age_at_onset_before_35=True,
    ),
    Profile(
        "foot_drop",
        3,
        "low_back",
        ("leg_pain_worse_than_back", "pain_below_knee", "myotomal_weakness", "foot_drop"),
        neuropathic=True,
    ),
    Profile(
        "cauda_equina",
        2,
        "low_back",
        (
            {"code": "saddle_anaesthesia", "days": 2, "course": "new"},
            {"code": "urinary_retention", "days": 1, "course": "new"},
            "bilateral_radicular_pain",
        ),
        neuropathic=True,
    ),
    Profile("cancer_review", 2, "low_back", ("unexplained_weight_loss", "night_pain"), min_age=55),
    Profile("thoracic", 2, "thoracic", ("pain_varies_with_activity",)),
)

#: Fraction of the baseline symptom burden relieved at long follow-up, by trajectory.
TRAJECTORIES = {"responder": 0.5, "partial": 0.25, "non_responder": 0.03, "worse": -0.2}
TRAJECTORY_WEIGHTS = {"responder": 40, "partial": 25, "non_responder": 25, "worse": 10}

CONVENTIONAL = (
    ("physiotherapy", "NHS physiotherapy, 6 sessions"),
    ("exercise", "Group exercise programme"),
    ("nsaid", "Naproxen 500 mg twice daily"),
    ("paracetamol", "Paracetamol 1 g four times daily"),
    ("opioid", "Codeine 30 mg as needed"),
    ("gabapentinoid", "Pregabalin 75 mg twice daily"),
    ("antidepressant", "Amitriptyline 10-30 mg at night"),
    ("psychological", "CBT, 8 sessions"),
    ("spinal_injection", "Epidural steroid injection"),
    ("manual_therapy", "Manipulation with exercise"),
    ("acupuncture", "Acupuncture, 6 sessions"),
)
FAILED_EFFECTS = ("no_effect", "no_effect", "not_tolerated", "partial", "worse")
STOP_REASONS = {
    "no_effect": "No meaningful benefit after an adequate trial.",
    "not_tolerated": "Stopped because of side effects (drowsiness, nausea).",
    "partial": "Some benefit that wore off.",
    "worse": "Symptoms worse during treatment.",
}
NOTES = (
    "Synthetic demo note: discussed the assessment and the plan; questions answered.",
    "Synthetic demo note: self-management advice and education material given.",
    "Synthetic demo note: reviewed questionnaire results with the patient.",
)


#: Who referred the demo patients, weighted: mostly the GP, some self-referrals.
REFERRAL_SOURCE_WEIGHTS = {"gp": 70, "self": 15, "physiotherapy": 8, "specialist": 5, "other": 2}
#: Invented referrer surnames (no real clinician); initials are drawn A-Z.
REFERRER_SURNAMES = ("Example", "Sample", "Specimen", "Placeholder", "Testwell", "Demo")
REFERRER_SERVICES = {
    "physiotherapy": ("Demo Community Physiotherapy", "Demo MSK Physiotherapy Service"),
    "specialist": ("Demo Hospital Orthopaedics", "Demo Hospital Rheumatology"),
    "other": ("Demo Occupational Health Service",),
}
REFERRAL_REASONS = {
    "low_back": "Synthetic demo referral: low back pain for {months} months despite {tried}.",
    "neck": "Synthetic demo referral: neck pain for {months} months despite {tried}.",
    "thoracic": "Synthetic demo referral: thoracic back pain for {months} months despite {tried}.",
}
TRIED = ("physiotherapy and analgesia", "exercise and analgesia", "several medicines")


def demo_referral(
    nhs_number: str,
    *,
    region: str,
    first_visit: dt.date,
    duration_weeks: int,
    practice: str,
) -> dict[str, Any]:
    """The referral that brought a demo patient to the clinic, received 1-16 weeks before the
    first visit. Drawn from its own stream (seeded by the patient's test-range NHS number), so
    the rest of a seeded demo is the same with or without referrals."""
    rng = random.Random(f"referral-{nhs_number}")
    source = _pick(rng, REFERRAL_SOURCE_WEIGHTS)
    person = f"{rng.choice('ABCDEFGHJKLMNPRSTW')}. {rng.choice(REFERRER_SURNAMES)}"
    if source == "gp":
        referrer = f"Dr {person}, {practice}"
    elif source == "self":
        referrer = ""
    else:
        title = "" if source == "physiotherapy" else "Dr "
        referrer = f"{title}{person}, {rng.choice(REFERRER_SERVICES[source])}"
    reason = REFERRAL_REASONS.get(region, REFERRAL_REASONS["low_back"]).format(
        months=max(3, round(duration_weeks / 4.35)), tried=rng.choice(TRIED)
    )
    if source == "self":
        reason = reason.replace("demo referral:", "demo self-referral:")
    return {
        "source": source,
        "referrer": referrer,
        "received_on": first_visit - dt.timedelta(days=rng.randint(7, 112)),
        "reason": reason,
    }


@dataclass
class DemoSummary:
    patients: int = 0
    assessments: int = 0
    responses: int = 0
    treatments: int = 0
    alerts: int = 0
    notes: list[str] = field(default_factory=list)


def nhs_number_stream(rng: random.Random) -> Callable[[], str]:
    """Unused valid NHS numbers from the 999 test range (999 000 0000 - 999 999 9999)."""
    taken = set(
        Patient.objects.filter(nhs_number__startswith="999").values_list("nhs_number", flat=True)
    )

    def next_number() -> str:
        while True:
            stem = f"999{rng.randrange(1_000_000):06d}"
            digit = check_digit(stem)
            if digit is not None and f"{stem}{digit}" not in taken:
                number = f"{stem}{digit}"
                taken.add(number)
                return number

    return next_number


def spread(total: float, maxima: list[int], rng: random.Random) -> list[int]:
    """Item answers summing to ``total`` (clamped to what the items allow), spread at random."""
    total = max(0, min(round(total), sum(maxima)))
    answers = [0] * len(maxima)
    open_items = [i for i, m in enumerate(maxima) if m > 0]
    for _ in range(total):
        i = rng.choice(open_items)
        answers[i] += 1
        if answers[i] == maxima[i]:
            open_items.remove(i)
    return answers


def clamp(x: float, lo: float, hi: float) -> float:
    return max(lo, min(hi, x))


@dataclass
class Course:
    """One patient's symptom course: baseline burdens and how they change over time."""

    pain: float  # NRS 0-10 at baseline
    disability: float  # fraction 0-1 of the ODI/NDI maximum
    mood: float  # PHQ-9 total at baseline
    anxiety: float  # GAD-7 total at baseline
    sleep: float  # SQS 0-10 at baseline (higher better)
    relief: float  # long-term fraction relieved (negative: worse)
    half_life_days: float
    rng: random.Random

    def relieved(self, day: int) -> float:
        if day <= 0:
            return 0.0
        return self.relief * (1 - math.exp(-day / self.half_life_days))

    def at(self, day: int) -> dict[str, float]:
        f = self.relieved(day)
        noise = self.rng.gauss
        return {
            "pain": clamp(self.pain * (1 - f) + noise(0, 0.6), 0, 10),
            "disability": clamp(self.disability * (1 - f) + noise(0, 0.04), 0, 1),
            "mood": clamp(self.mood * (1 - 0.6 * f) + noise(0, 1.2), 0, 24),
            "anxiety": clamp(self.anxiety * (1 - 0.6 * f) + noise(0, 1.2), 0, 21),
            "sleep": clamp(self.sleep + (10 - self.sleep) * 0.7 * f + noise(0, 0.6), 0, 10),
            "relief": f,
        }


def questionnaire_answers(
    state: dict[str, float], region: str, rng: random.Random, *, follow_up: bool
) -> dict[str, list[int | None]]:
    """Answers for the usual set of instruments, consistent with the symptom state."""
    pain = state["pain"]
    disability_code = "ndi" if region == "neck" else "odi"
    answers: dict[str, list[int | None]] = {
        "nrs": [round(pain)],
        disability_code: list(spread(round(state["disability"] * 50), [5] * 10, rng)),
        # Item 9 (self-harm) is never set here: the demo adds it deliberately, see generate().
        "phq9": [*spread(round(state["mood"]), [3] * 8, rng), 0],
        "gad7": list(spread(round(state["anxiety"]), [3] * 7, rng)),
        "sqs": [round(state["sleep"])],
    }
    level = 1 + clamp(round(pain / 2.5 + rng.gauss(0, 0.5)), 0, 4)
    mobility = 1 + clamp(round(state["disability"] * 5 + rng.gauss(0, 0.5)), 0, 4)
    answers["eq5d5l"] = [
        int(mobility),
        int(clamp(mobility - 1, 1, 5)),
        int(mobility),
        int(level),
        int(1 + clamp(round(state["mood"] / 6), 0, 4)),
        int(clamp(round(95 - 7 * pain + rng.gauss(0, 6)), 0, 100)),
    ]
    if follow_up:
        f = state["relief"]
        pgic = 1 if f > 0.45 else 2 if f > 0.3 else 3 if f > 0.12 else 4 if f > -0.05 else 5
        answers["pgic"] = [int(clamp(pgic + rng.choice((-1, 0, 0, 0, 1)), 1, 7))]
    return answers


def startback_answers(course: Course, rng: random.Random) -> list[int | None]:
    """STarT Back answers whose psychosocial items track mood and anxiety."""
    distress = (course.mood / 27 + course.anxiety / 21) / 2
    physical = [1 if rng.random() < 0.25 + course.disability else 0 for _ in range(4)]
    psychosocial = [1 if rng.random() < 0.15 + distress else 0 for _ in range(4)]
    bother = int(clamp(round(course.pain / 2.5 + rng.gauss(0, 0.7)), 0, 4))
    return [*physical, *psychosocial, bother]


def paindetect_answers(neuropathic: bool, rng: random.Random) -> list[int | None]:
    """painDETECT answers: high sensory scores and radiation when the profile is neuropathic."""
    target = rng.randint(17, 27) if neuropathic else rng.randint(2, 11)
    sensory = spread(target - (2 if neuropathic else 0), [5] * 7, rng)
    return [*sensory, 1 if neuropathic else 0, 1 if neuropathic else 0]


def _pick(rng: random.Random, weighted: dict[str, int]) -> str:
    return rng.choices(list(weighted), weights=list(weighted.values()))[0]


def _visit_time(day: dt.date, rng: random.Random) -> dt.datetime:
    naive = dt.datetime.combine(day, dt.time(rng.randint(9, 16), rng.choice((0, 15, 30, 45))))
    return timezone.make_aware(naive)


def generate_patients(
    n: int,
    *,
    by: dict[str, Any],
    seed: int | None = None,
    today: dt.date | None = None,
    with_assessments: bool = True,
) -> DemoSummary:
    """Create ``n`` synthetic patients through the clinic's actions; ``by`` maps role -> user.

    ``with_assessments=False`` skips the triage (for when the triage core is unavailable).
    Each patient is one transaction.
    """
    rng = random.Random(seed)
    today = today or timezone.localdate()
    summary = DemoSummary()
    next_nhs = nhs_number_stream(rng)
    profiles = {p.code: p for p in PROFILES}
    for _ in range(n):
        profile = profiles[_pick(rng, {p.code: p.weight for p in PROFILES})]
        with transaction.atomic():
            _one_patient(rng, profile, by, today, next_nhs, summary, with_assessments)
    return summary


def _one_patient(
    rng: random.Random,
    profile: Profile,
    by: dict[str, Any],
    today: dt.date,
    next_nhs: Callable[[], str],
    summary: DemoSummary,
    with_assessments: bool,
) -> None:
    prescriber, nurse, admin = by["prescriber"], by["nurse"], by["admin"]
    sex = rng.choices(("female", "male", "other"), weights=(55, 43, 2))[0]
    given_pool = {"female": names.GIVEN_FEMALE, "male": names.GIVEN_MALE}.get(
        sex, names.GIVEN_OTHER
    )
    first_visit = today - dt.timedelta(days=rng.randint(20, 1100))
    age = rng.randint(profile.min_age, 82)
    dob = first_visit - dt.timedelta(days=age * 365 + rng.randint(0, 364))
    given, family = rng.choice(given_pool), rng.choice(names.FAMILY)
    practice, code = rng.choice(names.GP_PRACTICES)
    town = rng.choice(names.TOWNS)
    nhs_number = next_nhs()
    patient = patient_actions.create_patient(
        by=admin,
        nhs_number=nhs_number,
        given_name=given,
        family_name=family,
        date_of_birth=dob,
        sex=sex,
        email=f"{given}.{family}{rng.randint(1, 99)}@example.org".lower().replace("'", ""),
        phone=f"07700 900{rng.randint(0, 999):03d}",
        address=f"{rng.randint(1, 120)} {rng.choice(names.STREETS)}\n{town}",
        postcode=f"ZZ{rng.randint(1, 9)} {rng.randint(1, 9)}{rng.choice('ABDEFGHJ')}"
        f"{rng.choice('LNPQRSTU')}",
        gp_practice_name=practice,
        gp_practice_code=code,
        gp_email=f"{code.lower()}@example.org",
    )
    summary.patients += 1
    patient_actions.record_consent(
        by=admin, patient=patient, kind="care", status="given", decided_on=first_visit
    )
    if rng.random() < 0.9:
        patient_actions.record_consent(
            by=admin, patient=patient, kind="gp_sharing", status="given", decided_on=first_visit
        )
    if rng.random() < 0.75:
        patient_actions.record_consent(
            by=admin,
            patient=patient,
            kind="research_registry",
            status="given",
            decided_on=first_visit,
        )
        if rng.random() < 0.06:
            patient_actions.record_consent(
                by=admin,
                patient=patient,
                kind="research_registry",
                status="withdrawn",
                decided_on=first_visit + (today - first_visit) / 2,
            )

    # The referral, and the conventional treatments before it (most failed: why patients reach
    # the clinic).
    duration_weeks = rng.randint(14, 520)
    onset = first_visit - dt.timedelta(weeks=duration_weeks)
    patient_actions.record_referral(
        by=admin,
        patient=patient,
        **demo_referral(
            nhs_number,
            region=profile.region,
            first_visit=first_visit,
            duration_weeks=duration_weeks,
            practice=practice,
        ),
    )
    for category, label in rng.sample(CONVENTIONAL, rng.randint(2, 4)):
        start = onset + dt.timedelta(days=rng.randint(0, max(1, (first_visit - onset).days - 60)))
        effect = rng.choice(FAILED_EFFECTS)
        stop = min(first_visit, start + dt.timedelta(days=rng.randint(21, 180)))
        patient_actions.add_treatment(
            by=nurse,
            patient=patient,
            category=category,
            name=label,
            started_on=start,
            stopped_on=stop,
            effect=effect,
            reason_stopped=STOP_REASONS[effect],
        )
        summary.treatments += 1

    course = Course(
        pain=rng.uniform(5.5, 9.0),
        disability=rng.uniform(0.3, 0.65),
        mood=rng.uniform(3, 17),
        anxiety=rng.uniform(2, 14),
        sleep=rng.uniform(2, 6),
        relief=TRAJECTORIES[_pick(rng, TRAJECTORY_WEIGHTS)],
        half_life_days=rng.uniform(30, 120),
        rng=rng,
    )
    visit = _visit_time(first_visit, rng)
    assessment = None
    if with_assessments:
        data: dict[str, Any] = {
            "region": profile.region,
            "duration_weeks": duration_weeks,
            "findings": list(profile.findings),
            "startback": startback_answers(course, rng) if profile.region == "low_back" else None,
            "paindetect": paindetect_answers(profile.neuropathic, rng),
        }
        if profile.age_at_onset_before_35:
            data["age_at_onset"] = rng.randint(20, 33)
            data["duration_weeks"] = max(duration_weeks, 52)
        assessment = assessment_actions.record_assessment(
            by=prescriber,
            patient=patient,
            data={k: v for k, v in data.items() if v is not None},
            examination="Synthetic demo examination findings.",
            performed_at=visit,
        )
        summary.assessments += 1

    ideation_at = rng.choice((None,) * 24 + tuple(range(1, 4)))
    days = [0, *FOLLOW_UP_DAYS]
    while days[-1] + 182 <= (today - first_visit).days:
        days.append(days[-1] + 182)
    for index, day in enumerate(d for d in days if first_visit + dt.timedelta(days=d) <= today):
        when = visit + dt.timedelta(days=day, hours=rng.randint(0, 6) if day else 0)
        if when > timezone.now():
            break
        state = course.at(day)
        answers = questionnaire_answers(state, profile.region, rng, follow_up=day > 0)
        if ideation_at == index:
            answers["phq9"][8] = 1
        for instrument, values in answers.items():
            assessment_actions.record_questionnaire(
                by=nurse if day == 0 else None,
                patient=patient,
                instrument=instrument,
                answers=values,
                source="clinic" if day == 0 else "home",
                completed_at=when,
                assessment=assessment if day == 0 else None,
            )
            summary.responses += 1

    patient_actions.add_note(by=nurse, patient=patient, text=rng.choice(NOTES))
    # Alerts older than a fortnight were dealt with at the time.
    cutoff = timezone.now() - dt.timedelta(days=14)
    for alert in Alert.objects.filter(patient=patient):
        summary.alerts += 1
        if alert.created_at < cutoff or rng.random() < 0.5:
            patient_actions.acknowledge_alert(
                by=prescriber, alert=alert, note="Synthetic demo: reviewed and actioned."
            )
