"""A team labelling one server project at once: throughput, latency, nothing lost (printed, not asserted).

Run: ``python bench/bench_team.py``                                   the whole issue-14 bench
     ``python bench/bench_team.py --users 1 --users 10 --seconds 20``  shorter
     ``python bench/bench_team.py --only paced --target news.db``      any project, file or URL
(``BENCH_QUICK=1``: 2,000 articles, 15 s runs, 1 and 5 users.)

Without ``--target`` the bench starts its OWN throwaway PostgreSQL cluster (``initdb`` in a
temporary folder, a unix socket there, no TCP; ``fsync`` ON like a real server, unlike the test
cluster) and creates a project holding ``--articles`` generated Arabic articles (~80 words each)
through the store's ``insert_article`` in one transaction, printing how long that took.

Each simulated annotator is a SEPARATE PROCESS (``bench/team_load.py``) with its own session,
acting like a fast human: an action every 1-3 s at random (add a span, relabel, delete, undo,
done -> claim the next article), for ``--seconds``. Printed per run: actions per second; p50 /
p95 / p99 of add-span and of claim-next (milliseconds, the core call as the desk makes it, claim
including reading the claimed article); lost and duplicated actions (each process logs what the
core acknowledged; afterwards the store must hold exactly the replay of those logs, per user);
articles claimed by two users at once (must be 0).

Runs (``--only`` picks some): ``paced`` at each ``--users`` (1, 10, 50); ``saturation``: the same
actions with no pauses by ``--busy-users`` processes, on the server AND on a project file holding
the same articles (the ceiling in actions/s, and their ratio); ``restart``: a paced run at the
largest user count with ``pg_ctl restart -m immediate`` half-way, after which every acknowledged
action must be present. The machine's load (``os.getloadavg``) is printed before each run.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from annotator.project import Project  # noqa: E402
from bench.team_cluster import Cluster  # noqa: E402
from bench.team_report import RunResult, summarise, table  # noqa: E402

BENCH = Path(__file__).resolve().parent
QUICK = bool(os.environ.get("BENCH_QUICK"))
WORDS = (
    "قال المتحدث باسم الحكومة إن الوزير التقى في دمشق وفدا من الأمم المتحدة لبحث الوضع في المنطقة "
    "وأضاف أن القوات انسحبت من المدينة بعد اشتباكات استمرت ثلاثة أيام وأكدت مصادر محلية سقوط قتلى "
    "في القاهرة وبغداد والرياض أعلنت الشركة عن أرباح بلغت مليون دولار خلال العام الماضي"
).split()


def article_text(i: int, words: int = 80) -> str:
    """A deterministic pseudo-random Arabic text for article ``i`` (no marks, single spaces)."""
    state = i * 2654435761 % 2**32
    picked = []
    for _ in range(words):
        state = (state * 1103515245 + 12345) % 2**31
        picked.append(WORDS[state % len(WORDS)])
    return " ".join(picked) + "."


def load(target: str, articles: int) -> float:
    """Create the project at ``target`` holding ``articles`` generated articles; seconds taken.

    Through the store's own ``insert_article`` (search keys included), one transaction: the
    same path an import takes, minus reading and decoding files.
    """
    from annotator.text.normalize import search_key

    began = time.perf_counter()
    with Project.create(target) as project:
        store = project.store
        with store.transaction():
            store.prepare_bulk_insert()
            for i in range(1, articles + 1):
                text = article_text(i)
                title = " ".join(text.split()[:5])
                store.insert_article(
                    doc_id=f"n{i:07d}", title=title, text=text, meta={}, content_hash=f"h{i}",
                    source_path="bench", title_key=search_key(title), text_key=search_key(text),
                )
    return time.perf_counter() - began


def run(target: str, tag: str, users: int, seconds: float, pace: bool,
        cluster: Cluster | None = None, restart_at: float | None = None,
        folder: Path | None = None) -> RunResult:
    """One run of ``users`` worker processes; their logs replayed and checked against the store.

    Users are named ``<tag><stamp>u<k>`` so every run checks only its own layers.
    ``folder`` keeps the logs (default: a temporary folder, or ``$BENCH_TEAM_LOGS``).
    """
    if folder is None:
        if os.environ.get("BENCH_TEAM_LOGS"):  # keep the workers' logs for a post-mortem
            return run(target, tag, users, seconds, pace, cluster, restart_at,
                       Path(tempfile.mkdtemp(prefix=f"{tag}-", dir=os.environ["BENCH_TEAM_LOGS"])))
        with tempfile.TemporaryDirectory(prefix="bench-team-") as tmp:
            return run(target, tag, users, seconds, pace, cluster, restart_at, Path(tmp))
    go = folder / "go"
    stamp = f"{int(time.time() * 10) % 46656:x}"  # a reused target holds older runs' layers
    logs = [folder / f"{tag}{stamp}u{k:02d}.jsonl" for k in range(users)]
    places = logins(target, [log.stem for log in logs])
    procs = [
        subprocess.Popen(
            [sys.executable, str(BENCH / "team_load.py"), place, log.stem, str(log), str(go),
             str(seconds), "1" if pace else "0", f"{tag}{k}"],
            cwd=BENCH.parent, stderr=subprocess.PIPE, text=True,
        )
        for k, (log, place) in enumerate(zip(logs, places))
    ]
    _wait_ready(logs, procs)
    load_avg = os.getloadavg()[0]
    start = time.time() + 0.5
    go.write_text(repr(start))
    restarted = None
    if restart_at is not None and cluster is not None:
        time.sleep(max(0.0, start + restart_at - time.time()))
        restarted = cluster.restart_immediate()
    errors = [p.communicate()[1] for p in procs]
    failed = [(e.strip().splitlines() or ["?"])[-1] for p, e in zip(procs, errors) if p.returncode]
    lines = [dict(json.loads(x), user=log.stem) for log in logs for x in log.read_text().splitlines()]
    lost, duplicated = check(target, logs)
    return summarise(tag, users, seconds, pace, lines, lost, duplicated, load_avg, failed, restarted)


def logins(target: str, names: list[str]) -> list[str]:
    """Where each user connects: the project file itself; on a server with logins (pg-security,
    ADR 0006), their OWN login, made as ``annotator users URL --add NAME --role annotator
    --password-stdin`` makes it, so row-level security applies to every worker as to a person.
    A server project without logins: the owner's URL, the user named by the session."""
    from annotator.store import is_server_url
    from annotator.team import members

    if not is_server_url(target):
        return [target] * len(names)
    with Project.open(target) as project:
        if getattr(project.store, "logins", None) is None:
            return [target] * len(names)
        owner = urlsplit(target)
        admin = dict(parse_qsl(owner.query)).get("user") or owner.username or ""
        places = []
        for name in names:
            password = secrets.token_hex(12)
            members.add_user(members.acting_session(project, admin), name, "annotator", password)
            query = [(k, v) for k, v in parse_qsl(owner.query) if k not in ("user", "password")]
            url = urlunsplit(owner._replace(query=urlencode([*query, ("user", name), ("password", password)])))
            places.append(url if owner.netloc else url.replace(":", "://", 1))  # keep '///' of a socket URL
    return places


