"""The report's SQL, in the dialect DuckDB and Spark SQL share (one text, two engines).

Tables the engines register: ``patients``, ``outcomes``, ``adverse_events`` (the extract),
and ``mcid`` (instrument, points, direction).
"""

from __future__ import annotations

import pandas as pd

from painpath.registry.analytics.aggregates import ALL, CHARACTERISTICS, MISSING, SUBGROUPS
from painpath.registry.mcid import TOLERANCE
from painpath.registry.timepoints import TIMEPOINTS

COHORT = """
SELECT count(*) AS n_patients,
       avg(n_prior_treatments) AS prior_mean,
       stddev_samp(n_prior_treatments) AS prior_sd
FROM patients
"""

CHARACTERISTICS_SQL = "\nUNION ALL\n".join(
    f"SELECT '{v}' AS variable, coalesce({v}, 'missing') AS level, count(*) AS n "
    f"FROM patients GROUP BY coalesce({v}, 'missing')"
    for v in CHARACTERISTICS
)

_keys = ", ".join(SUBGROUPS)
_coalesced = ", ".join(f"coalesce({s}, '{MISSING}') AS {s}" for s in SUBGROUPS)
_stratum_match = " AND ".join(f"s.{s} = coalesce(p.{s}, '{MISSING}')" for s in SUBGROUPS)
_groupings = " UNION ALL ".join(f"SELECT '{g}' AS subgroup" for g in (ALL, *SUBGROUPS))
_level = " ".join(f"WHEN '{s}' THEN s.{s}" for s in SUBGROUPS)

#: The outcome table's aggregates, overall and for every level of every subgroup.
#:
#: Stage 1 (``cells``): sufficient statistics per finest cell, stratum of the four subgroup
#: variables x instrument x timepoint (n, mean, population variance, smallest and largest value;
#: the same for paired changes), so the 20+ million outcome rows are aggregated once, carrying a
#: small integer stratum rather than four strings.
#: Stage 2: each cell is counted once overall and once in its level of each subgroup
#: (``exploded``: a few thousand rows) and the cells of a group are combined in one GROUP BY:
#: for cells i with n_i, mean_i and population variance v_i, N = sum n_i,
#: mean = sum(n_i mean_i) / N and M2 = sum(n_i v_i) + sum(n_i mean_i^2) - (sum n_i mean_i)^2 / N
#: (the within-cell and between-cell sums of squares; the sample SD is sqrt(M2 / (N - 1))).
#: The within-cell part comes from the engine's one-pass variance; the between-cell part is a
#: difference of sums whose rounding error is about 1e-16 x N x mean^2, i.e. about 1e-15 of M2
#: for questionnaire scores (ADR 0089). A group whose smallest and largest values are equal has
#: an SD of exactly 0 (rounding would otherwise leave ~1e-17 and a p-value where there is none).
OUTCOMES_SQL = f"""
WITH strata AS (
  SELECT row_number() OVER (ORDER BY {_keys}) AS stratum, {_keys}
  FROM (SELECT DISTINCT {_coalesced} FROM patients) d
),
patient_strata AS (
  SELECT p.pkey, s.stratum FROM patients p JOIN strata s ON {_stratum_match}
),
paired AS (
  SELECT ps.stratum, o.instrument, o.timepoint, o.value,
         CASE WHEN o.timepoint = 0 THEN NULL ELSE o.value - b.value END AS change,
         CASE WHEN o.timepoint = 0 OR b.value IS NULL OR m.points IS NULL THEN NULL
              WHEN m.direction * (o.value - b.value) >= m.points - {TOLERANCE!r} THEN 1
              ELSE 0 END AS mcid
  FROM outcomes o
  JOIN patient_strata ps ON ps.pkey = o.pkey
  LEFT JOIN outcomes b
    ON b.pkey = o.pkey AND b.instrument = o.instrument AND b.timepoint = 0
  LEFT JOIN mcid m ON m.instrument = o.instrument
  WHERE o.timepoint IS NOT NULL
),
cells AS (
  SELECT stratum, instrument, timepoint,
         count(value) AS n, avg(value) AS m, var_pop(value) AS v,
         min(value) AS lo, max(value) AS hi,
         count(change) AS n_paired, avg(change) AS mc, var_pop(change) AS vc,
         min(change) AS lo_c, max(change) AS hi_c,
         sum(mcid) AS n_mcid
  FROM paired
  GROUP BY stratum, instrument, timepoint
),
exploded AS (
  SELECT g.subgroup,
         CASE g.subgroup WHEN '{ALL}' THEN '{ALL}' {_level} END AS level,
         c.instrument, c.timepoint, c.n, c.m, c.v, c.lo, c.hi,
         c.n_paired, coalesce(c.mc, 0.0) AS mc, coalesce(c.vc, 0.0) AS vc, c.lo_c, c.hi_c,
         c.n_mcid
  FROM cells c
  JOIN strata s ON s.stratum = c.stratum
  CROSS JOIN ({_groupings}) g
),
sums AS (
  SELECT subgroup, level, instrument, timepoint,
         sum(n) AS n, sum(n * m) AS s1, sum(n * (m * m)) AS s2, sum(n * v) AS within,
         min(lo) = max(hi) AS constant,
         sum(n_paired) AS n_paired, sum(n_paired * mc) AS s1_c,
         sum(n_paired * (mc * mc)) AS s2_c, sum(n_paired * vc) AS within_c,
         min(lo_c) = max(hi_c) AS constant_c,
         sum(n_mcid) AS n_mcid
  FROM exploded
  GROUP BY subgroup, level, instrument, timepoint
)
SELECT subgroup, level, instrument, timepoint,
       n, s1 / nullif(n, 0) AS mean,
       CASE WHEN n < 2 THEN NULL WHEN constant THEN 0.0
            ELSE sqrt(greatest(within + (s2 - s1 * s1 / n), 0.0) / (n - 1)) END AS sd,
       n_paired, s1_c / nullif(n_paired, 0) AS change_mean,
       CASE WHEN n_paired < 2 THEN NULL WHEN constant_c THEN 0.0
            ELSE sqrt(greatest(within_c + (s2_c - s1_c * s1_c / n_paired), 0.0) / (n_paired - 1))
       END AS change_sd,
       n_mcid
FROM sums
"""

