"""Interacting medicines and the classes they belong to (CLINICAL.md section 5).

Sources: Epidyolex (cannabidiol) SmPC section 4.5 (clobazam, valproate, CYP3A4); Sativex SmPC
section 4.5 (CYP3A4 inhibitors/inducers, CNS depressants, alcohol); BNF cannabidiol and
warfarin interaction monographs (INR). The table maps a medicine's generic name (lower case) to
its interaction classes; brand names are deliberately absent (prescribe generically).
"""

from __future__ import annotations

from collections.abc import Mapping

CLOBAZAM = "clobazam"
VALPROATE = "valproate"
WARFARIN = "warfarin"
CYP3A4_INHIBITOR = "cyp3a4_strong_inhibitor"
CYP3A4_INDUCER = "cyp3a4_strong_inducer"
CNS_DEPRESSANT = "cns_depressant"

_BENZODIAZEPINES = (
    "diazepam",
    "lorazepam",
    "clonazepam",
    "temazepam",
    "nitrazepam",
    "chlordiazepoxide",
    "oxazepam",
    "alprazolam",
    "midazolam",
)
_OPIOIDS = (
    "morphine",
    "oxycodone",
    "codeine",
    "dihydrocodeine",
    "tramadol",
    "tapentadol",
    "fentanyl",
    "buprenorphine",
    "methadone",
    "hydromorphone",
    "pethidine",
)
_GABAPENTINOIDS = ("gabapentin", "pregabalin")
_OTHER_SEDATIVES = ("alcohol", "zopiclone", "zolpidem", "amitriptyline", "promethazine")

MEDICINE_CLASSES: Mapping[str, frozenset[str]] = {
    "clobazam": frozenset({CLOBAZAM, CNS_DEPRESSANT}),
    "sodium valproate": frozenset({VALPROATE}),
    "valproic acid": frozenset({VALPROATE}),
    "valproate": frozenset({VALPROATE}),
    "warfarin": frozenset({WARFARIN}),
    **{
        name: frozenset({CYP3A4_INHIBITOR})
        for name in (
            "ketoconazole",
            "itraconazole",
            "voriconazole",
            "posaconazole",
            "clarithromycin",
            "ritonavir",
            "cobicistat",
        )
    },
    **{
        name: frozenset({CYP3A4_INDUCER})
        for name in (
            "rifampicin",
            "carbamazepine",
            "phenytoin",
            "phenobarbital",
            "st john's wort",
            "enzalutamide",
            "mitotane",
        )
    },
    **{
        name: frozenset({CNS_DEPRESSANT})
        for name in (*_BENZODIAZEPINES, *_OPIOIDS, *_GABAPENTINOIDS, *_OTHER_SEDATIVES)
    },
}


def normalise(name: str) -> str:
    """Lower case, single spaces, no strength suffix ('Pregabalin  75 mg' -> 'pregabalin')."""
    words = name.strip().lower().replace("\u2019", "'").split()
    kept: list[str] = []
    for word in words:
        if any(ch.isdigit() for ch in word):
            break
        kept.append(word)
    return " ".join(kept)


def classes_of(name: str) -> frozenset[str] | None:
    """The interaction classes of ``name``, or None when the medicine is not in the table."""
    return MEDICINE_CLASSES.get(normalise(name))
