"""Complete passes (issue 10.1): a pass over a paged listing counts distinct
ids against the listing's total and re-reads until it has them; the cursor
moves only past a complete pass, to the pass's start minus the overlap."""
from datetime import datetime, timedelta

import pytest

from connector_env import configure, sp4n_sim  # noqa: F401
from connectors import paging
from portal.clock import wall_utcnow
from portal.complaints.models import Complaint
from portal.sync import engine
from portal.sync.items import to_utc
from portal.sync.models import ExternalRef, SyncState

COUNT = 25
PAGE_SIZE = 10


@pytest.fixture
def sp4n(app, sp4n_sim):  # noqa: F811
    from portal import seed

    sp4n_sim.control("POST", "/reset", json={"demo": False})
    for i in range(COUNT):
        sp4n_sim.control("POST", "/reports", json={
            "title": f"Laporan nomor {i + 1}", "content": f"Isi laporan {i + 1}", "photos": 0})
    configure(app, sp4n=sp4n_sim)
    app.config["CONNECTORS"]["sp4n"]["page_size"] = PAGE_SIZE
    with app.app_context():
        seed.seed_demo()
        yield sp4n_sim


def _imported():
    return {r.external_id for r in ExternalRef.select().where(ExternalRef.channel == "sp4n")}


def _remote_ids(sim):
    return {str(c["complaint_id"]) for c in sim.state()["complaints"]}


def test_an_item_sliding_back_a_page_mid_pass_is_still_imported(sp4n):
    # While we read page 2, another user updates one complaint of page 1: it
    # moves to the end, and the first complaint of page 2 slides onto page 1.
    sp4n.fault("shift_pages", overlap=1, count=1, path="/api/v3/complaints/disposition")
    run = engine.run_pass("sp4n")
    assert sp4n.state()["shifted"], "the simulator did not shift the listing"
    assert run.error == ""
    assert _imported() == _remote_ids(sp4n) and len(_imported()) == COUNT
    assert Complaint.select().count() == COUNT


def test_the_cursor_is_the_pass_start_minus_the_overlap_not_the_newest_item(sp4n, app):
    before = wall_utcnow()
    engine.run_pass("sp4n")
    after = wall_utcnow()
    cursor = to_utc(datetime.fromisoformat(SyncState.get(SyncState.connector == "sp4n").cursor))
    overlap = timedelta(seconds=int(app.config["CONNECTORS"]["sp4n"].get("overlap", 120)))
    assert before - overlap - timedelta(seconds=1) <= cursor <= after - overlap


def test_a_pass_that_never_sees_the_total_keeps_the_cursor_and_says_so(sp4n, monkeypatch):
    # No re-read allowed: the one read falls short of meta.total.
    monkeypatch.setattr(paging, "DEFAULT_ROUNDS", 1)
    sp4n.fault("shift_pages", overlap=1, count=50, path="/api/v3/complaints/disposition")
    run = engine.run_pass("sp4n")
    state = SyncState.get(SyncState.connector == "sp4n")
    assert "tidak lengkap" in run.error and "dari 25" in run.error
    assert state.cursor is None and state.last_success_at is None
    assert Complaint.select().count() < COUNT  # what was seen is applied
    sp4n.control("DELETE", "/faults")
    assert engine.run_pass("sp4n").error == ""
    assert len(_imported()) == COUNT and Complaint.select().count() == COUNT
    assert SyncState.get(SyncState.connector == "sp4n").cursor is not None


# --- the helper on its own -------------------------------------------------------


def _listing(pages_by_round):
    """read_page over scripted rounds: pages_by_round[round][page-1] = (ids, total)."""
    calls = []

    def read(page):
        round_no = sum(1 for p in calls if p == 1) - (0 if page == 1 else 1)
        if page == 1:
            calls.append(1)
            round_no = len([p for p in calls if p == 1]) - 1
        else:
            calls.append(page)
        pages = pages_by_round[min(round_no, len(pages_by_round) - 1)]
        ids, total = pages[page - 1]
        return paging.Page([{"id": i, "v": page} for i in ids],
                           page + 1 if page < len(pages) else None, total)

    return read, calls


def test_helper_reads_again_until_the_total_is_seen():
    read, calls = _listing([[([1, 2], 4), ([4], 4)], [([1, 2], 4), ([3, 4], 4)]])
    result = paging.read_complete(read, 1, lambda i: i["id"], lambda i: i["v"])
    assert result.complete and result.rounds == 2 and result.seen == 4
    assert sorted(i["id"] for i in result.items) == [1, 2, 3, 4]
    assert calls == [1, 2, 1, 2]


def test_helper_gives_up_after_its_rounds_and_reports_the_shortfall():
    read, _calls = _listing([[([1, 2], 5), ([3], 5)]])
    result = paging.read_complete(read, 1, lambda i: i["id"], lambda i: i["v"], rounds=3)
    assert not result.complete and result.rounds == 3 and result.shortfall == "3 dari 5"


def test_helper_without_a_total_is_complete_at_the_end_and_keeps_the_newest_version():
    read, _calls = _listing([[([1, 2], None), ([2, 3], None)]])
    result = paging.read_complete(read, 1, lambda i: i["id"], lambda i: i["v"])
    assert result.complete and result.rounds == 1
    assert {i["id"]: i["v"] for i in result.items} == {1: 1, 2: 2, 3: 2}
