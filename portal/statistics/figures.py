"""The public figures, read only from the aggregate tables.

Every figure is defined in `DEFINITIONS`, which the page prints beside it,
so the numbers and their meaning cannot drift apart.  Confidential
complaints are counted in every total, rate and duration, but in the
breakdowns by OPD, category and channel they form one row of their own:
which OPD or matter a confidential report concerns is part of its content.
"""
import math
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from peewee import fn

from portal.directory.models import Category, Opd
from portal.statistics import facts
from portal.statistics.models import (
    BUDGET_YEAR,
    CATEGORY,
    CHANNEL,
    FIRST_RESPONSE,
    OPD,
    RESOLUTION,
    StatCell,
    StatDist,
    StatOverdue,
)

DEFINITIONS = {
    "received": _l("Aduan diterima: semua laporan yang masuk pada periode itu (tanggal "
                   "diterima, waktu setempat), dari semua kanal, termasuk yang kemudian "
                   "ditolak dan yang rahasia."),
    "confidential": _l("Laporan rahasia dihitung dalam semua angka, tetapi dalam rincian per "
                       "OPD, kategori dan kanal dijadikan satu baris \"Laporan rahasia\": "
                       "tidak ada isi, OPD, kategori atau kanalnya yang ditampilkan."),
    "followed_up": _l("Ditindaklanjuti: persentase aduan yang diteruskan ke OPD dan kemudian "
                      "dicatat tindak lanjutnya (oleh Kabid, atau jawaban langsung pimpinan)."),
    "resolved_photo": _l("Selesai dengan bukti foto: persentase aduan yang diteruskan ke OPD, "
                         "tanggapannya sudah dipublikasikan, dan tindak lanjutnya disertai "
                         "minimal satu foto."),
    "first_response": _l("Waktu tanggapan awal: hari kerja sejak aduan pertama kali diteruskan "
                         "ke OPD sampai langkah pertama OPD (dilaporkan ke pimpinan atau "
                         "dikembalikan sebagai bukan wewenang). Hari kerja tidak menghitung "
                         "Sabtu, Minggu, libur nasional, cuti bersama dan libur daerah; hari "
                         "yang sama = 0."),
    "resolution": _l("Waktu penyelesaian: hari kerja sejak aduan diterima sampai tanggapan "
                     "dipublikasikan kepada pelapor."),
    "percentile": _l("Median dan persentil ke-90 memakai peringkat terdekat: nilai terkecil "
                     "yang sama dengan atau lebih besar dari 50% (atau 90%) nilai."),
    "overdue": _l("Terlambat saat ini: aduan yang masih terbuka dan batas waktu tahap "
                  "sekarang sudah lewat (tidak termasuk batas balasan pelapor), menurut "
                  "perhitungan terakhir."),
    "budget": _l("Menunggu anggaran: aduan yang saat ini menunggu anggaran, menurut tahun "
                 "anggaran yang direncanakan."),
    "rating": _l("Penilaian rata-rata: rata-rata nilai 1–5 yang diberikan pelapor atas "
                 "tanggapan."),
}
CONFIDENTIAL_ROW = _l("Laporan rahasia")
NO_OPD = _l("Belum diteruskan ke OPD")
NO_CATEGORY = _l("Tanpa kategori")


def percentile(histogram: dict[int, int], p: float) -> int | None:
    """Nearest-rank percentile of a {value: count} histogram."""
    total = sum(histogram.values())
    if not total:
        return None
    rank = max(1, math.ceil(p / 100 * total))
    seen = 0
    for value in sorted(histogram):
        seen += histogram[value]
        if seen >= rank:
            return value
    raise AssertionError("unreachable")


@dataclass
class Duration:
    n: int = 0
    median: int | None = None
    p90: int | None = None

    @classmethod
    def of(cls, histogram: dict[int, int]) -> "Duration":
        return cls(sum(histogram.values()), percentile(histogram, 50), percentile(histogram, 90))


