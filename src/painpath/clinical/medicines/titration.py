"""Titration schedules for CBPMs (Bhaskar et al. 2021, J Cannabis Res 3:22).

The consensus gives three protocols with ranges; painpath takes one documented point in each
range, always the slower/lower end (docs/decisions/0060-titration-policy-choices.md):

routine      CBD 5 mg twice daily (10 mg/day); +10 mg/day every 3 days (source: 2-3) up to
             40 mg/day; held one step interval, then THC 2.5 mg/day once daily,
             +2.5 mg/day every 7 days (source: 2-7), to the THC maximum 40 mg/day.
conservative CBD 5 mg once daily; +10 mg/day every 3 days (source: 2-3), capped at 40 mg/day;
             held one step interval, then THC 1 mg/day, +1 mg/day every 7 days, to 40 mg/day.
rapid        balanced THC:CBD product, 2.5 mg THC once daily (source: 2.5-5 mg once or twice),
             +2.5 mg THC/day every 3 days (source: 2.5-5 mg every 2-3 days), to 40 mg THC/day;
             CBD follows the product's ratio.

The THC phase of routine/conservative needs a THC-containing product: pass ``thc_product``.
Without it the CBD dose is held (phase ``maintenance``) and the schedule says so in ``notes``.
Doses are rounded DOWN to the measuring precision of the unit (0.01 ml, 0.001 g, whole
capsules), so a delivered dose never exceeds the protocol target or the maximum; mg per day are
then recomputed from the measured amount.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_DOWN, Decimal

from painpath.clinical.errors import InvalidInput
from painpath.clinical.medicines.products import PRECISION, Product, Unit, as_product, fmt

SOURCE = (
    "Bhaskar A et al. Consensus recommendations on dosing and administration of medical "
    "cannabis to treat chronic pain. J Cannabis Res 2021;3:22"
)
THC_MAX_MG_PER_DAY = Decimal("40")
CBD_PHASE_TARGET_MG_PER_DAY = Decimal("40")
MAX_DAYS = 366


@dataclass(frozen=True)
class Protocol:
    """One protocol's chosen parameters (mg per day; intervals in days)."""

    code: str
    title: str
    cbd_start: Decimal  # 0 when the protocol starts with a balanced product
    cbd_step: Decimal
    cbd_interval: int
    cbd_doses_per_day: int
    thc_start: Decimal
    thc_step: Decimal
    thc_interval: int
    thc_doses_per_day: int
    balanced: bool = False


PROTOCOLS: dict[str, Protocol] = {
    "routine": Protocol(
        "routine",
        "Routine",
        Decimal("10"),
        Decimal("10"),
        3,
        2,
        Decimal("2.5"),
        Decimal("2.5"),
        7,
        1,
    ),
    "conservative": Protocol(
        "conservative",
        "Conservative",
        Decimal("5"),
        Decimal("10"),
        3,
        1,
        Decimal("1"),
        Decimal("1"),
        7,
        1,
    ),
    "rapid": Protocol(
        "rapid",
        "Rapid (balanced THC:CBD)",
        Decimal("0"),
        Decimal("0"),
        0,
        0,
        Decimal("2.5"),
        Decimal("2.5"),
        3,
        1,
        balanced=True,
    ),
}

# A "balanced" product for the rapid protocol: THC:CBD between 1:2 and 2:1.
BALANCED_MIN_RATIO = Decimal("0.5")
BALANCED_MAX_RATIO = Decimal("2")


@dataclass(frozen=True)
class DoseLine:
    """How much of one product to take on a day."""

    product: str
    amount_per_dose: Decimal
    doses_per_day: int
    amount_per_day: Decimal
    unit: Unit
    thc_mg: Decimal
    cbd_mg: Decimal

    def text(self) -> str:
        times = {1: "once daily", 2: "twice daily"}.get(
            self.doses_per_day, f"{self.doses_per_day} times daily"
        )
        return f"{fmt(self.amount_per_dose)} {self.unit.value} {times}"


@dataclass(frozen=True)
class TitrationDay:
    """One day: what to take (``doses``), the mg it delivers, and the protocol's target.

    ``thc_mg``/``cbd_mg`` are what the measured doses deliver (rounded down to the measuring
    precision, THC from every product counted). ``thc_target_mg``/``cbd_target_mg`` are the
    protocol's mg/day for the titrated cannabinoid(s) on that day, independent of the product;
    0 for a cannabinoid the protocol is not titrating that day.
    """

    day: int
    phase: str  # "cbd", "thc", "balanced", "maintenance"
    doses: tuple[DoseLine, ...]
    thc_mg: Decimal
    cbd_mg: Decimal
    step_change: bool  # the dose differs from the previous day's
    at_maximum: bool  # the titrated cannabinoid has reached its protocol maximum
    thc_target_mg: Decimal = Decimal(0)
    cbd_target_mg: Decimal = Decimal(0)


