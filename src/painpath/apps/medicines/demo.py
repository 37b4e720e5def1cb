"""Demo formulary: generic, made-up products (no real brand). Called by the demo-data command."""

from __future__ import annotations

from decimal import Decimal

DEMO_PRODUCTS: tuple[dict[str, object], ...] = (
    {"name": "Demo CBD oil 20 mg/ml", "form": "oil", "unit": "ml", "route": "oral",
     "thc_mg_per_unit": Decimal("0"), "cbd_mg_per_unit": Decimal("20"), "pack_sizes": ["30"]},
    {"name": "Demo THC oil 10 mg/ml", "form": "oil", "unit": "ml", "route": "oral",
     "thc_mg_per_unit": Decimal("10"), "cbd_mg_per_unit": Decimal("0"), "pack_sizes": ["30"]},
    {"name": "Demo balanced oil 10:10 mg/ml", "form": "oil", "unit": "ml", "route": "oral",
     "thc_mg_per_unit": Decimal("10"), "cbd_mg_per_unit": Decimal("10"),
     "pack_sizes": ["10", "30"]},
    {"name": "Demo CBD capsule 10 mg", "form": "capsule", "unit": "unit", "route": "oral",
     "thc_mg_per_unit": Decimal("0"), "cbd_mg_per_unit": Decimal("10"), "pack_sizes": ["60"]},
    {"name": "Demo flower T18:C1", "form": "flower", "unit": "g", "route": "inhaled (vaporised)",
     "thc_mg_per_unit": Decimal("180"), "cbd_mg_per_unit": Decimal("10"),
     "pack_sizes": ["10", "15"]},
)  # fmt: skip


def seed_formulary() -> int:
    """Create the demo products that are missing; returns how many were created (idempotent)."""
    from painpath.apps.medicines.models import Product

    created = 0
    for spec in DEMO_PRODUCTS:
        _, was_created = Product.objects.get_or_create(
            name=spec["name"], defaults={k: v for k, v in spec.items() if k != "name"}
        )
        created += int(was_created)
    return created
