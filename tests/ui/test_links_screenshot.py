"""A real X server (Xvfb) renders the desk with drawn relations and the Event panel.

The PNGs are kept in ``artifacts/`` for a person to look at; ``docs/screenshots/`` holds the
committed copies the README shows.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest
from PySide6.QtGui import QImage

from annotator.project import Project
from tests.ui.conftest import USER
from tests.ui.links_kit import add_gold_links, make_links_project
from tests.ui.test_screenshot import ARTIFACT, REPO, colour_present
from ui.desk.relation_arcs import ARC_COLORS


@pytest.mark.xvfb
def test_relations_and_the_event_panel_render_under_xvfb(tmp_path):
    if shutil.which("xvfb-run") is None:
        pytest.skip("xvfb-run is not installed (Debian: xvfb xauth)")
    path = make_links_project(tmp_path / "links.db")
    with Project.open(path) as project:
        session = project.session(USER)
        aid = project.article_id_by_doc_id("strike-omar")
        add_gold_links(session, aid, "strike-omar", leave=("place", "time"))  # two empty slots shown
        session.save_position(aid, 0)
    env = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM", "DISPLAY")}
    env["PYTHONPATH"] = str(REPO)
    done = subprocess.run(
        ["xvfb-run", "-a", "-s", "-screen 0 1400x900x24", sys.executable,
         str(REPO / "tests" / "ui" / "links_xvfb_child.py"), str(path), str(tmp_path), USER],
        capture_output=True, text=True, timeout=120, env=env, cwd=REPO,
    )
    assert done.returncode == 0, done.stderr
    info = json.loads(done.stdout.strip().splitlines()[-1])
    assert info["platform"] == "xcb"
    assert sorted(text for kind, text in info["arcs"] if kind == "relation") == ["بحسب", "يقع في"]
    assert len([1 for kind, _ in info["arcs"] if kind == "argument"]) == 5  # the roles filled
    assert ["place", None] in info["rows"] and ["source", "سبوتنيك"] in info["rows"]
    desk = QImage(str(tmp_path / "desk-relations.png"))
    assert colour_present(desk, ARC_COLORS[0]) or colour_present(desk, ARC_COLORS[1])
    ARTIFACT.parent.mkdir(exist_ok=True)
    for name in ("desk-relations.png", "event-panel.png"):
        shutil.copyfile(tmp_path / name, ARTIFACT.with_name(name))
