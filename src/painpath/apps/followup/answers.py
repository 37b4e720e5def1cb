"""What a patient answers in a follow-up set: parsed from the form, checked, kept as a draft.

One shape for drafts, submissions and the API (plain JSON)::

    answers      {instrument code: [response code or None, ...]}   (published item order)
    side_effects {"any": "yes" | "no" | "", "items": [{symptom, severity, description}]}
    red_flags    {"any": "yes" | "no" | "", "questions": [home question code, ...]}

``parse_form`` checks every value is allowed (out of range: the field named, nothing kept from
it); ``check_complete`` adds what a submission needs: each instrument scorable by its own missing
rule (the clinical core decides), and the side-effect and red-flag questions answered. A draft is
never scored (issue 5: partial answers are never scored as complete).
"""

from __future__ import annotations

import functools
import importlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from painpath.apps.followup import conf
from painpath.apps.outcomes.models import ReportedSeverity, Symptom
from painpath.clinical.errors import InvalidInput
from painpath.clinical.followup.home_questions import questions_for
from painpath.clinical.instruments import Instrument, get, score
from painpath.typed_numbers import ascii_integer

YES_NO = ("yes", "no")
MAX_DESCRIPTION = 2000
#: Side-effect symptoms asked by name ("other" is the free-text question).
NAMED_SYMPTOMS = tuple(s for s in Symptom if s != Symptom.OTHER)


@functools.cache
def instrument(code: str) -> Instrument:
    """The instrument with the clinic's licensed wording when configured, else ours (neutral
    labels, or the full wording where its licence allows; CLINICAL.md section 2)."""
    path = conf.wording_files().get(code)
    if path:
        from painpath.questionnaire_wording import load_wording

        return load_wording(code, path)
    return get(code)


@functools.cache
def required_items(code: str) -> tuple[bool, ...]:
    """For each item, whether the core refuses the response when only that item is missing
    (EQ-5D-5L's VAS is optional, every PHQ-9 item is needed): asked of the scorer itself."""
    items = get(code).items
    full: list[int | None] = [it.values[0] for it in items]
    needed = []
    for i in range(len(items)):
        trial = [*full[:i], None, *full[i + 1 :]]
        try:
            score(code, trial)
        except InvalidInput:
            needed.append(True)
        else:
            needed.append(False)
    return tuple(needed)


def stem(code: str) -> str:
    """The instruction shown above an instrument's items, when its licence lets us ship it."""
    inst = instrument(code)
    module = importlib.import_module(f"painpath.clinical.instruments.{code}")
    return str(getattr(module, "STEM", "")) if inst.full_text_allowed else ""


@dataclass
class SetAnswers:
    answers: dict[str, list[int | None]] = field(default_factory=dict)
    side_effects: dict[str, Any] = field(default_factory=lambda: {"any": "", "items": []})
    red_flags: dict[str, Any] = field(default_factory=lambda: {"any": "", "questions": []})

    def to_json(self) -> dict[str, Any]:
        return {
            "answers": self.answers,
            "side_effects": self.side_effects,
            "red_flags": self.red_flags,
        }

    @classmethod
    def from_json(
        cls,
        answers: Mapping[str, Any],
        side_effects: Mapping[str, Any],
        red_flags: Mapping[str, Any],
    ) -> SetAnswers:
        return cls(
            {str(k): list(v) for k, v in (answers or {}).items()},
            {"any": "", "items": [], **dict(side_effects or {})},
            {"any": "", "questions": [], **dict(red_flags or {})},
        )


def _label(code: str, index: int) -> str:
    return f"{instrument(code).title}, question {index + 1}"


def _one(data: Any, name: str) -> str:
    getter = getattr(data, "get", None)
    value = getter(name, "") if getter else ""
    if isinstance(value, list):
        value = value[-1] if value else ""
    return str(value if value is not None else "").strip()


def _many(data: Any, name: str) -> list[str]:
    getlist = getattr(data, "getlist", None)
    if getlist is not None:
        return [str(v) for v in getlist(name)]
    value = data.get(name, []) if hasattr(data, "get") else []
    return [str(v) for v in (value if isinstance(value, list | tuple) else [value]) if v != ""]


def parse_form(
    data: Any, instruments: Sequence[str], *, ask_side_effects: bool, region: str
) -> tuple[SetAnswers, dict[str, str]]:
    """Read a posted form (a QueryDict or a dict): every value checked against what is allowed.

    Errors are keyed by the form field (an item code such as ``phq9_9``, ``se_any``...) with a
    message naming the question and what is allowed; a refused value is left unanswered.
    """
    errors: dict[str, str] = {}
    got = SetAnswers()
    for code in instruments:
        inst = instrument(code)
        values: list[int | None] = []
        for i, item in enumerate(inst.items):
            raw = _one(data, item.code)
            if raw == "":
                values.append(None)
                continue
            allowed = item.values
            value = ascii_integer(raw, max_digits=4, signs="-")
            if value is None or value not in allowed:
                errors[item.code] = (
                    f"{_label(code, i)}: {raw[:10]!r} is not allowed; choose one of the answers "
                    f"shown ({allowed[0]}-{allowed[-1]})"
                )
                values.append(None)
            else:
                values.append(value)
        got.answers[code] = values
    if ask_side_effects:
        got.side_effects = _parse_side_effects(data, errors)
    got.red_flags = _parse_red_flags(data, region, errors)
    return got, errors


