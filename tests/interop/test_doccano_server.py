"""Our doccano JSONL through a running doccano 1.8.4: uploaded and imported as its page does,
exported back, and read into the very spans we sent (UTF-16 offsets both ways)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from annotator.formats.doccano import read_doccano
from annotator.importing import import_documents

from . import doccano_server as dc
from .conftest import export
from .test_labelstudio_server import EMOJI_TEXT, _emoji_document

pytestmark = pytest.mark.interop


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory):
    venv = Path(os.environ.get("ANNOTATOR_DOCCANO_VENV", dc.DEFAULT_VENV))
    if not (venv / "bin" / "doccano").exists():
        if os.environ.get("ANNOTATOR_INTEROP_REQUIRE"):
            pytest.fail(f"no doccano in {venv}")
        pytest.skip(f"no doccano in {venv}: run scripts/interop.sh")
    with dc.running(venv, tmp_path_factory.mktemp("doccano")) as running:
        print(f"doccano {dc.VERSION} answered after {running.started_in_s:.0f} s")
        yield running


def test_doccano_imports_our_file_and_gives_back_the_same_spans(server, aqmar_project, tmp_path):
    import_documents(aqmar_project, [_emoji_document()])
    out = tmp_path / "doccano.jsonl"
    export(aqmar_project, out, flavor="doccano", source="import,ali")
    project = server.create_project("annotator interop")
    assert server.import_jsonl(project, out.read_bytes()) == []
    back = server.export_jsonl(project)
    assert len(back) == 7
    emoji = next(r for r in back if r["doc_id"] == "emoji-1")
    # «دِمَشْقَ» is code points 49-57; doccano keeps the UTF-16 units we wrote: 53-61.
    assert emoji["text"] == EMOJI_TEXT and [53, 61, "LOC"] in emoji["label"]
    sent = {d.doc_id: {(s.start, s.end, s.label) for s in d.spans}
            for d in read_doccano(out.read_text(encoding="utf-8"), path_name=str(out))}
    text = "\n".join(json.dumps(r, ensure_ascii=False) for r in back)
    got = {d.doc_id: {(s.start, s.end, s.label) for s in d.spans}
           for d in read_doccano(text, path_name="doccano-export.jsonl")}
    assert got == sent and sum(map(len, got.values())) > 100


def test_doccano_relation_project_gives_back_the_brat_fixtures_links(server, tmp_path):
    from annotator.formats.doccano import write_doccano
    from tests.core.test_relation_formats import fixture, links

    doc = fixture()
    out = tmp_path / "relations.jsonl"
    with out.open("w", encoding="utf-8", newline="\n") as handle:
        write_doccano([doc], handle, relations=True)
    project = server.create_project("annotator relations", relations=True)
    assert server.import_jsonl(project, out.read_bytes(), task="RelationExtraction") == []
    (back,) = server.export_jsonl(project)
    assert len(back["relations"]) == 11 and len(back["entities"]) == 9
    (got,) = read_doccano(json.dumps(back, ensure_ascii=False), path_name="doccano.jsonl",
                          annotator="ali")
    assert got.spans == doc.spans and links(got) == links(doc)
