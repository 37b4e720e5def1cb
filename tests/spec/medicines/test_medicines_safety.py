"""Safety screen rules (CLINICAL.md section 5; Sativex and Epidyolex SmPCs; BNF; RTA 1988 s5A).

One row per rule: facts -> the issue code and level expected. The screen returns ALL issues.
"""

from decimal import Decimal

import pytest

from painpath.clinical import InvalidInput
from painpath.clinical.medicines import PatientFacts, safety_screen

D = Decimal
ADULT = {"age_years": 40}

RULES = [
    # (facts, thc, cbd, medicines, code, level, source fragment)
    ({"psychosis_personal_history": True}, "5", "0", [], "PSYCHOSIS_PERSONAL", "block", "Sativex"),
    ({"psychosis_family_history": True}, "5", "0", [], "PSYCHOSIS_FAMILY", "block", "Sativex"),
    ({"breastfeeding": True}, "0", "10", [], "BREASTFEEDING", "block", "SmPC"),
    ({"pregnant": True}, "0", "10", [], "PREGNANCY", "block", "SmPC"),
    (
        {"alt_x_uln": D("3.1"), "bilirubin_x_uln": D("2.1")},
        "0",
        "10",
        [],
        "CBD_LIVER",
        "block",
        "Epidyolex",
    ),
    (
        {"ast_x_uln": D("4"), "bilirubin_x_uln": D("2.5")},
        "0",
        "10",
        [],
        "CBD_LIVER",
        "block",
        "Epidyolex",
    ),
    ({"age_years": 17}, "0", "10", [], "AGE_UNDER_18", "warn", "Sativex"),
    ({"age_years": 24}, "5", "0", [], "THC_UNDER_25", "warn", "clinic policy"),
    ({"age_years": 65}, "0", "10", [], "ELDERLY", "warn", "Sativex"),
    ({"unstable_cardiovascular_disease": True}, "5", "0", [], "UNSTABLE_CVD", "warn", "Sativex"),
    ({"hepatic_impairment": "moderate"}, "0", "10", [], "HEPATIC_IMPAIRMENT", "warn", "Epidyolex"),
    ({"hepatic_impairment": "severe"}, "0", "10", [], "HEPATIC_IMPAIRMENT", "warn", "Epidyolex"),
    ({"substance_use_disorder": True}, "5", "0", [], "SUBSTANCE_USE", "warn", "Sativex"),
    ({"epilepsy": True}, "5", "0", [], "EPILEPSY", "warn", "Sativex"),
    ({}, "0", "10", ["Clobazam 10 mg"], "IX_CLOBAZAM", "warn", "Epidyolex"),
    ({}, "0", "10", ["sodium valproate"], "IX_VALPROATE", "warn", "Epidyolex"),
    ({}, "5", "0", ["Warfarin"], "IX_WARFARIN", "warn", "BNF"),
    ({}, "5", "0", ["clarithromycin"], "IX_CYP3A4_INHIBITOR", "warn", "Sativex"),
    ({}, "5", "0", ["rifampicin"], "IX_CYP3A4_INDUCER", "warn", "Sativex"),
    ({}, "5", "0", ["pregabalin 75 mg"], "IX_CNS_DEPRESSANT", "warn", "Sativex"),
    ({}, "5", "0", ["Alcohol"], "IX_CNS_DEPRESSANT", "warn", "Sativex"),
    ({}, "5", "0", ["oxycodone"], "IX_CNS_DEPRESSANT", "warn", "Sativex"),
    ({}, "5", "0", ["diazepam"], "IX_CNS_DEPRESSANT", "warn", "Sativex"),
    ({}, "5", "0", ["madeupzumab"], "IX_UNKNOWN_MEDICINE", "inform", "BNF"),
    ({}, "40.5", "0", [], "THC_OVER_MAXIMUM", "block", "Bhaskar"),
    ({}, "5", "0", [], "DRIVING_ADVICE", "inform", "Road Traffic Act 1988 s5A"),
]


@pytest.mark.parametrize(("facts", "thc", "cbd", "meds", "code", "level", "source"), RULES)
def test_rule(facts, thc, cbd, meds, code, level, source, balanced_oil):
    issues = safety_screen(PatientFacts(**{**ADULT, **facts}), balanced_oil, D(thc), D(cbd), meds)
    found = [i for i in issues if i.code == code]
    assert found, [i.code for i in issues]
    assert found[0].level == level
    assert source in found[0].source


