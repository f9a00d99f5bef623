"""Master data and Kota Serang demo complaints served by the SP4N simulator.

Times are given as days before "now" so the demo always looks recent and
``updated_since`` queries behave the same on any date.
"""

from __future__ import annotations

INSTITUTION_ID = 3673
INSTITUTION_NAME = "Pemerintah Kota Serang"
LOCATION = {"id": 3673, "name": "Kota Serang"}
FIRST_COMPLAINT_ID = 48201
FIRST_FOLLOWUP_ID = 7701
FIRST_FILE_ID = 991

EXTERNAL_INSTITUTIONS = [
    {"id": 3600, "name": "Pemerintah Provinsi Banten"},
    {"id": 3604, "name": "Pemerintah Kabupaten Serang"},
    {"id": 3672, "name": "Pemerintah Kota Cilegon"},
    {"id": 1010, "name": "Kementerian Sosial"},
    {"id": 1020, "name": "PT PLN (Persero) UP3 Banten Utara"},
    {"id": 1030, "name": "BPJS Kesehatan"},
]

CATEGORIES = [
    {"id": 31, "name": "Pekerjaan Umum dan Penataan Ruang", "parent_id": None},
    {"id": 311, "name": "Jalan Rusak", "parent_id": 31},
    {"id": 312, "name": "Drainase dan Banjir", "parent_id": 31},
    {"id": 32, "name": "Perhubungan", "parent_id": None},
    {"id": 321, "name": "Penerangan Jalan Umum", "parent_id": 32},
    {"id": 322, "name": "Lampu Lalu Lintas", "parent_id": 32},
    {"id": 323, "name": "Perparkiran", "parent_id": 32},
    {"id": 33, "name": "Sosial", "parent_id": None},
    {"id": 331, "name": "Bantuan Sosial", "parent_id": 33},
    {"id": 34, "name": "Administrasi Kependudukan", "parent_id": None},
    {"id": 341, "name": "Kartu Keluarga", "parent_id": 34},
    {"id": 35, "name": "Lingkungan Hidup dan Kehutanan", "parent_id": None},
    {"id": 351, "name": "Persampahan", "parent_id": 35},
    {"id": 36, "name": "Kesehatan", "parent_id": None},
    {"id": 361, "name": "Pelayanan Puskesmas", "parent_id": 36},
    {"id": 37, "name": "Perdagangan dan Koperasi", "parent_id": None},
    {"id": 371, "name": "Pasar Tradisional", "parent_id": 37},
]

TEMPLATES = [
    {"code": "TL01", "name": "Laporan sedang ditindaklanjuti"},
    {"code": "TL02", "name": "Laporan telah selesai ditindaklanjuti"},
    {"code": "TL03", "name": "Mohon kelengkapan data pelapor"},
]

