"""Fill a database with realistic complaints fast: one `INSERT ... SELECT`
per batch over a generated sequence (recursive CTE on SQLite,
`generate_series` on PostgreSQL), no Python per row.

Distributions, roughly a city after three years:
- statuses: most closed (ditutup 55 %), the rest spread over the workflow;
- OPDs: DPUPR takes a third (roads and drains), the rest share; new
  complaints (baru) have no OPD yet;
- created over the last three years in id order, due dates following the
  stage of each status, a fifth of the open ones overdue;
- titles from a vocabulary where "jalan" is common (about 30 % of titles)
  and "kucing" rare (1 in 10,000);
- one "dibuat" timeline event per complaint.

Rows older than a day past their thresholds are marked as already escalated
and reminded, as a running installation would have them, so the periodic
passes see a day's worth of new work, not three years'.

`python -m benchmarks.datagen URL N` adds N complaints to the database at URL
(migrated and seeded first when empty).
"""
import random
import secrets
import sys
import time
from datetime import datetime, timedelta

BATCH = 100_000
STATUSES = [  # (status, weight %, due stage or None, open)
    ("ditutup", 55, None), ("selesai", 5, "balasan_pelapor"), ("ditolak", 5, None),
    ("diarsipkan", 2, None), ("baru", 3, "verifikasi"), ("tunda", 3, None),
    ("diteruskan", 10, "tanggapan_awal"), ("dilaporkan", 5, "tindak_lanjut"),
    ("didisposisi", 5, "tindak_lanjut"), ("menunggu_anggaran", 4, None),
    ("ditindaklanjuti", 3, "tindak_lanjut"),
]
OPD_WEIGHTS = {"DPUPR": 35, "DISHUB": 20, "DLH": 15, "DINSOS": 8, "DISDUKCAPIL": 8,
               "DISPERINDAGKOP": 6, "DINKES": 5, "DISKOMINFO": 3}
SUBJECTS = ["Lampu", "Lubang", "Sampah", "Banjir", "Parkir", "Antrean", "Bantuan", "Pasar",
            "Drainase", "Trotoar", "Pohon", "Genangan", "Kemacetan", "Pelayanan", "Bau"]
PLACES = ["Ciceri", "Kaligandu", "Cipocok", "Kasemen", "Walantaka", "Taktakan", "Curug",
          "Serang", "Unyur", "Kepandean", "Sumurpecung", "Lontar"]
OLD_STATUSES = [("ditutup", 85), ("ditolak", 8), ("diarsipkan", 4), ("menunggu_anggaran", 2),
                ("diteruskan", 1)]
RECENT_DAYS = 90
COMMON, RARE = "jalan", "kucing"
SPAN_DAYS = 3 * 365


def _is_sqlite(db) -> bool:
    from peewee import SqliteDatabase

    return isinstance(db, SqliteDatabase)


def _case(rnd: str, choices: list[tuple[str, int]]) -> str:
    """A CASE picking a SQL expression by weight from `rnd` in [0, 100)."""
    parts, upto = [], 0
    for expression, weight in choices:
        upto += weight
        parts.append(f"WHEN {rnd} < {upto} THEN {expression}")
    return f"(CASE {' '.join(parts)} ELSE {choices[-1][0]} END)"


def _pick(rnd: str, values: list[str]) -> str:
    return f"(CASE {rnd} % {len(values)} " + " ".join(
        f"WHEN {i} THEN '{v}'" for i, v in enumerate(values)) + " END)"


