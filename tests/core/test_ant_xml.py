"""ANT corpus files: exact text, metadata, several DOCs, and unsafe XML refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.errors import InputError
from annotator.formats.ant_xml import read_ant
from annotator.text.encoding import read_text

SPORT = "JA-sport-1-20170121"


def _read(path: Path) -> list:
    return list(read_ant(read_text(path).text, path_name=str(path)))


def test_reads_an_article_exactly(fixtures_dir: Path) -> None:
    path = fixtures_dir / "ant" / f"{SPORT}.txt"
    (doc,) = _read(path)
    assert doc.doc_id == SPORT
    assert doc.title == "كرة السلة : النجم الساحلي يفوز على شبيبة القيروان"
    raw = path.read_text(encoding="utf-8")
    body = raw[raw.index("<TEXT>\n") + len("<TEXT>\n") : raw.index("\n</TEXT>")]
    assert doc.text == body  # only the blank lines around it are gone
    assert doc.text.startswith("دارت \xa0مساء اليوم")
    assert doc.text.endswith("5- الإتحاد المنستيري6 نقاط 6- شبيبة القيروان 5 نقاط")
    assert doc.meta == {
        "url": "http://www.jawharafm.net/ar/article/كرة-السلة--النجم-الساحلي-يفوز-على-شبيبة-القيروان-/96/76383",
        "src": "Jawhara FM",
        "cat": "sport",
        "time": "2017-01-21T20:46:00+01:00",
    }


def test_leading_nbsp_of_the_first_line_is_kept(fixtures_dir: Path) -> None:
    (doc,) = _read(fixtures_dir / "ant" / "JA-politic-2-20170121.txt")
    assert doc.text.startswith("\xa0أكدت رئيسة الحزب")
    assert doc.meta["cat"] == "politic"


def test_several_docs_author_and_bare_ampersand() -> None:
    text = (
        "<DOC><DOCNO>d1</DOCNO><TITLE>أ  ب</TITLE><AUTHOR>سارة</AUTHOR>"
        "<TEXT>\n\nشركة AT&T في تونس\n  \n</TEXT></DOC>\n"
        "<DOC><TITLE>ج</TITLE><TEXT>نص &amp; آخر</TEXT></DOC>\n"
    )
    first, second = read_ant(text, path_name="multi.txt")
    assert (first.doc_id, first.title, first.text) == ("d1", "أ ب", "شركة AT&T في تونس")
    assert first.meta == {"author": "سارة"}
    assert (second.doc_id, second.text) == ("multi#2", "نص & آخر")


def test_billion_laughs_is_refused() -> None:
    bomb = (
        '<?xml version="1.0"?>\n<!DOCTYPE DOC [\n <!ENTITY lol "lol">\n'
        ' <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">\n'
        ' <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">\n]>\n'
        "<DOC><DOCNO>x</DOCNO><TEXT>&lol3;</TEXT></DOC>\n"
    )
    with pytest.raises(InputError, match=r"^bomb\.txt:1: refused unsafe XML \(EntitiesForbidden"):
        list(read_ant(bomb, path_name="bomb.txt"))


def test_external_entity_is_refused() -> None:
    xxe = '<!DOCTYPE DOC [<!ENTITY e SYSTEM "file:///etc/passwd">]>\n<DOC><TEXT>&e;</TEXT></DOC>'
    with pytest.raises(InputError, match=r"^xxe\.txt:1: refused unsafe XML"):
        list(read_ant(xxe, path_name="xxe.txt"))


def test_malformed_and_empty() -> None:
    with pytest.raises(InputError, match=r"^bad\.txt:3: malformed XML"):
        list(read_ant("<DOC>\n<DOCNO>x</DOCNO>\n<TEXT>نص</TXET>\n</DOC>", path_name="bad.txt"))
    with pytest.raises(InputError, match=r"^bad\.txt:2: <DOC> x has no <TEXT>"):
        list(read_ant("<DOC>\n<DOCNO>x</DOCNO></DOC>", path_name="bad.txt"))
    with pytest.raises(InputError, match="empty <TEXT>"):
        list(read_ant("<DOC><TEXT>\n \n</TEXT></DOC>", path_name="bad.txt"))
    with pytest.raises(InputError, match="empty file"):
        list(read_ant(" \n", path_name="bad.txt"))


def test_whole_shared_sample(shared_dir: Path) -> None:
    paths = sorted((shared_dir / "corpora" / "antcorpus_sample").glob("JA-*.txt"))
    assert len(paths) == 18
    docs = [doc for path in paths for doc in _read(path)]
    assert [d.doc_id for d in docs] == [p.stem for p in paths]
    assert all(d.title and d.text and d.meta["src"] == "Jawhara FM" for d in docs)
    assert all(d.text == d.text.strip("\n") for d in docs)
