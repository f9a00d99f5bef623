"""A small city history whose figures are computed by hand in the tests.

Working days (hari kerja) in February and March 2026: Mon 16 and Tue 17
February are Lunar New Year holidays; weekends are off.

  A  received Mon 02-02, Jalan rusak, web.  Forwarded to DPUPR Tue 02-03,
     opened by its operator Wed 02-04 (first opening 1 HK; opening does not
     stop the clock), reported to the pimpinan Fri 02-06 (first response:
     Wed Thu Fri = 3 HK),
     disposed, followed up with a photo 02-10, published Wed 02-18
     (resolution 02-02 -> 02-18: 4 + 5 + 1 = 10 HK, 16-17 are holidays).
     Rated 4.
  B  received Fri 02-13, Jalan rusak, web, an aspirasi.  Forwarded the same day, reported
     Wed 02-18 (first response: Sat Sun + two holidays skipped = 1 HK),
     answered directly by the pimpinan (no photo), published Fri 02-20
     (resolution 3 HK).  Rated 2.
  C  received Mon 02-16 (a holiday), Parkir, rabeg.  Forwarded to DISHUB,
     returned as "bukan wewenang" Mon 02-23 (first response: 18 19 20 23 =
     4 HK), so it waits for verification again, due Thu 02-26: overdue.
  D  CONFIDENTIAL, received Mon 03-02, Layanan kesehatan, web.  Forwarded to
     DINKES, reported Tue 03-03 (1 HK), disposed, waiting for the 2027 budget.
  E  received Mon 03-02, Jalan rusak, web; never verified (due Thu 03-05):
     overdue.
  F  received 2025-12-10, Jalan rusak, rejected the next day.

Year 2026: received 5 (1 confidential); forwarded 4 (A B C D); followed up
2 (A B) = 50.0 %; resolved with photo 1 (A) = 25.0 %; first response
{1, 1, 3, 4}: median 1, p90 4; resolution {3, 10}: median 3, p90 10;
overdue on 2026-04-01: 2 (C, E); waiting for budget: 2027 -> 1; rating 3.0
from 2.
"""
from deadline_helpers import act, at
from portal.complaints import casework, workflow
from portal.complaints.models import Complaint
from portal.directory.models import Category, Opd

NOW = "2026-04-01 10:00"
CONFIDENTIAL_TITLE = "Dugaan pungli di puskesmas kecamatan"


def _new(when, category, *, channel="web", confidential=False, title=None,
         classification="pengaduan"):
    from portal import clock
    from portal.complaints import service

    with clock.freeze(at(when)):
        complaint, _ = service.submit({
            "title": title or f"Laporan {category} {when}",
            "body": "Keterangan laporan untuk statistik, cukup panjang.",
            "classification": classification, "channel": channel, "confidential": confidential,
            "category": Category.get(Category.name == category)})
    return Complaint.get_by_id(complaint.id)


def _forward(complaint, when, opd):
    return act(complaint, "teruskan", when, workflow.ADMIN, opd=Opd.get(Opd.code == opd))


def _open(complaint, when, username):
    from portal import clock
    from portal.accounts.models import User

    with clock.freeze(at(when)):
        casework.mark_read(Complaint.get_by_id(complaint.id),
                           User.get(User.username == username))


def _rate(complaint, when, stars):
    from portal import clock

    with clock.freeze(at(when)):
        casework.rate(complaint, stars)


def build() -> dict:
    """Write the history through the workflow (seed_demo must have run)."""
    a = _new("2026-02-02 09:00", "Jalan rusak")
    a = _forward(a, "2026-02-03 10:00", "DPUPR")
    _open(a, "2026-02-04 08:00", "operator.dpupr")
    a = act(a, "laporkan", "2026-02-06 11:00", workflow.OPERATOR)
    a = act(a, "disposisi", "2026-02-09 09:00", workflow.PIMPINAN)
    a = act(a, "tindak_lanjut", "2026-02-10 09:00", workflow.KABID)
    a = act(a, "publikasikan", "2026-02-18 09:00", workflow.OPERATOR)
    _rate(a, "2026-02-19 09:00", 4)

    # An aspirasi: only a pengaduan's resolution must carry a photo.
    b = _new("2026-02-13 15:00", "Jalan rusak", classification="aspirasi")
    b = _forward(b, "2026-02-13 16:00", "DPUPR")
    b = act(b, "laporkan", "2026-02-18 08:00", workflow.OPERATOR)
    b = act(b, "jawab", "2026-02-19 08:00", workflow.PIMPINAN)
    b = act(b, "publikasikan", "2026-02-20 08:00", workflow.OPERATOR)
    _rate(b, "2026-02-21 08:00", 2)

    c = _new("2026-02-16 08:00", "Parkir", channel="rabeg")
    c = _forward(c, "2026-02-16 09:00", "DISHUB")
    c = act(c, "kembalikan", "2026-02-23 09:00", workflow.OPERATOR)

    d = _new("2026-03-02 08:00", "Layanan kesehatan", confidential=True,
             title=CONFIDENTIAL_TITLE)
    d = _forward(d, "2026-03-02 09:00", "DINKES")
    d = act(d, "laporkan", "2026-03-03 09:00", workflow.OPERATOR)
    d = act(d, "disposisi", "2026-03-03 10:00", workflow.PIMPINAN)
    d = act(d, "tunggu_anggaran", "2026-03-04 10:00", workflow.KABID, budget_year=2027)

    e = _new("2026-03-02 10:00", "Jalan rusak")

    f = _new("2025-12-10 10:00", "Jalan rusak")
    f = act(f, "tolak", "2025-12-11 10:00", workflow.ADMIN)
    return {"A": a, "B": b, "C": c, "D": d, "E": e, "F": f}