def _parse_side_effects(data: Any, errors: dict[str, str]) -> dict[str, Any]:
    gate = _one(data, "se_any")
    if gate not in ("", *YES_NO):
        errors["se_any"] = "Side effects: answer yes or no"
        gate = ""
    items: list[dict[str, str]] = []
    ticked = _many(data, "se_symptoms")
    for symptom in ticked:
        if symptom not in Symptom.values:
            errors["se_symptoms"] = (
                f"Side effects: {symptom[:20]!r} is not one of the side effects listed"
            )
            continue
        severity = _one(data, f"se_{symptom}_severity")
        if severity not in ("", *ReportedSeverity.values):
            errors[f"se_{symptom}_severity"] = (
                f"{Symptom(symptom).label}: choose mild, moderate or severe"
            )
            severity = ""
        description = _one(data, "se_other_description") if symptom == Symptom.OTHER else ""
        if len(description) > MAX_DESCRIPTION:
            errors["se_other_description"] = (
                f"Other side effect: at most {MAX_DESCRIPTION} characters"
            )
            description = description[:MAX_DESCRIPTION]
        items.append({"symptom": symptom, "severity": severity, "description": description})
    return {"any": gate, "items": items}


def _parse_red_flags(data: Any, region: str, errors: dict[str, str]) -> dict[str, Any]:
    gate = _one(data, "rf_any")
    if gate not in ("", *YES_NO):
        errors["rf_any"] = "New symptoms: answer yes or no"
        gate = ""
    shown = {q.code for q in questions_for(region)}
    codes: list[str] = []
    for code in _many(data, "rf"):
        if code not in shown:
            errors["rf"] = f"New symptoms: {code[:30]!r} is not one of the symptoms listed"
        elif code not in codes:
            codes.append(code)
    return {"any": gate, "questions": codes}


def check_complete(got: SetAnswers, *, ask_side_effects: bool) -> dict[str, str]:
    """What a submission still lacks, by field; empty when it can be submitted.

    Each instrument is scored by the clinical core to check it (its own missing-item rule: PHQ-9
    needs every item, ODI 8 of 10 ...); the error names the first question it refuses.
    """
    errors: dict[str, str] = {}
    for code, values in got.answers.items():
        try:
            score(code, values)
        except InvalidInput as exc:
            item_codes = [it.code for it in instrument(code).items]
            if exc.field in item_codes:
                # The core names the first question it refuses; every unanswered one of this
                # questionnaire is shown, so the patient can fix them in one go.
                # Items needed on their own (PHQ-9: all), else those a count rule lacks (ODI).
                needed = required_items(code)
                missing = [i for i, v in enumerate(values) if v is None]
                flagged = {i for i in missing if needed[i]} or set(missing)
                flagged.add(item_codes.index(exc.field))
                for i in sorted(flagged):
                    errors[item_codes[i]] = f"{_label(code, i)}: please answer this question"
            else:
                errors[code] = f"{instrument(code).title}: {exc}"
    if ask_side_effects:
        se = got.side_effects
        if se["any"] not in YES_NO:
            errors["se_any"] = "Side effects: please answer yes or no"
        elif se["any"] == "yes" and not se["items"]:
            errors["se_symptoms"] = "Side effects: you answered yes; tick at least one"
        elif se["any"] == "no" and se["items"]:
            errors["se_any"] = "Side effects: you answered no but ticked a side effect"
        for entry in se["items"]:
            if not entry["severity"]:
                errors[f"se_{entry['symptom']}_severity"] = (
                    f"{Symptom(entry['symptom']).label}: how bad is it? (mild, moderate, severe)"
                )
            if entry["symptom"] == Symptom.OTHER and not entry["description"]:
                errors["se_other_description"] = "Other side effect: please describe it"
    rf = got.red_flags
    if rf["any"] not in YES_NO:
        errors["rf_any"] = "New symptoms: please answer yes or no"
    elif rf["any"] == "yes" and not rf["questions"]:
        errors["rf"] = "New symptoms: you answered yes; tick each one you have"
    elif rf["any"] == "no" and rf["questions"]:
        errors["rf_any"] = "New symptoms: you answered no but ticked a symptom"
    return errors


def side_effects_for_review(got: SetAnswers) -> list[dict[str, str]]:
    if got.side_effects.get("any") != "yes":
        return []
    return [dict(e) for e in got.side_effects.get("items", [])]


def red_flag_findings(got: SetAnswers) -> list[str]:
    if got.red_flags.get("any") != "yes":
        return []
    from painpath.clinical.followup.home_questions import findings_for

    return findings_for(list(got.red_flags.get("questions", [])))