@dataclass(frozen=True)
class TitrationSchedule:
    protocol: str
    product: str
    thc_product: str
    days: tuple[TitrationDay, ...]
    thc_max_mg_per_day: Decimal
    notes: tuple[str, ...]
    source: str = SOURCE

    def steps(self) -> tuple[TitrationDay, ...]:
        """The days on which the dose changes (day 1 included)."""
        return tuple(d for d in self.days if d.step_change)


def _measure(target_mg: Decimal, mg_per_unit: Decimal, product: Product, doses: int) -> Decimal:
    """Amount per dose delivering at most ``target_mg`` a day, rounded down to the precision."""
    per_dose = (target_mg / mg_per_unit / doses).quantize(PRECISION[product.unit], ROUND_DOWN)
    if per_dose <= 0:
        raise InvalidInput(
            f"product: {product.name} is too concentrated to measure a dose of "
            f"{fmt(target_mg)} mg/day in {product.unit.value}",
            field="product",
        )
    return per_dose


def _line(product: Product, per_dose: Decimal, doses: int) -> DoseLine:
    per_day = per_dose * doses
    return DoseLine(
        product=product.name,
        amount_per_dose=per_dose,
        doses_per_day=doses,
        amount_per_day=per_day,
        unit=product.unit,
        thc_mg=per_day * product.thc.mg,
        cbd_mg=per_day * product.cbd.mg,
    )


def _cap_thc(product: Product, per_dose: Decimal, doses: int, thc_budget: Decimal) -> Decimal:
    """Reduce ``per_dose`` so the product's THC stays within ``thc_budget`` mg/day."""
    if product.thc.mg == 0 or per_dose * doses * product.thc.mg <= thc_budget:
        return per_dose
    return _measure(thc_budget, product.thc.mg, product, doses)


