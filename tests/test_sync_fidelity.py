"""Fidelity of what crosses a channel (issue 10.6): the remote received time
and status history, public reporter replies, "menunggu anggaran" with its
year and reason on every channel, and photo downloads only from the
channel's hosts, size-capped and streamed."""
from datetime import datetime

import pytest

from connector_env import by_external, configure, rabeg_sim, sp4n_sim  # noqa: F401
from connector_flow import forward
from portal.complaints import service as complaints
from portal.complaints.models import Complaint, TimelineEvent
from portal.directory.models import Bidang
from portal.sync import engine, intake, outbox
from portal.sync.intake import REMOTE_STATUS_KIND, REPLY_KIND
from portal.sync.items import to_utc
from portal.sync.models import DONE, OutboxItem


@pytest.fixture
def both(app, demo, sp4n_sim, rabeg_sim):  # noqa: F811
    configure(app, sp4n=sp4n_sim, rabeg=rabeg_sim)
    with app.app_context():
        yield sp4n_sim, rabeg_sim


def _remote(sim, complaint_id):
    return next(c for c in sim.state()["complaints"] if c["complaint_id"] == complaint_id)


def test_an_imported_complaint_keeps_its_received_time_and_status_history(both):
    sp4n, _rabeg = both
    assert engine.run_pass("sp4n").error == ""
    remote = _remote(sp4n, 48201)
    received = to_utc(datetime.fromisoformat(remote["created_at"]))
    complaint = by_external("sp4n", 48201)
    assert complaint.created_at == received
    created = TimelineEvent.get((TimelineEvent.complaint == complaint.id)
                                & (TimelineEvent.kind == "dibuat"))
    assert created.created_at == received
    history = list(TimelineEvent.select().where((TimelineEvent.complaint == complaint.id)
                                                & (TimelineEvent.kind == REMOTE_STATUS_KIND))
                   .order_by(TimelineEvent.created_at))
    logs = remote["data_logs"]
    assert [e.created_at for e in history] == [
        to_utc(datetime.fromisoformat(log["created_at"])) for log in logs]
    assert all(log["status_name"] in e.text for e, log in zip(history, logs, strict=False))
    engine.run_pass("sp4n")  # history is copied once
    assert TimelineEvent.select().where((TimelineEvent.complaint == complaint.id)
                                        & (TimelineEvent.kind == REMOTE_STATUS_KIND)).count() == len(logs)


def test_a_reporter_reply_from_a_channel_is_public(both, client):
    engine.run_pass("sp4n")
    reply = TimelineEvent.get(TimelineEvent.kind == REPLY_KIND)
    assert reply.public
    assert reply in list(complaints.public_events(Complaint.get_by_id(reply.complaint_id)))


def _to_budget_wait(complaint, year=2027, reason="Penggantian lampu masuk APBD perubahan."):
    complaint = forward(complaint)
    complaints.perform(complaint, "laporkan", role="operator", actor="Operator")
    bidang = Bidang.select().where(Bidang.opd == complaint.opd_id).first()
    complaints.perform(complaint, "disposisi", role="pimpinan", actor="Pimpinan", bidang=[bidang],
                       text="Mohon ditindaklanjuti.")
    complaints.perform(complaint, "tunggu_anggaran", role="kabid", actor="Kabid",
                       text=reason, budget_year=year)
    return Complaint.get_by_id(complaint.id)


def test_waiting_for_the_budget_reaches_every_channel_with_year_and_reason(both):
    sp4n, rabeg = both
    assert engine.run_pass("sp4n").error == "" and engine.run_pass("rabeg").error == ""
    from_sp4n = _to_budget_wait(by_external("sp4n", 48201))
    rabeg_id = next(r["id"] for r in rabeg.state()["reports"]
                    if r["opd_tujuan"] and by_external("rabeg", r["id"]).status == "baru")
    from_rabeg = _to_budget_wait(by_external("rabeg", rabeg_id))
    assert from_sp4n.status == from_rabeg.status == "menunggu_anggaran"
    for _ in range(4):
        outbox.deliver_due()
    assert OutboxItem.select().where(OutboxItem.state != DONE).count() == 0
    posted = [f["content"] for f in sp4n.state()["posted_followups"] if f["complaint_id"] == 48201]
    assert any("2027" in text and "APBD perubahan" in text for text in posted), posted
    report = next(r for r in rabeg.state()["reports"] if r["id"] == rabeg_id)
    ours = [t["isi"] for t in report["tanggapan"] if t["oleh"] == "opd"]
    assert any("2027" in text and "APBD perubahan" in text for text in ours), ours


def _ctx(app, sim, **config):
    return intake.Context(channel="sp4n", label="SP4N-LAPOR!",
                          config={"base_url": sim.base_url, "timeout": 2, **config},
                          upload_folder=app.config["UPLOAD_FOLDER"], **(
                              {"photo_max_bytes": config.pop("cap")} if "cap" in config else {}))


def test_photos_come_only_from_the_channels_hosts(both, app):
    sp4n, _rabeg = both
    url = _remote(sp4n, 48201)["attachments"][0]["url"]
    assert url.startswith("http://127.0.0.1:")
    assert len(intake.download_photos(_ctx(app, sp4n), [url])) == 1
    foreign = url.replace("127.0.0.1", "localhost")  # the same server under another name
    assert intake.download_photos(_ctx(app, sp4n), [foreign]) == []
    allowed = foreign.split("/")[2]
    assert len(intake.download_photos(_ctx(app, sp4n, photo_hosts=[allowed]), [foreign])) == 1
    assert intake.download_photos(_ctx(app, sp4n), ["file:///etc/passwd"]) == []


def test_a_photo_over_the_size_cap_is_skipped_unread(both, app, monkeypatch):
    sp4n, _rabeg = both
    url = _remote(sp4n, 48201)["attachments"][0]["url"]
    ctx = _ctx(app, sp4n)
    ctx.photo_max_bytes = 1000
    read = []
    real_iter = __import__("requests").Response.iter_content

    def counting(self, *args, **kwargs):
        for chunk in real_iter(self, *args, **kwargs):
            read.append(len(chunk))
            yield chunk

    monkeypatch.setattr("requests.Response.iter_content", counting)
    assert intake.download_photos(ctx, [url]) == []
    assert sum(read) <= 64 * 1024  # at most one chunk was read past the cap
