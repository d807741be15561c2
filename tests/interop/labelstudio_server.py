"""A throwaway Label Studio server for the interop test: started from its own venv on 127.0.0.1,
driven through its REST API with the standard library only, stopped by its process group."""

from __future__ import annotations

import json
import os
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from xml.sax.saxutils import quoteattr

from .processes import free_port, process_group

VERSION = "1.23.2"
DEFAULT_VENV = Path.home() / ".cache" / "annotator-interop" / f"ls-{VERSION}"
TOKEN = "annotatorinterop0000000000000000000000000"
START_TIMEOUT_S = 900


class LabelStudio:
    """A running server at ``url`` authenticated with a legacy API token."""

    def __init__(self, url: str, log: Path, started_in_s: float) -> None:
        self.url = url
        self.log = log
        self.started_in_s = started_in_s

    def call(self, method: str, path: str, body: Any = None) -> Any:
        data = None if body is None else json.dumps(body, ensure_ascii=False).encode("utf-8")
        request = urllib.request.Request(self.url + path, data=data, method=method, headers={
            "Authorization": f"Token {TOKEN}", "Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=300) as response:
                return json.loads(response.read().decode("utf-8"))
        except urllib.error.HTTPError as exc:
            raise AssertionError(f"{method} {path}: {exc.code} {exc.read()[:2000]!r}") from None

    def create_project(self, title: str, labels: list[str], relations: list[str] = ()) -> int:
        """A project labelling ``labels`` (and linking with ``relations``, when given)."""
        choices = "".join(f"<Label value={quoteattr(label)}/>" for label in labels)
        links = "".join(f"<Relation value={quoteattr(kind)}/>" for kind in relations)
        config = ((f"<Relations>{links}</Relations>" if links else "")
                  + f'<Labels name="label" toName="text">{choices}</Labels>'
                  '<Text name="text" value="$text"/>')
        config = f"<View>{config}</View>"
        return int(self.call("POST", "/api/projects", {"title": title, "label_config": config})["id"])

    def import_tasks(self, project: int, tasks: list[dict[str, Any]]) -> dict[str, Any]:
        result: dict[str, Any] = self.call("POST", f"/api/projects/{project}/import", tasks)
        return result

    def export_tasks(self, project: int) -> list[dict[str, Any]]:
        tasks: list[dict[str, Any]] = self.call(
            "GET", f"/api/projects/{project}/export?exportType=JSON&download_all_tasks=true")
        return tasks


@contextmanager
def running(venv: Path, data_dir: Path) -> Iterator[LabelStudio]:
    """Start ``label-studio`` from ``venv`` with a fresh ``data_dir``; stop it on exit."""
    port = free_port()
    log = data_dir / "label-studio.log"
    env = {**os.environ, "LABEL_STUDIO_BASE_DATA_DIR": str(data_dir),
           "LABEL_STUDIO_ENABLE_LEGACY_API_TOKEN": "true", "LABEL_STUDIO_DISABLE_SIGNUP_WITHOUT_LINK": "true"}
    command = [str(venv / "bin" / "label-studio"), "start", "--no-browser",
               "--internal-host", "127.0.0.1", "--port", str(port), "--data-dir", str(data_dir),
               "--username", "interop@example.org", "--password", "interop-password-1",
               "--user-token", TOKEN, "--enable-legacy-api-token"]
    started = time.monotonic()
    with process_group(command, env, data_dir, log) as process:
        url = f"http://127.0.0.1:{port}"
        _wait_until_up(url, process, log)
        yield LabelStudio(url, log, time.monotonic() - started)


def _wait_until_up(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"label-studio exited with {process.returncode}:\n"
                                 + log.read_text(errors="replace")[-3000:])
        try:
            with urllib.request.urlopen(url + "/health", timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(2)
    raise AssertionError(f"label-studio did not answer in {START_TIMEOUT_S} s; see {log}")