# Boundaries: the rule's threshold itself does not trigger it.
NOT_TRIGGERED = [
    ({"psychosis_personal_history": True}, "0", "10", [], "PSYCHOSIS_PERSONAL"),  # CBD only
    ({"alt_x_uln": D("3"), "bilirubin_x_uln": D("2.5")}, "0", "10", [], "CBD_LIVER"),
    ({"alt_x_uln": D("5"), "bilirubin_x_uln": D("2")}, "0", "10", [], "CBD_LIVER"),
    ({"alt_x_uln": D("5")}, "0", "10", [], "CBD_LIVER"),  # bilirubin unknown
    ({"alt_x_uln": D("5"), "bilirubin_x_uln": D("3")}, "5", "0", [], "CBD_LIVER"),  # no CBD
    ({"age_years": 18}, "0", "10", [], "AGE_UNDER_18"),
    ({"age_years": 25}, "5", "0", [], "THC_UNDER_25"),
    ({"age_years": 20}, "0", "10", [], "THC_UNDER_25"),  # CBD only
    ({"age_years": 64}, "0", "10", [], "ELDERLY"),
    ({"hepatic_impairment": "mild"}, "0", "10", [], "HEPATIC_IMPAIRMENT"),
    ({}, "5", "0", ["clobazam"], "IX_CLOBAZAM"),  # THC only: the CBD interaction does not apply
    ({}, "40", "0", [], "THC_OVER_MAXIMUM"),  # exactly 40 mg/day is allowed
]


@pytest.mark.parametrize(("facts", "thc", "cbd", "meds", "code"), NOT_TRIGGERED)
def test_boundary_not_triggered(facts, thc, cbd, meds, code, balanced_oil):
    issues = safety_screen(PatientFacts(**{**ADULT, **facts}), balanced_oil, D(thc), D(cbd), meds)
    assert code not in [i.code for i in issues]


def test_returns_every_issue_ordered_block_warn_inform(balanced_oil):
    facts = PatientFacts(age_years=17, pregnant=True, psychosis_family_history=True, epilepsy=True)
    issues = safety_screen(facts, balanced_oil, D("45"), D("10"), ["clobazam", "warfarin"])
    codes = [i.code for i in issues]
    assert set(codes) == {
        "PSYCHOSIS_FAMILY",
        "PREGNANCY",
        "THC_OVER_MAXIMUM",
        "AGE_UNDER_18",
        "THC_UNDER_25",
        "EPILEPSY",
        "IX_CLOBAZAM",
        "IX_CNS_DEPRESSANT",
        "IX_WARFARIN",
        "DRIVING_ADVICE",
        "CBD_LIVER_NOT_CHECKED",
    }
    levels = [i.level for i in issues]
    assert levels == sorted(levels, key=["block", "warn", "inform"].index)


def test_override_and_recording_flags(balanced_oil):
    issues = {
        i.code: i for i in safety_screen(PatientFacts(age_years=70), balanced_oil, D(41), D(0), [])
    }
    assert issues["THC_OVER_MAXIMUM"].overridable and issues["THC_OVER_MAXIMUM"].needs_reason
    assert issues["ELDERLY"].needs_reason
    assert issues["DRIVING_ADVICE"].must_record and not issues["DRIVING_ADVICE"].needs_reason
    pregnant = safety_screen(
        PatientFacts(age_years=30, pregnant=True), balanced_oil, D(1), D(1), []
    )
    assert not pregnant[0].overridable


@pytest.mark.parametrize(
    ("thc", "cbd", "meds", "match"),
    [
        ("-1", "0", [], "daily_thc_mg"),
        ("0", "0", [], "both are 0"),
        ("1", "x", [], "daily_cbd_mg"),
        ("1", "0", [""], "current_medicines"),
    ],
)
def test_bad_input(thc, cbd, meds, match, balanced_oil):
    with pytest.raises(InvalidInput, match=match):
        safety_screen(PatientFacts(age_years=40), balanced_oil, thc, cbd, meds)


