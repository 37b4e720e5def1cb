from decimal import Decimal

import pytest

from painpath.clinical.medicines import Form, Product, Strength, Unit


def oil(name: str, thc: str, cbd: str) -> Product:
    return Product(
        name, Form.OIL, Unit.ML, Strength(Decimal(thc), Unit.ML), Strength(Decimal(cbd), Unit.ML)
    )


@pytest.fixture
def cbd_oil() -> Product:
    return oil("CBD oil 20 mg/ml", "0", "20")


@pytest.fixture
def thc_oil() -> Product:
    return oil("THC oil 10 mg/ml", "10", "0")


@pytest.fixture
def balanced_oil() -> Product:
    return oil("Balanced oil 10:10", "10", "10")
