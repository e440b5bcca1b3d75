"""The declared shape of an SOP file and of the institution settings (``_instansi.yaml``).

Built from the spec classes of :mod:`sopcode.model.schema`: the same declaration converts
YAML nodes into model objects and generates the shipped JSON Schema (``sop schema``).
"""

from __future__ import annotations

from sopcode.diagnostics import Loc
from sopcode.model.schema import Choice, Date, Either, Field, Int, ListOf, Nip, Number, Obj, Str, required
from sopcode.model.sop import LABEL_IDENTITAS, Dicabut, Instansi, Keterkaitan, MutuBaku, Pejabat, Posisi, Simbol
from sopcode.model.waktu import WaktuSpec

TERMINATOR = ("langkah", "terpisah")
"""How an SOP draws its start and end: as its first and last steps, or as separate capsules."""

LABEL_MAX = 40
"""A label of the identity sheet is a few words."""

ALIAS_MAX = 60
"""A short name or another name of an SOP (``alias``) is a few words."""


def frozen(pos: dict) -> Posisi:
    return Posisi(pos)


def _build_mutu_baku(v: dict, loc: Loc, pos: dict) -> MutuBaku:
    return MutuBaku(
        kelengkapan=v.get("kelengkapan", ()), waktu=v.get("waktu"), output=v.get("output", ()), pos=frozen(pos))


MUTU_BAKU = Obj(
    title="mutu_baku",
    doc="Mutu Baku: kelengkapan, waktu dan output kegiatan.",
    fields={
        "kelengkapan": Field(ListOf(Str(), single_ok=True, doc="Persyaratan/kelengkapan: satu teks atau daftar.")),
        "waktu": Field(WaktuSpec(doc="Lama kegiatan: angka dan satuan (menit, jam, hari kerja), misalnya `15 menit`."),
                       required=True),
        "output": Field(ListOf(Str(), single_ok=True, doc="Hasil kegiatan: satu teks atau daftar.")),
    },
    build=_build_mutu_baku,
)


def _build_step(v: dict, loc: Loc, pos: dict) -> dict:
    # The default symbol depends on the step's place, known only once all steps
    # are read; ``_finish_steps`` completes it.
    return {"values": v, "loc": loc, "pos": pos}


STEP = Obj(
    title="langkah",
    doc="Satu kegiatan (satu baris lembar prosedur).",
    fields={
        "no": Field(Int(doc="Nomor langkah."), required=True),
        "kegiatan": Field(Str(doc="Uraian kegiatan: kata kerja aktif tanpa subjek."), required=True),
        "pelaksana": Field(ListOf(Str(), single_ok=True, min_items=1, doc=(
            "Pelaksana kegiatan: salah satu nama dalam `pelaksana` SOP, atau daftar nama bila "
            "kegiatan dikerjakan bersama (yang pertama memegang simbolnya).")), required=True),
        "simbol": Field(Choice(
            choices=tuple(s.value for s in Simbol),
            doc="Simbol bagan alir. Bawaan: terminator untuk langkah pertama dan terakhir, proses untuk lainnya.")),
        "mutu_baku": Field(MUTU_BAKU, required=True),
        "keterangan": Field(Str(doc="Keterangan.")),
        "lanjut": Field(Int(doc="Langkah berikutnya bila bukan langkah sesudahnya.")),
        "ya": Field(Int(doc="Keputusan: langkah berikutnya bila Ya.")),
        "tidak": Field(Int(doc="Keputusan: langkah berikutnya bila Tidak.")),
    },
    build=_build_step,
)

PEJABAT = Obj(
    title="disahkan_oleh",
    doc="Pejabat yang mengesahkan SOP.",
    fields={
        "jabatan": Field(Str(doc="Jabatan, misalnya CAMAT BUNGURSARI; kosongkan bila tidak diketahui.")),
        "nama": Field(Str(doc="Nama lengkap dengan gelar; kosongkan bila tidak diketahui.")),
        "nip": Field(Nip(doc="NIP 18 angka, misalnya 19640104 199101 1 004; kosongkan bila tidak diketahui.")),
    },
    build=lambda v, loc, pos: Pejabat(pos=frozen(pos), **v),
)

KETERKAITAN = Either(
    doc="SOP terkait: teks bebas, atau `sop: <id>` untuk merujuk SOP lain di sop_data/.",
    scalar=Str(),
    wrap=lambda teks: Keterkaitan(teks=teks, loc=teks.loc),
    mapping=Obj(
        title="keterkaitan",
        fields={"sop": Field(Str(doc="Id SOP lain (nama berkasnya tanpa .yaml)."), required=True)},
        build=lambda v, loc, pos: Keterkaitan(sop=v["sop"], loc=loc),
    ),
)