def _ramp(start: Decimal, step: Decimal, interval: int, top: Decimal, offset: int) -> Decimal:
    """Target on day ``offset`` (0-based) of a phase: start, +step every ``interval``, capped."""
    return min(start + step * (offset // interval), top)


def titration_schedule(
    protocol: str,
    days: int,
    product: Product,
    *,
    thc_product: Product | None = None,
) -> TitrationSchedule:
    """Day-by-day doses for ``days`` days of ``protocol`` with ``product`` (Bhaskar 2021).

    ``product`` is the CBD(-predominant) product for routine and conservative, or the balanced
    THC:CBD product for rapid; ``thc_product`` is the THC product added in the THC phase of
    routine and conservative. Either may be a Product or a mapping (``Product.from_mapping``).

    Raises InvalidInput for an unknown protocol, days outside 1..366, an unknown product, a
    CBD-phase product without CBD, a THC-phase product without THC, or a rapid-protocol product
    that is not balanced (THC:CBD between 1:2 and 2:1).
    """
    if isinstance(protocol, str):
        protocol = protocol.strip().lower()
    product = as_product(product)
    if thc_product is not None:
        thc_product = as_product(thc_product, "thc_product")
    if not isinstance(protocol, str) or protocol not in PROTOCOLS:
        allowed = ", ".join(PROTOCOLS)
        raise InvalidInput(
            f"protocol: unknown protocol {protocol!r}; allowed: {allowed}", field="protocol"
        )
    if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= MAX_DAYS:
        raise InvalidInput(f"days: must be a whole number 1-{MAX_DAYS}, got {days!r}", field="days")
    spec = PROTOCOLS[protocol]
    plan = (
        _balanced(spec, days, product)
        if spec.balanced
        else _two_phase(spec, days, product, thc_product)
    )
    out: list[TitrationDay] = []
    previous: tuple[DoseLine, ...] | None = None
    for day, (phase, lines, at_max, thc_target, cbd_target) in enumerate(plan, start=1):
        out.append(
            TitrationDay(
                day=day,
                phase=phase,
                doses=lines,
                thc_mg=sum((line.thc_mg for line in lines), Decimal(0)),
                cbd_mg=sum((line.cbd_mg for line in lines), Decimal(0)),
                step_change=previous is None or lines != previous,
                at_maximum=at_max,
                thc_target_mg=thc_target,
                cbd_target_mg=cbd_target,
            )
        )
        previous = lines
    notes: list[str] = []
    if not spec.balanced and thc_product is None and any(d.phase == "maintenance" for d in out):
        notes.append(
            "CBD held at the phase target: the THC phase needs a THC-containing product "
            "(choose one and re-plan)."
        )
    return TitrationSchedule(
        protocol=protocol,
        product=product.name,
        thc_product=thc_product.name if thc_product else "",
        days=tuple(out),
        thc_max_mg_per_day=THC_MAX_MG_PER_DAY,
        notes=tuple(notes),
    )


# (phase, dose lines, at maximum, THC target mg/day, CBD target mg/day)
PlanDay = tuple[str, tuple[DoseLine, ...], bool, Decimal, Decimal]


def _balanced(spec: Protocol, days: int, product: Product) -> list[PlanDay]:
    if product.thc.mg == 0 or product.cbd.mg == 0:
        raise InvalidInput(
            f"product: the rapid protocol needs a balanced THC:CBD product; {product.name} "
            f"has THC {fmt(product.thc.mg)} and CBD {fmt(product.cbd.mg)} mg/{product.unit.value}",
            field="product",
        )
    ratio = product.thc.mg / product.cbd.mg
    if not BALANCED_MIN_RATIO <= ratio <= BALANCED_MAX_RATIO:
        raise InvalidInput(
            f"product: the rapid protocol needs THC:CBD between 1:2 and 2:1; {product.name} "
            f"is {fmt(product.thc.mg)}:{fmt(product.cbd.mg)}",
            field="product",
        )
    plan: list[PlanDay] = []
    for offset in range(days):
        target = _ramp(spec.thc_start, spec.thc_step, spec.thc_interval, THC_MAX_MG_PER_DAY, offset)
        per_dose = _measure(target, product.thc.mg, product, spec.thc_doses_per_day)
        # Balanced: the same mg of each cannabinoid (Bhaskar: "2.5-5 mg of each").
        plan.append(
            (
                "balanced",
                (_line(product, per_dose, spec.thc_doses_per_day),),
                target >= THC_MAX_MG_PER_DAY,
                target,
                target,
            )
        )
    return plan


def _two_phase(
    spec: Protocol, days: int, product: Product, thc_product: Product | None
) -> list[PlanDay]:
    if product.cbd.mg == 0:
        raise InvalidInput(
            f"product: the {spec.code} protocol starts with CBD; {product.name} contains no CBD",
            field="product",
        )
    if thc_product is not None and thc_product.thc.mg == 0:
        raise InvalidInput(f"thc_product: {thc_product.name} contains no THC", field="thc_product")
    # Day (0-based) the CBD target first reaches 40 mg/day; THC starts one interval later.
    steps_to_top = int(
        ((CBD_PHASE_TARGET_MG_PER_DAY - spec.cbd_start) / spec.cbd_step).to_integral_value(
            ROUND_CEILING
        )
    )
    thc_from = (steps_to_top + 1) * spec.cbd_interval
    plan: list[PlanDay] = []
    for offset in range(days):
        cbd_target = _ramp(
            spec.cbd_start, spec.cbd_step, spec.cbd_interval, CBD_PHASE_TARGET_MG_PER_DAY, offset
        )
        cbd_dose = _measure(cbd_target, product.cbd.mg, product, spec.cbd_doses_per_day)
        cbd_dose = _cap_thc(product, cbd_dose, spec.cbd_doses_per_day, THC_MAX_MG_PER_DAY)
        cbd_line = _line(product, cbd_dose, spec.cbd_doses_per_day)
        if offset < thc_from:
            plan.append(
                (
                    "cbd",
                    (cbd_line,),
                    cbd_target >= CBD_PHASE_TARGET_MG_PER_DAY,
                    Decimal(0),
                    cbd_target,
                )
            )
            continue
        thc_budget = THC_MAX_MG_PER_DAY - cbd_line.thc_mg
        if thc_product is None or thc_budget <= 0:
            plan.append(("maintenance", (cbd_line,), True, Decimal(0), cbd_target))
            continue
        protocol_thc = _ramp(
            spec.thc_start,
            spec.thc_step,
            spec.thc_interval,
            THC_MAX_MG_PER_DAY,
            offset - thc_from,
        )
        thc_target = min(protocol_thc, thc_budget)
        thc_dose = _measure(thc_target, thc_product.thc.mg, thc_product, spec.thc_doses_per_day)
        thc_line = _line(thc_product, thc_dose, spec.thc_doses_per_day)
        at_max = cbd_line.thc_mg + thc_line.thc_mg >= THC_MAX_MG_PER_DAY
        plan.append(("thc", (cbd_line, thc_line), at_max, protocol_thc, cbd_target))
    return plan
