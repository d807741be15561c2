"""Start a child (see ``crash_child.py``), SIGKILL it at a random moment, then check the promises.

Shared by ``tests/core/test_crash.py`` (forked children: no interpreter start-up, so a dozen
kills take seconds) and ``bench/bench_crash.py`` (fresh interpreters, 50+ kills).
"""

from __future__ import annotations

import json
import os
import random
import select
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from annotator.backup import integrity_problems
from annotator.errors import ProjectError
from annotator.project import Project
from tests.core import crash_child

CHILD_SCRIPT = Path(crash_child.__file__).resolve()
READY_TIMEOUT_S = 20.0


@dataclass
class Kill:
    """What one killed child acknowledged before it died."""

    lines: list[str] = field(default_factory=list)
    ready: bool = False
    alive_s: float = 0.0

    @property
    def acknowledged(self) -> list[str]:
        return [line for line in self.lines if line != "ready"]


def run_and_kill(mode: str, path: Path, seed: int, max_delay_s: float, *, fork: bool) -> Kill:
    """Run ``mode`` in a child, wait for ``ready``, SIGKILL after a random delay up to ``max_delay_s``."""
    delay = random.Random(seed).uniform(0.0, max_delay_s)
    if fork and hasattr(os, "fork"):
        read_fd, write_fd = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: work until killed, never return into the caller's code
            os.close(read_fd)
            try:
                crash_child.MODES[mode](path, crash_child.pipe_reporter(write_fd), seed)
            finally:
                os._exit(1)
        os.close(write_fd)
        kill = _watch(read_fd, lambda: os.kill(pid, signal.SIGKILL), delay)
        os.waitpid(pid, 0)
        os.close(read_fd)
        return kill
    proc = subprocess.Popen(
        [sys.executable, str(CHILD_SCRIPT), mode, str(path), str(seed)], stdout=subprocess.PIPE
    )
    assert proc.stdout is not None
    kill = _watch(proc.stdout.fileno(), proc.kill, delay)
    proc.wait()
    proc.stdout.close()
    return kill


def _watch(fd: int, kill_now: object, delay: float) -> Kill:
    """Read the child's reports; kill it ``delay`` seconds after it said ``ready``."""
    result, buffer = Kill(), b""
    started = time.monotonic()
    deadline = started + READY_TIMEOUT_S
    while True:
        timeout = max(0.0, deadline - time.monotonic())
        readable, _, _ = select.select([fd], [], [], timeout)
        if not readable:
            break
        chunk = os.read(fd, 65536)
        if not chunk:
            break
        buffer += chunk
        if not result.ready and b"ready\n" in buffer:
            result.ready = True
            deadline = time.monotonic() + delay
    kill_now()  # type: ignore[operator]
    result.alive_s = time.monotonic() - started
    while chunk := os.read(fd, 65536):  # what it wrote before dying is still in the pipe
        buffer += chunk
    # A line cut in half by the kill was never a complete acknowledgement.
    complete = buffer[: buffer.rfind(b"\n") + 1].decode()
    result.lines = complete.splitlines()
    return result


# --- checks after a kill ---------------------------------------------------------------------


def check_labels(path: Path, acknowledged: list[str], user: str = "mona") -> list[str]:
    """Problems after a kill: integrity, a missing acknowledged span, a half-written action."""
    problems = integrity_problems(path, full=True)
    if problems:
        return problems
    with Project.open(path) as project:
        store = project.store
        for line in acknowledged:
            span_id, article, start, end, label = line.split()
            try:
                owner, span = store.span(int(span_id))
            except ProjectError:
                problems.append(f"acknowledged span {span_id} is missing")
                continue
            if (owner, span.start, span.end, span.label) != (
                int(article),
                int(start),
                int(end),
                label,
            ):
                problems.append(f"span {span_id} changed: {span}")
        # Every add_span writes one span and one history entry in one transaction: equal counts
        # mean no action was half-written (a span without its undo entry or the reverse).
        spans = sum(n for who, _, n in store.span_counts_by("annotator") if who == user)
        actions = int(
            store.db.execute("SELECT count(*) FROM history WHERE user = ?", [user]).fetchone()[0]
        )
        if spans != actions:
            problems.append(f"{spans} spans but {actions} undo entries: an action was half-written")
    return problems


def check_import(path: Path, before: int, acknowledged: list[str]) -> tuple[list[str], int]:
    """Problems after killing an importer: only whole batches, at least the acknowledged ones."""
    problems = integrity_problems(path, full=True)
    if problems:
        return problems, before
    with Project.open(path) as project:
        articles = project.store.count("articles")
        searchable = int(
            project.store.db.execute("SELECT count(*) FROM article_search").fetchone()[0]
        )
    added = articles - before
    batches, partial = divmod(added, crash_child.IMPORT_BATCH)
    if partial:
        problems.append(
            f"partial import: {added} articles added, not a multiple of {crash_child.IMPORT_BATCH}"
        )
    if not len(acknowledged) <= batches <= len(acknowledged) + 1:
        problems.append(f"{batches} batches stored but {len(acknowledged)} acknowledged")
    if searchable != articles:
        problems.append(f"{articles} articles but {searchable} search rows")
    return problems, articles


