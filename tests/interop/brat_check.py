"""Run inside a subprocess by test_brat_checker: brat's own parser, config reader and checker
(``server/src`` of a brat checkout) over one exported ``.ann``; prints what they said as JSON.

brat's modules are loaded as brat's server loads them (``annotation``, ``projectconfig``,
``verify_annotations`` from ``server/src``), in their own process so their module names
(``annotation``, ``document``, ``session``) never meet ours. Two shims, both about running
brat's server code outside its server on this Python, never about our files:
- ``config``: brat's ``config_template.py`` with its ``CHANGE_ME`` placeholders filled (in
  ``SCRATCH_DIR``);
- ``open_textfile`` opens with mode ``"rUb"``, which Python 3.11 removed ("invalid mode"): the
  same call without ``U`` (codecs.open never translated newlines anyway).

Usage: python brat_check.py BRAT_CHECKOUT SCRATCH_DIR ANN_PATH
"""

from __future__ import annotations

import codecs
import json
import sys
from pathlib import Path


def main(brat: Path, scratch: Path, ann: Path) -> dict[str, object]:
    template = (brat / "config_template.py").read_text(encoding="utf-8")
    # BASE_DIR "/": brat then looks for annotation.conf up the whole tree from the document,
    # as its command-line checker does when no server config exists.
    (scratch / "config.py").write_text(template.replace("CHANGE_ME", repr("/")), encoding="utf-8")
    sys.path[:0] = [str(scratch), str(brat / "server" / "src")]  # our config first
    import annotation  # type: ignore[import-not-found]

    def open_textfile(filename: str, mode: str = "r") -> object:
        return codecs.open(filename, mode.replace("U", ""), encoding="utf8", errors="strict")

    annotation.open_textfile = open_textfile
    import projectconfig  # type: ignore[import-not-found]

    projectconfig.open_textfile = open_textfile  # it imported the name itself
    import verify_annotations  # type: ignore[import-not-found]
    from realmessage import Messager  # type: ignore[import-not-found]

    conf = projectconfig.ProjectConfiguration(str(ann.parent))
    types = {"entities": conf.get_entity_types(), "relations": conf.get_relation_types(),
             "events": conf.get_event_types()}
    with annotation.TextAnnotations(str(ann.with_suffix(""))) as doc:
        issues = [issue.human_readable_str() for issue in verify_annotations.verify_annotation(doc, conf)]
        kinds = sorted({t.type for t in doc.get_textbounds()} | {e.type for e in doc.get_events()})
    messages = [str(m[0]) for m in Messager._Messager__pending_messages]
    return {"types": types, "issues": issues, "messages": messages, "used": kinds}


if __name__ == "__main__":
    print(json.dumps(main(Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3])), ensure_ascii=False))
