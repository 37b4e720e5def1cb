"""Products and amounts with explicit units, in Decimal.

Why Decimal and explicit units: a dose is a volume (ml), a weight (g) or a count (capsules,
sprays), and cannabinoid content is mg per that unit. Floats would give 0.30000000000000004 ml on a
printed schedule, and a number without a unit is how a ten-fold error starts. Every amount here
carries its unit and every operation checks that the units agree (``InvalidInput`` otherwise).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from enum import StrEnum

from painpath.clinical.errors import InvalidInput


class Unit(StrEnum):
    """The unit a product is measured and dosed in; content is mg per one of these."""

    ML = "ml"
    G = "g"
    UNIT = "unit"  # one capsule, pastille or spray actuation


class Form(StrEnum):
    OIL = "oil"
    FLOWER = "flower"
    CAPSULE = "capsule"
    SPRAY = "spray"
    PASTILLE = "pastille"


# Which unit each form is dosed in; a product whose unit disagrees is refused.
FORM_UNITS: dict[Form, Unit] = {
    Form.OIL: Unit.ML,
    Form.FLOWER: Unit.G,
    Form.CAPSULE: Unit.UNIT,
    Form.SPRAY: Unit.UNIT,
    Form.PASTILLE: Unit.UNIT,
}

# Measuring precision per unit: 0.01 ml (1 ml oral syringe graduations), 0.001 g (milligram
# scales used with vaporisers), whole capsules/sprays.
PRECISION: dict[Unit, Decimal] = {
    Unit.ML: Decimal("0.01"),
    Unit.G: Decimal("0.001"),
    Unit.UNIT: Decimal("1"),
}


# Plausibility ceilings (docs/decisions/0068-amount-limits.md). Above them the input is refused as
# a typing error rather than screened: no CBPM holds more than 1000 mg of a cannabinoid per ml,
# g or unit (pure isolate is 1000 mg/g), nobody takes 50 ml, g or units a day, and a Schedule 2
# prescription for 30 days never needs 5000. They also keep every value inside its database
# column, so an absurd figure is a named error, never a database failure.
MAX_CONTENT_MG = Decimal("1000")
MAX_DAILY_AMOUNT = Decimal("50")
MAX_QUANTITY = Decimal("5000")
# Decimal places a stored amount may have: 3 for ml and g (0.001), whole numbers for units.
PLACES: dict[Unit, int] = {Unit.ML: 3, Unit.G: 3, Unit.UNIT: 0}


def to_decimal(value: object, field: str) -> Decimal:
    """Read ``value`` as a finite Decimal (never via float), naming ``field`` when it is not."""
    if isinstance(value, bool):
        raise InvalidInput(f"{field}: expected a number, got {value!r}", field=field)
    if isinstance(value, float):
        value = repr(value)
    try:
        number = Decimal(str(value)) if not isinstance(value, Decimal) else value
    except (InvalidOperation, ValueError):
        raise InvalidInput(f"{field}: expected a number, got {value!r}", field=field) from None
    if not number.is_finite():
        raise InvalidInput(f"{field}: expected a finite number, got {value!r}", field=field)
    return number


def positive(value: object, field: str) -> Decimal:
    """A Decimal > 0; zero or negative amounts are refused with the field named."""
    number = to_decimal(value, field)
    if number <= 0:
        raise InvalidInput(f"{field}: must be greater than 0, got {number}", field=field)
    return number


def non_negative(value: object, field: str) -> Decimal:
    number = to_decimal(value, field)
    if number < 0:
        raise InvalidInput(f"{field}: must not be negative, got {number}", field=field)
    return number


def at_most(value: Decimal, maximum: Decimal, field: str, what: str = "") -> Decimal:
    """Refuse ``value`` above ``maximum`` (an over-maximum is a named error, never saved)."""
    if value > maximum:
        raise InvalidInput(
            f"{field}: {fmt(value)} is over the maximum of {fmt(maximum)}{what}", field=field
        )
    return value


def places_at_most(value: Decimal, places: int, field: str) -> Decimal:
    """Refuse more decimal places than ``places`` (never round a clinical amount silently)."""
    exponent = value.normalize().as_tuple().exponent
    if isinstance(exponent, int) and -exponent > places:
        allowed = "a whole number" if places == 0 else f"at most {places} decimal places"
        raise InvalidInput(f"{field}: must be {allowed}, got {fmt(value)}", field=field)
    return value


def amount_value(value: object, unit: Unit, field: str, maximum: Decimal) -> Decimal:
    """A positive amount in ``unit``, within ``maximum`` and the unit's decimal places."""
    number = positive(value, field)
    at_most(number, maximum, field, f" {unit.value}")
    return places_at_most(number, PLACES[unit], field)


def parse_unit(value: object, field: str) -> Unit:
    try:
        return Unit(str(value))
    except ValueError:
        allowed = ", ".join(u.value for u in Unit)
        raise InvalidInput(
            f"{field}: unknown unit {value!r}; allowed: {allowed}", field=field
        ) from None


@dataclass(frozen=True)
class Amount:
    """A quantity of product: ``value`` in ``unit`` (e.g. 0.5 ml, 2 unit)."""

    value: Decimal
    unit: Unit

    def __post_init__(self) -> None:
        object.__setattr__(self, "value", positive(self.value, "amount"))
        object.__setattr__(self, "unit", parse_unit(self.unit, "amount unit"))

    def __str__(self) -> str:
        return f"{fmt(self.value)} {self.unit.value}"