ADVERSE_EVENTS = """
SELECT CAST(a.grade AS INTEGER) AS grade, count(*) AS n_events,
       count(DISTINCT a.pkey) AS n_patients
FROM adverse_events a JOIN patients p ON p.pkey = a.pkey
GROUP BY a.grade
UNION ALL
SELECT CAST(NULL AS INTEGER) AS grade, count(*) AS n_events,
       count(DISTINCT a.pkey) AS n_patients
FROM adverse_events a JOIN patients p ON p.pkey = a.pkey
"""

#: One bit per timepoint: a patient's timepoints seen are one integer, OR-ed over their rows.
TIMEPOINT_BITS: dict[int, int] = {t: 1 << i for i, t in enumerate(TIMEPOINTS)}
_bit_of = " ".join(f"WHEN {t} THEN {bit}" for t, bit in TIMEPOINT_BITS.items())
_completion_sums = ",\n       ".join(
    f"sum(CASE WHEN p.months_observed >= {t} THEN 1 ELSE 0 END) AS eligible_{t},\n       "
    f"sum(CASE WHEN p.months_observed >= {t} AND (coalesce(s.seen, 0) & {bit}) <> 0 "
    f"THEN 1 ELSE 0 END) AS completed_{t}"
    for t, bit in TIMEPOINT_BITS.items()
)

#: Eligible: the scheduled month has passed (months_observed >= timepoint). Completed: eligible
#: and at least one questionnaire assigned to that timepoint. One row, reshaped by
#: ``completion_rows``. Each patient's timepoints seen are one ``bit_or`` of a bit per timepoint
#: (a single aggregate per patient, cheaper than a flag per timepoint or DISTINCT pairs).
COMPLETION = f"""
WITH seen AS (
  SELECT pkey, bit_or(CASE timepoint {_bit_of} END) AS seen
  FROM outcomes WHERE timepoint IS NOT NULL GROUP BY pkey
)
SELECT {_completion_sums}
FROM patients p LEFT JOIN seen s ON s.pkey = p.pkey
"""


def completion_rows(wide: pd.DataFrame) -> pd.DataFrame:
    """Reshape the one-row COMPLETION result to (timepoint, n_eligible, n_completed)."""
    row = wide.iloc[0] if len(wide) else None
    return pd.DataFrame(
        {
            "timepoint": list(TIMEPOINTS),
            "n_eligible": [
                0 if row is None or pd.isna(row[f"eligible_{t}"]) else int(row[f"eligible_{t}"])
                for t in TIMEPOINTS
            ],
            "n_completed": [
                0 if row is None or pd.isna(row[f"completed_{t}"]) else int(row[f"completed_{t}"])
                for t in TIMEPOINTS
            ],
        }
    )


QUERIES: dict[str, str] = {
    "cohort": COHORT,
    "characteristics": CHARACTERISTICS_SQL,
    "outcomes": OUTCOMES_SQL,
    "adverse_events": ADVERSE_EVENTS,
    "completion": COMPLETION,
}
