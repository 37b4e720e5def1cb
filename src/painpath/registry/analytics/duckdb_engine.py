"""DuckDB engine: the report's SQL over the extract's Parquet files, embedded, the default."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from painpath.registry.analytics.aggregates import Aggregates, normalise
from painpath.registry.analytics.queries import QUERIES, completion_rows
from painpath.registry.analytics.tables import mcid_frame
from painpath.registry.schema import TABLES


def run(data_dir: Path, *, threads: int | None = None) -> Aggregates:
    import duckdb

    con = duckdb.connect(":memory:")
    try:
        if threads is not None:
            con.execute(f"SET threads = {int(threads)}")
        con.execute("SET preserve_insertion_order = false")
        con.execute("SET enable_progress_bar = false")
        for table in TABLES:
            path = str(data_dir / table.filename).replace("'", "''")
            con.execute(f"CREATE VIEW {table.name} AS SELECT * FROM read_parquet('{path}')")
        mcid_df = mcid_frame()
        con.register("mcid", mcid_df)
        raw: dict[str, pd.DataFrame] = {
            name: con.execute(sql).df() for name, sql in QUERIES.items()
        }
    finally:
        con.close()
    raw["completion"] = completion_rows(raw["completion"])
    return normalise(raw)
