"""Spark engine: the same SQL as DuckDB on Apache Spark, for a registry beyond one machine.

Optional (``pip install painpath[spark]``). Runs in local mode unless a master is configured
(``PAINPATH_SPARK_MASTER``). A session is reused within one process.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pandas as pd

from painpath.registry.analytics.aggregates import Aggregates, normalise
from painpath.registry.analytics.queries import QUERIES, completion_rows
from painpath.registry.analytics.rollup import outcome_aggregates
from painpath.registry.analytics.tables import mcid_frame
from painpath.registry.schema import TABLES


class SparkUnavailable(ImportError):
    """PySpark (or Java) is not installed."""


def session(threads: int | None = None) -> Any:
    """A Spark session (local[threads] by default), created once per process."""
    try:
        from pyspark.sql import SparkSession
    except ImportError as exc:
        raise SparkUnavailable(
            "--engine spark needs PySpark: pip install 'painpath[spark]' (and Java 17+)"
        ) from exc
    master = os.environ.get("PAINPATH_SPARK_MASTER", f"local[{threads or '*'}]")
    return (
        SparkSession.builder.master(master)
        .appName("painpath-registry")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.driver.extraJavaOptions", "-Dlog4j2.level=ERROR")
        .getOrCreate()
    )


def run(data_dir: Path, *, threads: int | None = None, spark: Any = None) -> Aggregates:
    spark = spark or session(threads)
    for table in TABLES:
        spark.read.parquet(str((data_dir / table.filename).resolve())).createOrReplaceTempView(
            table.name
        )
    mcid_df = mcid_frame()
    schema = "instrument STRING, points DOUBLE, direction BIGINT"
    mcid_rows = [
        (str(r.instrument), float(r.points), int(r.direction)) for r in mcid_df.itertuples()
    ]
    spark.createDataFrame(mcid_rows, schema).createOrReplaceTempView("mcid")
    raw: dict[str, pd.DataFrame] = {}
    for name, sql in QUERIES.items():
        frame = spark.sql(sql)
        raw[name] = pd.DataFrame([r.asDict() for r in frame.collect()], columns=frame.columns)
    raw["outcomes"] = outcome_aggregates(raw.pop("outcome_cells"))
    raw["completion"] = completion_rows(raw["completion"])
    return normalise(raw)
