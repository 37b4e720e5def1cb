"""What the registry's report path loads: SciPy's stats package (slow to import) never, pandas
not at all for the modules the researcher web area uses, matplotlib only when drawing (ADR 0089).
Each check runs in a fresh interpreter, so modules imported by other tests do not count."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path


def loaded_after(code: str) -> set[str]:
    script = f"{code}\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))"
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=120
    )
    return set(json.loads(result.stdout.strip().splitlines()[-1]))


def test_computing_and_controlling_every_table_never_imports_scipy_stats_or_matplotlib(
    synthetic: Path,
) -> None:
    modules = loaded_after(
        "from pathlib import Path\n"
        "from painpath.registry.analytics import compute\n"
        "from painpath.registry.analytics.stats import finish\n"
        "from painpath.registry.disclosure_control import control_tables\n"
        f"tables = control_tables(finish(compute(Path({str(synthetic)!r}), 'duckdb')))\n"
        "assert tables['outcomes']['ci_low'].notna().any()"
    )
    assert "scipy.special" in modules  # the t distribution, imported when tables are finished
    assert not {m for m in modules if m.startswith(("scipy.stats", "matplotlib", "statsmodels"))}


def test_importing_the_analytics_does_not_import_scipy() -> None:
    modules = loaded_after(
        "import painpath.registry.analytics, painpath.registry.analytics.stats\n"
        "import painpath.registry.analytics.duckdb_engine, painpath.registry.report"
    )
    assert not {m for m in modules if m.startswith(("scipy", "matplotlib"))}


def test_manifest_and_disclosure_rules_load_without_pandas_or_numpy() -> None:
    modules = loaded_after(
        "import painpath.registry.published, painpath.registry.disclosure_control"
    )
    assert not {m for m in modules if m.split(".")[0] in ("pandas", "numpy", "django")}