DICABUT = Obj(
    title="dicabut",
    doc="SOP dicabut (tidak berlaku lagi): tanggal pencabutan dan alasannya.",
    fields=required(tanggal=Date(doc="Tanggal pencabutan."),
                    alasan=Str(doc="Alasan pencabutan, misalnya peraturan yang mencabutnya.")),
    build=lambda v, loc, pos: Dicabut(pos=frozen(pos), **v),
)

_BOX_DOCS = {
    "dasar_hukum": "Dasar Hukum: peraturan yang menjadi dasar SOP.",
    "kualifikasi_pelaksana": "Kualifikasi Pelaksana: kompetensi yang dibutuhkan.",
    "peralatan_perlengkapan": "Peralatan/Perlengkapan.",
    "peringatan": "Peringatan: akibat bila SOP tidak dilaksanakan.",
    "pencatatan_pendataan": "Pencatatan dan Pendataan: catatan, formulir dan penyimpannya.",
}

SOP_FIELDS = {
    "nomor": Field(Str(doc="Nomor SOP menurut tata naskah dinas; boleh kosong selama draf.")),
    "nama": Field(Str(doc="Nama SOP."), required=True),
    "nama_prosedur": Field(Str(doc="Judul pada lembar prosedur bila berbeda dari nama (sebaiknya sama).")),
    "unit": Field(Str(doc="Unit kerja pemilik SOP di dalam instansi.")),
    "alias": Field(ListOf(Str(max_len=ALIAS_MAX), single_ok=True, doc=(
        "Nama singkat atau nama lain yang dipakai pembaca, misalnya `SKD`: satu teks atau daftar. Tampil di "
        "halaman SOP dan dapat dicari; tidak dicetak dan tidak termasuk isi yang disahkan."))),
    "tanggal_pembuatan": Field(Date(nullable=True, doc=(
        "Tanggal pembuatan; kosongkan bila sumbernya tidak mencantumkan, `-` bila sumbernya menulis '-'."))),
    "tanggal_revisi": Field(Date(nullable=True, doc="Tanggal revisi terakhir, atau kosong/`-`.")),
    "tanggal_efektif": Field(Date(nullable=True, doc=(
        "Tanggal efektif (tanggal pengesahan); kosongkan bila tidak diketahui."))),
    "disahkan_oleh": Field(PEJABAT),
    "dicabut": Field(DICABUT),
    "diganti_oleh": Field(Str(doc="Id SOP yang menggantikan SOP ini (nama berkasnya tanpa .yaml).")),
    "terminator": Field(Choice(choices=TERMINATOR, doc=(
        "Simbol mulai/selesai: `langkah` (langkah pertama dan terakhir berbentuk kapsul) atau "
        "`terpisah` (kapsul Mulai dan Selesai tersendiri di atas langkah pertama dan di bawah langkah terakhir)."))),
    "dasar_hukum": Field(ListOf(Str(), doc=_BOX_DOCS["dasar_hukum"])),
    "kualifikasi_pelaksana": Field(ListOf(Str(), doc=_BOX_DOCS["kualifikasi_pelaksana"])),
    "keterkaitan": Field(ListOf(KETERKAITAN, doc="Keterkaitan dengan SOP lain.")),
    "peralatan_perlengkapan": Field(ListOf(Str(), doc=_BOX_DOCS["peralatan_perlengkapan"])),
    "peringatan": Field(ListOf(Str(), doc=_BOX_DOCS["peringatan"])),
    "pencatatan_pendataan": Field(ListOf(Str(), doc=_BOX_DOCS["pencatatan_pendataan"])),
    "pelaksana": Field(ListOf(Str(), doc="Pelaksana (aktor), berurutan sebagai kolom."), required=True),
    "langkah": Field(ListOf(STEP, doc="Langkah-langkah prosedur, berurutan."), required=True),
}

SOP = Obj(title="SOP", doc="Satu Standar Operasional Prosedur (Permenpan-RB No. 35/2012).",
          fields=SOP_FIELDS, build=lambda v, loc, pos: (v, loc, pos))