def fill(db, count: int, now: datetime | None = None) -> float:
    """Add `count` complaints (and their first events); the seconds it took."""
    from portal.directory.models import Category, Opd

    started = time.perf_counter()
    now = now or datetime.utcnow()
    sqlite = _is_sqlite(db)
    opds = {o.code: o.id for o in Opd.select()}
    categories = [c.id for c in Category.select()]
    base = db.execute_sql("SELECT COALESCE(MAX(id), 0) FROM complaint").fetchone()[0]
    start = now - timedelta(days=SPAN_DAYS)
    if sqlite:
        rnd = "(abs(random()) % 100)"
        rnd_n = "abs(random())"
        ts = lambda expr: f"datetime('{start:%Y-%m-%d %H:%M:%S}', '+' || ({expr}) || ' seconds')"  # noqa: E731
        add_days = lambda t, days: f"datetime({t}, '+' || ({days}) || ' days')"  # noqa: E731
        concat = " || "
    else:
        rnd = "floor(random() * 100)::int"
        rnd_n = "floor(random() * 2000000000)::bigint"
        ts = lambda expr: f"(TIMESTAMP '{start:%Y-%m-%d %H:%M:%S}' + ({expr}) * INTERVAL '1 second')"  # noqa: E731
        add_days = lambda t, days: f"({t} + ({days}) * INTERVAL '1 day')"  # noqa: E731
        concat = " || "
    # Complaints older than RECENT_DAYS are nearly all finished: an open
    # complaint from two years ago is the exception, not a third of the table.
    old_rows = int(count * (SPAN_DAYS - RECENT_DAYS) / SPAN_DAYS)
    status = (f"(CASE WHEN i <= {old_rows} THEN "
              + _case("r_status", [(f"'{s}'", w) for s, w in OLD_STATUSES])
              + " ELSE " + _case("r_status", [(f"'{s}'", w) for s, w, _stage in STATUSES])
              + " END)")
    opd = _case("r_opd", [(str(opds[c]), w) for c, w in OPD_WEIGHTS.items() if c in opds])
    stage = "(CASE status " + " ".join(
        f"WHEN '{s}' THEN '{stage}'" for s, _w, stage in STATUSES if stage) + " ELSE NULL END)"
    title = (f"{_pick('r_a', SUBJECTS)}{concat}' '{concat}"
             f"(CASE WHEN r_b < 30 THEN '{COMMON} ' ELSE '' END){concat}"
             f"(CASE WHEN (i + {base}) % 10000 = 7 THEN '{RARE} ' ELSE '' END){concat}"
             f"'di '{concat}{_pick('r_c', PLACES)}")
    body = (f"'Mohon ditindaklanjuti, kondisi di '{concat}{_pick('r_c', PLACES)}{concat}"
            f"' sudah berlangsung lama dan mengganggu warga sekitar.'")
    seconds_per_row = SPAN_DAYS * 86400 / max(count, 1)
    created = ts(f"CAST((i - 1) * {seconds_per_row:.4f} AS INTEGER)")
    # Due: 3 to 60 days after creation for the open stages; a reply window of 14 days.
    due = (f"(CASE WHEN stage IS NULL THEN NULL "
           f"ELSE {add_days('created_at', '3 + r_due % 58')} END)")
    twice = f"(CASE WHEN stage IS NULL THEN NULL ELSE {add_days('created_at', '6 + r_due % 116')} END)"
    yesterday = f"'{now - timedelta(days=1):%Y-%m-%d %H:%M:%S}'"
    if not sqlite:
        yesterday = f"TIMESTAMP {yesterday}"
    if sqlite:
        seq = "WITH RECURSIVE seq(i) AS (SELECT {lo} UNION ALL SELECT i + 1 FROM seq WHERE i < {hi}), "
        source = "seq"
    else:
        seq = "WITH "
        source = "generate_series({lo}, {hi}) AS seq(i)"
    category_case = _pick("r_cat", [str(c) for c in categories]).replace("'", "")
    inner = (f"SELECT i, {rnd} AS r_status, {rnd} AS r_opd, {rnd_n} AS r_a, {rnd} AS r_b, "
             f"{rnd_n} AS r_c, {rnd_n} AS r_cat, {rnd_n} AS r_due FROM {source}")
    # Materialized: otherwise SQLite flattens the subquery and draws a new
    # random() wherever a column is used (a status "ditutup" with a reply window).
    seq += f"r AS MATERIALIZED ({inner})"
    with_status = f"SELECT s.*, {status} AS status FROM r s"
    with_stage = f"SELECT t.*, {stage} AS stage, {created} AS created_at FROM ({with_status}) t"
    with_due = f"SELECT u.*, {due} AS due_at, {twice} AS twice_at FROM ({with_stage}) u"
    code = (f"printf('G%09d', i + {base})" if sqlite
            else f"'G' || lpad((i + {base})::text, 9, '0')")
    false, true = ("0", "1") if sqlite else ("false", "true")
    insert = (
        "INSERT INTO complaint (code, title, body, classification, category_id, location, "
        "anonymous, confidential, reporter_name, reporter_contact, channel, opd_id, status, "
        "created_at, updated_at, due_at, due_stage, escalate_admin_at, field_inspection, "
        "severity, escalation_level, reminder_sent, budget_year) "
        f"{seq} SELECT {code}, {title}, {body}, 'pengaduan', {category_case}, '', "
        f"{false}, {false}, 'Warga', '', (CASE WHEN r_b % 10 = 3 THEN 'lapor' ELSE 'web' END), "
        f"(CASE WHEN status = 'baru' THEN NULL ELSE {opd} END), status, created_at, created_at, "
        f"due_at, stage, twice_at, {false}, '', "
        f"(CASE WHEN twice_at < {yesterday} THEN 2 WHEN due_at < {yesterday} THEN 1 ELSE 0 END), "
        f"(CASE WHEN due_at < {yesterday} THEN {true} ELSE {false} END), "
        f"(CASE WHEN status = 'menunggu_anggaran' THEN {now.year + 1} ELSE NULL END) "
        f"FROM ({with_due}) v"
    )
    done = 0
    while done < count:
        n = min(BATCH, count - done)
        first = base + done
        with db.atomic():
            sql = insert.replace("{lo}", str(done + 1)).replace("{hi}", str(done + n))
            # psycopg2 formats even without parameters: its % must be doubled.
            db.execute_sql(sql if sqlite else sql.replace("%", "%%"))
            db.execute_sql(
                "INSERT INTO timeline_event (complaint_id, created_at, actor, kind, text, public, "
                f"status_after) SELECT id, created_at, 'Pelapor', 'dibuat', '', {true}, 'baru' "
                f"FROM complaint WHERE id > {first}")
        done += n
    return time.perf_counter() - started


def open_bench_database(url: str):
    """The app's database at `url`, migrated and seeded; (app, db)."""
    import os
    import tempfile

    os.environ.setdefault("ADUAN_INSTANCE_PATH", tempfile.mkdtemp(prefix="aduan-bench-"))
    from portal import create_app, schema, seed
    from portal.db import database

    app = create_app({"DATABASE_URL": url, "SECRET_KEY": secrets.token_hex(32), "TESTING": False,
                      "LOAD_ENTRY_POINTS": False, "PASSWORD_PROFILE": "CHEAPEST",
                      "INSTANCE_PATH": os.environ["ADUAN_INSTANCE_PATH"]})
    with app.app_context():
        schema.upgrade(database.obj)
        seed.seed_demo()
    return app, database.obj


if __name__ == "__main__":
    url, count = sys.argv[1], int(sys.argv[2])
    app, db = open_bench_database(url)
    random.seed(1)
    with app.app_context():
        seconds = fill(db, count)
        from portal import schema

        schema.optimize(db)
        db.execute_sql("ANALYZE")
    print(f"{count:,} complaints in {seconds:.1f} s")
