"""Words the wording checks know: Indonesian job titles (jabatan).

A kegiatan that names one of these, when no actor of the SOP holds it, names
somebody who has no column in the procedure table. Lower case, one word each.
"""

JABATAN = frozenset({
    "bupati", "walikota", "wali", "gubernur", "sekda", "asisten", "inspektur",
    "kadis", "kaban", "kabag", "kabid", "kasubag", "kasubbag", "kasubid", "kasubbid",
    "kasi", "kasie", "kepala", "camat", "sekcam", "sekretaris", "lurah", "kades",
    "bendahara", "ajudan", "staf", "operator", "pengadministrasi", "pranata",
    "analis", "verifikator", "koordinator", "ketua", "direktur", "dirjen", "rektor",
    "dekan", "menteri",
})