# Each entry: complaint fields plus days_ago (created), photos (labels of
# generated JPEGs) and followups (author, content, days_ago, photos).
DEMO_COMPLAINTS = [
    {
        "title": "Jalan berlubang di Jl. Ahmad Yani",
        "content": "Sudah dua bulan jalan di depan SMAN 1 Kota Serang berlubang cukup dalam. "
                   "Minggu lalu dua pengendara motor jatuh saat hujan. Mohon segera diperbaiki.",
        "classification_id": 2, "category_id": 311,
        "address": "Jl. Ahmad Yani depan SMAN 1, Kec. Serang", "lat": -6.1180, "lng": 106.1545,
        "reporter": {"name": "Siti Nurhaliza", "email": "siti.nurhaliza@example.id",
                     "phone": "081234567801"},
        "channel": "Website", "status_code": 1, "days_ago": 6,
        "photos": ["Jalan berlubang Jl. Ahmad Yani"],
    },
    {
        "title": "Lampu PJU mati di Jl. Raya Cilegon, Drangong",
        "content": "Lampu penerangan jalan umum sepanjang kurang lebih 300 meter di Jl. Raya "
                   "Cilegon km 3 dekat Drangong mati sejak seminggu. Rawan begal malam hari.",
        "classification_id": 2, "category_id": 321,
        "address": "Jl. Raya Cilegon km 3, Drangong, Kec. Taktakan", "lat": -6.1102, "lng": 106.1218,
        "reporter": {"name": "Ahmad Fauzi", "email": None, "phone": "081398765402"},
        "channel": "Android", "status_code": 1, "days_ago": 3,
        "photos": ["PJU mati Jl. Raya Cilegon"],
    },
    {
        "title": "Saluran air tersumbat, banjir setiap hujan di Ciracas",
        "content": "Drainase di Perumnas Ciracas tersumbat sampah dan lumpur. Setiap hujan deras "
                   "air masuk ke rumah warga setinggi lutut.",
        "classification_id": 2, "category_id": 312,
        "address": "Perumnas Ciracas Blok C, Kec. Serang", "lat": -6.1315, "lng": 106.1602,
        "reporter": {"name": "Rina Marlina", "email": "rina.m@example.id", "phone": "085711223303"},
        "channel": "Website", "status_code": 2, "days_ago": 12,
        "photos": ["Banjir Perumnas Ciracas", "Drainase tersumbat Ciracas"],
        "followups": [
            {"author": "instansi", "days_ago": 6, "photos": [],
             "content": "Laporan telah diteruskan ke DPUPR Kota Serang untuk normalisasi saluran."},
            {"author": "pelapor", "days_ago": 1, "photos": ["Genangan masih ada"],
             "content": "Sampai hari ini belum ada petugas yang datang, kemarin banjir lagi."},
        ],
    },
    {
        "title": "Parkir liar di sekitar Pasar Rau",
        "content": "Kendaraan parkir di badan jalan depan Pasar Rau sehingga macet setiap pagi. "
                   "Juru parkir menarik tarif Rp5.000 tanpa karcis.",
        "classification_id": 2, "category_id": 323,
        "address": "Jl. Tb. Suwandi depan Pasar Induk Rau, Kec. Serang", "lat": -6.1071, "lng": 106.1630,
        "is_anonymous": True, "channel": "Android", "status_code": 1, "days_ago": 4,
        "photos": ["Parkir liar Pasar Rau"],
    },
    {
        "title": "Lampu lalu lintas Simpang Ciceri mati",
        "content": "Traffic light di Simpang Ciceri mati sejak kemarin sore, kendaraan dari arah "
                   "Pakupatan dan Alun-alun saling serobot.",
        "classification_id": 2, "category_id": 322,
        "address": "Simpang Ciceri, Jl. Jenderal Sudirman, Kec. Serang", "lat": -6.1208, "lng": 106.1668,
        "reporter": {"name": "Dedi Supriadi", "email": "dedi.s@example.id", "phone": "087812340005"},
        "channel": "Website", "status_code": 1, "days_ago": 1,
        "photos": ["Lampu lalu lintas Ciceri"],
    },
    {
        "title": "Bantuan sosial BPNT tidak cair sejak Januari",
        "content": "Kami terdaftar sebagai KPM BPNT di Kelurahan Kasemen tetapi bantuan tidak "
                   "cair sejak Januari. Pendamping tidak bisa dihubungi.",
        "classification_id": 2, "category_id": 331,
        "address": "Kel. Kasemen, Kec. Kasemen", "lat": -6.0745, "lng": 106.1811,
        "is_anonymous": True, "channel": "SMS", "status_code": 1, "days_ago": 5, "photos": [],
    },
    {
        "title": "Berapa lama pengurusan Kartu Keluarga baru?",
        "content": "Saya baru menikah dan ingin membuat Kartu Keluarga baru. Apa saja syaratnya "
                   "dan berapa hari jadinya di Disdukcapil Kota Serang?",
        "classification_id": 3, "category_id": 341,
        "address": "Kec. Cipocok Jaya", "lat": -6.1290, "lng": 106.1850,
        "reporter": {"name": "Nurul Hidayah", "email": "nurul.h@example.id", "phone": "081987650007"},
        "channel": "Website", "status_code": 1, "days_ago": 2, "photos": [],
    },
    {
        "title": "Usul penambahan tempat sampah di Alun-alun Serang",
        "content": "Setiap akhir pekan sampah berserakan di Alun-alun Barat. Mohon ditambah tempat "
                   "sampah terpilah dan jadwal angkut malam hari.",
        "classification_id": 1, "category_id": 351,
        "address": "Alun-alun Barat Kota Serang", "lat": -6.1199, "lng": 106.1503,
        "reporter": {"name": "Yusuf Maulana", "email": "yusuf.m@example.id", "phone": None},
        "channel": "Website", "status_code": 1, "days_ago": 8,
        "photos": ["Sampah Alun-alun Serang"],
    },
    {
        "title": "Pungutan di luar ketentuan di puskesmas",
        "content": "Petugas loket meminta uang Rp20.000 untuk surat keterangan sehat padahal "
                   "seharusnya gratis. Identitas saya mohon dirahasiakan.",
        "classification_id": 2, "category_id": 361,
        "address": "Puskesmas Kec. Walantaka", "lat": -6.1402, "lng": 106.2200,
        "reporter": {"name": "Hendra Wijaya", "email": "hendra.w@example.id", "phone": "082112340009"},
        "is_secret": True, "channel": "Website", "status_code": 1, "days_ago": 2, "photos": [],
    },
    {
        "title": "Lampu PJU Jl. Veteran padam",
        "content": "Tiga tiang lampu di Jl. Veteran dekat Kantor Pos padam.",
        "classification_id": 2, "category_id": 321,
        "address": "Jl. Veteran dekat Kantor Pos, Kec. Serang", "lat": -6.1163, "lng": 106.1531,
        "reporter": {"name": "Agus Salim", "email": "agus.salim@example.id", "phone": "081311110010"},
        "channel": "Website", "status_code": 3, "days_ago": 30, "photos": ["PJU Jl. Veteran padam"],
        "followups": [
            {"author": "instansi", "days_ago": 24, "photos": ["PJU Jl. Veteran sudah menyala"],
             "content": "Lampu sudah diganti oleh Dishub Kota Serang pada hari ini. Terima kasih."},
        ],
    },
]
