"""Scoring throughput: 1,000,000 random complete responses across all instruments, one core.

Target (issue 2): >= 200,000 scores per second. Responses are generated first (not timed), then
scored through the public ``score(code, answers)`` in one loop; the figure is responses / second.
Run: ``.venv/bin/python -m benchmarks.bench_scoring`` (``N=100000`` for a quick run).
"""

from __future__ import annotations

import os
import random
import time

from painpath.clinical.instruments import all_instruments, score


def make_responses(n: int, seed: int = 2012) -> list[tuple[str, list[int]]]:
    """``n`` random complete responses, instruments taken in turn (equal shares)."""
    rng = random.Random(seed)
    instruments = all_instruments()
    out: list[tuple[str, list[int]]] = []
    for k in range(n):
        inst = instruments[k % len(instruments)]
        out.append((inst.code, [rng.choice(item.values) for item in inst.items]))
    return out


def main() -> None:
    n = int(os.environ.get("N", "1000000"))
    responses = make_responses(n)
    started = time.perf_counter()
    for code, answers in responses:
        score(code, answers)
    elapsed = time.perf_counter() - started
    print(f"scored {n:,} responses ({len(all_instruments())} instruments) in {elapsed:.2f} s")
    print(f"throughput: {n / elapsed:,.0f} scores/s (target >= 200,000)")
    per: dict[str, float] = {}
    for inst in all_instruments():
        sample = [a for c, a in responses[: 14 * 20000] if c == inst.code]
        t0 = time.perf_counter()
        for answers in sample:
            score(inst.code, answers)
        per[inst.code] = len(sample) / (time.perf_counter() - t0)
    print("per instrument (scores/s): " + ", ".join(f"{c} {v:,.0f}" for c, v in per.items()))


if __name__ == "__main__":
    main()
