"""Rename a corpus's labels as it is imported (``--map-labels PER=PERSON,LOC=LOCATION``).

Corpora name the same things differently (``PER``, ``PERS``, ``Person``); mapping them onto the
project's schema at import keeps junk labels out of it. The map is applied where each format
reads labels: CoNLL at tag level, before entities are joined (so ``B-MISS1 I-MIS1`` with
``MISS1=MIS1`` is one entity), every other format on the spans it read. A map applies once:
``A=B,B=C`` sends ``A`` to ``B``, not to ``C``.

The map remembers which of its labels the input used, so the import can say what it renamed
and which entries matched nothing (a typo in ``--map-labels`` should not pass silently).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path

from annotator.errors import InputError
from annotator.model import Document, is_valid_label_name


class LabelMap(dict[str, str]):
    """``{label as written: label to store}``; :meth:`get` records each label it is asked for."""

    def __init__(self, *args: object, **kwargs: str) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.used: set[str] = set()

    def get(self, key: str, default: str | None = None) -> str | None:  # type: ignore[override]
        if key in self:
            self.used.add(key)
            return self[key]
        return default

    @classmethod
    def parse(cls, text: str, source: str = "--map-labels") -> LabelMap:
        """``OLD=NEW`` pairs separated by commas or line breaks (``#`` starts a comment line).

        >>> dict(LabelMap.parse("PER=PERSON, LOC=LOCATION"))
        {'PER': 'PERSON', 'LOC': 'LOCATION'}
        """
        pairs: dict[str, str] = {}
        for number, line in enumerate(text.splitlines() or [""], start=1):
            if line.strip().startswith("#"):
                continue
            for item in filter(None, (part.strip() for part in line.split(","))):
                old, sep, new = (p.strip() for p in item.partition("="))
                if not sep or not old or not new:
                    raise InputError(f"expected OLD=NEW, got {item!r}", source, number)
                if not is_valid_label_name(new):
                    raise InputError(f"{new!r} is not a valid label name", source, number)
                if pairs.get(old, new) != new:
                    raise InputError(f"{old} is mapped twice ({pairs[old]}, {new})", source, number)
                pairs[old] = new
        return cls(pairs)

    @classmethod
    def from_file(cls, path: Path) -> LabelMap:
        """A mapping file: a JSON object ``{"PER": "PERSON"}`` or ``OLD=NEW`` lines."""
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError(f"cannot read the label map ({exc})", str(path)) from None
        if text.lstrip().startswith("{"):
            try:
                data = json.loads(text)
            except json.JSONDecodeError as exc:
                raise InputError(f"broken JSON: {exc.msg}", str(path), exc.lineno) from None
            if not all(isinstance(v, str) for v in data.values()):
                raise InputError("every value must be a label name", str(path))
            text = "\n".join(f"{k}={v}" for k, v in data.items())
        return cls.parse(text, str(path))

    def merged(self, other: LabelMap) -> LabelMap:
        """Both maps in one (``other`` wins nowhere: a label mapped two ways is an error)."""
        return LabelMap.parse(",".join(f"{k}={v}" for k, v in [*self.items(), *other.items()]))

    def apply(self, documents: Iterable[Document], *, skip: bool = False) -> list[Document]:
        """``documents`` with span labels renamed (unless ``skip``: the reader already did)."""
        docs = list(documents)
        if not self or skip:
            return docs
        out = []
        for doc in docs:
            if any(span.label in self for span in doc.spans):
                doc = self._renamed(doc)
            out.append(doc)
        return out

    def _renamed(self, doc: Document) -> Document:
        """``doc`` with its spans renamed, and its relations and events pointing at the renamed
        spans (a link keeps whole spans: left alone it would name a span the document lacks)."""
        new = {s: replace(s, label=self.get(s.label) or s.label) if s.label in self else s
               for s in doc.spans}
        return replace(
            doc, spans=tuple(new[s] for s in doc.spans),
            relations=tuple(replace(r, head=new.get(r.head, r.head), tail=new.get(r.tail, r.tail))
                            for r in doc.relations),
            events=tuple(replace(e, trigger=new.get(e.trigger, e.trigger), arguments=tuple(
                replace(a, span=new.get(a.span, a.span)) for a in e.arguments)) for e in doc.events))

    def report(self) -> list[str]:
        """What was renamed, and which entries matched no label of the input."""
        lines = []
        if self.used:
            lines.append("labels mapped: " + ", ".join(f"{k}→{self[k]}" for k in self if k in self.used))
        unused = [k for k in self if k not in self.used]
        if unused:
            lines.append("label map entries that matched nothing: " + ", ".join(unused))
        return lines
