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


@dataclass(frozen=True)
class Rule:
    code: str
    level: Level
    description: str
    """One sentence in Indonesian: what is wrong (the guide's row starts with it)."""


_TABLE = """
# Reading the file (model/yaml_reading.py, model/load.py)
berkas-tak-terbaca         galat       Berkas SOP tidak dapat dibaca (tidak ada, tanpa izin baca, atau tautan yang
                                       putus).
berkas-terlalu-besar       galat       Berkas SOP lebih dari 1 MB.
bukan-berkas-biasa         peringatan  Berkas bernama SOP berupa pipa bernama, perangkat atau soket; tidak dibaca.
berkas-dilewati            peringatan  Berkas atau folder tidak dibaca: nama berakhiran selain `.yaml` huruf kecil,
                                       atau folder berupa tautan simbolik.
nama-berkas-salah          galat       Nama berkas atau folder instansi berisi karakter kendali atau bukan teks
                                       UTF-8, atau dipakai situs untuk berkasnya sendiri.
tautan-ke-luar             galat       Berkas SOP adalah tautan simbolik ke luar folder proyek atau ke folder
                                       tersembunyi.
pengodean                  galat       Berkas tidak tersimpan dalam UTF-8.
karakter-kendali           galat       Ada karakter tak terlihat atau pengatur arah teks di baris dan kolom yang
                                       disebut.
yaml-sintaks               galat       Susunan YAML rusak: tab, indentasi tidak lurus, tanda kutip tidak ditutup,
                                       atau `:` di tempat yang salah.
yaml-terlalu-besar         galat       Alias YAML (`*nama`) menjabarkan berkas menjadi terlalu banyak nilai.
# The declared shape (model/schema.py, model/waktu.py, model/declaration.py)
tipe-salah                 galat       Bentuk isian keliru, misalnya daftar ditulis di tempat yang meminta satu
                                       teks.
kunci-tak-dikenal          galat       Nama kunci tidak dikenal, biasanya salah ketik.
kunci-ganda                galat       Kunci yang sama ditulis dua kali di tempat yang sama.
wajib-diisi                galat       Isian wajib belum ada atau kosong.
tanggal-salah              galat       Tanggal tidak dikenali atau tidak ada di kalender.
waktu-salah                galat       Waktu tanpa satuan atau tidak dapat dibaca.
nip-salah                  galat       NIP tidak berjumlah 18 angka, atau angka ke-15 bukan 1 atau 2.
nip-tanggal                galat       Tanggal lahir atau tahun pengangkatan dalam NIP tidak mungkin.
teks-terlalu-panjang       galat       Teks lebih panjang daripada yang muat pada lembar cetak.
# Limits of a printed sheet (rules/limits.py)
id-terlalu-panjang         galat       Nama berkas SOP lebih dari 100 karakter.
pelaksana-terlalu-banyak   galat       Lebih dari 10 pelaksana: kolomnya tidak muat pada lembar lanskap.
langkah-terlalu-banyak     galat       Lebih dari 200 langkah.
# Actors and the flow of steps (rules/steps.py)
langkah-kurang             galat       SOP punya kurang dari dua langkah.
pelaksana-ganda            galat       Pelaksana yang sama ditulis dua kali dalam daftar `pelaksana`.
pelaksana-tak-dikenal      galat       Pelaksana suatu langkah tidak ada di daftar `pelaksana`.
pelaksana-tanpa-langkah    peringatan  Ada pelaksana yang tidak mengerjakan satu langkah pun.
nomor-langkah-ganda        galat       Dua langkah memakai nomor yang sama.
nomor-langkah-loncat       peringatan  Nomor langkah loncat (1, 2, 3, 4, 6).
terminator-di-tengah       galat       Simbol terminator dipakai di tengah prosedur, atau pada SOP dengan
                                       `terminator: terpisah`.
akhir-bercabang            galat       Langkah terakhir memiliki `lanjut`, `ya`, atau `tidak`.
keputusan-tak-lengkap      galat       Keputusan tanpa `ya` atau tanpa `tidak`.
cabang-salah               galat       Keputusan diarahkan dengan `lanjut`, padahal arahnya ditulis dengan `ya` dan
                                       `tidak`.
target-tak-ada             galat       `lanjut`, `ya`, atau `tidak` menunjuk nomor langkah yang tidak ada.
tak-terjangkau             galat       Ada langkah yang tidak pernah dicapai dari langkah pertama.
buntu                      galat       Dari suatu langkah tidak ada jalan menuju langkah terakhir.
# The identity sheet (rules/identity.py)
nomor-kosong               peringatan  Nomor SOP belum diisi.
judul-berbeda              peringatan  `nama_prosedur` berbeda dari `nama`.
kotak-kosong               peringatan  Salah satu dari enam kotak lembar identitas kosong.
identitas-kosong           peringatan  Data lembar identitas (tanggal pembuatan, tanggal efektif, atau pejabat yang
                                       mengesahkan) tidak tercantum.
isian-contoh               galat       Isian contoh templat `sop new` ("..." atau "…") belum diganti.
nip-contoh                 peringatan  NIP pejabat yang mengesahkan sama dengan NIP contoh templat lama `sop new`.
efektif-sebelum-pembuatan  peringatan  Tanggal efektif lebih awal daripada tanggal pembuatan.
revisi-sebelum-pembuatan   peringatan  Tanggal revisi lebih awal daripada tanggal pembuatan.
dicabut-sebelum-efektif    peringatan  Tanggal pencabutan (`dicabut: tanggal`) lebih awal daripada tanggal efektif.
regulasi-lebih-baru        peringatan  Dasar hukum bertahun lebih baru daripada tanggal SOP.
dasar-hukum-dicabut        peringatan  Dasar hukum mengutip peraturan yang sudah dicabut.
# Wording (rules/wording.py)
kegiatan-diawali-subjek    peringatan  Kegiatan diawali nama pelaksana atau jabatan.
jabatan-tanpa-kolom        peringatan  Kegiatan menyebut jabatan yang tidak punya kolom pelaksana.
# Across SOPs (rules/corpus.py)
id-ganda                   galat       Dua berkas SOP bernama sama, atau hanya berbeda huruf besar-kecil.
id-dicadangkan             galat       Nama berkas SOP dipakai situs untuk halamannya sendiri (index, readme,
                                       buku-sop).
nomor-sop-ganda            galat       Nomor SOP sudah dipakai SOP lain dari instansi yang sama.
keterkaitan-tak-ada        galat       `- sop: <id>` merujuk SOP yang tidak ada.
diganti-oleh-tak-ada       galat       `diganti_oleh` menyebut SOP yang tidak ada.
diganti-oleh-diri-sendiri  galat       `diganti_oleh` menyebut SOP itu sendiri.
penggantian-melingkar      galat       Rantai `diganti_oleh` kembali ke SOP asalnya (A diganti B, B diganti A).
# The institution's settings and folder (rules/hierarchy.py, rules/folder_names.py)
hierarki-berulang          peringatan  `hierarki` sebuah instansi mengulang baris yang sudah diwarisi dari instansi
                                       induknya.
puncak-tanpa-pengaturan    peringatan  Ada folder instansi, tetapi folder data tidak punya `_instansi.yaml` puncak
                                       (pengaturan pemerintah daerah).
nama-folder-instansi       peringatan  Nama folder instansi memuat huruf besar, spasi, atau karakter selain a-z, 0-9
                                       dan tanda hubung.
# The institution's logo (rules/logo.py)
logo-tak-ada               peringatan  Berkas logo yang disebut di `_instansi.yaml` tidak ada (atau berupa folder).
logo-di-luar               peringatan  Berkas logo berada di luar folder proyek.
logo-tersembunyi           peringatan  Berkas logo berada di folder tersembunyi, atau berkasnya sendiri tersembunyi.
logo-bukan-gambar          peringatan  Isi berkas logo bukan PNG atau JPEG, apa pun namanya.
logo-terlalu-besar         peringatan  Berkas logo lebih dari 2 MB, atau gambarnya lebih dari 4096 piksel pada salah
                                       satu sisi.
# Monitoring records, `_monev/<tahun>-<1|2>.yaml` (model/monitoring.py)
monev-periode-salah        galat       Nama berkas monitoring bukan `<tahun>-1.yaml` atau `<tahun>-2.yaml`, atau
                                       `periode` di dalamnya berbeda dengan nama berkas.
monev-sop-tak-dikenal      galat       Hasil monitoring menyebut id SOP yang tidak ada.
monev-sop-ganda            galat       SOP yang sama dinilai dua kali dalam satu periode monitoring.
monev-sop-instansi-lain    peringatan  Catatan monitoring sebuah instansi menilai SOP instansi lain (bukan SOP-nya
                                       sendiri atau SOP instansi di bawahnya).
monev-di-luar-periode      peringatan  Tanggal penilaian monitoring di luar enam bulan periode berkasnya.
# Evaluation records, `_evaluasi/<tahun>.yaml` (model/evaluation.py)
evaluasi-tahun-salah       galat       Nama berkas evaluasi bukan `<tahun>.yaml`.
evaluasi-sop-tak-dikenal   galat       Hasil evaluasi menyebut id SOP yang tidak ada.
evaluasi-sop-ganda         galat       SOP yang sama dievaluasi dua kali dalam satu tahun.
evaluasi-sop-instansi-lain peringatan  Catatan evaluasi sebuah instansi menilai SOP instansi lain (bukan SOP-nya
                                       sendiri atau SOP instansi di bawahnya).
evaluasi-di-luar-tahun     peringatan  Tanggal evaluasi di luar tahun berkasnya.
evaluasi-perlu-revisi      peringatan  Evaluasi menyimpulkan SOP perlu direvisi, dan belum ada revisi yang disahkan
                                       sesudah tanggal evaluasi itu.
# Monitoring and evaluation overdue (rules/due.py, model/due.py)
monev-terlambat            peringatan  SOP yang berlaku tidak dimonitor dalam enam bulan sejak monitoring
                                       terakhirnya, atau sejak tanggal efektifnya bila belum pernah dimonitor.
evaluasi-terlambat         peringatan  SOP yang berlaku tidak dievaluasi dalam dua belas bulan sejak evaluasi
                                       terakhirnya, atau sejak tanggal efektifnya bila belum pernah dievaluasi.
# Approval and history (rules/approval.py)
belum-disahkan             peringatan  Isi SOP berubah (menurut git) setelah tanggal pengesahannya tanpa tanggal itu
                                       diperbarui.
"""
"""Code, level, description; a description goes on over the lines indented below it. Comments
name the module that reports the rules under them."""


def _read(table: str) -> dict[str, Rule]:
    rules: dict[str, Rule] = {}
    last = ""
    for line in table.strip().splitlines():
        if line.startswith("#"):
            continue
        if line.startswith(" "):  # the description goes on
            rule = rules[last]
            rules[last] = Rule(rule.code, rule.level, f"{rule.description} {line.strip()}")
            continue
        code, level, description = line.split(maxsplit=2)
        assert code not in rules, f"{code} registered twice"
        rules[code] = Rule(code, Level(level), description)
        last = code
    return rules


RULES: dict[str, Rule] = _read(_TABLE)