@dataclass(frozen=True)
class Strength:
    """Cannabinoid content: ``mg`` per one ``per`` (e.g. 20 mg per ml). Zero is allowed."""

    mg: Decimal
    per: Unit

    def __post_init__(self) -> None:
        mg = non_negative(self.mg, "strength mg")
        at_most(mg, MAX_CONTENT_MG, "strength mg", " mg per ml, g or unit")
        object.__setattr__(self, "mg", places_at_most(mg, 3, "strength mg"))
        object.__setattr__(self, "per", parse_unit(self.per, "strength unit"))

    def __str__(self) -> str:
        return f"{fmt(self.mg)} mg/{self.per.value}"


@dataclass(frozen=True)
class Product:
    """A formulary product: content of THC and CBD per unit of the form it comes in.

    Refused: an unknown form, a unit that is not the form's unit (oil in g), a strength given per
    another unit than the product's (unit mismatch), and a product with neither THC nor CBD.
    """

    name: str
    form: Form
    unit: Unit
    thc: Strength
    cbd: Strength
    route: str = "oral"
    pack_sizes: tuple[Decimal, ...] = ()

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name.strip():
            raise InvalidInput("product name: must not be empty", field="name")

        try:
            form = Form(str(self.form))
        except ValueError:
            allowed = ", ".join(f.value for f in Form)
            raise InvalidInput(
                f"product form: unknown form {self.form!r}; allowed: {allowed}", field="form"
            ) from None
        unit = parse_unit(self.unit, "product unit")
        object.__setattr__(self, "form", form)
        object.__setattr__(self, "unit", unit)
        # A bare number for the content means mg per the product's own unit.
        for label in ("thc", "cbd"):
            value = getattr(self, label)
            if not isinstance(value, Strength):
                object.__setattr__(self, label, Strength(non_negative(value, label), unit))
        if FORM_UNITS[form] is not unit:
            raise InvalidInput(
                f"product unit: {form.value} is measured in {FORM_UNITS[form].value}, "
                f"not {unit.value}",
                field="unit",
            )
        for label, strength in (("thc", self.thc), ("cbd", self.cbd)):
            if strength.per is not unit:
                raise InvalidInput(
                    f"product {label}: unit mismatch, strength is per {strength.per.value} but "
                    f"the product is measured in {unit.value}",
                    field=label,
                )
        if self.thc.mg == 0 and self.cbd.mg == 0:
            raise InvalidInput(
                "product strength: THC and CBD are both 0; a CBPM contains at least one",
                field="thc",
            )
        sizes = tuple(amount_value(s, unit, "pack_sizes", MAX_QUANTITY) for s in self.pack_sizes)
        object.__setattr__(self, "pack_sizes", sizes)

    @classmethod
    def from_mapping(cls, data: Mapping[str, object]) -> Product:
        """A product from plain values: ``name``, ``form``, ``unit`` (default: the form's),
        ``thc_mg`` and ``cbd_mg`` per unit (or ``thc_mg_per_unit``/``cbd_mg_per_unit``),
        optional ``route`` and ``pack_sizes``."""
        try:
            form = Form(str(data.get("form", "")))
        except ValueError:
            allowed = ", ".join(f.value for f in Form)
            raise InvalidInput(
                f"product form: unknown form {data.get('form')!r}; allowed: {allowed}",
                field="form",
            ) from None
        unit = parse_unit(data.get("unit", FORM_UNITS[form].value), "product unit")

        def content(key: str) -> Decimal:
            value = data.get(f"{key}_mg", data.get(f"{key}_mg_per_unit", 0))
            return non_negative(value, f"{key}_mg_per_unit")

        sizes = data.get("pack_sizes", ())
        if isinstance(sizes, (str, bytes)) or not isinstance(sizes, (list, tuple)):
            raise InvalidInput("pack_sizes: expected a list of amounts", field="pack_sizes")
        return cls(
            name=str(data.get("name", "")),
            form=form,
            unit=unit,
            thc=Strength(content("thc"), unit),
            cbd=Strength(content("cbd"), unit),
            route=str(data.get("route", "oral")),
            pack_sizes=tuple(to_decimal(x, "pack_sizes") for x in sizes),
        )

    def strength_text(self) -> str:
        """The strength as written on a prescription: 'THC 10 mg/ml, CBD 20 mg/ml'."""
        return f"THC {self.thc}, CBD {self.cbd}"

    def check_unit(self, amount: Amount, field: str) -> None:
        """Refuse an amount in another unit than the product's (ml of a capsule)."""
        if amount.unit is not self.unit:
            raise InvalidInput(
                f"{field}: unit mismatch, {self.name} is measured in {self.unit.value}, "
                f"not {amount.unit.value}",
                field=field,
            )


def as_product(value: object, field: str = "product") -> Product:
    """A Product as given, or built from a mapping; anything else (a bare name: the core has no
    formulary to look it up in) is refused naming ``field``."""
    if isinstance(value, Product):
        return value
    if isinstance(value, Mapping):
        return Product.from_mapping(value)
    raise InvalidInput(f"{field}: unknown product {value!r}; give a formulary Product", field=field)


def fmt(value: Decimal) -> str:
    """A Decimal without trailing zeros or exponent: 0.50 -> '0.5', 40.0 -> '40'."""
    text = format(value.normalize(), "f")
    return text
