"""Bad input at volume: 10,000+ generated files through read_paths + import_documents.

Each case must import, or end in an AnnotatorError with the project unchanged (see
``tests/core/fuzz_kit.py``). Unexpected exceptions are collected (not stopped at) and printed by
where they were raised, so one run lists every reader bug.

Run: ``python bench/bench_fuzz_readers.py [--cases 10000] [--seed 0]`` (``BENCH_QUICK=1``: 1,200)
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
import traceback
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from hypothesis import HealthCheck, given, seed, settings

from annotator.project import Project
from tests.core import fuzz_kit
from tests.core.fuzz_kit import Case, Tally, run_case


def fuzz(cases: int, seed_value: int) -> tuple[Tally, Counter[str], dict[str, Case], float]:
    tally = Tally()
    bugs: Counter[str] = Counter()
    examples: dict[str, Case] = {}
    with tempfile.TemporaryDirectory() as folder:
        project_path = Path(folder) / "news.db"
        inputs = Path(folder) / "in"
        inputs.mkdir()
        with Project.create(project_path) as project:

            def one(case: Case) -> None:
                try:
                    run_case(project, inputs, case, tally)
                except Exception as exc:  # noqa: BLE001 - the bugs this script looks for
                    frame = traceback.extract_tb(exc.__traceback__)[-1]
                    where = f"{type(exc).__name__} at {Path(frame.filename).name}:{frame.lineno}"
                    bugs[where] += 1
                    examples.setdefault(where, case)

            started = time.perf_counter()
            # Each kind gets its share: one_of alone lets hypothesis favour some branches.
            per_kind = -(-cases // len(fuzz_kit.KINDS))
            for strategy in fuzz_kit.KINDS.values():
                seed(seed_value)(
                    settings(
                        max_examples=per_kind,
                        deadline=None,
                        database=None,
                        suppress_health_check=list(HealthCheck),
                    )(given(case=strategy)(one))
                )()
            elapsed = time.perf_counter() - started
    return tally, bugs, examples, elapsed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--cases", type=int, default=1_200 if os.environ.get("BENCH_QUICK") else 10_000
    )
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    tally, bugs, examples, elapsed = fuzz(args.cases, args.seed)
    total = tally.total + sum(bugs.values())
    print(f"fuzz_readers: {total:,} cases in {elapsed:.1f} s ({total / elapsed:,.0f}/s)")
    print(f"  imported cleanly        {tally.imported:>7,}")
    for name, n in tally.errors.most_common():
        print(f"  {name:<24}{n:>7,}")
    inputs = sum(n for name, n in tally.errors.items() if name == "InputError")
    if inputs:
        print(
            f"  InputErrors naming the file {tally.located:,}/{inputs:,}, with a line {tally.with_line:,}"
        )
    print("  cases by kind: " + ", ".join(f"{k} {n:,}" for k, n in sorted(tally.by_kind.items())))
    print(f"  unexpected exceptions   {sum(bugs.values()):>7,}")
    for where, n in bugs.most_common():
        case = examples[where]
        print(
            f"    {n:>5} x {where}  e.g. {case.kind} {case.name} format={case.format} "
            f"encoding={case.encoding}: {case.data[:120]!r}"
        )
    return 1 if bugs else 0


if __name__ == "__main__":
    sys.exit(main())
