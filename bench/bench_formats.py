"""Write and read back N synthetic articles in every JSON-family format, and decode/read the
SaudiNewsNet day file (1,318 real articles) when ../shared is present.

Run: ``/tmp/venv/bin/python bench/bench_formats.py [--articles 2000] [--seed 7]``

Articles are ~300 words with ~15 spans by two annotators and one emoji (so the UTF-16 paths of
doccano and Label Studio do real work). Prints seconds and articles/s per format and checks the
read-back spans equal the written ones (by key for doccano, which has no annotator layers).
"""

from __future__ import annotations

import argparse
import io
import random
import time
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TextIO

from annotator.formats.doccano import read_doccano, write_doccano
from annotator.formats.jsonl import read_jsonl, write_jsonl
from annotator.formats.labelstudio import read_labelstudio, write_labelstudio
from annotator.formats.prodigy import read_prodigy, write_prodigy
from annotator.formats.scraped_json import read_scraped
from annotator.model import Document, make_span, sort_spans
from annotator.text.encoding import decode_bytes

WORDS = [
    "في",
    "من",
    "على",
    "إلى",
    "أن",
    "قال",
    "الرئيس",
    "الحكومة",
    "دمشق",
    "القاهرة",
    "مصر",
    "الشركة",
    "اليوم",
    "وزير",
    "Google",
    "2024",
]
SHARED = Path(__file__).resolve().parents[1] / ".." / "shared"


def article(index: int, rng: random.Random) -> Document:
    words = ["😀"] + [rng.choice(WORDS) for _ in range(300)]
    text = " ".join(words)
    starts = [0]
    for word in words[:-1]:
        starts.append(starts[-1] + len(word) + 1)
    spans = []
    for position in rng.sample(range(1, len(words) - 2), 15):
        start, end = starts[position], starts[position + 1] - 1
        for annotator in ("ali", "omar"):
            spans.append(make_span(text, start, end, rng.choice(["LOC", "PER", "ORG"]), annotator))
    return Document(f"a{index}", text, f"عنوان {index}", spans=tuple(spans))


Writer = Callable[[list[Document], TextIO], int]
Reader = Callable[[str], Iterator[Document]]
FORMATS: dict[str, tuple[Writer, Reader]] = {
    "jsonl": (write_jsonl, lambda t: read_jsonl(t, path_name="b.jsonl")),
    "doccano": (write_doccano, lambda t: read_doccano(t, path_name="b.jsonl")),
    "labelstudio": (write_labelstudio, lambda t: read_labelstudio(t, path_name="b.json")),
    "prodigy": (write_prodigy, lambda t: read_prodigy(t, path_name="b.jsonl")),
}


def bench_format(name: str, docs: list[Document]) -> None:
    writer, reader = FORMATS[name]
    out = io.StringIO()
    t0 = time.perf_counter()
    writer(docs, out)
    t1 = time.perf_counter()
    back = list(reader(out.getvalue()))
    t2 = time.perf_counter()
    if name == "doccano":
        same = all({s.key for s in a.spans} == {s.key for s in b.spans} for a, b in zip(docs, back))
    else:
        same = all(sort_spans(a.spans) == list(b.spans) for a, b in zip(docs, back))
    mb = len(out.getvalue().encode()) / 1e6
    print(
        f"{name:12} {mb:6.1f} MB  write {t1 - t0:5.2f} s ({len(docs) / (t1 - t0):7.0f}/s)"
        f"  read {t2 - t1:5.2f} s ({len(docs) / (t2 - t1):7.0f}/s)  round trip {'ok' if same else 'FAILED'}"
    )


def bench_saudinewsnet() -> None:
    archive = SHARED / "corpora" / "saudinewsnet" / "2015-07-23.zip"
    if not archive.exists():
        print("saudinewsnet: ../shared absent, skipped")
        return
    with zipfile.ZipFile(archive) as zf:
        data = zf.read(zf.namelist()[0])
    t0 = time.perf_counter()
    decoded = decode_bytes(data, path_name=archive.name)
    docs = list(read_scraped(decoded.text, path_name=archive.name))
    t1 = time.perf_counter()
    chars = sum(len(d.text) for d in docs)
    print(
        f"saudinewsnet {len(data) / 1e6:6.1f} MB  decode+read {t1 - t0:5.2f} s: {len(docs)} articles, "
        f"{chars} characters, {len({d.doc_id for d in docs})} distinct ids"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    docs = [article(i, rng) for i in range(args.articles)]
    for name in FORMATS:
        bench_format(name, docs)
    bench_saudinewsnet()


if __name__ == "__main__":
    main()
