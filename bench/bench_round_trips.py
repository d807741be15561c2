"""Round trips and statements per user action against a server project, counted on the wire.

    python bench/bench_round_trips.py "$ANNOTATOR_TEST_PG"        # any superuser unix-socket URL

Why a count and not a time: on a loaded machine each round trip waits for a core on both sides,
so the round trips of an action set its latency tail (docs/performance.md#team). The actions are
the core calls the team bench times (``bench/team_load.py``), on an article the desk has already
opened: add-span, relabel, delete, undo (of that delete), and claim-next (mark the article done,
claim the next one and read it). Counted by :mod:`bench.pg_wire`; a fresh database is made and
dropped. ``tests/core/test_pg_round_trips.py`` asserts the same counts.
"""

from __future__ import annotations

import sys
import tempfile
import uuid
from collections.abc import Callable
from pathlib import Path

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from annotator.project import Project, Session  # noqa: E402
from bench.bench_team import article_text  # noqa: E402
from bench.pg_wire import Counts, WireCounter  # noqa: E402
from bench.team_load import Annotator  # noqa: E402
from tests.conftest import pg_database_url  # noqa: E402

ACTIONS = ("add-span", "relabel", "delete", "undo", "claim-next")


def prepare(url: str, articles: int = 5) -> None:
    """A new server project at ``url`` (an empty database) holding ``articles`` articles."""
    from annotator.text.normalize import search_key

    with Project.create(url) as project, project.store.transaction():
        for i in range(1, articles + 1):
            text = article_text(i, words=20)
            project.store.insert_article(
                doc_id=f"n{i}", title=f"t{i}", text=text, meta={}, content_hash=f"h{i}",
                source_path="bench", title_key=search_key(f"t{i}"), text_key=search_key(text))


def measure(url: str, folder: Path, user: str = "ali") -> dict[str, Counts]:
    """What each action sends through a relay to ``url`` (a prepared project), by name."""
    counter = WireCounter(url, folder)
    try:
        with Project.open(counter.url) as project:
            worker = Annotator(project.session(user), _Discard(), __import__("random").Random(7))
            worker.next_article()  # the desk opened an article: it has read it
            counted: dict[str, Counts] = {}

            def count(name: str, action: Callable[[], object]) -> None:
                with counter.counting() as counts:
                    action()
                counted[name] = counts

            session: Session = worker.session
            article = worker.article
            start, end = worker.words[0][0], worker.words[1][1]
            span = session.add_span(article, worker.words[3][0], worker.words[3][1], "PERSON")
            count("add-span", lambda: session.add_span(article, start, end, "PERSON"))
            count("relabel", lambda: session.relabel_span(article, int(span.id or 0), "LOCATION"))
            count("delete", lambda: session.remove_span(article, int(span.id or 0)))
            count("undo", lambda: session.undo(article))
            count("claim-next", worker.next_article)
            return counted
    finally:
        counter.close()


class _Discard:
    """The worker's log, thrown away (it only needs ``write`` and ``flush``)."""

    def write(self, text: str) -> int:
        return len(text)

    def flush(self) -> None:
        pass


def main() -> None:
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    admin = sys.argv[1]
    name = "rt_" + uuid.uuid4().hex[:12]
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        url = pg_database_url(admin, name)
        prepare(url)
        with tempfile.TemporaryDirectory(prefix="wire-") as tmp:
            counted = measure(url, Path(tmp))
        print(f"{'action':<12} {'round trips':>11} {'statements':>10}  statements in order")
        for action in ACTIONS:
            c = counted[action]
            print(f"{action:<12} {c.trips:>11} {c.statements:>10}  {' '.join(c.kinds)}"
                  + (f"  (+{c.connects} new connection)" if c.connects else ""))
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    main()
