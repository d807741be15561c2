"""The desk's keys, one row per line of the README's key table, in both interface languages.

Why a table and not one paragraph per language: the F1 help drifted from the README (the
clitic key, word moves and suggestion keys were missing from it). Each row's ``keys`` is
written as the README writes its first column (keys in backticks), and a test compares the
keys of the two tables, so a key added to one and not the other fails the suite.
"""

from __future__ import annotations

from typing import NamedTuple


class KeyRow(NamedTuple):
    """One line of help: the keys (README spelling, backticks around each key) and what they do."""

    keys: str
    en: str
    ar: str


KEY_ROWS: tuple[KeyRow, ...] = (
    KeyRow("",  # the mouse: its gesture is named in the text
           "Drag (or double-click a word): select from the glyph under the press to the one under the release, grown to whole "
           "words; the highlight is exactly what a label key stores",
           "سحب أو نقر مزدوج: يحدد من الحرف تحت الضغطة إلى الحرف تحت الإفلات، ويتسع إلى كلمات "
           "كاملة؛ ما يظهر مظللًا هو بعينه ما يحفظه مفتاح الوسم"),
    KeyRow("`1…8`", "label the selection (or click the palette); the cursor goes after the span",
           "وسم التحديد (أو انقر اللوحة)؛ ينتقل المؤشر إلى ما بعد الوسم"),
    KeyRow("`Alt` + drag, `Alt` + label key", "the exact characters (blanks at the edges dropped)",
           "الأحرف بعينها (دون الفراغات على الطرفين)"),
    KeyRow("`-`", "strip the next proclitic (و ف ب ل ك ال) from the selected span or the selection",
           "نزع السابقة التالية (و ف ب ل ك ال) من الوسم المحدد أو من التحديد"),
    KeyRow("`Ctrl+←` / `Ctrl+→`", "select the next / previous word (← is forward in Arabic text)",
           "تحديد الكلمة التالية / السابقة (← إلى الأمام في النص العربي)"),
    KeyRow("`Ctrl+Shift+←/→`, `Alt+←/→`",
           "grow / shrink the selection by a word at its end, at its start",
           "توسيع التحديد أو تضييقه بكلمة عند نهايته، عند بدايته"),
    KeyRow("`Tab` / `Shift+Tab`",
           "select a span (or click it); a label key relabels it, `Delete` removes it",
           "تحديد وسم (أو النقر عليه)؛ مفتاح وسم يغيّره، و `Delete` يحذفه"),
    KeyRow("`Esc`", "clear the selection", "إلغاء التحديد"),
    KeyRow("span + relation key (a role key on a trigger), `Tab` / `Shift+Tab`, `Enter`",
           "link: Tab visits the spans the schema allows, nearest first; Enter links, Esc cancels",
           "ربط: ينتقل Tab بين الوسوم التي يسمح بها المخطط، الأقرب أولًا؛ Enter يربط و Esc يلغي"),
    KeyRow("span + `Ctrl+L`", "choose the kind of link from a menu (for types without a key)",
           "اختيار نوع الربط من قائمة (للأنواع التي بلا مفتاح)"),
    KeyRow("event key on a trigger span", "make it an event; its roles show in the Event panel",
           "جعله حدثًا؛ تظهر أدواره في لوحة الحدث"),
    KeyRow("`]` / `[`",
           "the next / previous trigger whose frame has an empty slot, that slot offered: Enter fills "
           "it and the desk goes on slot to slot (labelling a trigger offers its first slot too)",
           "الوسم المحفّز التالي / السابق الذي في إطاره خانة فارغة، مع عرض تلك الخانة: Enter يملؤها "
           "وينتقل المكتب من خانة إلى التالية (ووسم محفّز جديد يعرض أول خاناته كذلك)"),
    KeyRow("drag from the selected span to another, `Alt` + click",
           "link by mouse (a menu asks the kind when several are allowed)",
           "الربط بالفأرة (تسأل قائمة عن النوع إن سُمح بأكثر من نوع)"),
    KeyRow("click a relation's arc, `Delete`", "select it; Delete removes it (undoable)",
           "تحديد العلاقة؛ Delete يحذفها (يمكن التراجع)"),
    KeyRow("`Ctrl+Shift+L`", "show / hide the relations", "إظهار العلاقات / إخفاؤها"),
    KeyRow("`Ctrl+Z` / `Ctrl+Shift+Z`", "undo / redo (the history survives a restart)",
           "تراجع / إعادة (يبقى السجل بعد إعادة التشغيل)"),
    KeyRow("`Ctrl+M`", "label every occurrence of the selection in this article",
           "وسم كل تطابقات التحديد في هذا المقال"),
    KeyRow("`Ctrl+T`", "snap selections to whole words, or not", "تشغيل الالتقاط إلى الكلمات الكاملة أو إيقافه"),
    KeyRow("`Ctrl+Enter`", "mark done and open the next article", "إنهاء المقال وفتح التالي"),
    KeyRow("`Ctrl+PgDown` / `Ctrl+PgUp`", "next / previous article", "المقال التالي / السابق"),
    KeyRow("`Ctrl+F`, `Ctrl+E`", "search the queue; back to the text",
           "البحث في المقالات؛ العودة إلى النص"),
    KeyRow("`Enter`/`A`, `Backspace`/`R`, `Shift+Enter`",
           "accept / reject a suggestion, accept all in the article",
           "قبول اقتراح / رفضه، قبول كل اقتراحات المقال"),
    KeyRow("`S`", "accept every suggestion left in this paragraph (reject the wrong ones first); "
           "the cursor goes to the next paragraph with suggestions",
           "قبول كل الاقتراحات الباقية في هذه الفقرة (بعد رفض الخاطئ منها)؛ ينتقل المؤشر إلى الفقرة "
           "التالية التي فيها اقتراحات"),
    KeyRow("`Space`", "go to the next pending suggestion (skip this one)",
           "الانتقال إلى الاقتراح التالي (تخطي هذا)"),
    KeyRow("`Ctrl+Shift+R`", "retrain suggestions in the background", "إعادة تدريب الاقتراحات في الخلفية"),
    KeyRow("`F1`", "this list", "هذه القائمة"),
)


def shortcut_text(language: str) -> str:
    """The F1 help in ``language``: one line per row, keys first (backticks dropped).

    >>> shortcut_text("en").splitlines()[7]
    'Esc — clear the selection'
    """
    lines = []
    for row in KEY_ROWS:
        text = row.ar if language == "ar" else row.en
        lines.append((f"{row.keys} — {text}" if row.keys else text).replace("`", ""))
    return "\n".join(lines)
