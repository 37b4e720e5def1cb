"""Spark engine: the same SQL as DuckDB on Apache Spark, for a registry beyond one machine.

Optional (``pip install painpath[spark]``). Runs in local mode unless a master is configured
(``PAINPATH_SPARK_MASTER``). A session is reused within one process.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import pandas as pd

from painpath.registry.analytics.aggregates import Aggregates, normalise
from painpath.registry.analytics.queries import QUERIES, completion_rows
from painpath.registry.analytics.tables import mcid_frame
from painpath.registry.schema import TABLES


class SparkUnavailable(ImportError):
    """PySpark (or Java) is not installed."""


def _check_java() -> None:
    """Find Java as Spark's launcher does (JAVA_HOME first, else PATH) before starting it, so a
    missing Java is one clear line rather than the launcher's own errors."""
    home = os.environ.get("JAVA_HOME")
    if home:
        if not os.access(Path(home) / "bin" / "java", os.X_OK):
            raise SparkUnavailable(
                f"--engine spark needs Java 17+: JAVA_HOME={home} has no bin/java"
            )
    elif shutil.which("java") is None:
        raise SparkUnavailable("--engine spark needs Java 17+: no java on PATH (or set JAVA_HOME)")


def session(threads: int | None = None) -> Any:
    """A Spark session (local[threads] by default), created once per process.

    Raises ``SparkUnavailable`` (one line for the user) when PySpark is not installed or the
    Java gateway cannot start (no Java, or a JAVA_HOME without one).
    """
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        raise SparkUnavailable(
            "--engine spark needs PySpark: pip install 'painpath[spark]' (and Java 17+)"
        ) from None
    _check_java()
    master = os.environ.get("PAINPATH_SPARK_MASTER", f"local[{threads or '*'}]")
    try:
        return (
            SparkSession.builder.master(master)
            .appName("painpath-registry")
            .config("spark.ui.enabled", "false")
            .config("spark.sql.shuffle.partitions", "4")
            .config("spark.sql.session.timeZone", "UTC")
            .config("spark.driver.extraJavaOptions", "-Dlog4j2.level=ERROR")
            .getOrCreate()
        )
    except Exception as exc:  # PySparkRuntimeError, OSError, ...: the JVM did not start
        raise SparkUnavailable(
            f"--engine spark could not start Spark ({type(exc).__name__}); it needs Java 17+ "
            "on PATH or in JAVA_HOME"
        ) from None


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
    raw["completion"] = completion_rows(raw["completion"])
    return normalise(raw)
