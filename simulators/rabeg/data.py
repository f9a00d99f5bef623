"""OPD list and Kota Serang demo reports served by the Rabeg simulator.

Times are hours before "now" so the demo always looks current.
"""

from __future__ import annotations

FIRST_NOMOR = 150

OPD = [
    {"kode": "DISHUB", "nama": "Dinas Perhubungan"},
    {"kode": "DPUPR", "nama": "Dinas Pekerjaan Umum dan Penataan Ruang"},
    {"kode": "DISPERINDAGKOP", "nama": "Dinas Perindustrian, Perdagangan, Koperasi dan UKM"},
    {"kode": "DISDUKCAPIL", "nama": "Dinas Kependudukan dan Pencatatan Sipil"},
    {"kode": "DLH", "nama": "Dinas Lingkungan Hidup"},
    {"kode": "DINSOS", "nama": "Dinas Sosial"},
    {"kode": "DINKES", "nama": "Dinas Kesehatan"},
]

KATEGORI = [
    "Penerangan Jalan Umum", "Jalan dan Jembatan", "Drainase dan Banjir", "Perparkiran",
    "Lalu Lintas", "Bantuan Sosial", "Administrasi Kependudukan", "Kebersihan dan Sampah",
    "Kesehatan", "Pasar dan Perdagangan",
]

