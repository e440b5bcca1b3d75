"""Words the checks know, kept as data: job titles, their abbreviations, units, verbs.

Real SOPs name one actor many ways: the column says "Kasubag Perencanaan", a
kegiatan says "Kasubbag" or "Kepala Subbagian Perencanaan"; "Kepala" alone
means the head of the unit ("Kadis"). :mod:`sopcode.rules.names` reads a name into
its words with every abbreviation written out (:data:`SINGKATAN`,
:data:`GABUNGAN`), so every rule compares actors the same way. All words are
lower case, without dots.
"""


def _table(text: str, key_words: int = 1) -> dict:
    """Rows of words: the first ``key_words`` are the key (one word, or a tuple of them), the rest
    its value as a tuple; ``#`` starts a comment line."""
    out: dict = {}
    for line in text.strip().splitlines():
        if line.startswith("#"):
            continue
        words = line.split()
        key = words[0] if key_words == 1 else tuple(words[:key_words])
        out[key] = tuple(words[key_words:])
    return out


JABATAN = frozenset({
    "bupati", "walikota", "wali", "gubernur", "sekda", "asisten", "inspektur",
    "kadis", "kaban", "kabag", "kabid", "kasubag", "kasubbag", "kasubid", "kasubbid",
    "kasi", "kasie", "kepala", "camat", "sekcam", "sekretaris", "lurah", "kades",
    "bendahara", "ajudan", "staf", "operator", "pengadministrasi", "pranata",
    "analis", "verifikator", "koordinator", "ketua", "direktur", "dirjen", "rektor",
    "dekan", "menteri", "sekdis", "sekdes", "kaur",
})
"""Job titles: a kegiatan naming one of these, when no actor of the SOP holds it, names
somebody who has no column in the procedure table."""

SINGKATAN: dict[str, tuple[str, ...]] = _table("""
# heads: "Ka." + unit
ka        kepala
kadis     kepala dinas
kaban     kepala badan
kabag     kepala bagian
kabid     kepala bidang
kasubag   kepala subbagian
kasubbag  kepala subbagian
kasubid   kepala subbidang
kasubbid  kepala subbidang
kasi      kepala seksi
kasie     kepala seksi
kasubsi   kepala subseksi
kaur      kepala urusan
kades     kepala desa
# secretaries: "Sek." + unit
sek       sekretaris
sekr      sekretaris
sekdis    sekretaris dinas
sekcam    sekretaris kecamatan
sekda     sekretaris daerah
sekdes    sekretaris desa
seklur    sekretaris kelurahan
# heads named by their unit's own title
camat     kepala kecamatan
lurah     kepala kelurahan
# units
bid       bidang
subag     subbagian
subbag    subbagian
subid     subbidang
subbid    subbidang
sie       seksi
kec       kecamatan
kel       kelurahan
# staff: "Staf" and "Pelaksana" (the lowest rank of a unit) are one actor
staff     staf
pelaksana staf
""")
"""One written word → the words it stands for."""

GABUNGAN: dict[tuple[str, str], str] = {
    (first, second): one for (first, second), (one,) in _table("""
sub bagian    subbagian
sub bag       subbagian
sub bidang    subbidang
sub bid       subbidang
sub seksi     subseksi
wali kota     walikota
""", key_words=2).items()
}
"""Two written words that are one word (``Sub Bagian`` = ``Subbagian``)."""

UNIT = frozenset({
    "dinas", "badan", "kantor", "bagian", "subbagian", "bidang", "subbidang", "seksi", "subseksi",
    "urusan", "kecamatan", "kelurahan", "desa", "daerah", "unit", "upt", "uptd", "puskesmas",
    "sekolah", "sekretariat", "tim", "inspektorat", "kabupaten", "kota", "provinsi", "satuan",
    "balai", "lembaga", "biro", "direktorat", "pusat", "kementerian",
})
"""Kinds of unit (after the abbreviations are written out): after a title they say whose
head it is, so "Kepala Seksi" is not "Kepala Dinas"."""

SAMBUNG = frozenset({
    "dan", "atau", "serta", "untuk", "kepada", "dari", "di", "ke", "yang", "dengan", "oleh", "pada",
    "sesuai", "selaku", "masing", "para", "beserta", "bersama", "melalui", "terkait", "setelah",
    "sebelum", "jika", "bila", "apabila", "agar", "guna", "dalam", "atas", "tentang", "lalu", "kemudian",
})
"""Words that join, never qualify, a title (``Kasi dan Sekretaris``)."""

BUKAN_KATA_KERJA = frozenset({"melalui", "menteri", "meja", "media", "mekanisme", "mereka", "berkas", "berita"})
"""Words that look like a verb (``me-``, ``ber-``) but are not one."""

PENENTU = frozenset({"masing", "para", "seluruh", "semua", "segenap", "setiap", "tiap"})
"""Words before a title that say how many hold it (``masing-masing Kasi``): part of the naming."""

TERIMA = frozenset({"menerima", "penerimaan"})
"""A kegiatan starting with one of these receives something: a title after ``dari`` sent it."""

DEPAN_LUAR = frozenset({"dari", "kepada", "ke", "untuk"})
"""Words before whoever a kegiatan sends to or receives from: titles after them may name
people outside the procedure (when they are several to choose from, the sender of what is
received, or officials of another level of government)."""

TINGKAT = frozenset({"desa", "kelurahan", "kecamatan", "kabupaten", "kota", "provinsi", "kementerian"})
"""Levels of government: a title heading one ("Kepala Desa", "Camat") belongs to that level."""

KEPALA_TINGKAT = {
    "bupati": "kabupaten", "walikota": "kota", "gubernur": "provinsi", "menteri": "kementerian",
    "dirjen": "kementerian",
}
"""Titles that name a level's head by themselves."""
