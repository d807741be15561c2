"""The desk hands out work through claims, and keeps unsent changes while the server is away.

Claims (issue 14): done → next opens the next article nobody else holds, and claims it. Offline:
a change the project could not receive (:class:`ProjectOffline`) stays queued in order for as
long as it takes, the status bar's connection label says how many are unsent, and the first
retry that gets through sends them all. The real server restart is in ``test_desk_reconnect``.
"""

from __future__ import annotations

import pytest

from annotator.errors import ProjectOffline
from annotator.project import Project
from annotator.team import claims
from tests.ui.conftest import USER
from ui import i18n
from ui.desk import write_queue


def test_done_next_skips_an_article_another_annotator_holds(desk, project_path) -> None:
    ids = desk.project.article_ids()
    assert desk.controller.article_id == ids[0]
    with Project.open(project_path) as other:
        assert claims.claim_next(other.session("ali"), ids[0]) == ids[1]  # ali is on the 2nd
        desk.done_and_next()
        assert desk.controller.article_id == ids[2]  # not ali's
        held = {c.article_id: c.user for c in claims.live_claims(other)}
        assert held == {ids[1]: "ali", ids[2]: USER}
        desk.done_and_next()  # done releases mona's claim of ids[2]
        held = {c.article_id: c.user for c in claims.live_claims(other)}
        assert held == {ids[1]: "ali", ids[3]: USER}


def test_offline_changes_wait_in_order_past_the_give_up_time_and_are_sent_on_reconnect(
    desk, store_session, qtbot, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(write_queue, "GIVE_UP_S", 0.0)  # a busy project would give up at once
    session = desk.controller.session
    real_add = session.add_span
    server = {"up": False}

    def add_span(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        if not server["up"]:
            raise ProjectOffline("postgresql://db/news: the server cannot be reached")
        return real_add(*args, **kwargs)

    monkeypatch.setattr(session, "add_span", add_span)
    aid = desk.controller.article_id
    text = desk.controller.article.text
    label = desk.schema.names[0]
    assert desk.controller.add_span(0, 1, label) is None
    assert desk.controller.add_span(2, 3, label) is None
    writes = desk.controller.writes
    assert not writes.online and len(writes.pending) == 2
    assert desk.connection.text() == i18n.tr("conn_offline", desk.language, count=2)
    writes.retry()  # the server is still away: nothing given up, though GIVE_UP_S has passed
    assert len(writes.pending) == 2 and store_session.spans(aid) == []
    server["up"] = True  # the queue's own timer retries: no click needed
    qtbot.waitUntil(lambda: not writes.pending, timeout=3000)
    assert writes.online
    assert [(s.start, s.end, s.text) for s in store_session.spans(aid)] == [
        (0, 1, text[0:1]), (2, 3, text[2:3])]
    assert desk.connection.text() == ""  # a project file: nothing to say when connected
