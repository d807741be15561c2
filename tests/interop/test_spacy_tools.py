"""spaCy 3.8's own tools on our exports: ``spacy convert -c ner`` on our CoNLL (no -DOCSTART-
token in its data, every entity where we put it), and a 20-step ``spacy train`` on it and on our
DocBin."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from annotator.formats.conll import DOCSTART, read_conll
from annotator.tags import tags_to_ranges

from .conftest import export

pytestmark = pytest.mark.interop
spacy = pytest.importorskip("spacy")


def _spacy(*args: object, cwd: Path) -> subprocess.CompletedProcess[str]:
    done = subprocess.run([sys.executable, "-m", "spacy", *map(str, args)], cwd=cwd,
                          capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stdout + done.stderr
    return done


def _our_documents(path: Path) -> list[tuple[list[str], list[tuple[str, int, int]]]]:
    """Words and entities (label, first, end over the document's tokens) as our file states them."""
    out = []
    for chunk in path.read_text(encoding="utf-8").split(DOCSTART + " -X- O O\n")[1:]:
        words: list[str] = []
        entities: list[tuple[str, int, int]] = []
        for sentence in filter(None, chunk.strip("\n").split("\n\n")):
            rows = [line.split("\t") for line in sentence.split("\n")]
            decoded = tags_to_ranges([tag for _, tag in rows], repair=False)
            entities += [(label, len(words) + a, len(words) + b) for label, a, b in decoded.ranges]
            words += [word for word, _ in rows]
        out.append((words, entities))
    return out


def test_spacy_convert_reads_our_conll_exactly(aqmar_project, tmp_path):
    out = tmp_path / "aqmar.conll"
    export(aqmar_project, out, format="conll")
    _spacy("convert", out, tmp_path, "--converter", "ner", cwd=tmp_path)
    from spacy.tokens import DocBin

    docs = list(DocBin().from_disk(tmp_path / "aqmar.spacy").get_docs(spacy.blank("ar").vocab))
    ours = _our_documents(out)
    assert len(docs) == len(ours) == 6
    for doc, (words, entities) in zip(docs, ours):
        assert DOCSTART not in [t.text for t in doc]
        assert [t.text for t in doc] == words
        assert [(e.label_, e.start, e.end) for e in doc.ents] == entities
    assert sum(len(e) for _, e in ours) == sum(len(d.spans) for d in read_conll(out)) > 100


def test_spacy_trains_20_steps_on_converted_conll_and_on_our_docbin(aqmar_project, tmp_path):
    export(aqmar_project, tmp_path / "c.conll", format="conll", split=(60, 20, 20), seed=1)
    for part in ("train", "dev"):
        _spacy("convert", tmp_path / f"c.{part}.conll", tmp_path, "--converter", "ner",
               cwd=tmp_path)
    export(aqmar_project, tmp_path / "d.spacy", format="spacy", split=(60, 20, 20), seed=1)
    _spacy("init", "config", tmp_path / "ner.cfg", "--lang", "ar", "--pipeline", "ner",
           "--force", cwd=tmp_path)
    for train, dev in (("c.train.spacy", "c.dev.spacy"), ("d.train.spacy", "d.dev.spacy")):
        model = tmp_path / f"model-{train.split('.')[0]}"
        done = _spacy("train", tmp_path / "ner.cfg", "--output", model,
                      "--paths.train", tmp_path / train, "--paths.dev", tmp_path / dev,
                      "--training.max_steps", 20, "--training.eval_frequency", 10, cwd=tmp_path)
        assert "Saved pipeline" in done.stdout + done.stderr
        nlp = spacy.load(model / "model-last")
        assert set(nlp.get_pipe("ner").labels) >= {"LOC", "PER", "ORG"}
