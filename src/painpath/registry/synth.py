"""A synthetic registry with the extract's schema, for development, demos and benchmarks.

Every figure below is an assumption shaped by published UK Medical Cannabis Registry (UKMCR)
cohorts, not data from them:

- Harris M, Erridge S, et al. UK Medical Cannabis Registry: an analysis of clinical outcomes of
  medicinal cannabis therapy for chronic pain conditions. Expert Rev Clin Pharmacol 2022;15:473-85
  (190 patients; BPI, GAD-7, SQS, EQ-5D-5L improved at 1, 3 and 6 months; adverse events 39.5 per
  100 patients, mostly mild or moderate).
- Erridge S, Leung O, et al. An observational study of clinical outcome measures in patients
  treated with CBMPs on the UKMCR. Neuropsychopharmacol Rep 2023;43:616-32 (1378 patients; 42%
  current cannabis users; oils 46.5%, dried flower 17.1%, both 36.4%; improvements at 1, 3, 6 and
  12 months, larger with flower; 21.6% of patients reported an adverse event).
- Olsson F, Erridge S, et al. Expert Rev Clin Pharmacol 2023 (2833 patients; 16.7% with an
  adverse event). Erridge S, et al. Neuropsychopharmacol Rep 2021;41:362 (mean age 46.2, SD 14.5).

Baselines: pain NRS ~7/10, EQ-5D-5L index ~0.4, GAD-7 ~9, SQS ~3, as in these cohorts. Changes
reach their largest mean by 3 months and are largely sustained to 12-24 months. Drop-out rises
with time (Weibull retention: ~85% at 1 month, ~58% at 6, ~42% at 12, ~25% at 24), on top of
administrative censoring (patients enrolled uniformly over 4 years) and 10% missed visits.

Generated in chunks of patients with NumPy (vectorised) and written straight to Parquet, so memory
stays bounded whatever the size; seeded, so the same ``seed`` gives the same files.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.parquet as pq
from tqdm import tqdm

from painpath.registry.folders import check_output_folder
from painpath.registry.schema import ADVERSE_EVENTS, OUTCOMES, PATIENTS, write_data_dictionary
from painpath.registry.timepoints import AGE_BAND_TOP, AGE_BAND_WIDTH, TIMEPOINT_WINDOWS, TIMEPOINTS

DEFAULT_CHUNK = 100_000
#: Written beside every synthetic registry; the report then says SYNTHETIC DATA at the top.
SYNTHETIC_MARKER = "SYNTHETIC.txt"


@dataclass(frozen=True)
class InstrumentModel:
    """Baseline distribution, largest mean change, noise and resolution of one instrument."""

    code: str
    baseline_mean: float
    baseline_sd: float
    low: float
    high: float
    max_change: float
    noise_sd: float
    step: float


INSTRUMENT_MODELS: tuple[InstrumentModel, ...] = (
    InstrumentModel("nrs", 7.0, 1.8, 0, 10, -1.5, 1.3, 1),
    InstrumentModel("bpi", 6.5, 1.7, 0, 10, -1.3, 1.1, 0.25),
    InstrumentModel("odi", 44.0, 16.0, 0, 100, -6.0, 8.0, 2),
    InstrumentModel("gad7", 9.0, 6.0, 0, 21, -2.8, 3.0, 1),
    InstrumentModel("phq9", 12.0, 6.5, 0, 27, -3.0, 3.5, 1),
    InstrumentModel("sqs", 3.0, 2.2, 0, 10, 2.2, 1.8, 1),
    InstrumentModel("eq5d5l", 0.40, 0.25, -0.594, 1.0, 0.12, 0.12, 0.001),
)

#: Share of the largest mean change reached at each timepoint.
EFFECT_PROFILE: dict[int, float] = {0: 0.0, 1: 0.8, 3: 1.0, 6: 1.0, 12: 0.95, 18: 0.9, 24: 0.9}
#: Weibull retention S(t) = exp(-(t / scale) ** shape), months.
DROPOUT_SCALE, DROPOUT_SHAPE = 14.76, 0.675
MISSED_VISIT = 0.10
MISSED_INSTRUMENT = 0.05
ENROLMENT_MONTHS = 48

SEX = (("female", 0.50), ("male", 0.49), ("other", 0.01))
REGION = (("low_back", 0.62), ("neck", 0.30), ("thoracic", 0.08))
PAIN_TYPE = {
    "low_back": (("radicular", 0.30), ("mechanical", 0.25), ("non_specific", 0.45)),
    "neck": (("radiculopathy", 0.30), ("mechanical", 0.65), ("myelopathy", 0.05)),
    "thoracic": (("mechanical", 0.5), ("non_specific", 0.5)),
}
PRODUCT_FORM = (("oil", 0.465), ("flower", 0.171), ("oil_and_flower", 0.364))
#: Dried flower (alone or with oil) was associated with larger improvements (Erridge 2023).
FLOWER_EFFECT = 1.15
CANNABIS_USE = (("current", 0.42), ("former", 0.13), ("naive", 0.45))
AE_ANY = 0.20
AE_EXTRA_MEAN = 1.5
AE_GRADES = ((1, 0.55), (2, 0.33), (3, 0.10), (4, 0.018), (5, 0.002))
AE_ONSET_MEAN_MONTHS = 2.0
#: Most frequent CBPM adverse events in UKMCR reports (nausea, dry mouth, dizziness, somnolence).
AE_SYMPTOMS = (
    ("nausea", 0.18),
    ("dry_mouth", 0.16),
    ("dizziness", 0.15),
    ("drowsiness", 0.15),
    ("fatigue", 0.14),
    ("anxiety", 0.08),
    ("palpitations", 0.04),
    ("confusion", 0.03),
    ("other", 0.07),
)
AE_CAUSALITY = (
    ("unrelated", 0.10),
    ("unlikely", 0.15),
    ("possible", 0.40),
    ("probable", 0.30),
    ("definite", 0.05),
)


def _choice(
    rng: np.random.Generator, options: tuple[tuple[object, float], ...], n: int
) -> npt.NDArray[np.int64]:
    p = np.array([w for _, w in options], dtype=float)
    return rng.choice(len(options), size=n, p=p / p.sum())


def _labels(options: tuple[tuple[str, float], ...], idx: npt.NDArray[np.int64]) -> pa.Array:
    return pa.DictionaryArray.from_arrays(
        pa.array(idx, type=pa.int32()), pa.array([o for o, _ in options])
    ).cast(pa.string())


def _whole_months(months: npt.NDArray[np.float64]) -> npt.NDArray[np.int16]:
    """Vectorised ``timepoints.published_months``: nearest whole month, halves away from zero."""
    return (np.sign(months) * np.floor(np.abs(months) + 0.5)).astype(np.int16)


def _chunk(rng: np.random.Generator, start: int, n: int) -> tuple[pa.Table, pa.Table, pa.Table]:
    pkey = np.arange(start, start + n, dtype=np.int32)
    raw = rng.bytes(32 * n)
    pid = [raw[i * 32 : (i + 1) * 32].hex() for i in range(n)]

    age = np.clip(rng.normal(46.2, 14.5, n), 18, 95).astype(int)
    band_low = np.minimum(age // AGE_BAND_WIDTH * AGE_BAND_WIDTH, AGE_BAND_TOP)
    band_labels = [f"{lo}-{lo + AGE_BAND_WIDTH - 1}" for lo in range(0, AGE_BAND_TOP, 5)]
    band_labels.append(f"{AGE_BAND_TOP}+")
    age_band = pa.DictionaryArray.from_arrays(
        pa.array(band_low // AGE_BAND_WIDTH, type=pa.int32()), pa.array(band_labels)
    ).cast(pa.string())

    region_idx = _choice(rng, REGION, n)
    pain_type = np.empty(n, dtype=object)
    for r, (region, _) in enumerate(REGION):
        mask = region_idx == r
        options = PAIN_TYPE[region]
        pain_type[mask] = np.array([o for o, _ in options], dtype=object)[
            _choice(rng, options, int(mask.sum()))
        ]
    form_idx = _choice(rng, PRODUCT_FORM, n)
    use_idx = _choice(rng, CANNABIS_USE, n)
    observed = rng.integers(0, ENROLMENT_MONTHS + 1, n).astype(np.int16)
    dropout = DROPOUT_SCALE * rng.weibull(DROPOUT_SHAPE, n)

    patients = pa.table(
        {
            "pkey": pa.array(pkey),
            "pid": pa.array(pid, type=pa.string()),
            "sex": _labels(SEX, _choice(rng, SEX, n)),
            "age_band": age_band,
            "region": _labels(REGION, region_idx),
            "pain_type": pa.array(pain_type, type=pa.string()),
            "product_form": _labels(PRODUCT_FORM, form_idx),
            "prior_cannabis_use": _labels(CANNABIS_USE, use_idx),
            "n_prior_treatments": pa.array(2 + rng.poisson(1.5, n), type=pa.int16()),
            "start_basis": pa.array(np.full(n, "cbpm", dtype=object), type=pa.string()),
            "months_observed": pa.array(observed),
        },
        schema=PATIENTS.arrow_schema,
    )

    # Outcomes: an (n, timepoints, instruments) cube, masked by attendance, then flattened.
    tps = np.array(TIMEPOINTS, dtype=np.int8)
    n_t, n_i = len(tps), len(INSTRUMENT_MODELS)
    responder = rng.normal(1.0, 0.8, n) * np.where(form_idx == 0, 1.0, FLOWER_EFFECT)
    attended = (tps[None, :] <= observed[:, None]) & (
        (tps[None, :] == 0) | (tps[None, :] < dropout[:, None])
    )
    attended &= (tps[None, :] == 0) | (rng.random((n, n_t)) >= MISSED_VISIT)
    present = attended[:, :, None] & (rng.random((n, n_t, n_i)) >= MISSED_INSTRUMENT)

    jitter = rng.normal(0.0, 1.0, (n, n_t))
    months = np.empty((n, n_t), dtype=np.float64)
    for j, t in enumerate(TIMEPOINTS):
        low, high = TIMEPOINT_WINDOWS[t]
        if t == 0:
            months[:, j] = -rng.random(n)
        else:
            months[:, j] = np.clip(t + jitter[:, j] * 0.15 * t, low, high - 0.1)
    months = _whole_months(months)

    profile = np.array([EFFECT_PROFILE[t] for t in TIMEPOINTS])
    values = np.empty((n, n_t, n_i), dtype=np.float64)
    for k, m in enumerate(INSTRUMENT_MODELS):
        base = rng.normal(m.baseline_mean, m.baseline_sd, n)
        follow = (
            base[:, None]
            + m.max_change * profile[None, :] * responder[:, None]
            + rng.normal(0.0, m.noise_sd, (n, n_t)) * (profile[None, :] > 0)
        )
        v = np.clip(np.round(follow / m.step) * m.step, m.low, m.high)
        values[:, :, k] = np.round(v, 3)

    idx = np.nonzero(present)
    outcomes = pa.table(
        {
            "pkey": pa.array(pkey[idx[0]]),
            "instrument": pa.DictionaryArray.from_arrays(
                pa.array(idx[2].astype(np.int32)),
                pa.array([m.code for m in INSTRUMENT_MODELS]),
            ).cast(pa.string()),
            "timepoint": pa.array(tps[idx[1]]),
            "months": pa.array(months[idx[0], idx[1]]),
            "value": pa.array(values[idx]),
        },
        schema=OUTCOMES.arrow_schema,
    )

    has_ae = rng.random(n) < AE_ANY
    counts = np.where(has_ae, 1 + rng.poisson(AE_EXTRA_MEAN, n), 0)
    ae_patient = np.repeat(np.arange(n), counts)
    follow_up = np.maximum(np.minimum(observed, dropout)[ae_patient], 0.1)
    onset = _whole_months(
        np.minimum(rng.exponential(AE_ONSET_MEAN_MONTHS, ae_patient.size), follow_up)
    )
    grade_idx = _choice(rng, AE_GRADES, ae_patient.size)
    grade = np.array([g for g, _ in AE_GRADES], dtype=np.int8)[grade_idx]
    serious = (grade >= 4) | ((grade == 3) & (rng.random(ae_patient.size) < 0.5))
    adverse = pa.table(
        {
            "pkey": pa.array(pkey[ae_patient]),
            "months": pa.array(onset),
            "symptom": _labels(AE_SYMPTOMS, _choice(rng, AE_SYMPTOMS, ae_patient.size)),
            "grade": pa.array(grade),
            "serious": pa.array(serious),
            "causality": _labels(AE_CAUSALITY, _choice(rng, AE_CAUSALITY, ae_patient.size)),
        },
        schema=ADVERSE_EVENTS.arrow_schema,
    )
    return patients, outcomes, adverse


def synthesise(
    out_dir: Path,
    patients: int,
    *,
    seed: int = 20261125,
    chunk_size: int = DEFAULT_CHUNK,
    progress: bool = True,
) -> dict[str, int]:
    """Write a synthetic registry of ``patients`` patients to ``out_dir``; return row counts."""
    if patients < 1:
        raise ValueError(f"--patients must be at least 1, got {patients}")
    if chunk_size < 1:
        raise ValueError(f"chunk size must be at least 1, got {chunk_size}")
    check_output_folder(out_dir, also_allowed=frozenset({SYNTHETIC_MARKER}))
    out_dir.mkdir(parents=True, exist_ok=True)
    writers = {
        t.name: pq.ParquetWriter(out_dir / t.filename, t.arrow_schema, compression="zstd")
        for t in (PATIENTS, OUTCOMES, ADVERSE_EVENTS)
    }
    rows = dict.fromkeys(writers, 0)
    n_chunks = -(-patients // chunk_size)
    seeds = np.random.SeedSequence(seed).spawn(n_chunks)
    try:
        with tqdm(total=patients, unit="patients", disable=not progress, desc="synth") as bar:
            for c in range(n_chunks):
                start = c * chunk_size
                n = min(chunk_size, patients - start)
                tables = _chunk(np.random.default_rng(seeds[c]), start, n)
                for name, table in zip(writers, tables, strict=True):
                    writers[name].write_table(table)
                    rows[name] += table.num_rows
                bar.update(n)
    finally:
        for w in writers.values():
            w.close()
    write_data_dictionary(out_dir)
    (out_dir / SYNTHETIC_MARKER).write_text(
        f"Synthetic registry: {patients} invented patients (seed {seed}). Not real data; "
        "figures are assumptions shaped by published UK Medical Cannabis Registry cohorts.\n",
        encoding="utf-8",
    )
    return rows
