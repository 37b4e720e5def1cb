"""The extract's closed vocabularies are the clinic's own codes (Django choices, the clinical core,
CLINICAL.md), so a code added there but not here is noticed rather than silently blanked."""

from __future__ import annotations

from painpath.registry import schema


def test_vocabularies_match_the_clinic_models_and_the_clinical_core() -> None:
    from painpath.apps.assessments.models import Region
    from painpath.apps.outcomes.models import Causality, Symptom
    from painpath.apps.patients.models import Sex
    from painpath.clinical.instruments import all_instruments
    from painpath.registry.medicines_source import CANNABIS_USE

    assert set(Sex.values) == schema.SEXES
    assert set(Region.values) == schema.REGIONS
    assert set(Symptom.values) == schema.SYMPTOMS
    assert set(Causality.values) == schema.CAUSALITIES
    assert {i.code for i in all_instruments()} == schema.INSTRUMENTS
    assert set(CANNABIS_USE.values()) == schema.CANNABIS_USES


def test_pain_types_are_the_triage_core_classifications() -> None:
    from painpath.clinical.triage.classification import PAIN_TYPES

    assert {code for codes in PAIN_TYPES.values() for code in codes} == schema.PAIN_TYPES
    assert set(PAIN_TYPES) == schema.REGIONS


def test_every_string_column_but_the_pseudonym_is_coded() -> None:
    import pyarrow as pa

    for table in schema.TABLES:
        for column in table.columns:
            if pa.types.is_string(column.type):
                assert (column.codes is None) is (column.name == "pid"), column.name
            else:
                assert column.codes is None, column.name
