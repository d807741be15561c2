"""ANT corpus articles (TREC-style XML, one ``<DOC>`` per file), import only.

::

    <DOC><DOCNO>JA-culture-1-20170120</DOCNO><URL>...</URL><SRC>Jawhara FM</SRC>
    <CAT>culture</CAT><TITLE>...</TITLE><TIME>2017-01-20T21:43:00+01:00</TIME>
    <AUTHOR>...</AUTHOR><ABSTRACT>...</ABSTRACT><TEXT>...</TEXT></DOC>

Parsed with ``defusedxml``: a file that declares entities (the "billion laughs" bomb) or
external references is refused, never expanded. A bare ``&`` (common in scraped text, e.g.
``AT&T``) is escaped before parsing rather than failing the file. Several ``<DOC>`` in one
file are read in order.

doc_id = DOCNO (else the file stem); title = TITLE; text = TEXT with blank lines at either end
dropped and line breaks normalised, otherwise exact (trailing spaces inside it stay);
meta = url, src, cat, time, author, abstract when non-empty.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from annotator.errors import InputError
from annotator.formats.text_files import strip_blank_lines
from annotator.model import Document, normalize_newlines
from annotator.text.records import line_of, stem_of

META_TAGS = ("URL", "SRC", "CAT", "TIME", "AUTHOR", "ABSTRACT")
_BARE_AMPERSAND = re.compile(r"&(?!#[0-9]+;|#x[0-9a-fA-F]+;|[A-Za-z][A-Za-z0-9]*;)")


def read_ant(text: str, *, path_name: str) -> Iterator[Document]:
    """Documents of one ANT file's text."""
    if not text.strip():
        raise InputError("empty file", path_name, 1)
    root = _parse(text, path_name)
    docs = [root] if root.tag == "DOC" else root.findall("DOC")
    if not docs:
        raise InputError("no <DOC> element", path_name, 1)
    for number, doc in enumerate(docs, start=1):
        yield _document(doc, text, path_name, number, several=len(docs) > 1)


def _parse(text: str, path_name: str) -> Element:
    source = _BARE_AMPERSAND.sub("&amp;", text)
    if not source.lstrip().startswith(("<?xml", "<!")):
        # A wrapper on the same line keeps line numbers right and allows several <DOC>.
        source = f"<ANT>{source}</ANT>"
    try:
        root: Element = fromstring(
            source, forbid_dtd=False, forbid_entities=True, forbid_external=True
        )
    except DefusedXmlException as exc:
        raise InputError(
            f"refused unsafe XML ({type(exc).__name__}: {exc})", path_name, 1
        ) from None
    except ParseError as exc:
        line = exc.position[0] if exc.position else 1
        raise InputError(f"malformed XML: {exc}", path_name, line) from None
    if root.tag == "ANT" and len(root) == 1:
        return root[0]
    return root


def _document(doc: Element, raw: str, path_name: str, number: int, *, several: bool) -> Document:
    docno = _field(doc, "DOCNO").strip()
    line = line_of(raw, raw.find(docno)) if docno and docno in raw else 1
    body = doc.find("TEXT")
    if body is None:
        raise InputError(f"<DOC> {docno or number} has no <TEXT>", path_name, line)
    text = strip_blank_lines(normalize_newlines("".join(body.itertext())))
    if not text:
        raise InputError(f"<DOC> {docno or number} has an empty <TEXT>", path_name, line)
    fallback = f"{stem_of(path_name)}#{number}" if several else stem_of(path_name)
    meta = {tag.lower(): _field(doc, tag).strip() for tag in META_TAGS}
    return Document(
        doc_id=docno or fallback,
        text=text,
        title=" ".join(_field(doc, "TITLE").split()),
        meta={k: v for k, v in meta.items() if v},
    )


def _field(doc: Element, tag: str) -> str:
    element = doc.find(tag)
    return "" if element is None else "".join(element.itertext())
