"""Run every ``bench/bench_*.py`` in its own process and print one table of what they printed.

Each script prints its own figures; this runner shows them under the script's name, then a
summary table (status, wall time, peak RSS of the script's own process) in Markdown, ready for the README.
Scripts are found by name, so a new ``bench_*.py`` is picked up without editing this file.

Run: ``python bench/run_all.py``            every script at its full size
     ``python bench/run_all.py --quick``    sets BENCH_QUICK=1: scripts that honour it run small
     ``python bench/run_all.py --only crash --only ratios``
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

BENCH = Path(__file__).resolve().parent


@dataclass
class Outcome:
    name: str
    status: str
    seconds: float
    peak_mb: float
    output: str


def scripts(only: list[str]) -> list[Path]:
    found = sorted(BENCH.glob("bench_*.py"))
    if only:
        found = [p for p in found if any(o in p.stem for o in only)]
    return found


def run_script(path: Path, timeout: float, quick: bool) -> Outcome:
    """Run one script; its own peak RSS comes from wait4 (grandchildren not included)."""
    env = dict(os.environ, PYTHONUNBUFFERED="1", QT_QPA_PLATFORM="offscreen")
    if quick:
        env["BENCH_QUICK"] = "1"
    started = time.perf_counter()
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        proc = subprocess.Popen(
            [sys.executable, str(path)], stdout=out, stderr=err, env=env, cwd=BENCH.parent
        )
        timer = threading.Timer(timeout, proc.kill)
        timer.start()
        _, wait_status, usage = os.wait4(proc.pid, 0)
        timer.cancel()
        code = os.waitstatus_to_exitcode(wait_status)
        proc.returncode = code  # reaped here, so Popen must not wait for it again
        seconds = time.perf_counter() - started
        out.seek(0)
        err.seek(0)
        output, errors = out.read(), err.read()
    status = (
        "ok" if code == 0 else (f"killed after {timeout:.0f} s" if code == -9 else f"exit {code}")
    )
    if code:
        output += f"\n[stderr]\n{errors.strip()[-2000:]}"
    return Outcome(path.stem, status, seconds, usage.ru_maxrss / 1024, output.rstrip())


def table(outcomes: list[Outcome]) -> str:
    lines = ["| script | status | wall s | peak RSS MB |", "|---|---|---:|---:|"]
    for o in outcomes:
        lines.append(f"| {o.name} | {o.status} | {o.seconds:.1f} | {o.peak_mb:.0f} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="set BENCH_QUICK=1 for the scripts")
    parser.add_argument(
        "--only",
        action="append",
        default=[],
        metavar="NAME",
        help="run only scripts whose name contains NAME (repeatable)",
    )
    parser.add_argument("--timeout", type=float, default=3 * 3600, help="seconds per script")
    args = parser.parse_args(argv)
    outcomes = []
    for path in scripts(args.only):
        print(f"## {path.stem}", flush=True)
        outcome = run_script(path, args.timeout, args.quick)
        print(outcome.output or "(no output)", flush=True)
        print(flush=True)
        outcomes.append(outcome)
    print(
        f"## summary — {date.today().isoformat()}, {platform.node() or 'machine'}: "
        f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}" + (" (quick)" if args.quick else "")
    )
    print(table(outcomes))
    return 0 if all(o.status == "ok" for o in outcomes) else 1


if __name__ == "__main__":
    sys.exit(main())
