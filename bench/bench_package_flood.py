"""A package flooded with rows: how long, and how much memory, before merge refuses it.

An attacker's package holds N tiny valid-looking spans (default 10,000,000: a 1 GB file). Merge
must refuse it without reading the rows: a count over each table is the first thing it asks
after the layout (``annotator.store.package_file.MAX_ROWS``). Prints the file size, the seconds
to the refusal and the process's peak RSS.

Run: ``python bench/bench_package_flood.py [--rows 10000000]``
"""

from __future__ import annotations

import argparse
import resource
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from annotator.errors import AnnotatorError
from annotator.team.packages import merge
from tests.core.package_kit import labelled_package, packing_team


def flood(path: Path, rows: int) -> None:
    """Add ``rows`` spans of one character to article 1 of the package, with plain SQLite."""
    conn = sqlite3.connect(path)
    conn.execute(
        'INSERT INTO spans (article_id, start, "end", label, text, annotator)'
        f" WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k WHERE i < {int(rows)})"
        " SELECT 1, 1000 + i, 1001 + i, 'LOCATION', 'x', 'mona' FROM k"
    )
    conn.commit()
    conn.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        with packing_team(root / "news.db") as project:
            out = labelled_package(project, root / "mona.annot")
            flood(out, args.rows)
            print(f"package: {args.rows:,} extra spans, {out.stat().st_size / 1e6:,.0f} MB")
            began = time.perf_counter()
            try:
                merge(project.session("sara"), out)
                outcome = "merged"
            except AnnotatorError as exc:
                outcome = f"refused: {str(exc).split(': ', 1)[1]}"
            seconds = time.perf_counter() - began
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{outcome}\nmerge: {seconds:.2f} s, peak RSS {peak:.0f} MB")


if __name__ == "__main__":
    main()
