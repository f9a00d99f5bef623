"""Rows for the CSV and JSON exports, written as streams.

Two kinds: the public open data (one year, from the statistics facts: no
text, no location, no reporter, no tracking code, nothing of confidential
complaints) and the admin's export of what the queue's filters show (no
reporter identity either: a spreadsheet travels further than the portal).
"""
import csv
import io
import json
from datetime import UTC

from peewee import JOIN

from portal.complaints import workflow
from portal.complaints.models import Complaint
from portal.deadlines import sla
from portal.directory.models import Category, Opd
from portal.statistics.models import StatFact
from portal.statistics.stages import STAGES

BOM = "\ufeff"  # Excel reads UTF-8 only with it
BATCH = 1000
# A cell starting with one of these is a formula to a spreadsheet; a
# citizen's title must never run as one on an admin's computer.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

OPEN_DATA_COLUMNS = ("id", "tanggal_diterima", "tahun", "bulan", "kategori", "opd", "kanal",
                     "klasifikasi", "status", "diteruskan", "ditindaklanjuti",
                     "selesai_dengan_foto", "hari_kerja_tanggapan_awal",
                     "hari_kerja_penyelesaian", "menunggu_anggaran_tahun", "penilaian")
QUEUE_COLUMNS = ("kode", "diterima", "judul", "kategori", "opd", "kanal", "klasifikasi",
                 "status", "tenggat", "terlambat", "lokasi", "anonim", "rahasia")


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ya" if value else "tidak"
    text = str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def csv_stream(columns, rows):
    """UTF-8 CSV with a BOM, one chunk per batch of rows."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write(BOM)
    writer.writerow(columns)
    for i, row in enumerate(rows, 1):
        writer.writerow([_cell(row[c]) for c in columns])
        if i % 200 == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def json_stream(rows):
    """A JSON array written row by row."""
    yield "["
    for i, row in enumerate(rows):
        yield ("," if i else "") + "\n" + json.dumps(row, ensure_ascii=False, default=str)
    yield "\n]\n"


def _local(utc_naive, tz, fmt="%Y-%m-%d %H:%M"):
    if utc_naive is None:
        return None
    return utc_naive.replace(tzinfo=UTC).astimezone(tz).strftime(fmt)


def status_labels() -> dict:
    """Read in the request (the reader's language): the rows are written after it."""
    return {status: workflow.status_label(status) for status in workflow.STATUSES}


def open_data(year: int, labels: dict, tz):
    """The public rows of one year of receipt, oldest first, in batches by id.

    Runs while the response streams, after the request: `labels` and `tz`
    are read before, and nothing here needs the request."""
    opds = {o.id: o.name for o in Opd.select(Opd.id, Opd.name)}
    categories = {c.id: c.name for c in Category.select(Category.id, Category.name)}
    last = 0
    while True:
        batch = list(StatFact.select(StatFact, Complaint.created_at, Complaint.status,
                                     Complaint.classification)
                     .join(Complaint, on=(StatFact.complaint == Complaint.id))
                     .where((StatFact.year == year) & (StatFact.confidential == False)
                            & (StatFact.complaint > last))
                     .order_by(StatFact.complaint).limit(BATCH).objects())
        if not batch:
            return
        for f in batch:
            yield {
                "id": f.complaint_id, "tanggal_diterima": _local(f.created_at, tz, "%Y-%m-%d"),
                "tahun": f.year, "bulan": f.month, "kategori": categories.get(f.category_id),
                "opd": opds.get(f.opd_id), "kanal": f.channel, "klasifikasi": f.classification,
                "status": labels.get(f.status, f.status), "diteruskan": f.forwarded,
                "ditindaklanjuti": f.followed_up, "selesai_dengan_foto": f.resolved_photo,
                "hari_kerja_tanggapan_awal": f.first_response_days,
                "hari_kerja_penyelesaian": f.resolution_days,
                "menunggu_anggaran_tahun": f.waiting_budget_year, "penilaian": f.rating,
            }
        last = batch[-1].complaint_id


def queue_rows(condition, now, labels: dict, tz):
    """Every complaint matching the queue's `condition`, oldest first (as `open_data`,
    it runs while the response streams)."""
    query = (Complaint.select(Complaint, Category, Opd)
             .join(Category, JOIN.LEFT_OUTER, on=(Complaint.category == Category.id))
             .switch(Complaint)
             .join(Opd, JOIN.LEFT_OUTER, on=(Complaint.opd == Opd.id))
             .where(condition).order_by(Complaint.created_at, Complaint.id))
    for c in query.iterator():
        yield {
            "kode": c.display_code, "diterima": _local(c.created_at, tz), "judul": c.title,
            "kategori": c.category.name if c.category_id else None,
            "opd": c.opd.name if c.opd_id else None, "kanal": c.channel,
            "klasifikasi": c.classification, "status": labels.get(c.status, c.status),
            "tenggat": _local(c.due_at, tz),
            "terlambat": bool(c.due_at and c.due_at < now and c.due_stage != sla.REPORTER_REPLY
                              and c.status in workflow.OPEN_STATUSES),
            "lokasi": c.location, "anonim": c.anonymous, "rahasia": c.confidential,
        }


DASHBOARD_COLUMNS = (
    "tabel", "nama", "diterima", "dibuka_median_hk", "tanggapan_awal_median_hk",
    "tanggapan_awal_p90_hk", "masih_terbuka", "umur_0_7_hari", "umur_8_30_hari",
    "umur_31_90_hari", "umur_lebih_90_hari",
    *(f"tepat_waktu_{stage}_persen" for stage in STAGES),
    "antrean_tiba", "antrean_dibuka", "antrean_median_jam_kerja", "antrean_hari_sama_persen",
    "antrean_sesuai_jam_buka_persen", "ditindaklanjuti_persen", "tepat_waktu_persen",
    "kode", "tahun_anggaran", "judul", "lokasi")
AGE_COLUMNS = DASHBOARD_COLUMNS[7:11]


def dashboard_rows(board, confidential_label: str):
    """The rows the dashboard shows for its filters, table by table: per OPD,
    the grouping chosen, and the complaints waiting for a budget.  No
    reporter, ever; of a confidential complaint only that it waits, and for
    which year (its OPD, code, title and place are its content)."""
    blank = dict.fromkeys(DASHBOARD_COLUMNS)
    for r in board.rows:
        t = r.timing
        yield {**blank, "tabel": "opd", "nama": r.name, "diterima": r.received,
               "dibuka_median_hk": r.opening_median,
               "tanggapan_awal_median_hk": r.response_median,
               "tanggapan_awal_p90_hk": r.response_p90, "masih_terbuka": r.open_total,
               **dict(zip(AGE_COLUMNS, r.ages, strict=True)),
               **{f"tepat_waktu_{stage}_persen": t.step_rate(stage) for stage in STAGES},
               "antrean_tiba": t.arrived, "antrean_dibuka": t.opened,
               "antrean_median_jam_kerja": t.wait_median_hours,
               "antrean_hari_sama_persen": t.same_day_rate,
               "antrean_sesuai_jam_buka_persen": t.by_slot_rate}
    for g in board.groups:
        yield {**blank, "tabel": f"menurut_{board.filters.group}", "nama": g.label,
               "diterima": g.received, "ditindaklanjuti_persen": g.followed_up_pct,
               "tepat_waktu_persen": g.on_time_pct}
    for c in board.budget:
        row = {**blank, "tabel": "menunggu_anggaran", "tahun_anggaran": c.budget_year}
        if c.confidential:
            row["nama"] = confidential_label
        else:
            row.update(nama=c.opd.name if c.opd_id else None, kode=c.display_code,
                       judul=c.title, lokasi=c.location)
        yield row
