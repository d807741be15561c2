"""Every user-visible UI string, in Arabic and English: the one catalogue (no strings in code).

A small dict catalogue rather than Qt ``.ts`` files: no ``lrelease`` step in the build, the two
languages sit side by side for review, and a test checks both have the same keys.
"""

from __future__ import annotations

from ui.i18n_keys import shortcut_text

LANGUAGES = ("ar", "en")

EN: dict[str, str] = {
    "app_title": "Annotator — {article}",
    "app_title_empty": "Annotator",
    "menu_file": "&File",
    "menu_edit": "&Edit",
    "menu_article": "&Article",
    "menu_view": "&View",
    "menu_help": "&Help",
    "act_import": "&Import articles…",
    "act_export": "&Export…",
    "act_quit": "&Quit",
    "act_undo": "&Undo",
    "act_redo": "&Redo",
    "act_delete_span": "&Delete span",
    "act_label_all": "Label all &matches",
    "act_snap": "&Snap selection to whole tokens",
    "act_done_next": "Mark &done and go to next",
    "act_next": "&Next article",
    "act_prev": "&Previous article",
    "act_find": "&Search articles",
    "act_retrain": "&Retrain suggestions",
    "act_focus_text": "Go to &text",
    "act_language": "&Language",
    "act_shortcuts": "&Keyboard shortcuts",
    "lang_ar": "العربية",
    "lang_en": "English",
    "queue_search": "Search titles and text…",
    "queue_all_states": "All states",
    "queue_all_labels": "All labels",
    "queue_order_id": "By id",
    "queue_order_uncertainty": "Most informative first",
    "queue_order_tip": "Order of the queue; “most informative first” uses the suggestion model's"
                       " uncertainty (updated by Retrain suggestions, Ctrl+Shift+R)",
    "queue_count": "{shown} of {total} articles",
    "col_title": "Title",
    "col_state": "State",
    "col_spans": "My spans",
    "col_label": "Label",
    "col_text": "Text",
    "col_range": "Range",
    "col_annotator": "Annotator",
    "state_new": "new",
    "state_in_progress": "in progress",
    "state_done": "done",
    "panel_spans": "Spans",
    "panel_guidelines": "Guidelines",
    "panel_labels": "Labels",
    "span_counts": "{total} spans",
    "span_tooltip": "{label} — {annotator}",
    "palette_tip": "{label} (key {key}; Alt+{key}: exact characters)",
    "status_added": "Added {label}: «{text}»",
    "status_no_token": "The selection holds no token",
    "status_nothing_selected": "Select text or a span first",
    "status_undo_empty": "Nothing to undo",
    "status_retraining": "Retraining suggestions in the background…",
    "status_retrain_read_only": "The project is read-only: its suggestions are shown, none can be retrained",
    "integrity_title": "Project file damaged",
    "integrity_restore_question": "{problem}\n\nPut the last good backup in its place?\n{backup}\n(The damaged file is kept beside it.)",
    "integrity_damaged": "{problem}\n\nNo good backup was found. Stop labelling and copy {path} somewhere safe.",
    "integrity_damaged_backup": "{problem}\n\nClose the desk and run:\nannotator restore {path} {backup}\n(the damaged file is kept beside it).",
    "status_redo_empty": "Nothing to redo",
    "status_done": "Article marked done",
    "status_last": "No more articles in the queue",
    "status_fonts_missing": "Missing fonts: {families}",
    "status_saved": "Saved",
    "status_busy_waiting": "Another program is writing to this project; waiting… ({count} change(s) not saved yet)",
    "status_busy_saved": "Saved: the other program has finished writing",
    "status_busy_refused": "Not saved: another program kept the project busy; {count} change(s) given up",
    "status_busy_close": "{count} change(s) wait for another program to finish writing; close again to give them up",
    "conn_connected": "Connected",
    "conn_offline": "Offline: {count} change(s) not sent yet; reconnecting…",
    "conn_reconnected": "Reconnected: the waiting changes were sent",
    "status_claimed_by": "{article} is being labelled by {user}; done → next skips it",
    "layer_show": "Also show:",
    "layer_none": "only my spans",
    "layer_read_only": "{layer}'s spans (read-only)",
    "layer_start_from": "Take these as my starting point",
    "layer_started": "{count} spans of {layer} copied into your layer (Ctrl+Z undoes)",
    "label_names_title": "Name the new labels",
    "label_names_intro": "An import added these labels with their tag only. Give each an Arabic name for the palette and the chips:",
    "label_names_save": "Save",
    "label_names_bar": "New labels have no Arabic name yet: {labels}",
    "label_names_open": "Name them…",
    "label_names_later": "Later",
    "button_yes": "&Yes",
    "button_no": "&No",
    "button_ok": "OK",
    "confirm_matches_title": "Label all matches",
    "confirm_matches": "Label {count} more occurrences of «{text}» as {label}?",
    "no_matches": "No other occurrence of «{text}»",
    "error_title": "Error",
    "progress_import": "Importing…",
    "progress_export": "Exporting…",
    "cancel": "Cancel",
    "import_done": "Imported {count} articles",
    "export_done": "Exported {count} articles to {path}",
    "cancelled": "Cancelled — nothing was changed",
    "import_filter": "Article files ({patterns});;All files (*)",
    "export_filter": "JSON lines (*.jsonl);;CoNLL (*.conll);;All files (*)",
    # relations and event frames (ui/desk/linking.py, event_panel.py, link_desk.py)
    "act_show_relations": "Show &relations",
    "panel_event": "Event frame",
    "link_mode": "Link {kind} → «{text}» ({n} of {count}): Tab / Shift+Tab for another, Enter to link, Esc to cancel",
    "link_no_candidates": "No span this article may link as {kind}",
    "link_cancelled": "Link cancelled",
    "frame_none_open": "No event frame in this article has an empty slot a span may fill",
    "link_none_from": "The schema allows no link from «{text}»",
    "link_made": "Linked «{head}» —{kind}→ «{tail}»",
    "link_not_allowed": "The schema allows no link from «{head}» to «{tail}»",
    "link_tooltip": "«{head}» —{kind}→ «{tail}»",
    "link_tooltip_layer": "read-only: {layer}",
    "link_read_only": "{layer}'s links are shown read-only",
    "event_made": "{kind} event on «{text}»: fill its roles with their keys",
    "event_exists": "«{text}» already triggers this event",
    "event_none": "Select a trigger span to see its event",
    "event_not_trigger": "«{text}» triggers no event type of the schema",
    "event_create_hint": "Press {key} to make it a {kind} event",
    "event_title": "{kind}: «{text}»",
    "event_empty_slot": "— empty —",
    "event_required": "Required: the event needs this role filled",
    "event_remove_filler": "Remove this filler (Ctrl+Z brings it back)",
    "col_key": "Key",
    "col_role": "Role",
    "col_filler": "Filler",
    "col_remove": "",
    "confirm_breaks_title": "Linked span",
    "confirm_breaks": "«{text}» is linked; this removes:\n{links}\nGo on? (Ctrl+Z brings it all back)",
    "breaks_relation": "• {kind}: «{head}» → «{tail}»",
    "breaks_event": "• the {kind} event of «{text}» and its {count} arguments",
    "breaks_argument": "• {role} of «{text}»",
    "status_kept_links": "Nothing changed: the links are kept",
    "status_broke_links": "{count} links removed with it (Ctrl+Z brings them back)",
    "shortcuts": shortcut_text("en"),  # ui/i18n_keys.py: the README key table's rows
}

