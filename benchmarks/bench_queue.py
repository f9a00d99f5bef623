"""The staff queue: keyset pagination stays flat however deep the page."""
import tempfile
from datetime import timedelta
from pathlib import Path

from benchmarks.harness import compare

ROWS = 20_000
DEPTH = 19_000


def _queue_with_rows():
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
    from conftest import make_test_app
    from portal import seed
    from portal.accounts.models import User
    from portal.clock import utcnow
    from portal.complaints import tracking
    from portal.complaints.models import Complaint
    from portal.db import database
    from portal.directory.models import Category, Opd

    app = make_test_app(Path(tempfile.mkdtemp()))
    with app.app_context():
        seed.seed_demo()
        opd, category = Opd.get(Opd.code == "DPUPR"), Category.get(Category.name == "Jalan rusak")
        start = utcnow() - timedelta(days=400)
        rows = [dict(code=tracking.new_code(), title=f"Jalan rusak {i}", body="Lubang besar. " * 5,
                     category=category.id, opd=opd.id, status="diteruskan", channel="web",
                     created_at=start + timedelta(minutes=30 * i), updated_at=start)
                for i in range(ROWS)]
        with database.atomic():
            for i in range(0, ROWS, 500):
                Complaint.insert_many(rows[i:i + 500]).execute()
        database.execute_sql("ANALYZE")
    return app, User.get(User.username == "operator.dpupr")


def bench_queue_depth():
    """Page 761 (after 19,000 rows) vs page 1, by keyset and, for contrast, by OFFSET."""
    from portal.complaints.models import Complaint
    from portal.workspace import queue as queues

    app, operator = _queue_with_rows()
    with app.app_context():
        deep = (Complaint.select().order_by(Complaint.created_at, Complaint.id)
                .offset(DEPTH - 1).limit(1).get())
        first = queues.Filters()
        after = queues.Filters.from_args({"setelah": queues._cursor(deep, first)})
        assert queues.page(operator, after)[0][0].id != queues.page(operator, first)[0][0].id

        def by_offset():
            query, order = queues._keyset(queues._base(operator).where(first.condition()), first)
            return list(query.order_by(*order).limit(queues.PAGE_SIZE).offset(DEPTH))

        keyset = compare(f"queue page after {DEPTH:,} rows (keyset)", "queue page 1",
                         lambda: queues.page(operator, first), lambda: queues.page(operator, after),
                         rounds=5, number=20)
        offset = compare(f"queue page after {DEPTH:,} rows (OFFSET, not used)", "queue page 1",
                         lambda: queues.page(operator, first), by_offset, rounds=5, number=20,
                         note="what the queue would cost with OFFSET paging")
    return [keyset, offset]
