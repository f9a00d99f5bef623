"""Demo data for Kota Serang, written once into an empty database."""
from portal.accounts import users as accounts
from portal.complaints import workflow
from portal.db import database
from portal.directory.models import Bidang, Category, Opd

OPDS = {
    "DISHUB": ("Dinas Perhubungan", ["Bidang Lalu Lintas", "Bidang Perparkiran"]),
    "DPUPR": ("Dinas Pekerjaan Umum dan Penataan Ruang",
              ["Bidang Bina Marga", "Bidang Sumber Daya Air"]),
    "DISPERINDAGKOP": ("Dinas Perindustrian, Perdagangan, Koperasi dan UKM", ["Bidang Pasar"]),
    "DISDUKCAPIL": ("Dinas Kependudukan dan Pencatatan Sipil", ["Bidang Pelayanan Pendaftaran Penduduk"]),
    "DLH": ("Dinas Lingkungan Hidup", ["Bidang Persampahan"]),
    "DINSOS": ("Dinas Sosial", ["Bidang Perlindungan dan Jaminan Sosial"]),
    "DINKES": ("Dinas Kesehatan", ["Bidang Pelayanan Kesehatan"]),
    "DISKOMINFO": ("Dinas Komunikasi, Informatika, Statistik dan Persandian", ["Bidang Aplikasi Informatika"]),
}

CATEGORIES = {
    "Penerangan Jalan Umum (PJU)": "DISHUB",
    "Jalan rusak": "DPUPR",
    "Drainase dan banjir": "DPUPR",
    "Parkir": "DISHUB",
    "Lampu lalu lintas": "DISHUB",
    "Bantuan sosial": "DINSOS",
    "Kartu Keluarga dan KTP": "DISDUKCAPIL",
    "Sampah dan kebersihan": "DLH",
    "Pasar dan perdagangan": "DISPERINDAGKOP",
    "Layanan kesehatan": "DINKES",
    "Lainnya": None,
}

# (username, role, OPD code, bidang) — one chain per busy OPD is enough to demo.
DEMO_STAFF = [
    ("admin", workflow.ADMIN, None, None),
    ("auditor", workflow.AUDITOR, None, None),
    ("operator.dishub", workflow.OPERATOR, "DISHUB", None),
    ("pimpinan.dishub", workflow.PIMPINAN, "DISHUB", None),
    ("kabid.lalin", workflow.KABID, "DISHUB", "Bidang Lalu Lintas"),
    ("operator.dpupr", workflow.OPERATOR, "DPUPR", None),
    ("pimpinan.dpupr", workflow.PIMPINAN, "DPUPR", None),
    ("kabid.binamarga", workflow.KABID, "DPUPR", "Bidang Bina Marga"),
]


# English names for public pages in English.
OPD_NAMES_EN = {
    "DISHUB": "Transport Agency",
    "DPUPR": "Public Works and Spatial Planning Agency",
    "DISPERINDAGKOP": "Industry, Trade, Cooperatives and SMEs Agency",
    "DISDUKCAPIL": "Population and Civil Registration Agency",
    "DLH": "Environment Agency",
    "DINSOS": "Social Affairs Agency",
    "DINKES": "Health Agency",
    "DISKOMINFO": "Communication, Informatics, Statistics and Cryptography Agency",
}
CATEGORY_NAMES_EN = {
    "Penerangan Jalan Umum (PJU)": "Street lighting",
    "Jalan rusak": "Damaged roads",
    "Drainase dan banjir": "Drainage and flooding",
    "Parkir": "Parking",
    "Lampu lalu lintas": "Traffic lights",
    "Bantuan sosial": "Social aid",
    "Kartu Keluarga dan KTP": "Family cards and ID cards",
    "Sampah dan kebersihan": "Rubbish and cleanliness",
    "Pasar dan perdagangan": "Markets and trade",
    "Layanan kesehatan": "Health services",
    "Lainnya": "Other",
}

# Light matters get the 1x24-hour first response (Rabeg Kota Serang).
CATEGORY_SEVERITY = {"Sampah dan kebersihan": "ringan"}


def seed_demo() -> list[tuple[str, str, str]] | None:
    """Write the demo data if the database has no OPD yet.

    Returns the generated staff credentials (shown once), or None if the
    database was already seeded.
    """
    if Opd.select().exists():
        return None
    credentials = []
    with database.atomic():
        for code, (name, bidang) in OPDS.items():
            opd = Opd.create(code=code, name=name, name_en=OPD_NAMES_EN.get(code, ""))
            for bidang_name in bidang:
                Bidang.create(opd=opd, name=bidang_name)
        for name, code in CATEGORIES.items():
            Category.create(name=name, name_en=CATEGORY_NAMES_EN.get(name, ""),
                            default_opd=Opd.get(Opd.code == code) if code else None,
                            default_severity=CATEGORY_SEVERITY.get(name, ""))
        for username, role, opd_code, bidang_name in DEMO_STAFF:
            password = accounts.generate_password()
            accounts.create_user(username, password, role, opd_code=opd_code,
                                 bidang_name=bidang_name)
            credentials.append((username, role, password))
    return credentials