AR: dict[str, str] = {
    "app_title": "المُعلِّم — {article}",
    "app_title_empty": "المُعلِّم",
    "menu_file": "&ملف",
    "menu_edit": "&تحرير",
    "menu_article": "&مقال",
    "menu_view": "&عرض",
    "menu_help": "&مساعدة",
    "act_import": "&استيراد مقالات…",
    "act_export": "ت&صدير…",
    "act_quit": "&خروج",
    "act_undo": "&تراجع",
    "act_redo": "&إعادة",
    "act_delete_span": "&حذف الوسم",
    "act_label_all": "وسم كل الت&طابقات",
    "act_snap": "&توسيع التحديد إلى كلمات كاملة",
    "act_done_next": "إ&نهاء والانتقال إلى التالي",
    "act_next": "المقال ال&تالي",
    "act_prev": "المقال ال&سابق",
    "act_find": "&بحث في المقالات",
    "act_retrain": "إعادة &تدريب الاقتراحات",
    "act_focus_text": "الانتقال إلى ال&نص",
    "act_language": "ال&لغة",
    "act_shortcuts": "اختصارات &لوحة المفاتيح",
    "lang_ar": "العربية",
    "lang_en": "English",
    "queue_search": "ابحث في العناوين والنصوص…",
    "queue_all_states": "كل الحالات",
    "queue_all_labels": "كل الوسوم",
    "queue_order_id": "حسب الرقم",
    "queue_order_uncertainty": "الأكثر إفادة أولًا",
    "queue_order_tip": "ترتيب القائمة؛ «الأكثر إفادة أولًا» يعتمد على حيرة نموذج الاقتراحات"
                       " (يُحدَّث بإعادة تدريب الاقتراحات، Ctrl+Shift+R)",
    "queue_count": "{shown} من {total} مقالًا",
    "col_title": "العنوان",
    "col_state": "الحالة",
    "col_spans": "وسومي",
    "col_label": "الوسم",
    "col_text": "النص",
    "col_range": "الموضع",
    "col_annotator": "المُعلِّم",
    "state_new": "جديد",
    "state_in_progress": "قيد العمل",
    "state_done": "منجز",
    "panel_spans": "الوسوم",
    "panel_guidelines": "الإرشادات",
    "panel_labels": "التسميات",
    "span_counts": "{total} وسمًا",
    "span_tooltip": "{label} — {annotator}",
    "palette_tip": "{label} (المفتاح {key}؛ Alt+{key}: أحرف بعينها)",
    "status_added": "أُضيف {label}: «{text}»",
    "status_no_token": "لا يحوي التحديد أي كلمة",
    "status_nothing_selected": "حدّد نصًا أو وسمًا أولًا",
    "status_undo_empty": "لا شيء للتراجع عنه",
    "status_retraining": "جارٍ إعادة تدريب الاقتراحات في الخلفية…",
    "status_retrain_read_only": "المشروع للقراءة فقط: تُعرض اقتراحاته ولا يمكن إعادة تدريبها",
    "integrity_title": "ملف المشروع تالف",
    "integrity_restore_question": "{problem}\n\nهل تضع آخر نسخة احتياطية سليمة مكانه؟\n{backup}\n(يُحتفظ بالملف التالف بجانبه.)",
    "integrity_damaged": "{problem}\n\nلم توجد نسخة احتياطية سليمة. توقف عن الوسم وانسخ {path} إلى مكان آمن.",
    "integrity_damaged_backup": "{problem}\n\nأغلق الواجهة ونفّذ:\nannotator restore {path} {backup}\n(يُحتفظ بالملف التالف بجانبه).",
    "status_redo_empty": "لا شيء لإعادته",
    "status_done": "عُلِّم المقال منجزًا",
    "status_last": "لا مقالات أخرى في القائمة",
    "status_fonts_missing": "خطوط غير مثبتة: {families}",
    "status_saved": "حُفظ",
    "status_busy_waiting": "برنامج آخر يكتب في هذا المشروع؛ في الانتظار… ({count} تغيير لم يُحفظ بعد)",
    "status_busy_saved": "حُفظ: أنهى البرنامج الآخر الكتابة",
    "status_busy_refused": "لم يُحفظ: أبقى برنامج آخر المشروع مشغولًا؛ تُرك {count} تغيير",
    "status_busy_close": "{count} تغيير ينتظر أن ينهي برنامج آخر الكتابة؛ أغلق مرة أخرى للتخلي عنها",
    "conn_connected": "متصل",
    "conn_offline": "غير متصل: {count} تغيير لم يُرسل بعد؛ جارٍ إعادة الاتصال…",
    "conn_reconnected": "أُعيد الاتصال: أُرسلت التغييرات المنتظرة",
    "status_claimed_by": "يوسم {user} المقال {article} الآن؛ «منجز ← التالي» يتخطاه",
    "layer_show": "اعرض أيضًا:",
    "layer_none": "وسومي فقط",
    "layer_read_only": "وسوم {layer} (للقراءة فقط)",
    "layer_start_from": "اتخذها نقطة بدايتي",
    "layer_started": "نُسخ {count} وسمًا من {layer} إلى طبقتك (Ctrl+Z للتراجع)",
    "label_names_title": "سمِّ الوسوم الجديدة",
    "label_names_intro": "أضاف استيرادٌ هذه الوسوم بوسمها اللاتيني فقط. أعطِ كلًّا منها اسمًا عربيًا للوحة والشارات:",
    "label_names_save": "حفظ",
    "label_names_bar": "وسوم جديدة بلا اسم عربي بعد: {labels}",
    "label_names_open": "سمِّها…",
    "label_names_later": "لاحقًا",
    "button_yes": "&نعم",
    "button_no": "&لا",
    "button_ok": "حسنًا",
    "confirm_matches_title": "وسم كل التطابقات",
    "confirm_matches": "وسم {count} مواضع أخرى لـ«{text}» بوسم {label}؟",
    "no_matches": "لا مواضع أخرى لـ«{text}»",
    "error_title": "خطأ",
    "progress_import": "جارٍ الاستيراد…",
    "progress_export": "جارٍ التصدير…",
    "cancel": "إلغاء",
    "import_done": "استُورد {count} مقالًا",
    "export_done": "صُدِّر {count} مقالًا إلى {path}",
    "cancelled": "أُلغي — لم يتغير شيء",
    "import_filter": "ملفات المقالات ({patterns});;كل الملفات (*)",
    "export_filter": "JSON lines (*.jsonl);;CoNLL (*.conll);;كل الملفات (*)",
    # العلاقات وأطر الأحداث
    "act_show_relations": "إظهار ال&علاقات",
    "panel_event": "إطار الحدث",
    "link_mode": "ربط {kind} ← «{text}» ({n} من {count}): Tab / Shift+Tab لغيره، Enter للربط، Esc للإلغاء",
    "link_no_candidates": "لا وسم في هذا المقال يمكن ربطه بعلاقة {kind}",
    "link_cancelled": "أُلغي الربط",
    "frame_none_open": "لا إطار حدث في هذا المقال فيه خانة فارغة يمكن ملؤها",
    "link_none_from": "لا يسمح المخطط بأي ربط من «{text}»",
    "link_made": "رُبط «{head}» —{kind}← «{tail}»",
    "link_not_allowed": "لا يسمح المخطط بربط «{head}» بـ«{tail}»",
    "link_tooltip": "«{head}» —{kind}← «{tail}»",
    "link_tooltip_layer": "للقراءة فقط: {layer}",
    "link_read_only": "روابط {layer} معروضة للقراءة فقط",
    "event_made": "حدث {kind} على «{text}»: املأ أدواره بمفاتيحها",
    "event_exists": "«{text}» محفّز لهذا الحدث من قبل",
    "event_none": "حدّد وسمًا محفّزًا لترى حدثه",
    "event_not_trigger": "«{text}» لا يحفّز أي نوع حدث في المخطط",
    "event_create_hint": "اضغط {key} لجعله حدث {kind}",
    "event_title": "{kind}: «{text}»",
    "event_empty_slot": "— فارغ —",
    "event_required": "مطلوب: لا يكتمل الحدث دون ملء هذا الدور",
    "event_remove_filler": "إزالة هذا المالئ (يعيده Ctrl+Z)",
    "col_key": "المفتاح",
    "col_role": "الدور",
    "col_filler": "المالئ",
    "col_remove": "",
    "confirm_breaks_title": "وسم مرتبط",
    "confirm_breaks": "«{text}» مرتبط؛ سيُزال معه:\n{links}\nمتابعة؟ (يعيد Ctrl+Z كل ذلك)",
    "breaks_relation": "• {kind}: «{head}» ← «{tail}»",
    "breaks_event": "• حدث {kind} على «{text}» ومعاملاته الـ{count}",
    "breaks_argument": "• {role} في «{text}»",
    "status_kept_links": "لم يتغير شيء: بقيت الروابط",
    "status_broke_links": "أُزيل معه {count} من الروابط (يعيدها Ctrl+Z)",
    "shortcuts": shortcut_text("ar"),
}