# Each entry: report fields plus hours_ago, photos (labels of generated JPEGs)
# and tanggapan (oleh, isi, hours_ago, photos, optional status).
DEMO_REPORTS = [
    {
        "judul": "Lampu PJU mati",
        "isi": "Lampu jalan di Jl. Raya Cilegon km 3 mati sejak seminggu, jalan gelap gulita.",
        "kategori": "Penerangan Jalan Umum", "opd_tujuan": "DISHUB", "tingkat": "ringan",
        "lokasi": {"alamat": "Jl. Raya Cilegon km 3, Kec. Taktakan", "lat": -6.1105, "lng": 106.1402},
        "pelapor": {"nama": "Budi Santoso", "email": None, "telepon": "081377001122"},
        "status": "belum_dibaca", "hours_ago": 20, "photos": ["PJU mati Jl. Raya Cilegon"],
    },
    {
        "judul": "Sampah menumpuk di TPS Pasar Lama",
        "isi": "Sampah di TPS dekat Pasar Lama belum diangkut tiga hari, bau dan meluber ke jalan.",
        "kategori": "Kebersihan dan Sampah", "opd_tujuan": "DLH", "tingkat": "ringan",
        "lokasi": {"alamat": "TPS Pasar Lama, Jl. Maulana Hasanuddin", "lat": -6.1150, "lng": 106.1580},
        "pelapor": {"nama": "Euis Komalasari", "email": "euis.k@example.id", "telepon": None},
        "status": "belum_dibaca", "hours_ago": 6, "photos": ["Sampah TPS Pasar Lama"],
    },
    {
        "judul": "Jalan rusak parah di Jl. Raya Pandeglang",
        "isi": "Aspal terkelupas dan berlubang sepanjang 200 meter dekat Kampus UIN, "
               "truk sering terperosok.",
        "kategori": "Jalan dan Jembatan", "opd_tujuan": "DPUPR", "tingkat": "berat",
        "lokasi": {"alamat": "Jl. Raya Pandeglang dekat UIN SMH Banten", "lat": -6.1390, "lng": 106.1520},
        "pelapor": {"nama": "Iwan Setiawan", "email": "iwan.s@example.id", "telepon": "085212345678"},
        "status": "dalam_proses", "hours_ago": 96,
        "photos": ["Jalan rusak Jl. Raya Pandeglang", "Lubang jalan dekat UIN"],
        "tanggapan": [
            {"oleh": "opd", "hours_ago": 70, "photos": [], "status": "dalam_proses",
             "isi": "Sudah disurvei, penambalan dijadwalkan minggu depan."},
            {"oleh": "warga", "hours_ago": 10, "photos": ["Lubang makin lebar"],
             "isi": "Sudah lewat seminggu belum ditambal, lubangnya makin lebar."},
        ],
    },
    {
        "judul": "Genangan banjir di Kasemen setiap hujan",
        "isi": "Air menggenang setinggi 40 cm di Jl. Raya Banten karena saluran tertutup bangunan.",
        "kategori": "Drainase dan Banjir", "opd_tujuan": "DPUPR", "tingkat": "sedang",
        "lokasi": {"alamat": "Jl. Raya Banten, Kec. Kasemen", "lat": -6.0800, "lng": 106.1700},
        "pelapor": {"nama": "Wawan Hermawan", "email": None, "telepon": "087771234500"},
        "status": "menunggu", "hours_ago": 40, "photos": ["Genangan Jl. Raya Banten"],
    },
    {
        "judul": "Parkir liar di depan Royal",
        "isi": "Mobil dan motor parkir dua lapis di depan pertokoan Royal, jalan menyempit.",
        "kategori": "Perparkiran", "opd_tujuan": "DISHUB", "tingkat": "sedang",
        "lokasi": {"alamat": "Jl. Jenderal Sudirman, kawasan Royal", "lat": -6.1175, "lng": 106.1610},
        "anonim": True, "status": "belum_dibaca", "hours_ago": 3, "photos": ["Parkir liar Royal"],
    },
    {
        "judul": "Lampu lalu lintas Simpang Pisang Mas tidak berfungsi",
        "isi": "Lampu merah di Simpang Pisang Mas hanya kuning berkedip sejak pagi.",
        "kategori": "Lalu Lintas", "opd_tujuan": "DISHUB", "tingkat": "berat",
        "lokasi": {"alamat": "Simpang Pisang Mas, Kec. Cipocok Jaya", "lat": -6.1250, "lng": 106.1720},
        "pelapor": {"nama": "Rudi Hartono", "email": "rudi.h@example.id", "telepon": "081299887766"},
        "status": "selesai", "hours_ago": 150, "photos": ["Lampu lalu lintas Pisang Mas"],
        "tanggapan": [
            {"oleh": "opd", "hours_ago": 130, "photos": ["Lampu lalu lintas sudah normal"],
             "status": "selesai", "isi": "Kontroler sudah diganti, lampu kembali normal."},
        ],
    },
    {
        "judul": "Bantuan PKH tidak diterima",
        "isi": "Nama kami ada di DTKS tapi bantuan PKH tahap ini tidak masuk ke rekening.",
        "kategori": "Bantuan Sosial", "opd_tujuan": "DINSOS", "tingkat": "sedang",
        "lokasi": {"alamat": "Kel. Banjar Agung, Kec. Cipocok Jaya", "lat": -6.1330, "lng": 106.1800},
        "anonim": True, "status": "belum_dibaca", "hours_ago": 30, "photos": [],
    },
    {
        "judul": "KK belum jadi setelah satu bulan",
        "isi": "Pengajuan perubahan Kartu Keluarga sejak bulan lalu belum selesai, "
               "tiap ditanya disuruh menunggu.",
        "kategori": "Administrasi Kependudukan", "opd_tujuan": "DISDUKCAPIL", "tingkat": "ringan",
        "lokasi": {"alamat": "Kantor Disdukcapil Kota Serang", "lat": -6.1210, "lng": 106.1500},
        "pelapor": {"nama": "Lia Amalia", "email": "lia.amalia@example.id", "telepon": "081311223344"},
        "status": "belum_dibaca", "hours_ago": 12, "photos": [],
    },
    {
        "judul": "Dugaan pungli di puskesmas",
        "isi": "Diminta biaya tambahan untuk rujukan BPJS di puskesmas. Mohon identitas dirahasiakan.",
        "kategori": "Kesehatan", "opd_tujuan": "DINKES", "tingkat": "sedang",
        "lokasi": {"alamat": "Puskesmas Kec. Curug", "lat": -6.1600, "lng": 106.1300},
        "pelapor": {"nama": "Asep Saepudin", "email": "asep.s@example.id", "telepon": "082233445566"},
        "rahasia": True, "status": "belum_dibaca", "hours_ago": 8, "photos": [],
    },
    {
        "judul": "Kios pasar terbengkalai",
        "isi": "Banyak kios di lantai dua Pasar Rau kosong dan jadi tempat sampah. "
               "Sebaiknya ditata ulang.",
        "kategori": "Pasar dan Perdagangan", "opd_tujuan": None, "tingkat": "ringan",
        "lokasi": {"alamat": "Pasar Induk Rau lantai 2", "lat": -6.1068, "lng": 106.1635},
        "pelapor": {"nama": "Hasanudin", "email": None, "telepon": "081900112233"},
        "status": "belum_dibaca", "hours_ago": 2, "photos": ["Kios kosong Pasar Rau"],
    },
]
