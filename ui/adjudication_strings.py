"""The adjudication desk's strings, Arabic and English side by side (same shape as ``ui.i18n``).

Kept apart from the annotation desk's catalogue so the two desks can change independently; a
test checks both languages have the same keys.
"""

from __future__ import annotations

EN: dict[str, str] = {
    "title": "Adjudication — {article}",
    "title_empty": "Adjudication",
    "menu_decide": "&Decide",
    "menu_go": "&Go",
    "act_accept": "Accept version {n}",
    "act_reject": "&Reject (no gold span here)",
    "act_edit": "&Edit: select text, then a label key",
    "act_cancel_edit": "Cancel editing",
    "act_next_open": "&Next disagreement",
    "act_prev_open": "&Previous disagreement",
    "act_next_article": "Next article",
    "act_prev_article": "Previous article",
    "act_undo": "&Undo",
    "act_redo": "&Redo",
    "act_cycle_layer": "Show next &layer",
    "show_layer": "Text shows:",
    "layer_gold": "gold",
    "layer_all": "all annotators",
    "panel_items": "Regions of this article",
    "panel_lanes": "Versions of the current region",
    "panel_gold": "Gold spans and their provenance",
    "item": "{n}. [{start}–{end}) {text} · {status}",
    "status_open": "open, {alternatives} versions",
    "status_agreed": "agreement",
    "status_decided": "{decision} by {by}",
    "lane": "{key} · {annotators}",
    "lane_nothing": "(no span)",
    "gold_row": "{label} «{text}» — proposed by {proposed}; {decision} by {by}, {at}",
    "nobody": "nobody",
    "decision_accept": "accepted",
    "decision_edit": "edited",
    "decision_reject": "rejected",
    "decision_auto": "auto-accepted",
    "progress": "Articles adjudicated {done} / to do {todo} · this article: {open} open of {total}",
    "edit_hint": "Edit: select the text in the article and press a label key; Esc cancels",
    "no_region": "No region selected",
    "no_more": "No open disagreement left",
    "nothing_to_undo": "Nothing to undo",
    "nothing_to_redo": "Nothing to redo",
}

AR: dict[str, str] = {
    "title": "التحكيم — {article}",
    "title_empty": "التحكيم",
    "menu_decide": "&القرار",
    "menu_go": "&انتقال",
    "act_accept": "قبول النسخة {n}",
    "act_reject": "&رفض (لا وسم ذهبي هنا)",
    "act_edit": "&تعديل: حدّد النص ثم مفتاح الوسم",
    "act_cancel_edit": "إلغاء التعديل",
    "act_next_open": "الخلاف ال&تالي",
    "act_prev_open": "الخلاف ال&سابق",
    "act_next_article": "المقال التالي",
    "act_prev_article": "المقال السابق",
    "act_undo": "ت&راجع",
    "act_redo": "إ&عادة",
    "act_cycle_layer": "عرض الطبقة ال&تالية",
    "show_layer": "يعرض النص:",
    "layer_gold": "الذهبية",
    "layer_all": "كل المعلّقين",
    "panel_items": "مناطق هذا المقال",
    "panel_lanes": "نسخ المنطقة الحالية",
    "panel_gold": "الوسوم الذهبية ومصدرها",
    "item": "{n}. [{start}–{end}) {text} · {status}",
    "status_open": "مفتوحة، {alternatives} نسخ",
    "status_agreed": "اتفاق",
    "status_decided": "{decision} بواسطة {by}",
    "lane": "{key} · {annotators}",
    "lane_nothing": "(بلا وسم)",
    "gold_row": "{label} «{text}» — اقترحه {proposed}؛ {decision} بواسطة {by}، {at}",
    "nobody": "لا أحد",
    "decision_accept": "قُبل",
    "decision_edit": "عُدّل",
    "decision_reject": "رُفض",
    "decision_auto": "قُبل تلقائيًا",
    "progress": "مقالات محكّمة {done} / متبقية {todo} · هذا المقال: {open} مفتوحة من {total}",
    "edit_hint": "تعديل: حدّد النص في المقال واضغط مفتاح الوسم؛ Esc للإلغاء",
    "no_region": "لا منطقة محددة",
    "no_more": "لا خلافات مفتوحة متبقية",
    "nothing_to_undo": "لا شيء للتراجع عنه",
    "nothing_to_redo": "لا شيء لإعادته",
}

CATALOGUE = {"en": EN, "ar": AR}


def tr(key: str, language: str, /, **values: object) -> str:
    """The string ``key`` in ``language`` (English when unknown), formatted with ``values``."""
    text = CATALOGUE.get(language, EN)[key]
    return text.format(**values) if values else text