def _wait_ready(logs: list[Path], procs: list[subprocess.Popen[str]]) -> None:
    while not all(log.exists() and log.stat().st_size for log in logs):
        dead = [p for p in procs if p.poll() is not None]
        if dead:
            raise SystemExit(f"a worker died before starting: {dead[0].communicate()[1].strip()}")
        time.sleep(0.1)


def _replay(logs: list[Path]) -> Counter[tuple[str, int, int, int, str]]:
    """What the store must hold: every acknowledged (or resolved) delta of every user, replayed."""
    held: Counter[tuple[str, int, int, int, str]] = Counter()
    for log in logs:
        for raw in log.read_text().splitlines():
            line = json.loads(raw)
            for key in line.get("plus", []):
                held[(log.stem, *key)] += 1
            for key in line.get("minus", []):
                held[(log.stem, *key)] -= 1
    return +held


def check(target: str, logs: list[Path]) -> tuple[int, int]:
    """(lost, duplicated): spans acknowledged but absent, and present but never acknowledged."""
    expected = _replay(logs)
    found = _stored(target, [log.stem for log in logs])
    return sum((expected - found).values()), sum((found - expected).values())


def _stored(target: str, users: list[str]) -> Counter[tuple[str, int, int, int, str]]:
    """Every span of these users' layers in the store, as (user, article, start, end, label)."""
    found: Counter[tuple[str, int, int, int, str]] = Counter()
    with Project.open(target, read_only=True) as project:
        store = project.store
        for user in users:
            for article in store.articles_of_layer(user):
                for s in store.spans(article, [user]):
                    found[(user, article, s.start, s.end, s.label)] += 1
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--target", help="a project file or postgresql:// URL that already holds articles")
    parser.add_argument("--articles", type=int, default=2_000 if QUICK else 100_000)
    parser.add_argument("--seconds", type=float, default=15.0 if QUICK else 60.0)
    parser.add_argument("--users", type=int, action="append", help="paced user counts (1, 10, 50)")
    parser.add_argument("--busy-users", type=int, default=4, help="processes in the saturation run")
    parser.add_argument("--only", action="append", choices=("paced", "saturation", "restart"))
    args = parser.parse_args()
    users = args.users or ([1, 5] if QUICK else [1, 10, 50])
    only = set(args.only or ("paced", "saturation", "restart"))
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f} at start")
    with tempfile.TemporaryDirectory(prefix="bench-team-") as tmp:
        cluster = None if args.target else Cluster(Path(tmp) / "pg")
        file_target = str(Path(tmp) / "file.db")
        try:
            target = args.target or _server_project(cluster, args.articles, file_target)  # type: ignore[arg-type]
            results = _runs(target, cluster, users, args, only, file_target)
        finally:
            if cluster is not None:
                cluster.stop()
    print(table(results))