def test_dose_of_absent_cannabinoid_refused(cbd_oil):
    with pytest.raises(InvalidInput, match="contains no THC"):
        safety_screen(PatientFacts(age_years=40), cbd_oil, D(5), D(10), [])


@pytest.mark.parametrize(
    "facts",
    [
        {"age_years": -1},
        {"age_years": 40, "hepatic_impairment": "x"},
        {"age_years": 40, "alt_x_uln": D(-1)},
    ],
)
def test_bad_facts(facts):
    with pytest.raises(InvalidInput):
        PatientFacts(**facts)


@pytest.mark.parametrize("name", ["alt_x_uln", "ast_x_uln", "bilirubin_x_uln"])
def test_liver_tests_are_multiples_of_uln_up_to_a_plausibility_limit(name):
    """Acute liver failure reaches a few hundred x ULN; 1,000 x ULN is accepted, anything above
    is a value typed in U/L or mistyped, refused naming the field (never screened as if real)."""
    assert getattr(PatientFacts(age_years=40, **{name: D("1000")}), name) == D("1000")
    with pytest.raises(InvalidInput, match="multiple of the upper limit of normal") as caught:
        PatientFacts(age_years=40, **{name: D("1000.1")})
    assert caught.value.field == name


# Common names, brands, strengths and formulations map to their class, case-insensitively
# (Epidyolex and Sativex SmPCs 4.5; BNF). (medicine as written, THC mg, CBD mg, code expected)
NAMES = [
    ("CLOBAZAM 10MG", "0", "10", "IX_CLOBAZAM"),
    ("Frisium", "0", "10", "IX_CLOBAZAM"),
    ("Clobazam", "5", "0", "IX_CNS_DEPRESSANT"),  # a benzodiazepine: sedation with THC too
    ("Epilim Chrono 500 mg", "0", "10", "IX_VALPROATE"),
    ("valproic acid", "0", "10", "IX_VALPROATE"),
    ("Semisodium valproate", "0", "10", "IX_VALPROATE"),
    ("warfarin sodium 3 mg", "5", "0", "IX_WARFARIN"),
    ("WARFARIN", "0", "10", "IX_WARFARIN"),
    ("Acenocoumarol", "5", "5", "IX_WARFARIN"),
    ("Itraconazole 100mg capsules", "5", "0", "IX_CYP3A4_INHIBITOR"),
    ("ketoconazole", "0", "10", "IX_CYP3A4_INHIBITOR"),
    ("Ritonavir", "5", "5", "IX_CYP3A4_INHIBITOR"),
    ("Paxlovid", "5", "5", "IX_CYP3A4_INHIBITOR"),
    ("Carbamazepine MR 200 mg", "5", "0", "IX_CYP3A4_INDUCER"),
    ("Tegretol", "0", "10", "IX_CYP3A4_INDUCER"),
    ("St John\u2019s Wort", "0", "10", "IX_CYP3A4_INDUCER"),
    ("phenytoin", "0", "10", "IX_CYP3A4_INDUCER"),
    ("alcohol", "0", "10", "IX_CNS_DEPRESSANT"),
    ("Lorazepam 1 mg", "0", "10", "IX_CNS_DEPRESSANT"),
    ("Valium", "5", "0", "IX_CNS_DEPRESSANT"),
    ("Oxycodone MR 10 mg tablets", "5", "0", "IX_CNS_DEPRESSANT"),
    ("MORPHINE SULFATE ORAL SOLUTION", "5", "0", "IX_CNS_DEPRESSANT"),
    ("Co-codamol 30/500", "5", "0", "IX_CNS_DEPRESSANT"),
    ("Paracetamol and codeine 500/30", "5", "0", "IX_CNS_DEPRESSANT"),
    ("Tramadol", "0", "10", "IX_CNS_DEPRESSANT"),
    ("buprenorphine 5 micrograms/hour patch", "5", "0", "IX_CNS_DEPRESSANT"),
    ("Gabapentin 300mg", "0", "10", "IX_CNS_DEPRESSANT"),
    ("Lyrica", "5", "0", "IX_CNS_DEPRESSANT"),
    ("PREGABALIN", "5", "5", "IX_CNS_DEPRESSANT"),
]


