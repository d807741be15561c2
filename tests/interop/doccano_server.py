"""A throwaway doccano 1.8.4 (web server + celery task queue) for the interop test, from its own
venv, driven through its REST API with the standard library only.

doccano 1.8.4 from PyPI does not start as released: its unpinned ``environs`` meets marshmallow
4 (no ``__version_info__``) and its pandas 1.5 meets numpy 2; ``scripts/interop.sh`` installs it
with ``marshmallow<4`` and ``numpy<2``. Its ``webserver`` command binds 0.0.0.0 (no option to
change it); the test talks to it on 127.0.0.1 and stops it within the minute.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import time
import urllib.error
import urllib.request
import uuid
import zipfile
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

from .processes import free_port, process_group

VERSION = "1.8.4"
DEFAULT_VENV = Path.home() / ".cache" / "annotator-interop" / f"doccano-{VERSION}"
PASSWORD = "interop-password-1"


class Doccano:
    def __init__(self, url: str, token: str, started_in_s: float) -> None:
        self.url, self.token, self.started_in_s = url, token, started_in_s

    def call(self, method: str, path: str, body: Any = None, *, raw: bytes | None = None,
             content_type: str = "application/json") -> bytes:
        data = raw if raw is not None else (None if body is None else json.dumps(body).encode())
        headers = {"Content-Type": content_type}
        if self.token:
            headers["Authorization"] = f"Token {self.token}"
        request = urllib.request.Request(self.url + path, data=data, method=method, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=120) as response:
                return bytes(response.read())
        except urllib.error.HTTPError as exc:
            raise AssertionError(f"{method} {path}: {exc.code} {exc.read()[:2000]!r}") from None

    def json(self, method: str, path: str, body: Any = None) -> Any:
        return json.loads(self.call(method, path, body))

    def create_project(self, name: str, *, relations: bool = False) -> int:
        project = self.json("POST", "/v1/projects", {
            "name": name, "description": name, "guideline": "", "project_type": "SequenceLabeling",
            "resourcetype": "SequenceLabelingProject", "allow_overlapping": True,
            "use_relation": relations})
        return int(project["id"])

    def import_jsonl(self, project: int, content: bytes, task: str = "SequenceLabeling"
                     ) -> list[Any]:
        """Upload a JSONL file as the page does (filepond), import it, return doccano's errors."""
        boundary = uuid.uuid4().hex
        body = (f'--{boundary}\r\nContent-Disposition: form-data; name="filepond"; '
                'filename="annotator.jsonl"\r\nContent-Type: application/octet-stream\r\n\r\n'
                ).encode() + content + f"\r\n--{boundary}--\r\n".encode()
        upload = self.call("POST", "/v1/fp/process/", raw=body,
                           content_type=f"multipart/form-data; boundary={boundary}").decode()
        task = self.json("POST", f"/v1/projects/{project}/upload", {
            "format": "JSONL", "task": task, "uploadIds": [upload.strip()],
            "column_data": "text", "column_label": "label", "delimiter": ",",
            "encoding": "utf_8"})["task_id"]
        errors: list[Any] = self._wait(task)["error"]
        return errors

    def export_jsonl(self, project: int) -> list[dict[str, Any]]:
        task = self.json("POST", f"/v1/projects/{project}/download",
                         {"format": "JSONL", "exportApproved": False})["task_id"]
        self._wait(task)
        data = self.call("GET", f"/v1/projects/{project}/download?taskId={task}")
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            lines = [line for name in archive.namelist()
                     for line in archive.read(name).decode("utf-8").splitlines()]
        return [json.loads(line) for line in lines if line.strip()]

    def _wait(self, task: str) -> Any:
        for _ in range(300):
            status = self.json("GET", f"/v1/tasks/status/{task}")
            if status.get("ready"):
                assert status.get("error") is None, status
                return status["result"]
            time.sleep(1)
        raise AssertionError(f"doccano task {task} did not finish")


@contextmanager
def running(venv: Path, home: Path) -> Iterator[Doccano]:
    """``doccano init`` + an admin in ``home``, then its web server and task queue; stopped after."""
    env = {**os.environ, "DOCCANO_HOME": str(home)}
    doccano = str(venv / "bin" / "doccano")
    started = time.monotonic()
    for args in (["init"], ["createuser", "--username", "admin", "--password", PASSWORD]):
        done = subprocess.run([doccano, *args], env=env, cwd=home, capture_output=True, text=True,
                              timeout=600)
        assert done.returncode == 0, done.stdout + done.stderr
    port = free_port()
    with ExitStack() as stack:
        for args, log in ((["webserver", "--port", str(port), "--workers", "1"], "web.log"),
                          (["task", "--concurrency", "1"], "task.log")):
            stack.enter_context(process_group([doccano, *args], env, home, home / log))
        url = f"http://127.0.0.1:{port}"
        token = _login(url)
        yield Doccano(url, token, time.monotonic() - started)


def _login(url: str) -> str:
    body = json.dumps({"username": "admin", "password": PASSWORD}).encode()
    for _ in range(300):
        request = urllib.request.Request(url + "/v1/auth/login/", data=body, method="POST",
                                         headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return str(json.loads(response.read())["key"])
        except OSError:
            time.sleep(1)
    raise AssertionError("doccano did not answer its login")
