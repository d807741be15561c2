"""File formats, one module each, reader and writer side by side.

Readers yield :class:`annotator.model.Document`; writers take documents. No format touches the
store: ``annotator.project`` moves documents in and out of it. :mod:`.registry` is the one list
of formats (name, endings, offset unit, what each keeps, its export flags) that import, export,
the CLI and the desk's Import dialog read. Helpers every format shares live in
:mod:`annotator.text` (encoding, records, token_lists, token_meta).

Conventions of the JSON-family and plain-text modules (``jsonl``, ``doccano``, ``labelstudio``,
``prodigy``, ``scraped_json``, ``ant_xml``, ``text_files``):

* A reader takes **decoded text** and the file's name for messages:
  ``read_x(text: str, *, path_name: str, ...) -> Iterator[Document]``. Bytes become text in one
  place, :func:`annotator.text.encoding.read_text` / ``decode_bytes`` (UTF-8 or cp1256,
  reported with a confidence). Only ``text_files.read_text_file(path)`` takes a path, since a
  file *is* its article there.
* A writer takes documents and an open text stream and returns how many records it wrote:
  ``write_x(documents: Iterable[Document], out: TextIO) -> int``. Open the stream with
  ``encoding="utf-8", newline="\\n"``. Writers check every span against its text first.
* Bad input raises :class:`annotator.errors.InputError` rendered ``path:line: message``, the
  line being the JSONL record's, or where a JSON array element starts. Empty input is an error.
* Offsets become code points over the stored text, whose only rewrite is ``\\r\\n``/``\\r`` ->
  ``\\n``; offsets a file computed on the ``\\r\\n`` text are carried through that rewrite
  (:class:`annotator.text.records.SpanReader`). doccano counts UTF-16 units and is converted
  both ways; Label Studio counts code points (measured in 1.23.2; docs/adr/0001-offsets.md).
* Records skipped on purpose (a Prodigy "reject", a cancelled Label Studio annotation, an
  article without content) are reported to an optional ``warn(message)`` callback.
"""
