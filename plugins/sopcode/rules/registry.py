"""Every diagnostic code the project can report: its level and what it means, in one place.

A code is what a user searches for (``[waktu-salah]`` in a message, the table in
``docs/panduan/menulis-sop.md``). The tests hold the code to this list: every code written
in the package is registered here at the level it is reported with, every registered code is
reported somewhere, has a broken fixture that triggers it, and is listed in the guide with this
description at the start of its row.
"""

from __future__ import annotations

from dataclasses import dataclass

from sopcode.diagnostics import Level

GALAT, PERINGATAN = Level.GALAT, Level.PERINGATAN


@dataclass(frozen=True)
class Rule:
    code: str
    level: Level
    description: str
    """One sentence in Indonesian: what is wrong (the guide's row starts with it)."""


RULES: dict[str, Rule] = {r.code: r for r in (
    # Reading the file (model/yaml_reading.py, model/load.py)
    Rule("berkas-tak-terbaca", GALAT, "Berkas SOP tidak dapat dibaca (tidak ada, tanpa izin baca, atau tautan yang putus)."),
    Rule("berkas-terlalu-besar", GALAT, "Berkas SOP lebih dari 1 MB."),
    Rule("bukan-berkas-biasa", PERINGATAN, "Berkas bernama SOP berupa pipa bernama, perangkat atau soket; tidak dibaca."),
    Rule("berkas-dilewati", PERINGATAN, "Berkas atau folder tidak dibaca: nama berakhiran selain `.yaml` huruf kecil, "
                                        "atau folder berupa tautan simbolik."),
    Rule("nama-berkas-salah", GALAT, "Nama berkas berisi karakter kendali atau bukan teks UTF-8."),
    Rule("tautan-ke-luar", GALAT, "Berkas SOP adalah tautan simbolik ke luar folder proyek atau ke folder tersembunyi."),
    Rule("pengodean", GALAT, "Berkas tidak tersimpan dalam UTF-8."),
    Rule("karakter-kendali", GALAT, "Ada karakter tak terlihat atau pengatur arah teks di baris dan kolom yang disebut."),
    Rule("yaml-sintaks", GALAT, "Susunan YAML rusak: tab, indentasi tidak lurus, tanda kutip tidak ditutup, "
                                "atau `:` di tempat yang salah."),
    Rule("yaml-terlalu-besar", GALAT, "Alias YAML (`*nama`) menjabarkan berkas menjadi terlalu banyak nilai."),
    # The declared shape (model/schema.py, model/declaration.py)
    Rule("tipe-salah", GALAT, "Bentuk isian keliru, misalnya daftar ditulis di tempat yang meminta satu teks."),
    Rule("kunci-tak-dikenal", GALAT, "Nama kunci tidak dikenal, biasanya salah ketik."),
    Rule("kunci-ganda", GALAT, "Kunci yang sama ditulis dua kali di tempat yang sama."),
    Rule("wajib-diisi", GALAT, "Isian wajib belum ada atau kosong."),
    Rule("tanggal-salah", GALAT, "Tanggal tidak dikenali atau tidak ada di kalender."),
    Rule("waktu-salah", GALAT, "Waktu tanpa satuan atau tidak dapat dibaca."),
    Rule("nip-salah", GALAT, "NIP tidak berjumlah 18 angka, atau angka ke-15 bukan 1 atau 2."),
    Rule("nip-tanggal", GALAT, "Tanggal lahir atau tahun pengangkatan dalam NIP tidak mungkin."),
    Rule("teks-terlalu-panjang", GALAT, "Teks lebih panjang daripada yang muat pada lembar cetak."),
    # Limits of a printed sheet (rules/limits.py)
    Rule("id-terlalu-panjang", GALAT, "Nama berkas SOP lebih dari 100 karakter."),
    Rule("pelaksana-terlalu-banyak", GALAT, "Lebih dari 10 pelaksana: kolomnya tidak muat pada lembar lanskap."),
    Rule("langkah-terlalu-banyak", GALAT, "Lebih dari 200 langkah."),
    # Actors and the flow of steps (rules/steps.py)
    Rule("langkah-kurang", GALAT, "SOP punya kurang dari dua langkah."),
    Rule("pelaksana-ganda", GALAT, "Pelaksana yang sama ditulis dua kali dalam daftar `pelaksana`."),
    Rule("pelaksana-tak-dikenal", GALAT, "Pelaksana suatu langkah tidak ada di daftar `pelaksana`."),
    Rule("pelaksana-tanpa-langkah", PERINGATAN, "Ada pelaksana yang tidak mengerjakan satu langkah pun."),
    Rule("nomor-langkah-ganda", GALAT, "Dua langkah memakai nomor yang sama."),
    Rule("nomor-langkah-loncat", PERINGATAN, "Nomor langkah loncat (1, 2, 3, 4, 6)."),
    Rule("terminator-di-tengah", GALAT, "Simbol terminator dipakai di tengah prosedur, atau pada SOP dengan "
                                        "`terminator: terpisah`."),
    Rule("akhir-bercabang", GALAT, "Langkah terakhir memiliki `lanjut`, `ya`, atau `tidak`."),
    Rule("keputusan-tak-lengkap", GALAT, "Keputusan tanpa `ya` atau tanpa `tidak`."),
    Rule("cabang-salah", GALAT, "Keputusan diarahkan dengan `lanjut`, padahal arahnya ditulis dengan `ya` dan `tidak`."),
    Rule("target-tak-ada", GALAT, "`lanjut`, `ya`, atau `tidak` menunjuk nomor langkah yang tidak ada."),
    Rule("tak-terjangkau", GALAT, "Ada langkah yang tidak pernah dicapai dari langkah pertama."),
    Rule("buntu", GALAT, "Dari suatu langkah tidak ada jalan menuju langkah terakhir."),
    # The identity sheet (rules/identity.py)
    Rule("nomor-kosong", PERINGATAN, "Nomor SOP belum diisi."),
    Rule("judul-berbeda", PERINGATAN, "`nama_prosedur` berbeda dari `nama`."),
    Rule("kotak-kosong", PERINGATAN, "Salah satu dari enam kotak lembar identitas kosong."),
    Rule("identitas-kosong", PERINGATAN, "Data lembar identitas (tanggal pembuatan, tanggal efektif, atau pejabat "
                                         "yang mengesahkan) tidak tercantum."),
    Rule("isian-contoh", GALAT, "Isian contoh templat `sop new` (\"...\" atau \"…\") belum diganti."),
    Rule("nip-contoh", PERINGATAN, "NIP pejabat yang mengesahkan sama dengan NIP contoh templat lama `sop new`."),
    Rule("efektif-sebelum-pembuatan", PERINGATAN, "Tanggal efektif lebih awal daripada tanggal pembuatan."),
    Rule("revisi-sebelum-pembuatan", PERINGATAN, "Tanggal revisi lebih awal daripada tanggal pembuatan."),
    Rule("regulasi-lebih-baru", PERINGATAN, "Dasar hukum bertahun lebih baru daripada tanggal SOP."),
    Rule("dasar-hukum-dicabut", PERINGATAN, "Dasar hukum mengutip peraturan yang sudah dicabut."),
    # Wording (rules/wording.py)
    Rule("kegiatan-diawali-subjek", PERINGATAN, "Kegiatan diawali nama pelaksana atau jabatan."),
    Rule("jabatan-tanpa-kolom", PERINGATAN, "Kegiatan menyebut jabatan yang tidak punya kolom pelaksana."),
    # Across SOPs (rules/corpus.py)
    Rule("id-ganda", GALAT, "Dua berkas SOP bernama sama, atau hanya berbeda huruf besar-kecil."),
    Rule("id-dicadangkan", GALAT, "Nama berkas SOP dipakai situs untuk halamannya sendiri (index, readme, buku-sop)."),
    Rule("nomor-sop-ganda", GALAT, "Nomor SOP sudah dipakai SOP lain."),
    Rule("keterkaitan-tak-ada", GALAT, "`- sop: <id>` merujuk SOP yang tidak ada."),
    # The institution's logo (rules/logo.py)
    Rule("logo-tak-ada", PERINGATAN, "Berkas logo yang disebut di `_instansi.yaml` tidak ada (atau berupa folder)."),
    Rule("logo-di-luar", PERINGATAN, "Berkas logo berada di luar folder proyek."),
    Rule("logo-tersembunyi", PERINGATAN, "Berkas logo berada di folder tersembunyi, atau berkasnya sendiri tersembunyi."),
    Rule("logo-bukan-gambar", PERINGATAN, "Isi berkas logo bukan PNG atau JPEG, apa pun namanya."),
    Rule("logo-terlalu-besar", PERINGATAN, "Berkas logo lebih dari 2 MB, atau gambarnya lebih dari 4096 piksel "
                                           "pada salah satu sisi."),
    # Approval and history (rules/approval.py)
    Rule("belum-disahkan", PERINGATAN, "Isi SOP berubah (menurut git) setelah tanggal pengesahannya tanpa tanggal "
                                       "itu diperbarui."),
)}
