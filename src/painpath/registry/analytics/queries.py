"""The report's SQL, in the dialect DuckDB and Spark SQL share (one text, two engines).

Tables the engines register: ``patients``, ``outcomes``, ``adverse_events`` (the extract),
and ``mcid`` (instrument, points, direction).
"""

from __future__ import annotations

import pandas as pd

from painpath.registry.analytics.aggregates import CHARACTERISTICS, SUBGROUPS
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
_coalesced = ", ".join(f"coalesce({s}, 'missing') AS {s}" for s in SUBGROUPS)
_stratum_match = " AND ".join(f"s.{s} = coalesce(p.{s}, 'missing')" for s in SUBGROUPS)
_stratum_labels = ", ".join(f"s.{s}" for s in SUBGROUPS)

#: Stage 1 of the outcome table: sufficient statistics (n, mean, population variance) per finest
#: cell (stratum of the four subgroup variables x instrument x timepoint).
#: ``rollup.outcome_aggregates`` combines the cells into the overall and per-subgroup rows exactly
#: (the pairwise formula of Chan et al.), so the 20+ million outcome rows are aggregated once,
#: carrying a small integer stratum rather than four strings.
OUTCOME_CELLS = f"""
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
         count(value) AS n, avg(value) AS mean, var_pop(value) AS var,
         count(change) AS n_paired, avg(change) AS change_mean, var_pop(change) AS change_var,
         sum(mcid) AS n_mcid
  FROM paired
  GROUP BY stratum, instrument, timepoint
)
SELECT {_stratum_labels}, c.instrument, c.timepoint, c.n, c.mean, c.var, c.n_paired,
       c.change_mean, c.change_var, c.n_mcid
FROM cells c JOIN strata s ON s.stratum = c.stratum
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

_seen_flags = ",\n         ".join(
    f"max(CASE WHEN timepoint = {t} THEN 1 ELSE 0 END) AS seen_{t}" for t in TIMEPOINTS
)
_completion_sums = ",\n       ".join(
    f"sum(CASE WHEN p.months_observed >= {t} THEN 1 ELSE 0 END) AS eligible_{t},\n       "
    f"sum(CASE WHEN p.months_observed >= {t} THEN s.seen_{t} ELSE 0 END) AS completed_{t}"
    for t in TIMEPOINTS
)

#: Eligible: the scheduled month has passed (months_observed >= timepoint). Completed: eligible
#: and at least one questionnaire assigned to that timepoint. One row, reshaped by
#: ``completion_rows`` (one flag per patient and timepoint is cheaper than DISTINCT pairs).
COMPLETION = f"""
WITH seen AS (
  SELECT pkey,
         {_seen_flags}
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
    "outcome_cells": OUTCOME_CELLS,
    "adverse_events": ADVERSE_EVENTS,
    "completion": COMPLETION,
}
