"""Run every benchmark in this folder (`make bench`).

Each ``bench_*.py`` module has a ``main()`` that prints its figures; record them in
docs/benchmarks.md with the machine, the date and the command. Benchmarks are never timed tests.
Run one with ``python -m benchmarks.bench_<name>``; ``make bench BENCH=scoring`` runs one.
"""

from __future__ import annotations

import importlib
import os
import pkgutil
import sys
import time

import benchmarks


def main() -> int:
    only = os.environ.get("BENCH", "")
    names = sorted(
        m.name
        for m in pkgutil.iter_modules(benchmarks.__path__)
        if m.name.startswith("bench_") and (not only or m.name == f"bench_{only}")
    )
    if not names:
        print(f"no benchmark matches {only!r}", file=sys.stderr)
        return 2
    for name in names:
        print(f"\n=== {name} ===", flush=True)
        started = time.perf_counter()
        importlib.import_module(f"benchmarks.{name}").main()
        print(f"--- {name} finished in {time.perf_counter() - started:.1f} s", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
