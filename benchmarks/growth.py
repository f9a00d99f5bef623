"""Growth: the same requests at 10k, 100k and 1M complaints, p95 of each.

Run as `python -m benchmarks.growth URL SIZE [SIZE ...]` (one database per
process: the models sit on one global proxy); prints one JSON object per
line.  `bench_growth` in bench_growth.py drives it and builds the table.

Requests go through the Flask test client: the whole view (session, queries,
template, compression) without HTTP.  The periodic passes and the query plans
are taken at the largest size.
"""
import json
import os
import random
import re
import sys
import time
from pathlib import Path

REQUESTS = int(os.environ.get("BENCH_GROWTH_REQUESTS", "40"))


def p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]


def timed(fn, n=REQUESTS) -> float:
    fn()  # warm
    samples = []
    for _ in range(n):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return p95(samples)


def login(client, username, password):
    page = client.get("/staf/masuk").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    response = client.post("/staf/masuk", data={"username": username, "password": password,
                                                "csrf_token": token})
    assert response.status_code == 303, response.status_code


def measure(app, db, credentials: dict) -> dict:
    from portal.complaints.models import Complaint

    admin, operator = app.test_client(), app.test_client()
    login(admin, "admin", credentials["admin"])
    login(operator, "operator.dpupr", credentials["operator.dpupr"])
    with app.app_context():
        highest = Complaint.select(Complaint.id).order_by(Complaint.id.desc()).get().id
        codes = [c.display_code for c in Complaint.select(Complaint.code).where(
            Complaint.id.in_([random.randint(1, highest) for _ in range(REQUESTS * 2)]))]
    tracking = app.test_client()

    def ok(response, status=200):
        assert response.status_code == status, (response.status_code, response.request.path)
        return response

    def refresh():
        # The ETag changes on the hour (overdue badges): take it just before.
        etag = ok(operator.get("/staf/antrean")).headers["ETag"]
        return lambda: ok(operator.get("/staf/antrean", headers={"If-None-Match": etag}), 304)

    return {
        "tracking page": timed(lambda: ok(tracking.get(f"/lacak/{random.choice(codes)}"))),
        "queue page 1, admin": timed(lambda: ok(admin.get("/staf/antrean"))),
        "queue page 1, operator": timed(lambda: ok(operator.get("/staf/antrean"))),
        "text search, common word": timed(lambda: ok(admin.get("/staf/antrean?q=jalan"))),
        "text search, rare word": timed(lambda: ok(admin.get("/staf/antrean?q=kucing"))),
        "304 refresh of the queue": timed(refresh()),
    }


def periodic(app, db) -> dict:
    """Each pass twice: with the work a day brings, then with nothing new."""
    from portal.deadlines import escalation, reminders

    counted = {"n": 0}
    real = db.execute_sql

    def counting(sql, params=None, *args, **kwargs):
        counted["n"] += 1
        return real(sql, params, *args, **kwargs)

    db.execute_sql = counting
    results = {}
    try:
        with app.test_request_context():
            for name, fn in (("escalation.run", escalation.run),
                             ("close_unanswered", escalation.close_unanswered),
                             ("reminders.run", reminders.run), ("digest", escalation.digest)):
                for label in ("", " (again, nothing new)"):
                    counted["n"] = 0
                    start = time.perf_counter()
                    done = fn()
                    results[name + label] = {"seconds": time.perf_counter() - start,
                                             "queries": counted["n"], "items": len(done)}
    finally:
        db.execute_sql = real
    return results


def plans(app, db) -> dict:
    """EXPLAIN of the queue's queries for the operator and the admin."""
    from portal.accounts.models import User
    from portal.workspace import queue as queues

    out = {}
    sqlite = "sqlite" in type(db).__name__.lower()
    explain = "EXPLAIN QUERY PLAN " if sqlite else "EXPLAIN "
    with app.app_context():
        operator = User.get(User.username == "operator.dpupr")
        admin = User.get(User.username == "admin")
        cases = {
            "operator page 1": (operator, queues.Filters()),
            "admin page 1": (admin, queues.Filters()),
            "operator, status filter, due-date order": (
                operator, queues.Filters(status="diteruskan", sort="tenggat")),
            "admin, search 'jalan'": (admin, queues.Filters(q="jalan")),
            "admin, search 'kucing'": (admin, queues.Filters(q="kucing")),
        }
        for name, (user, filters) in cases.items():
            query, order = queues._keyset(queues._base(user).where(filters.condition()), filters)
            sql, params = query.order_by(*order).limit(queues.PAGE_SIZE + 1).sql()
            rows = db.execute_sql(explain + sql, params).fetchall()
            out[name] = [" | ".join(str(c) for c in row[-1:]) for row in rows]
    return out


def keep_connection(app) -> bool:
    """Growth is about the queries: measure with the connection kept across
    requests (as the server will once portal.db stops closing it after each
    request), or PostgreSQL's connect time hides everything else."""
    if os.environ.get("BENCH_CLOSE_CONNECTION") == "1":
        return False
    funcs = app.teardown_appcontext_funcs
    closers = [f for f in funcs if f.__module__ == "portal.db" and f.__name__ == "_close"]
    for f in closers:
        funcs.remove(f)
    return bool(closers)


def main(url: str, sizes: list[int]) -> None:
    from benchmarks.datagen import fill, open_bench_database
    from portal import schema

    random.seed(11)
    os.environ.setdefault("ADUAN_LOG_LEVEL", "WARNING")
    app, db = open_bench_database(url)
    print(json.dumps({"kept_connection": keep_connection(app)}), flush=True)
    credentials = _reset_passwords(app)
    with app.app_context():  # an existing database is grown, not refilled
        have = db.execute_sql("SELECT COUNT(*) FROM complaint").fetchone()[0]
    for size in sizes:
        if size > have:
            with app.app_context():
                seconds = fill(db, size - have)
                schema.optimize(db)
                db.execute_sql("ANALYZE")
            have = size
            print(json.dumps({"size": size, "fill_seconds": seconds}), flush=True)
        print(json.dumps({"size": size, "p95": measure(app, db, credentials)}), flush=True)
    print(json.dumps({"size": have, "plans": plans(app, db)}), flush=True)
    print(json.dumps({"size": have, "periodic": periodic(app, db)}), flush=True)


def _reset_passwords(app) -> dict:
    from portal.accounts import users
    from portal.accounts.models import User

    credentials = {}
    with app.app_context():
        for name in ("admin", "operator.dpupr"):
            user = User.get(User.username == name)
            credentials[name] = users.reset_password(user)
    return credentials


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    main(sys.argv[1], [int(s) for s in sys.argv[2:]])