@dataclass
class Figures:
    year: int | None
    years: list[int]
    received: int = 0
    confidential: int = 0
    forwarded: int = 0
    followed_up: int = 0
    resolved_photo: int = 0
    by_year: list[tuple] = field(default_factory=list)
    by_month: list[tuple] = field(default_factory=list)
    by_opd: list[tuple] = field(default_factory=list)
    by_category: list[tuple] = field(default_factory=list)
    by_channel: list[tuple] = field(default_factory=list)
    first_response: Duration = field(default_factory=Duration)
    resolution: Duration = field(default_factory=Duration)
    overdue: int = 0
    overdue_at: object = None
    budget: list[tuple] = field(default_factory=list)
    rating_n: int = 0
    rating_average: float | None = None

    @property
    def followed_up_pct(self) -> float | None:
        return _pct(self.followed_up, self.forwarded)

    @property
    def resolved_photo_pct(self) -> float | None:
        return _pct(self.resolved_photo, self.forwarded)

    def as_json(self) -> dict:
        def rows(pairs):
            return [{"label": str(label), "count": n} for label, n in pairs]

        return {
            "year": self.year, "years": self.years,
            "received": self.received, "confidential": self.confidential,
            "received_per_year": [{"year": y, "count": n} for y, n in self.by_year],
            "received_per_month": [{"month": m, "count": n} for m, n in self.by_month],
            "received_per_opd": rows(self.by_opd),
            "received_per_category": rows(self.by_category),
            "received_per_channel": rows(self.by_channel),
            "forwarded": self.forwarded,
            "followed_up": {"count": self.followed_up, "percent": self.followed_up_pct},
            "resolved_with_photo": {"count": self.resolved_photo,
                                    "percent": self.resolved_photo_pct},
            "working_days_to_first_response": vars(self.first_response),
            "working_days_to_resolution": vars(self.resolution),
            "overdue_now": self.overdue,
            "overdue_counted_at": self.overdue_at.isoformat() + "Z" if self.overdue_at else None,
            "waiting_for_budget": [{"fiscal_year": y, "count": n} for y, n in self.budget],
            "rating": {"count": self.rating_n, "average": self.rating_average},
            "definitions": {key: str(text) for key, text in DEFINITIONS.items()},
        }


def _pct(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def years() -> list[int]:
    return [y for (y,) in StatCell.select(StatCell.year).distinct()
            .order_by(StatCell.year).tuples()]


def compute(year: int | None = None) -> Figures:
    """The figures for one year of receipt, or for all years (None)."""
    C, D, Late = StatCell, StatDist, StatOverdue
    result = Figures(year=year, years=years())
    # Every complaint has one channel: the channel rows hold every complaint once.
    everyone = (C.dimension == CHANNEL) & ((C.year == year) if year else C.year.is_null(False))

    totals = C.select(fn.SUM(C.received), fn.SUM(C.confidential), fn.SUM(C.forwarded),
                      fn.SUM(C.followed_up), fn.SUM(C.resolved_photo), fn.SUM(C.rating_n),
                      fn.SUM(C.rating_sum)).where(everyone).tuples().get()
    (result.received, result.confidential, result.forwarded, result.followed_up,
     result.resolved_photo, result.rating_n, rating_sum) = (int(v or 0) for v in totals)
    if result.rating_n:
        result.rating_average = round(rating_sum / result.rating_n, 2)

    result.by_year = [(y, int(n)) for y, n in
                      C.select(C.year, fn.SUM(C.received)).where(C.dimension == CHANNEL)
                      .group_by(C.year).order_by(C.year).tuples()]
    if year:
        per_month = dict(C.select(C.month, fn.SUM(C.received)).where(everyone)
                         .group_by(C.month).tuples())
        result.by_month = [(m, int(per_month.get(m, 0))) for m in range(1, 13)]
    else:
        result.by_month = [(f"{y}-{m:02d}", int(n)) for y, m, n in
                           C.select(C.year, C.month, fn.SUM(C.received)).where(everyone)
                           .group_by(C.year, C.month).order_by(C.year, C.month).tuples()]

    # `label`: the English name on an English page, where the admin gave one.
    opd_names = {str(o.id): o.label for o in Opd.select()}
    category_names = {str(c.id): c.label for c in Category.select()}
    result.by_opd = _breakdown(OPD, year, lambda k: opd_names.get(k, NO_OPD),
                               result.confidential)
    result.by_category = _breakdown(CATEGORY, year, lambda k: category_names.get(k, NO_CATEGORY),
                                    result.confidential)
    result.by_channel = _breakdown(CHANNEL, year, lambda k: k, result.confidential)

    histograms = {FIRST_RESPONSE: {}, RESOLUTION: {}, BUDGET_YEAR: {}}
    for metric, value, n in (D.select(D.metric, D.value, fn.SUM(D.n))
                             .where((D.year == year) if year else D.year.is_null(False))
                             .group_by(D.metric, D.value).tuples()):
        histograms[metric][value] = int(n)
    result.first_response = Duration.of(histograms[FIRST_RESPONSE])
    result.resolution = Duration.of(histograms[RESOLUTION])
    result.budget = sorted(histograms[BUDGET_YEAR].items())

    result.overdue = int(Late.select(fn.SUM(Late.n))
                         .where((Late.year == year) if year else Late.year.is_null(False))
                         .scalar() or 0)
    result.overdue_at = facts.state("overdue")
    return result


def _breakdown(dimension: str, year: int | None, name, confidential: int) -> list[tuple]:
    """Received per OPD, category or channel, confidential complaints as one row."""
    C = StatCell
    condition = (C.dimension == dimension) & ((C.year == year) if year else C.year.is_null(False))
    rows = [(name(key), int(n)) for key, n in
            C.select(C.key, fn.SUM(C.received - C.confidential)).where(condition)
            .group_by(C.key).tuples() if n]
    rows.sort(key=lambda row: (-row[1], str(row[0])))
    if confidential:
        rows.append((CONFIDENTIAL_ROW, confidential))
    return rows