def _instansi_fields(top: bool) -> dict[str, Field]:
    """The keys of ``_instansi.yaml``; ``hierarki`` is required only at the top of the chain (an
    institution below inherits its parent's lines, see :mod:`sopcode.model.institutions`)."""
    return {
        "hierarki": Field(ListOf(Str(), min_items=1, doc=(
            "Baris-baris nama instansi dari atas ke bawah, huruf kapital. Di folder instansi bawahan: "
            "baris-barisnya ditambahkan di bawah baris instansi induk.")), required=top),
        "nama": Field(Str(max_len=200, doc=(
            "Nama instansi di situs dan buku SOP; bawaan: baris terakhir hierarki."))),
        "hierarki_lengkap": Field(Choice(choices=("ya", "tidak"), doc=(
            "`ya`: hierarki di berkas ini sudah lengkap dari atas; baris instansi induk tidak ditambahkan di atasnya."))),
        "logo": Field(Str(doc="Berkas logo, relatif terhadap folder berkas _instansi.yaml yang menyebutnya.")),
        "label_tanggal_efektif": Field(Str(max_len=LABEL_MAX, doc=(
            "Label tanggal efektif pada lembar identitas, misalnya Tanggal Pengesahan."))),
        "label": Field(Obj(
            title="label",
            doc="Label lembar identitas sebagaimana ditulis instansi, misalnya `tanggal_efektif: Tgl Efektif`.",
            fields={key: Field(Str(max_len=LABEL_MAX, doc=f"Bawaan: {text}.")) for key, text in LABEL_IDENTITAS.items()},
            build=lambda v, loc, pos: frozen({k: str(t) for k, t in v.items() if str(t)}))),
        "terminator": Field(Choice(choices=TERMINATOR, doc="Gaya simbol mulai/selesai bawaan bagi semua SOP.")),
        "kertas": Field(Choice(choices=("A4", "F4", "Folio"), doc="Ukuran kertas cetak (lanskap); Folio = F4.")),
        "jam_kerja_per_hari": Field(Number(minimum=1, maximum=24, doc="Jam kerja sehari untuk menghitung `hari`.")),
        **(_SITE_FIELDS if top else {}),
    }


_SITE_FIELDS = {
    "nama_situs": Field(Str(max_len=120, doc=(
        "Nama situs SOP di kepala setiap halaman dan di judul tab peramban, misalnya SOP Kecamatan "
        "Bungursari; bila kosong, dipakai `site_name` di mkdocs.yml."))),
    "deskripsi": Field(Str(max_len=300, doc=(
        "Satu atau dua kalimat tentang situs ini, di beranda dan di keterangan halaman untuk mesin "
        "pencari; bila kosong, dipakai `site_description` di mkdocs.yml."))),
}
"""The site's own name and description: only in the top ``_instansi.yaml`` (one site, one name)."""


INSTANSI = Obj(
    title="pengaturan instansi",
    doc="Pengaturan instansi, berlaku untuk semua SOP di folder ini dan di bawahnya.",
    fields=_instansi_fields(top=True),
    build=lambda v, loc, pos: _build_instansi(v, pos),
)

INSTANSI_BAWAHAN = Obj(
    title="pengaturan instansi",
    doc="Pengaturan instansi di bawah instansi induk: kunci yang ditulis menggantikan milik induknya.",
    fields=_instansi_fields(top=False),
    build=lambda v, loc, pos: _build_instansi(v, pos),
)


def _build_instansi(v: dict, pos: dict) -> Instansi:
    if v.get("kertas") == "Folio":  # the name most offices give F4
        v["kertas"] = "F4"
    label = v.get("label") or {}
    if "tanggal_efektif" in label:  # one name for the one label, whichever key gave it
        v["label_tanggal_efektif"] = label["tanggal_efektif"]
    if "label_tanggal_efektif" in v:
        v["label_tanggal_efektif"] = str(v["label_tanggal_efektif"]) or "Tanggal Efektif"
    if "nama" in v:
        v["nama"] = str(v["nama"])
    for key in ("nama_situs", "deskripsi"):  # one line each, however the YAML wrapped it
        if key in v:
            v[key] = " ".join(str(v[key]).split())
    v["hierarki_lengkap"] = v.get("hierarki_lengkap") == "ya"
    return Instansi(pos=frozen(pos), **v)


SCHEMA_FILES = {"sop": "schema.json", "monev": "schema-monev.json", "evaluasi": "schema-evaluasi.json"}
"""Each kind of data file (``sop schema --jenis``) → its shipped JSON Schema, in the package beside this code's."""


def json_schema(jenis: str = "sop") -> dict:
    """The JSON Schema of an SOP file (``sop``), a monitoring file (``monev``, ``_monev/<tahun>-<n>.yaml``)
    or an evaluation file (``evaluasi``, ``_evaluasi/<tahun>.yaml``), generated from their declarations."""
    # Imported here: the record declarations are built from this module's helpers.
    from sopcode.model.evaluation import EVALUASI
    from sopcode.model.monitoring import MONEV

    declared = {"sop": (SOP, "Berkas SOP"), "monev": (MONEV, "Berkas monitoring SOP"),
                "evaluasi": (EVALUASI, "Berkas evaluasi SOP")}
    declaration, title = declared[jenis]
    schema = {"$schema": "http://json-schema.org/draft-07/schema#", "title": title}
    schema.update(declaration.json_schema())
    return schema
