"""Interacting medicines and the classes they belong to (CLINICAL.md section 5).

Sources: Epidyolex (cannabidiol) SmPC section 4.5 (clobazam, valproate, CYP3A4 inducers and
inhibitors); Sativex (nabiximols) SmPC section 4.5 (strong CYP3A4 inhibitors/inducers, CNS
depressants including alcohol, benzodiazepines and opioids); BNF interaction monographs
(cannabidiol and cannabis extract with warfarin and other coumarins: INR; gabapentinoids and
opioids: additive CNS depression). Strong CYP3A4 inhibitors and inducers as listed by the SmPCs
and the MHRA/FDA lists of strong modulators.

How a name is read (docs/decisions/0066-interaction-name-matching.md): case-insensitive, with
punctuation, strengths ("75 mg", "30/500") and formulation words ("MR", "tablets", "oral
solution") ignored; every known name found as whole words inside the text counts, so
"Paracetamol and codeine 500/30 tablets" is checked as codeine, and "Co-codamol" and common
UK brand names ("Lyrica", "Epilim") map to their generic's classes. A name in which no known
medicine is found is *not checked*: the screen says so rather than passing it silently.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

CLOBAZAM = "clobazam"
VALPROATE = "valproate"
WARFARIN = "warfarin"
CYP3A4_INHIBITOR = "cyp3a4_strong_inhibitor"
CYP3A4_INDUCER = "cyp3a4_strong_inducer"
CNS_DEPRESSANT = "cns_depressant"

_BENZODIAZEPINES = (
    "diazepam", "lorazepam", "clonazepam", "temazepam", "nitrazepam", "chlordiazepoxide",
    "oxazepam", "alprazolam", "midazolam", "loprazolam", "lormetazepam", "flurazepam",
    "clorazepate", "benzodiazepine", "benzodiazepines",
    # UK brands
    "valium", "ativan", "rivotril", "xanax", "librium", "buccolam", "epistatus",
)  # fmt: skip
_OPIOIDS = (
    "morphine", "oxycodone", "codeine", "dihydrocodeine", "tramadol", "tapentadol", "fentanyl",
    "buprenorphine", "methadone", "hydromorphone", "pethidine", "diamorphine", "meptazinol",
    "pentazocine", "alfentanil", "remifentanil", "co-codamol", "co-dydramol", "cocodamol",
    "codydramol", "co codamol", "co dydramol", "opioid", "opioids", "opiate", "opiates",
    # UK brands
    "zomorph", "mst continus", "mst", "oramorph", "sevredol", "morphgesic", "oxycontin",
    "oxynorm", "longtec", "shortec", "targinact", "zamadol", "zydol", "tramulief", "maxitram",
    "marol", "zeridame", "palexia", "durogesic", "matrifen", "abstral", "effentora", "instanyl",
    "butrans", "transtec", "subutex", "espranor", "buvidal", "physeptone", "palladone",
    "solpadol", "zapain", "tylex", "kapake", "dhc continus", "tramacet",
)  # fmt: skip
_GABAPENTINOIDS = (
    "gabapentin", "pregabalin", "gabapentinoid", "gabapentinoids",
    "lyrica", "alzain", "axalid", "lecaent", "neurontin",
)  # fmt: skip
_OTHER_CNS_DEPRESSANTS = (
    "alcohol", "ethanol", "zopiclone", "zolpidem", "zaleplon", "amitriptyline", "nortriptyline",
    "promethazine", "chlorphenamine", "hydroxyzine", "baclofen", "tizanidine", "mirtazapine",
    "trazodone", "quetiapine", "olanzapine", "phenergan", "zimovane",
)  # fmt: skip
_CLOBAZAM = ("clobazam", "frisium", "tapclob", "zacco", "perizam")
_VALPROATE = (
    "valproate", "sodium valproate", "valproic acid", "semisodium valproate", "divalproex",
    "epilim", "epilim chrono", "depakote", "dyzantil", "episenta", "epival", "convulex",
    "belvo",
)  # fmt: skip
_COUMARINS = ("warfarin", "acenocoumarol", "phenindione", "marevan", "sinthrome")
_CYP3A4_INHIBITORS = (
    "ketoconazole", "itraconazole", "voriconazole", "posaconazole", "clarithromycin",
    "telithromycin", "ritonavir", "cobicistat", "nirmatrelvir", "lopinavir", "saquinavir",
    "indinavir", "nelfinavir", "nefazodone", "idelalisib", "tucatinib",
    # UK brands
    "klaricid", "sporanox", "vfend", "noxafil", "norvir", "paxlovid", "kaletra", "tybost",
)  # fmt: skip
_CYP3A4_INDUCERS = (
    "rifampicin", "rifampin", "rifabutin", "rifapentine", "carbamazepine", "phenytoin",
    "fosphenytoin", "phenobarbital", "phenobarbitone", "primidone", "st john's wort",
    "st johns wort", "hypericum", "enzalutamide", "apalutamide", "mitotane", "lumacaftor",
    # UK brands
    "rifadin", "rimactane", "tegretol", "carbagen", "epanutin", "mysoline", "xtandi",
)  # fmt: skip


def _table() -> dict[str, frozenset[str]]:
    table: dict[str, set[str]] = {}
    groups: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = (
        (_CLOBAZAM, (CLOBAZAM, CNS_DEPRESSANT)),  # clobazam is a benzodiazepine
        (_VALPROATE, (VALPROATE,)),
        (_COUMARINS, (WARFARIN,)),
        (_CYP3A4_INHIBITORS, (CYP3A4_INHIBITOR,)),
        (_CYP3A4_INDUCERS, (CYP3A4_INDUCER,)),
        (_BENZODIAZEPINES, (CNS_DEPRESSANT,)),
        (_OPIOIDS, (CNS_DEPRESSANT,)),
        (_GABAPENTINOIDS, (CNS_DEPRESSANT,)),
        (_OTHER_CNS_DEPRESSANTS, (CNS_DEPRESSANT,)),
    )
    for names, classes in groups:
        for name in names:
            table.setdefault(normalise(name), set()).update(classes)
    # Paxlovid is nirmatrelvir with ritonavir; Targinact is oxycodone with naloxone (both above).
    return {name: frozenset(classes) for name, classes in table.items()}


# Words that describe a preparation, not a medicine: ignored when reading a name.
FORMULATION_WORDS = frozenset(
    (
        "mr",
        "sr",
        "xl",
        "la",
        "cr",
        "er",
        "pr",
        "modified",
        "release",
        "prolonged",
        "slow",
        "immediate",
        "tablet",
        "tablets",
        "tab",
        "tabs",
        "capsule",
        "capsules",
        "caps",
        "oral",
        "solution",
        "suspension",
        "liquid",
        "syrup",
        "elixir",
        "drops",
        "patch",
        "patches",
        "transdermal",
        "injection",
        "inj",
        "sachet",
        "sachets",
        "granules",
        "dispersible",
        "soluble",
        "effervescent",
        "orodispersible",
        "buccal",
        "film",
        "films",
        "nasal",
        "spray",
        "sublingual",
        "cream",
        "gel",
        "mg",
        "mcg",
        "micrograms",
        "microgram",
        "g",
        "ml",
        "units",
        "unit",
        "daily",
        "once",
        "twice",
        "nocte",
        "mane",
        "bd",
        "tds",
        "qds",
        "od",
        "prn",
        "at",
        "night",
        "dose",
    )
)
_NOT_A_WORD = re.compile(r"[^a-z'\- ]+")


def normalise(name: str) -> str:
    """Lower case, straight apostrophes, no digits or punctuation, single spaces.

    'Pregabalin  75 mg' -> 'pregabalin'; 'St John\u2019s Wort' -> "st john's wort";
    'Co-codamol 30/500' -> 'co-codamol'. Formulation words are kept here (removed in ``words``).
    """
    text = name.strip().lower().replace("\u2019", "'").replace("\u2018", "'")
    text = _NOT_A_WORD.sub(" ", text)
    return " ".join(word.strip("'-") for word in text.split() if word.strip("'-"))


MEDICINE_CLASSES: Mapping[str, frozenset[str]] = _table()
_LONGEST = max(len(key.split()) for key in MEDICINE_CLASSES)


def words(name: str) -> list[str]:
    """The words of ``name`` that can name a medicine (no strengths or formulation words)."""
    return [w for w in normalise(name).split() if w not in FORMULATION_WORDS]


def key(name: str) -> str:
    """What two entries for the same medicine share ('Clobazam 10 mg' and 'clobazam')."""
    return " ".join(words(name)) or name.strip().lower()


def matches(name: str) -> tuple[str, ...]:
    """The known medicine names found as whole words in ``name`` (longest match first)."""
    words_ = words(name)
    found: list[str] = []
    i = 0
    while i < len(words_):
        for size in range(min(_LONGEST, len(words_) - i), 0, -1):
            candidate = " ".join(words_[i : i + size])
            if candidate in MEDICINE_CLASSES:
                if candidate not in found:
                    found.append(candidate)
                i += size
                break
        else:
            i += 1
    return tuple(found)


def classes_of(name: str) -> frozenset[str] | None:
    """The interaction classes of ``name``, or None when no known medicine is found in it.

    A known medicine with no cannabinoid interaction is not listed at all, so "not found" means
    "not checked", never "checked and safe".
    """
    found = matches(name)
    if not found:
        return None
    return frozenset().union(*(MEDICINE_CLASSES[n] for n in found))
