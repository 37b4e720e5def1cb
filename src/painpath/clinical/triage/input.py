"""Parsing and validating the triage input (CLINICAL.md section 1).

Why strict: the triage must never guess. Every problem raises ``InvalidInput`` whose message
starts with the field path (``age: ...``, ``findings[2].course: ...``) and says what is allowed;
``InvalidInput.field`` is the top-level key (what a form or the API maps the error to). Nothing is
defaulted except what CLINICAL.md defines: a bare finding code counts as new.

Required keys: ``region``, ``age``, ``duration_weeks``, ``findings`` (``[]`` when none).
Optional: ``sex`` (no rule uses it; checked when given), ``age_at_onset``, ``startback``,
``paindetect`` (``null`` allowed). Any other key is refused. Booleans and floats are refused
where a whole number is expected (``True == 1`` in Python; a client sending ``true`` or ``51.5``
sent the wrong thing).
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Final, Literal, cast

from painpath.clinical.errors import InvalidInput
from painpath.clinical.instruments import Score, get, score
from painpath.clinical.triage.vocabulary import FINDINGS

Region = Literal["low_back", "neck", "thoracic"]
Course = Literal["new", "stable", "improving", "deteriorating"]

REGIONS: Final[tuple[str, ...]] = ("low_back", "neck", "thoracic")
SEXES: Final[tuple[str, ...]] = ("female", "male", "other")
COURSES: Final[tuple[str, ...]] = ("new", "stable", "improving", "deteriorating")
REQUIRED_KEYS: Final[tuple[str, ...]] = ("region", "age", "duration_weeks", "findings")
OPTIONAL_KEYS: Final[tuple[str, ...]] = ("sex", "age_at_onset", "startback", "paindetect")
KEYS: Final[frozenset[str]] = frozenset(REQUIRED_KEYS + OPTIONAL_KEYS)
FINDING_KEYS: Final[tuple[str, ...]] = ("code", "days", "course")

MIN_AGE: Final = 16
MAX_AGE: Final = 120
#: GIRFT 2023: a CES finding present this many days or fewer is "new".
NEW_WITHIN_DAYS: Final = 14
#: Upper bound of a duration in weeks for an age in years (a year has at most 53 week starts).
WEEKS_PER_YEAR_BOUND: Final = 53


@dataclass(frozen=True, slots=True)
class ReportedFinding:
    """One finding as given: ``days`` and ``course`` are None where not given.

    ``course is None`` counts as ``new`` (CLINICAL.md: a bare code counts as new, the safe
    default). ``index`` is the position in the input list, for messages.
    """

    code: str
    days: int | None
    course: Course | None
    index: int

    @property
    def effective_course(self) -> Course:
        return self.course or "new"

    @property
    def established(self) -> bool:
        """Present more than 14 days AND stable or improving, both stated.

        Only an established finding may take the lower urgency of a timed rule (GIRFT: "present
        > 14 days and stable"). Anything not stated counts against it: no days, or no course,
        keeps the finding acute (ADR 0021).
        """
        return (
            self.days is not None
            and self.days > NEW_WITHIN_DAYS
            and self.course in ("stable", "improving")
        )

    def describe(self) -> str:
        """``saddle_anaesthesia (new, 3 days)``; for a timed finding without a course, says it was
        counted as new; a finding whose course does not matter is shown as given."""
        timed = FINDINGS[self.code].timed
        if self.course is None and self.days is None:
            return f"{self.code} (counted as new: no course or days given)" if timed else self.code
        parts: list[str] = []
        if self.course is not None:
            parts.append(self.course)
        elif timed:
            parts.append("course not given: counted as new")
        if self.days is not None:
            parts.append(f"{self.days} day" + ("" if self.days == 1 else "s"))
        elif timed:
            parts.append("days not given")
        return f"{self.code} ({', '.join(parts)})"


@dataclass(frozen=True, slots=True)
class TriageInput:
    """The validated input of one triage."""

    region: Region
    age: int
    sex: str | None
    duration_weeks: int
    age_at_onset: int | None
    findings: tuple[ReportedFinding, ...]
    startback: Score | None
    paindetect: Score | None

    @property
    def codes(self) -> frozenset[str]:
        return frozenset(f.code for f in self.findings)

    def finding(self, code: str) -> ReportedFinding | None:
        for f in self.findings:
            if f.code == code:
                return f
        return None


def _is_int(value: object) -> bool:
    return value.__class__ is int


def _whole(field: str, value: object, low: int, high: int, what: str = "") -> int:
    if not _is_int(value) or not low <= cast("int", value) <= high:
        raise InvalidInput(
            f"{field}: must be a whole number from {low} to {high}{what}, got {value!r}",
            field=field.split("[", 1)[0].split(".", 1)[0],
        )
    return cast("int", value)


def _choice(field: str, value: object, allowed: Sequence[str]) -> str:
    """One of ``allowed``. A str subclass (Django TextChoices from the API schema) is accepted and
    returned as a plain str, so the stored JSON holds the code itself."""
    if not isinstance(value, str) or value not in allowed:
        shown = str.__str__(value) if isinstance(value, str) else value
        raise InvalidInput(
            f"{field}: must be one of {', '.join(allowed)}, got {shown!r}",
            field=field.split("[", 1)[0].split(".", 1)[0],
        )
    return str.__str__(value)


def _unknown_code(where: str, code: object) -> InvalidInput:
    hint = ""
    if isinstance(code, str):
        close = difflib.get_close_matches(code, FINDINGS.keys(), n=3, cutoff=0.6)
        if close:
            hint = " (did you mean " + " or ".join(repr(c) for c in close) + "?)"
    return InvalidInput(
        f"{where}: unknown finding code {code!r}{hint}; allowed (see `painpath findings`): "
        + ", ".join(sorted(FINDINGS)),
        field="findings",
    )


def _finding(i: int, raw: object, max_days: int) -> ReportedFinding:
    where = f"findings[{i}]"
    if isinstance(raw, str):
        if raw not in FINDINGS:
            raise _unknown_code(where, raw)
        return ReportedFinding(str.__str__(raw), None, None, i)
    if not isinstance(raw, Mapping):
        raise InvalidInput(
            f"{where}: must be a finding code or an object with code, days and course, "
            f"got {type(raw).__name__}",
            field="findings",
        )
    extra = sorted(str(k) for k in raw if k not in FINDING_KEYS)
    if extra:
        raise InvalidInput(
            f"{where}: unknown key(s) {', '.join(extra)}; allowed: {', '.join(FINDING_KEYS)}",
            field="findings",
        )
    code = raw.get("code")
    if not isinstance(code, str) or code not in FINDINGS:
        if "code" not in raw:
            raise InvalidInput(f"{where}.code: is required (a finding code)", field="findings")
        if not isinstance(code, str):
            raise InvalidInput(
                f"{where}.code: must be a finding code (text, see `painpath findings`), "
                f"got {type(code).__name__}",
                field="findings",
            )
        raise _unknown_code(f"{where}.code", code)
    days_raw = raw.get("days")
    days = (
        None
        if days_raw is None
        else _whole(f"{where}.days", days_raw, 0, max_days, " (days the finding has been present)")
    )
    course_raw = raw.get("course")
    course = None if course_raw is None else _choice(f"{where}.course", course_raw, COURSES)
    if course == "new" and days is not None and days > NEW_WITHIN_DAYS:
        raise InvalidInput(
            f"{where}.course: 'new' means present {NEW_WITHIN_DAYS} days or fewer (GIRFT), but "
            f"days is {days}; use stable, improving or deteriorating",
            field="findings",
        )
    return ReportedFinding(str.__str__(code), days, cast("Course | None", course), i)


def _findings(raw: object, max_days: int) -> tuple[ReportedFinding, ...]:
    if not isinstance(raw, Sequence) or isinstance(raw, str | bytes):
        raise InvalidInput(
            f"findings: must be a list of finding codes or objects ([] when none), "
            f"got {type(raw).__name__}",
            field="findings",
        )
    out: dict[str, ReportedFinding] = {}
    for i, item in enumerate(raw):
        f = _finding(i, item, max_days)
        seen = out.get(f.code)
        if seen is None:
            out[f.code] = f
        elif (seen.days, seen.effective_course) != (f.days, f.effective_course):
            raise InvalidInput(
                f"findings[{i}]: {f.code} is also findings[{seen.index}] with a different "
                f"course or days ({seen.describe()} vs {f.describe()}); give each finding once",
                field="findings",
            )
    return tuple(out.values())


def _answers(key: str, raw: object) -> Score | None:
    """Score the questionnaire; an item error is prefixed with its path (``startback[8]: ...``)."""
    if raw is None:
        return None
    try:
        return score(key, cast("Sequence[object]", raw))
    except InvalidInput as exc:
        text = str(exc)
        codes = [it.code for it in get(key).items]
        if exc.field in codes:
            message = f"{key}[{codes.index(exc.field)}]: {text}"
        else:
            message = text if text.startswith(f"{key}:") else f"{key}: {text}"
        raise InvalidInput(message, field=key) from None


def parse(data: object) -> TriageInput:
    """Validate ``data`` (a mapping) into a TriageInput; InvalidInput naming the field otherwise."""
    if not isinstance(data, Mapping):
        raise InvalidInput(
            f"input: must be an object with the triage fields ({', '.join(REQUIRED_KEYS)}), "
            f"got {type(data).__name__}",
            field="data",
        )
    unknown = sorted(str(k) for k in data if k not in KEYS)
    if unknown:
        raise InvalidInput(
            f"{unknown[0]}: is not a triage field; allowed: {', '.join(sorted(KEYS))}",
            field=unknown[0],
        )
    for key in REQUIRED_KEYS:
        if key not in data:
            raise InvalidInput(f"{key}: is required", field=key)
    region = _choice("region", data["region"], REGIONS)
    age = _whole("age", data["age"], MIN_AGE, MAX_AGE)
    sex_raw = data.get("sex")
    sex = None if sex_raw is None else _choice("sex", sex_raw, SEXES)
    max_weeks = (age + 1) * WEEKS_PER_YEAR_BOUND
    duration = _whole("duration_weeks", data["duration_weeks"], 0, max_weeks, f" (age {age})")
    onset_raw = data.get("age_at_onset")
    onset = (
        None
        if onset_raw is None
        else _whole("age_at_onset", onset_raw, 0, age, " (no later than the current age)")
    )
    findings = _findings(data["findings"], (age + 1) * 366)
    if onset is not None and "onset_before_35" in {f.code for f in findings} and onset >= 35:
        raise InvalidInput(
            f"findings: onset_before_35 contradicts age_at_onset {onset}; give one of them",
            field="findings",
        )
    return TriageInput(
        region=cast("Region", region),
        age=age,
        sex=sex,
        duration_weeks=duration,
        age_at_onset=onset,
        findings=findings,
        startback=_answers("startback", data.get("startback")),
        paindetect=_answers("paindetect", data.get("paindetect")),
    )