CATALOGUE = {"ar": AR, "en": EN}


# Values that are article text: isolated (FSI ... PDI) so that the bidi algorithm
# lays them out on their own, and the quotes and words around them stay where the sentence
# puts them («623 سائح» in "Added Quantity: «…»" had its quote moved by the digits).
# Not paths or commands: a person copies those, and would copy the invisible marks too.
ISOLATED = frozenset({"text", "head", "tail"})  # article text; not titles (window managers may draw boxes)


def isolate(value: str) -> str:
    """``value`` as a bidi isolate (U+2068 ... U+2069)."""
    return f"\u2068{value}\u2069"


def paragraph(text: str) -> str:
    """``text`` as one first-strong isolate: its direction from its own first letter.

    The status bar draws in the interface's direction, so an English message from the core
    ("span 'تونس' overlaps …") in the Arabic desk had its quotes and final full stop thrown
    to the wrong end; isolated, it reads left to right, aligned at the right edge.
    """
    return text if not text or text.startswith("\u2068") else isolate(text)


def tr(key: str, language: str, /, **values: object) -> str:
    """The string ``key`` in ``language`` (English when the language is unknown), formatted.

    >>> tr("no_matches", "en", text="CNN")
    'No other occurrence of «\u2068CNN\u2069»'
    """
    text = CATALOGUE.get(language, EN)[key]
    if not values:
        return text
    return text.format(**{k: isolate(v) if k in ISOLATED and isinstance(v, str) else v
                          for k, v in values.items()})


def state_name(state: str, language: str) -> str:
    """Display name of an article state (``new`` / ``in_progress`` / ``done``)."""
    return tr(f"state_{state}", language) if f"state_{state}" in EN else state