def _server_project(cluster: Cluster, articles: int, file_target: str) -> str:
    """The server project: the articles loaded into a project file (which the saturation run
    needs anyway), then ``annotator copy``'s path to the server (executemany, pipelined, one
    transaction): ~4x faster here than one ``insert_article`` round trip per article."""
    from annotator.copying import copy_project

    url = cluster.start()
    target = cluster.create_database("bench")
    print(f"cluster: {url} (fsync on)")
    took = load(file_target, articles)
    print(f"loaded {articles:,} articles into a project file in {took:.1f} s")
    began = time.perf_counter()
    copy_project(file_target, target)
    print(f"copied them to the server project in {time.perf_counter() - began:.1f} s", flush=True)
    return target


def _runs(target: str, cluster: Cluster | None, users: list[int], args: argparse.Namespace,
          only: set[str], file_target: str) -> list[RunResult]:
    results: list[RunResult] = []

    def once(*a: object, **kw: object) -> RunResult:
        result = run(*a, **kw)  # type: ignore[arg-type]
        print(result.line(), flush=True)
        return result

    if "paced" in only:
        for n in users:
            results.append(once(target, f"p{n}", n, args.seconds, True))
    if "saturation" in only:
        server = once(target, "s", args.busy_users, args.seconds, False)
        results.append(server)
        if not Path(file_target).exists():
            took = load(file_target, args.articles)
            print(f"loaded {args.articles:,} articles into a project file in {took:.1f} s")
        on_file = once(file_target, "f", args.busy_users, args.seconds, False)
        on_file.note = f"project file; server/file = {server.rate / max(on_file.rate, 1e-9):.2f}"
        results.append(on_file)
    if "restart" in only and cluster is not None:
        n = max(users)
        results.append(once(target, "r", n, args.seconds, True, cluster=cluster,
                            restart_at=args.seconds / 2))
    return results


if __name__ == "__main__":
    main()