def check_export(target: Path, acknowledged: list[str]) -> list[str]:
    """The final name holds nothing (before the first export) or one complete export."""
    if not target.exists():
        return [f"{target} vanished after {acknowledged[-1]}"] if acknowledged else []
    text = target.read_text(encoding="utf-8")
    last_line = text[text.rstrip("\n").rfind("\n") + 1 :]
    if not last_line.startswith("END "):
        return [f"{target} is truncated ({len(text)} characters)"]
    version = int(last_line.split()[1])
    if text != crash_child.export_body(version):
        return [f"{target} does not hold export {version} exactly"]
    if acknowledged and version < int(acknowledged[-1].split()[1]):
        return [f"{target} holds export {version}, older than the acknowledged {acknowledged[-1]}"]
    return []


def check_project_exports(folder: Path, articles: int) -> list[str]:
    """``out.jsonl``/``out.conll`` hold nothing yet or every article: never a cut-off export."""
    problems = []
    jsonl_path, conll_path = folder / "out.jsonl", folder / "out.conll"
    if jsonl_path.exists():
        lines = jsonl_path.read_text(encoding="utf-8").split("\n")
        try:
            records = [json.loads(line) for line in lines[:-1]]
        except json.JSONDecodeError as exc:
            return [f"{jsonl_path}: a broken line ({exc})"]
        if lines[-1] != "" or len(records) != articles:
            problems.append(f"{jsonl_path}: {len(records)} of {articles} articles")
    if conll_path.exists():
        text = conll_path.read_text(encoding="utf-8")
        documents = text.count(crash_child.DOCSTART_LINE)
        if documents != articles or not text.endswith("\n\n"):
            problems.append(f"{conll_path}: {documents} of {articles} documents")
    return problems


def check_merge(path: Path, digests: dict[str, str], acknowledged: list[str]) -> list[str]:
    """Problems after killing a merger: mona's layer is one whole merge's result, ali's never
    changes, and the packages were never written."""
    import hashlib

    problems = integrity_problems(path, full=True)
    if problems:
        return problems
    for name, digest in digests.items():
        if hashlib.sha256(path.with_name(name).read_bytes()).hexdigest() != digest:
            problems.append(f"{name} was written by a merge")
    with Project.open(path) as project:
        store = project.store
        layers: dict[str, set[tuple[int, int, int, str]]] = {"mona": set(), "ali": set()}
        expected: dict[str, set[tuple[int, int, int, str]]] = {"a": set(), "b": set(), "ali": set()}
        for article in store.iter_articles():
            for span in store.spans(article.id, ["mona", "ali"]):
                layers[span.annotator].add((article.id, *span.key))
            for which in ("a", "b"):
                expected[which] |= {
                    (article.id, *key) for key in crash_child.merge_spans(article.text, which)
                }
            expected["ali"].add((article.id, 0, len("قال"), "EVENT"))
    whole = {"as packed": expected["a"], "after b": expected["b"],
             "after a": expected["a"] | expected["b"]}
    state = next((name for name, spans in whole.items() if layers["mona"] == spans), None)
    if state is None:
        problems.append(f"mona's layer holds {len(layers['mona'])} spans: not one whole merge")
    elif acknowledged and state == "as packed":
        problems.append(f"{acknowledged[-1]} was acknowledged but mona's layer is as packed")
    if layers["ali"] != expected["ali"]:
        problems.append("ali's layer changed")
    return problems


def check_rename(path: Path, acknowledged: list[str], before_versions: int) -> tuple[list[str], int]:
    """After killing ``schema --rename``: the schema names one of the two labels, every span
    carries that name (never half renamed), and each acknowledged rename is a schema version."""
    problems = integrity_problems(path, full=True)
    if problems:
        return problems, before_versions
    with Project.open(path) as project:
        names = set(project.schema.names)
        versions = project.schema.version
        labels = set(project.store.label_counts())
    current = [name for name in crash_child.RENAMES if name in names]
    if len(current) != 1:
        problems.append(f"the schema holds {current} of {crash_child.RENAMES}")
    stale = labels & set(crash_child.RENAMES) - set(current)
    if stale:
        problems.append(f"spans still labelled {sorted(stale)} after the schema renamed it")
    done = versions - before_versions
    if not len(acknowledged) <= done <= len(acknowledged) + 1:
        problems.append(f"{done} renames stored but {len(acknowledged)} acknowledged")
    return problems, versions


def check_restore(path: Path, acknowledged: list[str]) -> list[str]:
    """After killing ``restore``: a sound project is always there, holding the old or the new
    backup (the last acknowledged, or the one in flight), never nothing or a mixture."""
    if not path.exists():
        return [f"{path} is gone: a kill during restore left no project"]
    problems = integrity_problems(path, full=True)
    if problems:
        return problems
    with Project.open(path) as project:
        articles = project.store.count("articles")
    if articles not in crash_child.RESTORE_SIZES:
        return [f"{path} holds {articles} articles, neither backup"]
    return []
