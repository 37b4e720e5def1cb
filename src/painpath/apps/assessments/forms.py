"""Reading the assessment and questionnaire forms into the plain values the actions take.

The finding checkboxes come from the triage vocabulary (``painpath.clinical.triage.FINDINGS``:
each finding's ``code``, ``meaning``, ``group``); days and course are asked for the findings
whose course changes the urgency (the vocabulary's ``timed`` findings: cauda equina and
myelopathy). STarT Back and painDETECT answers use the instrument registry's neutral labels
(their wording is licensed). Validation of the clinical content is the core's: these functions
only turn text into numbers, and name the field when they cannot.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings

from painpath.apps.assessments.models import Region
from painpath.apps.errors import ActionError
from painpath.clinical.errors import InvalidInput
from painpath.clinical.instruments import Instrument, get
from painpath.typed_numbers import ascii_integer

COURSES: tuple[tuple[str, str], ...] = (
    ("new", "New"),
    ("stable", "Stable"),
    ("improving", "Improving"),
    ("deteriorating", "Deteriorating"),
)
SCREENING = ("startback", "paindetect")
REGIONS = tuple(Region.choices)


@dataclass(frozen=True)
class Wording:
    """An instrument as the form shows it, and where its item wording came from."""

    instrument: Instrument
    kind: str  # "full" (licence allows) | "licensed" (clinic's file) | "neutral"
    problem: str = ""


def wording(code: str) -> Wording:
    """The instrument with the wording the form may show (CLINICAL.md section 2, Licences).

    Free instruments show their full wording. Licensed ones show the clinic's wording when
    ``PAINPATH_QUESTIONNAIRE_WORDING_DIR`` holds ``<code>.json`` (a FHIR R4 Questionnaire whose
    linkIds are our item codes), else our neutral labels. A file that does not match is reported
    (``problem``) and neutral labels are shown: scoring never depends on the wording.
    """
    instrument = get(code)
    if instrument.full_text_allowed:
        return Wording(instrument, "full")
    folder = str(getattr(settings, "PAINPATH_QUESTIONNAIRE_WORDING_DIR", "") or "")
    path = Path(folder) / f"{instrument.code}.json" if folder else None
    if path is None or not path.is_file():
        return Wording(instrument, "neutral")
    from painpath.questionnaire_wording import load_wording

    try:
        return Wording(load_wording(instrument.code, path), "licensed")
    except InvalidInput as exc:
        return Wording(instrument, "neutral", problem=str(exc))


def vocabulary() -> tuple[Mapping[str, Any], Mapping[str, str]]:
    """The triage findings (code -> Finding) and group headings."""
    from painpath.clinical import triage

    findings = triage.FINDINGS
    groups = getattr(triage, "GROUPS", None) or {}
    return findings, groups


def _integer(text: str) -> int | None:
    """The whole number ``text`` spells in ASCII digits (an optional minus sign), else None."""
    return ascii_integer(text, max_digits=12, signs="-")


def _whole(post: Any, field: str, label: str, errors: dict[str, str], *, low: int, high: int,
           required: bool) -> int | None:  # fmt: skip
    text = str(post.get(field, "")).strip()
    if not text:
        if required:
            errors[field] = f"{label} is required (a whole number {low}-{high})"
        return None
    number = _integer(text)
    if number is None or not low <= number <= high:
        errors[field] = f"{label} must be a whole number {low}-{high}, got {text[:10]!r}"
        return None
    return number


def _answers(post: Any, instrument: Instrument, errors: dict[str, str], prefix: str) -> list[Any]:
    answers: list[Any] = []
    for i, item in enumerate(instrument.items, start=1):
        text = str(post.get(f"{prefix}{item.code}", "")).strip()
        if not text:
            answers.append(None)
        elif (value := _integer(text)) in item.values:
            answers.append(value)
        else:
            allowed = ", ".join(str(v) for v in item.values)
            errors[f"{prefix}{item.code}"] = (
                f"{instrument.code} item {i} ({item.label}) must be one of {allowed}"
            )
            answers.append(None)
    return answers


def assessment_data(post: Any) -> tuple[dict[str, Any], str]:
    """(triage input, examination text) from the assessment form; ActionError naming fields."""
    errors: dict[str, str] = {}
    findings_vocab, _ = vocabulary()
    data: dict[str, Any] = {}
    region = post.get("region", "")
    if region not in Region.values:
        errors["region"] = f"Region must be one of: {', '.join(Region.values)}"
    else:
        data["region"] = region
    duration = _whole(post, "duration_weeks", "Duration (weeks)", errors, low=0, high=5200,
                      required=True)  # fmt: skip
    if duration is not None:
        data["duration_weeks"] = duration
    onset = _whole(post, "age_at_onset", "Age at onset", errors, low=0, high=130, required=False)
    if onset is not None:
        data["age_at_onset"] = onset
    findings: list[Any] = []
    for code in post.getlist("finding"):
        finding = findings_vocab.get(code)
        if finding is None:
            errors["finding"] = f"Finding {code[:40]!r} is not in the triage vocabulary"
            continue
        if not getattr(finding, "timed", False):
            findings.append(code)
            continue
        days = _whole(post, f"days_{code}", f"Days present ({finding.meaning})", errors,
                      low=0, high=36500, required=False)  # fmt: skip
        course = post.get(f"course_{code}", "")
        if course and course not in dict(COURSES):
            errors[f"course_{code}"] = f"Course must be one of: {', '.join(dict(COURSES))}"
            course = ""
        if days is None and not course:
            findings.append(code)
        else:
            item: dict[str, Any] = {"code": code}
            if days is not None:
                item["days"] = days
            if course:
                item["course"] = course
            findings.append(item)
    data["findings"] = findings
    for code in SCREENING:
        answers = _answers(post, get(code), errors, f"{code}_")
        data[code] = answers if any(a is not None for a in answers) else None
    examination = str(post.get("examination", "")).strip()
    if len(examination) > 20_000:
        errors["examination"] = "Examination must be at most 20,000 characters"
    if errors:
        raise ActionError(errors)
    return data, examination


def questionnaire_answers(post: Any, instrument: Instrument) -> list[Any]:
    """Answers in item order (None where unanswered); ActionError naming a bad item."""
    errors: dict[str, str] = {}
    answers = _answers(post, instrument, errors, "item_")
    if errors:
        raise ActionError(errors)
    return answers


def item_rows(
    instrument: Instrument, answers: Sequence[Any] | Mapping[str, Any], errors: Mapping[str, str],
    prefix: str,
) -> list[dict[str, Any]]:  # fmt: skip
    """Each item with its options, the chosen answer and its error, for a radio group."""
    rows = []
    for i, item in enumerate(instrument.items):
        if isinstance(answers, Mapping):
            chosen = str(answers.get(f"{prefix}{item.code}", ""))
        else:
            chosen = "" if i >= len(answers) or answers[i] is None else str(answers[i])
        name = f"{prefix}{item.code}"
        rows.append(
            {
                "number": i + 1,
                "name": name,
                "label": item.label,
                "error": errors.get(name, "") or errors.get(f"answers.{item.code}", ""),
                "options": [
                    {
                        "id": f"{name}_{o.value}".replace("-", "m"),
                        "value": o.value,
                        "label": o.label,
                        "checked": chosen == str(o.value),
                    }
                    for o in item.options
                ],
            }
        )
    return rows
