"""/statistik reads the aggregate tables: its cost follows the number of
cells (month x OPD x category x channel), not the number of complaints.
The leaders' dashboard (/staf/dasbor) reads the maintained facts of the
complaints in its date range with a few grouped queries (on time per step,
queue opening, the breakdown), never a timeline per complaint.

ADUAN_BENCH_STATISTICS_ROWS sets how many complaints (default 200,000, or
20,000 with BENCH_QUICK=1; 1,000,000 takes several minutes to load on a
small machine).
"""
import os
import random
import tempfile
from datetime import datetime, timedelta
from pathlib import Path

from benchmarks.harness import compare

QUICK = os.environ.get("BENCH_QUICK") == "1"
ROWS = int(os.environ.get("ADUAN_BENCH_STATISTICS_ROWS", "20000" if QUICK else "200000"))
DASHBOARD = "/staf/dasbor?dari=2026-01-01&sampai=2026-12-31"
YEARS = (2022, 2023, 2024, 2025, 2026)
CHANNELS = ("web", "sp4n", "rabeg", "whatsapp")


def _city_with_complaints():
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
    from conftest import make_test_app
    from portal import seed
    from portal.complaints.models import Complaint
    from portal.db import database
    from portal.directory.models import Category, Opd
    from portal.statistics import facts
    from portal.statistics.models import StatFact

    app = make_test_app(Path(tempfile.mkdtemp()))
    rng = random.Random(13)
    with app.app_context():
        credentials = seed.seed_demo()
        opds = [o.id for o in Opd.select()]
        categories = [c.id for c in Category.select()]
        now = datetime(2026, 11, 30)
        batch = 2000
        with database.atomic():
            for start in range(0, ROWS, batch):
                complaints, rows = [], []
                for i in range(start, min(start + batch, ROWS)):
                    year = rng.choice(YEARS)
                    created = datetime(year, rng.randint(1, 12), rng.randint(1, 28), 3)
                    forwarded = rng.random() < 0.85
                    resolved = forwarded and rng.random() < 0.7
                    open_ = not resolved and rng.random() < 0.3
                    complaints.append(dict(
                        id=i + 1, code=f"B{i:09d}", title="Jalan rusak", body="Lubang.",
                        category=rng.choice(categories),
                        opd=rng.choice(opds) if forwarded else None,
                        channel=rng.choice(CHANNELS), status="diteruskan" if open_ else "selesai",
                        created_at=created, updated_at=created,
                        due_at=now - timedelta(days=rng.randint(-10, 30)) if open_ else None,
                        due_stage="tanggapan_awal" if open_ else None,
                        confidential=rng.random() < 0.02))
                    c = complaints[-1]
                    rows.append(dict(
                        complaint=i + 1, year=year, month=created.month, opd_id=c["opd"] or 0,
                        category_id=c["category"], channel=c["channel"],
                        confidential=c["confidential"], forwarded=forwarded,
                        followed_up=resolved, resolved_photo=resolved and rng.random() < 0.8,
                        first_response_days=rng.randint(0, 12) if forwarded else None,
                        resolution_days=rng.randint(1, 40) if resolved else None,
                        waiting_budget_year=year + 1 if rng.random() < 0.01 else None,
                        rating=rng.randint(1, 5) if resolved and rng.random() < 0.3 else None,
                        updated_at=now, **_punctuality(rng, created, forwarded, resolved)))
                Complaint.insert_many(complaints).execute()
                StatFact.insert_many(rows).execute()
        facts.resum_all()
        facts.refresh_overdue(now)
        database.execute_sql("ANALYZE")
        one = Complaint.select().where(Complaint.status == "diteruskan").first().id
    admin = next(password for name, _role, password in credentials if name == "admin")
    return app, one, admin


def _punctuality(rng, created, forwarded, resolved) -> dict:
    """Plausible due and done moments of each step and of the queue opening."""
    row = {"penerusan_due": created + timedelta(days=5),
           "penerusan_at": created + timedelta(hours=rng.randint(1, 200)) if forwarded else None}
    if forwarded:
        arrived = row["penerusan_at"]
        for step, days in (("laporan", 7), ("disposisi", 20), ("tindak_lanjut", 20),
                           ("publikasi", 20)):
            row[f"{step}_due"] = arrived + timedelta(days=days)
            row[f"{step}_at"] = (arrived + timedelta(hours=rng.randint(2, 600))
                                 if resolved else None)
        opened = rng.random() < 0.9
        row.update(queue_arrived_at=arrived, queue_day_due=arrived + timedelta(hours=8),
                   queue_slot_due=arrived + timedelta(hours=4),
                   queue_opened_at=arrived + timedelta(minutes=rng.randint(5, 3000))
                   if opened else None,
                   queue_wait_minutes=rng.randint(5, 3000) if opened else None)
    return row


def bench_statistics_page():
    from peewee import fn

    from portal.complaints.models import Complaint
    from portal.statistics import facts
    from portal.statistics.models import StatCell

    app, one, admin = _city_with_complaints()
    from staff_helpers import login  # tests/ is on the path from here on

    client = app.test_client()
    staff = app.test_client()
    login(staff, "admin", admin)
    assert staff.get(DASHBOARD).status_code == 200
    assert client.get("/statistik?tahun=2025").status_code == 200
    with app.app_context():
        cells = StatCell.select().count()
    note = f"{ROWS:,} complaints in {cells:,} aggregate rows"
    results = [
        compare(f"/statistik?tahun=2025, {ROWS:,} complaints", "GET /healthz",
                lambda: client.get("/healthz"), lambda: client.get("/statistik?tahun=2025"),
                rounds=5, number=5, note=note),
        compare(f"/statistik (all years), {ROWS:,} complaints", "GET /healthz",
                lambda: client.get("/healthz"), lambda: client.get("/statistik"),
                rounds=5, number=5, note=note),
        compare(f"/staf/dasbor for 2026 (on time per step, queue, by month), {ROWS:,} "
                "complaints", "GET /healthz", lambda: client.get("/healthz"),
                lambda: staff.get(DASHBOARD), rounds=3, number=3,
                note="grouped queries over the facts of one year, as the admin sees them"),
        compare(f"/staf/dasbor for 2026 by category, {ROWS:,} complaints", "GET /healthz",
                lambda: client.get("/healthz"),
                lambda: staff.get(DASHBOARD + "&kelompok=kategori"), rounds=3, number=3,
                note="the breakdown grouped another way"),
    ]
    with app.app_context():
        def per_request_grouping():
            # What the page would cost counting complaints on each request
            # (one of its many groupings only); not used.
            return list(Complaint.select(Complaint.opd, Complaint.category, Complaint.channel,
                                         fn.COUNT(Complaint.id))
                        .group_by(Complaint.opd, Complaint.category, Complaint.channel).tuples())

        results.append(compare(
            "one grouping counted from `complaint` (not used)", "GET /statistik from cells",
            lambda: client.get("/statistik"), per_request_grouping, rounds=3, number=2,
            note="what recomputing per request would cost, for a single grouping"))
        results.append(compare(
            "refresh one complaint's facts and cells", "GET /healthz",
            lambda: client.get("/healthz"), lambda: facts.refresh_complaint(one),
            rounds=5, number=10, note="the worker's cost per timeline event"))
    return results
