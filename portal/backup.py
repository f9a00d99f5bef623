"""`flask backup DEST` and `flask restore SRC`: the database, the photos
and a manifest with a SHA-256 checksum of every file.

The dump is portable and peewee-level rather than pg_dump/sqlite3: every
table the database holds (including the migration history), row by row,
as JSON lines, so one tool works on SQLite and on PostgreSQL and needs no
client binaries on the host.  A backup restores into the same kind of
database it was taken from.  The task queue (Huey) is not included: tasks
are transient, and the periodic ones re-create their work.

Layout of DEST (a new or empty directory):
    manifest.json        format, created_at, database kind, tables and row
                         counts, {relative path: sha256} of every other file
    database/<table>.jsonl
    photos/<name>.jpg
"""
import base64
import hashlib
import json
from datetime import date, datetime, time, timezone
from decimal import Decimal
from pathlib import Path

from peewee import PostgresqlDatabase

from portal.complaints.storage import storage_for

FORMAT = "aduan-backup/1"
# Columns the database computes itself (PostgreSQL's search column, migration
# 100): never written, so never copied.
DERIVED_COLUMNS = {("complaint", "search_doc")}


class BackupError(RuntimeError):
    """The backup is missing, damaged, or does not fit this database."""


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _encode(value):
    if isinstance(value, datetime):
        return {"$dt": value.isoformat()}
    if isinstance(value, date):
        return {"$d": value.isoformat()}
    if isinstance(value, time):
        return {"$t": value.isoformat()}
    if isinstance(value, Decimal):
        return {"$dec": str(value)}
    if isinstance(value, (bytes, bytearray, memoryview)):
        return {"$b": base64.b64encode(bytes(value)).decode()}
    return value


def _decode(value):
    if isinstance(value, dict) and len(value) == 1:
        (kind, text), = value.items()
        if kind == "$dt":
            return datetime.fromisoformat(text)
        if kind == "$d":
            return date.fromisoformat(text)
        if kind == "$t":
            return time.fromisoformat(text)
        if kind == "$dec":
            return Decimal(text)
        if kind == "$b":
            return base64.b64decode(text)
    return value


def _kind(db) -> str:
    return "postgresql" if isinstance(db, PostgresqlDatabase) else "sqlite"


def _quote(db, name: str) -> str:
    # Table and column names come from the database itself, never from input.
    return '"' + name.replace('"', '""') + '"'


# Kept by the database itself from the complaint rows (migration 030's
# triggers and full-text index): never copied, rebuilt after a restore.
DERIVED = ("complaint_tally", "queue_version", "page_version")
DERIVED_PREFIX = "complaint_fts"


def _derived(table: str) -> bool:
    return table in DERIVED or table.startswith(DERIVED_PREFIX)


def _rebuild_derived(db) -> None:
    tables = set(db.get_tables())
    if "complaint_tally" in tables:
        db.execute_sql("DELETE FROM complaint_tally")
        db.execute_sql("INSERT INTO complaint_tally (opd_id, status, channel, n) "
                       "SELECT COALESCE(opd_id, 0), status, channel, COUNT(*) FROM complaint "
                       "GROUP BY 1, 2, 3")
    if "complaint_fts" in tables:
        db.execute_sql("INSERT INTO complaint_fts (complaint_fts) VALUES ('rebuild')")


def _tables_in_order(db) -> list[str]:
    """Every table but the derived ones, referenced tables before those that refer to them."""
    tables = sorted(t for t in db.get_tables() if not _derived(t))
    depends = {t: {fk.dest_table for fk in db.get_foreign_keys(t)} - {t} for t in tables}
    ordered, placed = [], set()
    while len(ordered) < len(tables):
        ready = [t for t in tables if t not in placed and depends[t] <= placed]
        if not ready:  # a cycle: keep going, the restore relaxes the checks
            ready = [next(t for t in tables if t not in placed)]
        for table in ready:
            ordered.append(table)
            placed.add(table)
    return ordered