@pytest.mark.parametrize(("name", "thc", "cbd", "code"), NAMES)
def test_common_names_map_to_their_class(name, thc, cbd, code, balanced_oil):
    issues = safety_screen(PatientFacts(age_years=40), balanced_oil, D(thc), D(cbd), [name])
    found = [i for i in issues if i.code == code]
    assert found and found[0].level == "warn", [i.code for i in issues]
    assert name.strip() in found[0].message
    assert "IX_UNKNOWN_MEDICINE" not in [i.code for i in issues]


@pytest.mark.parametrize("name", ["omeprazole", "Madeupzumab 40 mg", "tablets", "vitamin D"])
def test_unknown_medicine_reported_as_not_checked(name, balanced_oil):
    issues = safety_screen(PatientFacts(age_years=40), balanced_oil, D(5), D(5), [name])
    unknown = [i for i in issues if i.code == "IX_UNKNOWN_MEDICINE"]
    assert len(unknown) == 1 and "not checked" in unknown[0].message
    assert unknown[0].level == "inform" and "BNF" in unknown[0].source
    assert not [i for i in issues if i.code.startswith("IX_") and i.code != "IX_UNKNOWN_MEDICINE"]


def test_each_medicine_reported_once_and_all_together(balanced_oil):
    meds = ["clobazam", "Clobazam 10 mg", "omeprazole", "warfarin", "tramadol", "madeup"]
    issues = safety_screen(PatientFacts(age_years=40), balanced_oil, D(5), D(5), meds)
    ix = [(i.code, i.message.split(":")[0]) for i in issues if i.code.startswith("IX_")]
    assert sorted(ix) == sorted(
        [
            ("IX_CLOBAZAM", "clobazam"),
            ("IX_CNS_DEPRESSANT", "clobazam"),
            ("IX_WARFARIN", "warfarin"),
            ("IX_CNS_DEPRESSANT", "tramadol"),
            ("IX_UNKNOWN_MEDICINE", "omeprazole"),
            ("IX_UNKNOWN_MEDICINE", "madeup"),
        ]
    )


def test_cbd_interactions_need_cbd(thc_oil):
    issues = safety_screen(PatientFacts(age_years=40), thc_oil, D(5), D(0), ["sodium valproate"])
    assert "IX_VALPROATE" not in [i.code for i in issues]
    assert "IX_UNKNOWN_MEDICINE" not in [i.code for i in issues]  # known, no THC interaction


@pytest.mark.parametrize(
    ("facts", "field"),
    [
        ({}, "alt_x_uln"),
        ({"alt_x_uln": D("1")}, "bilirubin_x_uln"),
        ({"bilirubin_x_uln": D("1")}, "alt_x_uln"),
    ],
)
def test_liver_rule_not_checked_when_tests_missing(facts, field, cbd_oil):
    issues = safety_screen(PatientFacts(age_years=40, **facts), cbd_oil, D(0), D(10), [])
    found = [i for i in issues if i.code == "CBD_LIVER_NOT_CHECKED"]
    assert found and found[0].level == "inform" and found[0].field == field
    assert "Epidyolex" in found[0].source


def test_liver_rule_checked_quietly_when_normal(cbd_oil, thc_oil):
    facts = PatientFacts(age_years=40, alt_x_uln=D("1"), ast_x_uln=D("1"), bilirubin_x_uln=D("1"))
    codes = [i.code for i in safety_screen(facts, cbd_oil, D(0), D(10), [])]
    assert codes == ["DRIVING_ADVICE"]
    codes = [i.code for i in safety_screen(PatientFacts(age_years=40), thc_oil, D(5), D(0), [])]
    assert codes == ["DRIVING_ADVICE"]  # THC only: the CBD liver rule does not apply


def test_liver_rule_uses_the_higher_transaminase():
    # ALT normal but AST > 3x ULN with bilirubin > 2x ULN: still a block (ALT *or* AST).
    from tests.spec.medicines.conftest import oil

    issues = safety_screen(
        PatientFacts(age_years=40, alt_x_uln=D(1), ast_x_uln=D("3.01"), bilirubin_x_uln=D("2.01")),
        oil("CBD", "0", "20"),
        D(0),
        D(10),
        [],
    )
    assert issues[0].code == "CBD_LIVER" and issues[0].level == "block"
    assert not issues[0].overridable


