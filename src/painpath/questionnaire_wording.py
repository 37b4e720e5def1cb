"""Read a clinic's licensed questionnaire wording from a FHIR R4 Questionnaire JSON file.

This module does the I/O and the FHIR structure check (``fhir.resources.R4B``, whose R4B
Questionnaire is structurally the R4 one); the mapping onto our items is the pure
``painpath.clinical.instruments.wording.apply_wording``. Errors are one-line InvalidInput.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from painpath.clinical.errors import InvalidInput
from painpath.clinical.instruments import Instrument, get
from painpath.clinical.instruments.wording import apply_wording


def parse_questionnaire(data: Any) -> dict[str, Any]:
    """Validate ``data`` as a FHIR Questionnaire; return it as plain JSON data."""
    from fhir.resources.R4B.questionnaire import Questionnaire
    from pydantic import ValidationError

    if not isinstance(data, dict) or data.get("resourceType") != "Questionnaire":
        raise InvalidInput("wording file: expected a FHIR Questionnaire resource", field="file")
    try:
        q = Questionnaire.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first.get("loc", ()))
        raise InvalidInput(
            f"wording file: not a valid FHIR Questionnaire ({where}: {first.get('msg')})",
            field="file",
        ) from None
    return q.model_dump(mode="json", exclude_none=True)


def load_wording(code: str, path: str | Path) -> Instrument:
    """The instrument ``code`` with the licensed wording from the Questionnaire at ``path``."""
    instrument = get(code)
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise InvalidInput(f"wording file {path}: {exc.strerror}", field="file") from None
    except UnicodeDecodeError:
        raise InvalidInput(f"wording file {path}: not UTF-8 text", field="file") from None
    except json.JSONDecodeError as exc:
        raise InvalidInput(f"wording file {path}: not JSON ({exc.msg})", field="file") from None
    except (ValueError, RecursionError):  # a number past Python's digit limit; deep nesting
        raise InvalidInput(
            f"wording file {path}: not a FHIR Questionnaire (a number too long or nesting too "
            "deep)",
            field="file",
        ) from None
    return apply_wording(instrument, parse_questionnaire(data))
