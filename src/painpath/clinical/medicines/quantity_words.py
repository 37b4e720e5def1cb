"""Reading a quantity written in words ('one hundred and fifty', 'two point five').

Schedule 2 prescriptions state the total quantity in words and figures (MDR 2001 reg 15(1)(c));
to check the two agree, the words are read back into a number. Unit words ('millilitres',
'capsules', 'grams') are ignored; any other word makes the text unreadable (None), which the
prescription check reports rather than guesses.
"""

from __future__ import annotations

from decimal import Decimal

_UNITS = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
_SCALES = {"hundred": 100, "thousand": 1000}
# Unit words, and the product unit each one means (a quantity in words may name its unit).
UNIT_WORDS: dict[str, str] = {
    **dict.fromkeys(
        ("ml", "mls", "millilitre", "millilitres", "milliliter", "milliliters"), "ml"
    ),
    **dict.fromkeys(("g", "gram", "grams", "gramme", "grammes"), "g"),
    **dict.fromkeys(
        ("capsule", "capsules", "unit", "units", "spray", "sprays", "pastille", "pastilles",
         "actuations", "actuation"),
        "unit",
    ),
}  # fmt: skip
_IGNORED = {*UNIT_WORDS, "and", "only", "x", "of", "bottle", "bottles", "total"}


def _tokens(text: str) -> list[str]:
    return (
        text.lower().replace("-", " ").replace(",", " ").replace("(", " ").replace(")", " ").split()
    )


def unit_words(text: str) -> set[str]:
    """The product units named in ``text`` ('thirty millilitres' -> {'ml'})."""
    return {UNIT_WORDS[t] for t in _tokens(text) if t in UNIT_WORDS}


def words_to_number(text: str) -> Decimal | None:
    """The number written in ``text``, or None when it cannot be read unambiguously."""
    tokens = [t for t in _tokens(text) if t == "and" or t not in _IGNORED]
    if not tokens:
        return None
    # "a hundred", "a thousand": "a" stands for one before a scale word.
    tokens = [
        "one" if t == "a" and i + 1 < len(tokens) and tokens[i + 1] in _SCALES else t
        for i, t in enumerate(tokens)
    ]
    half = False
    if tokens[-3:] == ["and", "a", "half"]:
        tokens, half = tokens[:-3], True
    elif tokens[-2:] == ["a", "half"] or tokens[-1:] == ["half"]:
        return None  # "half" alone or "... a half" without "and": ambiguous
    total = 0
    current = 0
    seen_number = False
    fraction: list[str] = []
    in_fraction = False
    for token in tokens:
        if token in _IGNORED:
            continue
        if token == "point":
            if in_fraction or not seen_number:
                return None
            in_fraction = True
            continue
        if in_fraction:
            if token in _UNITS and _UNITS[token] < 10:
                fraction.append(str(_UNITS[token]))
                continue
            return None
        if token in _UNITS:
            current += _UNITS[token]
            seen_number = True
        elif token == "hundred":
            if not seen_number:
                return None
            current = (current or 1) * 100
        elif token in _SCALES:
            if not seen_number:
                return None
            total += (current or 1) * _SCALES[token]
            current = 0
        else:
            return None
    if not seen_number or (in_fraction and not fraction) or (half and fraction):
        return None
    whole = Decimal(total + current)
    if fraction:
        return whole + Decimal("0." + "".join(fraction))
    if half:
        return whole + Decimal("0.5")
    return whole