def test_contraindications_block_cautions_warn(balanced_oil):
    """CLINICAL.md s5: contraindications (block, not overridable) vs cautions (warn)."""
    facts = PatientFacts(
        age_years=70,
        pregnant=True,
        breastfeeding=True,
        psychosis_personal_history=True,
        psychosis_family_history=True,
        unstable_cardiovascular_disease=True,
        hepatic_impairment="severe",
        substance_use_disorder=True,
        epilepsy=True,
        alt_x_uln=D(4),
        bilirubin_x_uln=D(3),
    )
    issues = {i.code: i for i in safety_screen(facts, balanced_oil, D(10), D(10), [])}
    blocks = {c for c, i in issues.items() if i.level == "block"}
    warns = {c for c, i in issues.items() if i.level == "warn"}
    assert blocks == {
        "PSYCHOSIS_PERSONAL", "PSYCHOSIS_FAMILY", "BREASTFEEDING", "PREGNANCY", "CBD_LIVER",
    }  # fmt: skip
    assert warns == {
        "ELDERLY", "UNSTABLE_CVD", "HEPATIC_IMPAIRMENT", "SUBSTANCE_USE", "EPILEPSY",
    }  # fmt: skip
    assert not any(issues[c].overridable for c in blocks)
    assert all(issues[c].needs_reason for c in warns)
    assert all(i.source and i.code for i in issues.values())


def test_under_18_with_thc_gives_both_cautions(balanced_oil):
    codes = [
        i.code for i in safety_screen(PatientFacts(age_years=16), balanced_oil, D(5), D(5), [])
    ]
    assert {"AGE_UNDER_18", "THC_UNDER_25"} <= set(codes)


def test_thc_maximum_boundary_and_override(balanced_oil):
    def thc_issue(thc):
        issues = safety_screen(PatientFacts(age_years=40), balanced_oil, D(thc), D(0), [])
        return [i for i in issues if i.code == "THC_OVER_MAXIMUM"]

    assert thc_issue("40") == []
    over = thc_issue("40.001")
    assert over and over[0].level == "block" and over[0].overridable and over[0].needs_reason
    assert over[0].field == "daily_thc_mg"


def test_driving_advice_names_the_law_and_limit(cbd_oil):
    issues = safety_screen(PatientFacts(age_years=40), cbd_oil, D(0), D(10), [])
    advice = next(i for i in issues if i.code == "DRIVING_ADVICE")
    assert "2 micrograms/L" in advice.message and advice.must_record
    assert "s5A" in advice.source and "Road Traffic Act 1988" in advice.source


def test_facts_and_product_as_mappings():
    issues = safety_screen(
        {"age_years": 30, "pregnant": True},
        {"name": "Oil", "form": "oil", "thc_mg": "10", "cbd_mg": "10"},
        "5",
        "5",
        ["warfarin"],
    )
    assert [i.code for i in issues][:1] == ["PREGNANCY"]
    with pytest.raises(InvalidInput, match="unknown fact"):
        safety_screen({"age_years": 30, "pregnancy": True}, {"name": "O", "form": "oil",
                      "cbd_mg": "10"}, "0", "5", [])  # fmt: skip
    with pytest.raises(InvalidInput, match="age_years"):
        safety_screen({}, {"name": "O", "form": "oil", "cbd_mg": "10"}, "0", "5", [])


@pytest.mark.parametrize(
    ("product", "meds", "field"),
    [
        ("Demo CBD oil", [], "product"),
        (None, [], "product"),
        ("OK", "clobazam", "current_medicines"),
        ("OK", [None], "current_medicines"),
    ],
)
def test_unknown_product_and_bad_medicine_lists_refused(product, meds, field, cbd_oil):
    with pytest.raises(InvalidInput) as exc:
        safety_screen(
            PatientFacts(age_years=40), cbd_oil if product == "OK" else product, 0, 10, meds
        )
    assert exc.value.field == field


def test_bad_fact_types_refused():
    with pytest.raises(InvalidInput, match="pregnant"):
        PatientFacts(age_years=40, pregnant="yes")  # type: ignore[arg-type]
