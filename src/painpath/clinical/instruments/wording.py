"""Licensed item wording from a clinic-supplied FHIR R4 Questionnaire (pure mapping, no I/O).

Why: BPI, EQ-5D, painDETECT, STarT Back, ODI and others may only be shown with the clinic's
licensed wording (CLINICAL.md section 2, Licences), so painpath ships neutral labels and lets the
clinic supply the wording as a FHIR Questionnaire whose ``linkId``s are our item codes. Scoring
never depends on the wording: only labels change, and only after the structure matches exactly.

Input is the Questionnaire as plain JSON data (already validated against the FHIR R4 model by
``painpath.questionnaire_wording``). Rules: every item code of the instrument appears exactly
once as a question linkId; no unknown question linkIds (``group`` and ``display`` items may
hold or introduce them); where an item lists ``answerOption``s, they are exactly the item's
response codes (``valueInteger`` or ``valueCoding.code``) and their ``display`` becomes the label.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from painpath.clinical.errors import InvalidInput
from painpath.clinical.instruments.base import Instrument, Item, Option

_CONTAINERS = ("group", "display")


def _walk(items: Sequence[Mapping[str, Any]]) -> Iterator[Mapping[str, Any]]:
    for it in items:
        yield it
        yield from _walk(it.get("item") or ())


def _option_code(opt: Mapping[str, Any], link_id: str) -> tuple[int, str | None]:
    if "valueInteger" in opt:
        code: object = opt["valueInteger"]
        display = None
    elif "valueCoding" in opt:
        coding = opt["valueCoding"]
        code, display = coding.get("code"), coding.get("display")
    else:
        raise InvalidInput(
            f"questionnaire item {link_id}: answerOption needs valueInteger or valueCoding",
            field=link_id,
        )
    try:
        value = int(str(code))
    except ValueError:
        raise InvalidInput(
            f"questionnaire item {link_id}: answer code {code!r} is not one of our response codes",
            field=link_id,
        ) from None
    return value, display


def _worded_item(item: Item, q: Mapping[str, Any]) -> Item:
    text = q.get("text")
    label = text if isinstance(text, str) and text.strip() else item.label
    options = q.get("answerOption")
    if not options:
        return Item(item.code, label, item.options)
    by_value: dict[int, str | None] = {}
    for opt in options:
        value, display = _option_code(opt, item.code)
        by_value[value] = display
    expected = item.values
    if sorted(by_value) != sorted(expected):
        raise InvalidInput(
            f"questionnaire item {item.code}: answer codes {sorted(by_value)} do not match the "
            f"instrument's {list(expected)}",
            field=item.code,
        )
    return Item(
        item.code,
        label,
        tuple(Option(o.value, by_value[o.value] or o.label) for o in item.options),
    )


def apply_wording(instrument: Instrument, questionnaire: Mapping[str, Any]) -> Instrument:
    """The instrument with labels taken from the clinic's Questionnaire; scoring unchanged.

    Raises InvalidInput naming the first linkId problem (missing, duplicate or unknown item,
    mismatched answer codes).
    """
    if questionnaire.get("resourceType") != "Questionnaire":
        raise InvalidInput("wording file: resourceType must be Questionnaire", field="resourceType")
    ours = {it.code: it for it in instrument.items}
    found: dict[str, Mapping[str, Any]] = {}
    for q in _walk(questionnaire.get("item") or ()):
        link_id = q.get("linkId")
        if q.get("type") in _CONTAINERS:
            continue
        if link_id not in ours:
            raise InvalidInput(
                f"questionnaire linkId {link_id!r} is not a {instrument.code} item; item codes: "
                + ", ".join(ours),
                field=str(link_id),
            )
        if link_id in found:
            raise InvalidInput(f"questionnaire linkId {link_id!r} appears twice", field=link_id)
        found[link_id] = q
    missing = [code for code in ours if code not in found]
    if missing:
        raise InvalidInput(
            f"questionnaire has no item for {instrument.code} linkId(s): {', '.join(missing)}",
            field=missing[0],
        )
    items = tuple(_worded_item(it, found[it.code]) for it in instrument.items)
    return dataclasses.replace(instrument, items=items)