def backup(db, upload_folder: str | Path, dest: str | Path) -> dict:
    """Write a backup of `db` and the photos into `dest`; return the manifest."""
    dest = Path(dest)
    if dest.exists() and any(dest.iterdir()):
        raise BackupError(f"{dest} is not empty")
    (dest / "database").mkdir(parents=True)
    (dest / "photos").mkdir()
    counts = {}
    # One transaction: the tables are read as of one moment.
    with db.atomic():
        for table in _tables_in_order(db):
            names = [c.name for c in db.get_columns(table) if (table, c.name) not in DERIVED_COLUMNS]
            cursor = db.execute_sql(f"SELECT {', '.join(_quote(db, n) for n in names)} "
                                    f"FROM {_quote(db, table)} ORDER BY 1")
            columns = [c[0] for c in cursor.description]
            n = 0
            with open(dest / "database" / f"{table}.jsonl", "w", encoding="utf-8") as out:
                out.write(json.dumps(columns) + "\n")
                for row in cursor:
                    out.write(json.dumps([_encode(v) for v in row], ensure_ascii=False) + "\n")
                    n += 1
            counts[table] = n
    store = storage_for(upload_folder)
    for name in store.names():
        (dest / "photos" / name).write_bytes(store.read(name))
    files = {str(p.relative_to(dest)): _sha256(p)
             for p in sorted(dest.rglob("*")) if p.is_file()}
    manifest = {"format": FORMAT, "created_at": datetime.now(timezone.utc).isoformat(),
                "database": _kind(db), "tables": list(counts), "rows": counts,
                "photos": len(store.names()), "files": files}
    (dest / "manifest.json").write_text(json.dumps(manifest, indent=1, sort_keys=True))
    return manifest


def verify(src: str | Path) -> dict:
    """The manifest of `src`, after checking every file against it."""
    src = Path(src)
    try:
        manifest = json.loads((src / "manifest.json").read_text())
    except (OSError, ValueError) as exc:
        raise BackupError(f"no readable manifest.json in {src}: {exc}") from None
    if manifest.get("format") != FORMAT:
        raise BackupError(f"unknown backup format {manifest.get('format')!r}")
    present = {str(p.relative_to(src)) for p in src.rglob("*")
               if p.is_file() and p.name != "manifest.json"}
    if present != set(manifest["files"]):
        raise BackupError(f"files differ from the manifest: "
                          f"{sorted(present ^ set(manifest['files']))[:5]}")
    for name, checksum in manifest["files"].items():
        if _sha256(src / name) != checksum:
            raise BackupError(f"checksum mismatch: {name}")
    return manifest


def restore(db, upload_folder: str | Path, src: str | Path) -> dict:
    """Replace the database's rows and the photos with the backup in `src`.

    The schema must already be there (`flask db upgrade`); every table of
    the backup is emptied and refilled in one transaction, so a failure
    leaves the database as it was.
    """
    src = Path(src)
    manifest = verify(src)
    if manifest["database"] != _kind(db):
        raise BackupError(f"the backup is of a {manifest['database']} database, "
                          f"this one is {_kind(db)}")
    missing = set(manifest["tables"]) - set(db.get_tables())
    if missing:
        raise BackupError(f"tables missing here (run `flask db upgrade`): {sorted(missing)}")
    postgres = _kind(db) == "postgresql"
    order = [t for t in _tables_in_order(db) if t in manifest["tables"]]
    if not postgres:
        db.execute_sql("PRAGMA foreign_keys = OFF")  # outside a transaction, or it is ignored
    try:
        with db.atomic():
            if postgres:
                db.execute_sql("SET CONSTRAINTS ALL DEFERRED")
            for table in reversed(order):
                db.execute_sql(f"DELETE FROM {_quote(db, table)}")
            for table in order:
                _load_table(db, table, src / "database" / f"{table}.jsonl")
            if postgres:
                _reset_sequences(db, order)
            _rebuild_derived(db)
    finally:
        if not postgres:
            db.execute_sql("PRAGMA foreign_keys = ON")
    store = storage_for(upload_folder)
    wanted = {Path(name).name for name in manifest["files"] if name.startswith("photos/")}
    for name in wanted:
        store.write(name, (src / "photos" / name).read_bytes())
    for name in set(store.names()) - wanted:
        store.delete(name)
    return manifest


def _load_table(db, table: str, path: Path) -> None:
    with open(path, encoding="utf-8") as rows:
        columns = json.loads(rows.readline())
        names = ", ".join(_quote(db, c) for c in columns)
        marks = ", ".join([db.param] * len(columns))
        sql = f"INSERT INTO {_quote(db, table)} ({names}) VALUES ({marks})"
        batch = []
        for line in rows:
            batch.append([_decode(v) for v in json.loads(line)])
            if len(batch) == 500:
                db.cursor().executemany(sql, batch)
                batch = []
        if batch:
            db.cursor().executemany(sql, batch)


def _reset_sequences(db, tables) -> None:
    """Serial columns continue after the restored ids, not at 1."""
    for table in tables:
        for column in db.get_columns(table):
            cursor = db.execute_sql("SELECT pg_get_serial_sequence(%s, %s)",
                                    (_quote(db, table), column.name))
            sequence = cursor.fetchone()[0]
            if sequence:
                db.execute_sql(f"SELECT setval(%s, COALESCE((SELECT MAX({_quote(db, column.name)}) "
                               f"FROM {_quote(db, table)}), 1), "
                               f"(SELECT COUNT(*) > 0 FROM {_quote(db, table)}))", (sequence,))
