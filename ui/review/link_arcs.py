"""The current link slot's versions drawn over the review desk's article, one colour per lane.

Why: a slot's lanes are listed as text (``attack:place «سقطت» ← «حلب»``), but which «حلب» of
the article each version points at, and how far apart the ends are, is seen at once on the
text. The arcs are the annotation desk's own (:mod:`ui.desk.relation_arcs`: ends on the
spans' glyphs, labels in free lanes, hover): each lane's links are drawn as another layer's
are there, dashed in that annotator's colour, the tooltip naming whose they are. Nothing
here measures anything; it only turns the slot's items into the arcs' links.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from annotator.model import Event

if TYPE_CHECKING:
    from annotator.review.link_slots import LinkLane
    from ui.desk.document_view import DocumentView
    from ui.desk.relation_arcs import Link


def lane_links(lanes: Sequence[LinkLane]) -> list[Link]:
    """Every lane's items as arcs' links: a relation, or an event argument (kind ``type:role``,
    as :func:`annotator.agreement.links.argument_items` names them), under the lane's annotator."""
    from ui.desk.relation_arcs import Link  # noqa: PLC0415 (the painter is loaded when first needed)

    out = []
    for lane in lanes:
        for item in lane.items:
            head, tail = item.ends
            event_type, colon, role = item.kind.partition(":")
            if colon and not role:
                continue  # an event with no argument (link_slots.frame_item): nothing to join
            if role:
                out.append(Link("argument", role, head, tail, event=Event(event_type, head), layer=lane.annotator))
            else:
                out.append(Link("relation", item.kind, head, tail, layer=lane.annotator))
    return out


def show_lanes(view: DocumentView, lanes: Sequence[LinkLane]) -> None:
    """Draw ``lanes`` (the current slot's; none: no arcs) on the article ``view``."""
    if lanes or view.has_arcs:
        view.arcs.set_reference_links(lane_links(lanes))
