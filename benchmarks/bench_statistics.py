"""/statistik reads the aggregate tables: its cost follows the number of
cells (month x OPD x category x channel), not the number of complaints.

ADUAN_BENCH_STATISTICS_ROWS sets how many complaints (default 200,000;
1,000,000 takes several minutes to load on a small machine).
"""
import os
import random
import tempfile
from datetime import datetime, timedelta
from pathlib import Path

from benchmarks.harness import compare

ROWS = int(os.environ.get("ADUAN_BENCH_STATISTICS_ROWS", "200000"))
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
        seed.seed_demo()
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
                        updated_at=now))
                Complaint.insert_many(complaints).execute()
                StatFact.insert_many(rows).execute()
        facts.resum_all()
        facts.refresh_overdue(now)
        database.execute_sql("ANALYZE")
        one = Complaint.select().where(Complaint.status == "diteruskan").first().id
    return app, one


def bench_statistics_page():
    from peewee import fn

    from portal.complaints.models import Complaint
    from portal.statistics import facts
    from portal.statistics.models import StatCell

    app, one = _city_with_complaints()
    client = app.test_client()
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
