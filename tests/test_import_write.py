"""write.py: what an import found becomes an SOP file like those in sop_data/ — it loads back with the
same values, says what was inferred and why, keeps what could not be read, and never overwrites."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
import yaml

from sopcode import cli
from sopcode.importing.found import Found, Problem
from sopcode.importing.write import TOP_ORDER, render, sop_stem, write_found
from sopcode.model.load import load_sop

ROOT = Path(__file__).resolve().parents[1]
TODAY = dt.date(2026, 11, 29)


class PlainLoader(yaml.SafeLoader):
    """Standard YAML without YAML 1.1's yes/no booleans: the key `no:` stays the word, as sop_data's
    files write it and the model reads it; every other value must read as it was written."""


PlainLoader.yaml_implicit_resolvers = {
    first: [r for r in resolvers if r[0] != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def load_plain(path: str) -> dict:
    return yaml.load(Path(path).read_text(encoding="utf-8"), Loader=PlainLoader)


def found_sop(**changes) -> Found:
    data = {
        "langkah": [
            {"no": 1, "kegiatan": "Mengajukan permohonan", "pelaksana": "Pemohon",
             "mutu_baku": {"kelengkapan": ["Surat pengantar RT/RW", "Fotokopi KTP-el"], "waktu": "10 menit",
                           "output": "Berkas permohonan"}},
            {"no": 2, "kegiatan": "Memeriksa kelengkapan berkas", "pelaksana": "Petugas Pelayanan",
             "simbol": "keputusan", "mutu_baku": {"kelengkapan": "Berkas permohonan", "waktu": "15 menit",
                                                   "output": "Berkas lengkap"},
             "keterangan": "Berkas yang belum lengkap dikembalikan", "ya": 3, "tidak": 1},
            {"no": 3, "kegiatan": "Menandatangani surat keterangan", "pelaksana": "Camat",
             "mutu_baku": {"waktu": "1 hari kerja", "output": "Surat keterangan domisili"}},
        ],
        "pelaksana": ["Pemohon", "Petugas Pelayanan", "Camat"],
        "nama": "Pelayanan Surat Keterangan Domisili",
        "nomor": "470/015/Kec.Bgs/2021",
        "unit": "SEKSI PELAYANAN UMUM",
        "tanggal_pembuatan": "2021-02-01",
        "tanggal_revisi": None,
        "tanggal_efektif": "2021-02-08",
        "disahkan_oleh": {"nip": "19640104 199101 1 004", "jabatan": "CAMAT BUNGURSARI",
                          "nama": "M.SARIPUL.HAROM.S.Sos"},
        "dasar_hukum": ["Undang-Undang Nomor 25 Tahun 2009 tentang Pelayanan Publik"],
        "kualifikasi_pelaksana": ["Memahami tata naskah dinas"],
        "keterkaitan": ["SOP Pelayanan Administrasi Kependudukan"],
        "peralatan_perlengkapan": ["Komputer dan printer"],
        "peringatan": ["Apabila berkas tidak lengkap, surat tidak dapat diterbitkan"],
        "pencatatan_pendataan": ["Buku register pelayanan"],
    }
    found = Found(source="/arsip/SOP Domisili.docx", data=data)
    for key, value in changes.items():
        setattr(found, key, value)
    return found


def test_written_file_loads_back_with_the_same_values(tmp_path):
    found = found_sop()
    written = write_found(found, tmp_path, TODAY)
    assert written.path == str(tmp_path / "sop-pelayanan-surat-keterangan-domisili.yaml")
    assert written.note is None
    sop, diagnostics = load_sop(written.path)
    assert sop is not None, [d.format() for d in diagnostics]
    assert str(sop.nama) == "Pelayanan Surat Keterangan Domisili"
    assert str(sop.nomor) == "470/015/Kec.Bgs/2021"
    assert sop.tanggal_pembuatan == dt.date(2021, 2, 1) and sop.tanggal_revisi is None
    assert str(sop.disahkan_oleh.nip) == "19640104 199101 1 004"
    assert [str(a) for a in sop.pelaksana] == ["Pemohon", "Petugas Pelayanan", "Camat"]
    assert [str(s.kegiatan) for s in sop.langkah] == [s["kegiatan"] for s in found.data["langkah"]]
    assert (sop.langkah[1].ya, sop.langkah[1].tidak) == (3, 1)
    assert [str(k) for k in sop.langkah[0].mutu_baku.kelengkapan] == ["Surat pengantar RT/RW", "Fotokopi KTP-el"]
    # and as plain YAML, every value is what was found (dates read as dates)
    again = load_plain(written.path)
    expected = json.loads(json.dumps(found.data))
    expected["tanggal_pembuatan"], expected["tanggal_efektif"] = dt.date(2021, 2, 1), dt.date(2021, 2, 8)
    assert again == expected


def test_written_file_passes_sop_check(tmp_path, capsys):
    written = write_found(found_sop(), tmp_path, TODAY)
    assert cli.main(["check", written.path]) == 0
    assert "LULUS" in capsys.readouterr().out


def test_layout_follows_the_files_in_sop_data(tmp_path):
    text = Path(write_found(found_sop(), tmp_path, TODAY).path).read_text(encoding="utf-8")
    lines = text.splitlines()
    schema = lines[0].removeprefix("# yaml-language-server: $schema=")
    assert (tmp_path / schema).resolve() == ROOT / "plugins/sopcode/schema.json"
    assert "# Diimpor dengan `sop impor` dari SOP Domisili.docx pada 2026-11-29." in lines
    keys = [m.group(1) for m in re.finditer(r"^([a-z_]+):", text, re.M)]
    schema_order = list(json.loads((ROOT / "plugins/sopcode/schema.json").read_text())["properties"])
    assert list(TOP_ORDER) == schema_order
    assert keys == [k for k in schema_order if k in found_sop().data]
    assert "disahkan_oleh:\n  jabatan: CAMAT BUNGURSARI\n  nama: M.SARIPUL.HAROM.S.Sos\n  nip: 19640104 199101 1 004\n" in text
    assert "tanggal_pembuatan: 2021-02-01\ntanggal_revisi: null\n" in text
    assert "\n\ndasar_hukum:\n  - Undang-Undang" in text and "\n\npelaksana:\n  - Pemohon\n" in text
    assert ("  - no: 2\n    kegiatan: Memeriksa kelengkapan berkas\n    pelaksana: Petugas Pelayanan\n"
            "    simbol: keputusan\n    mutu_baku:\n      kelengkapan: Berkas permohonan\n      waktu: 15 menit\n"
            "      output: Berkas lengkap\n    keterangan: Berkas yang belum lengkap dikembalikan\n"
            "    ya: 3\n    tidak: 1\n\n  - no: 3\n") in text


def test_inferred_values_say_why(tmp_path):
    found = found_sop(inferred={
        ("langkah", 2, "pelaksana"): "kolom pelaksana bertanda simbol pada baris ini",
        ("langkah", 1, "simbol"): "bentuk belah ketupat di kolom pelaksana",
        ("pelaksana",): "urutan kolom pelaksana di tabel prosedur",
        ("unit",): "baris kedua kotak kop\n(ditulis tanpa label)",
        ("langkah", 0): "baris tanpa nomor; nomor urut menurut letaknya",
        ("tanggal_efektif",): "tidak tertulis",
    })
    del found.data["tanggal_efektif"]
    path = write_found(found, tmp_path, TODAY).path
    text = Path(path).read_text(encoding="utf-8")
    assert "    pelaksana: Camat  # disimpulkan: kolom pelaksana bertanda simbol pada baris ini\n" in text
    assert "    simbol: keputusan  # disimpulkan: bentuk belah ketupat di kolom pelaksana\n" in text
    assert "\npelaksana:  # disimpulkan: urutan kolom pelaksana di tabel prosedur\n  - Pemohon\n" in text
    assert "unit: SEKSI PELAYANAN UMUM  # disimpulkan: baris kedua kotak kop (ditulis tanpa label)\n" in text
    assert "  # disimpulkan: baris tanpa nomor; nomor urut menurut letaknya\n  - no: 1\n" in text
    assert '# Nilai bertanda "disimpulkan" tidak tertulis di sumber' in text
    assert "# Disimpulkan tanpa nilai:\n#   tanggal_efektif: tidak tertulis\n" in text
    assert "tanggal_efektif:" not in text.replace("#   tanggal_efektif", "")
    sop, diagnostics = load_sop(path)
    assert sop is not None and str(sop.langkah[2].pelaksana) == "Camat", [d.format() for d in diagnostics]


def test_absent_values_are_left_out_never_invented(tmp_path):
    found = found_sop()
    for key in ("nomor", "unit", "tanggal_pembuatan", "disahkan_oleh", "peringatan"):
        del found.data[key]
    del found.data["langkah"][0]["mutu_baku"]["output"]
    text = Path(write_found(found, tmp_path, TODAY).path).read_text(encoding="utf-8")
    for key in ("nomor:", "unit:", "tanggal_pembuatan:", "disahkan_oleh:", "peringatan:", "jabatan:"):
        assert key not in text
    assert "      waktu: 10 menit\n\n  - no: 2" in text


def test_problems_and_the_institution_lines_are_kept_as_comments(tmp_path):
    found = found_sop(problems=[Problem("halaman 2", "simbol tidak dikenali (bentuk segi enam)", step=4),
                                Problem("halaman 1", "kotak Peringatan kosong")],
                      hierarki=["PEMERINTAH KABUPATEN PURWAKARTA", "KECAMATAN BUNGURSARI"])
    text = Path(write_found(found, tmp_path, TODAY).path).read_text(encoding="utf-8")
    assert ("# Hierarki instansi pada sumber (tempatnya di _instansi.yaml, `hierarki:`):\n"
            "#   PEMERINTAH KABUPATEN PURWAKARTA\n#   KECAMATAN BUNGURSARI\n") in text
    assert ("# Tidak terbaca dari sumber (lengkapi sendiri):\n"
            "#   - halaman 2, langkah 4: simbol tidak dikenali (bentuk segi enam)\n"
            "#   - halaman 1: kotak Peringatan kosong\n") in text


TRICKY = [
    "Nomor: 470/015", "# bukan komentar", "- bukan butir", "yes", "123", "2021-02-01", "",
    'Kata "kutip" dan \'petik\'', "baris satu\nbaris dua", "  spasi di depan", "{kurung}", "tab\tdi tengah",
    "*bintang", "&jangkar", "!tag", "@at", "`backtick`", "% persen", "garis\u2028pemisah", "null", "~",
]


@pytest.mark.parametrize("text", TRICKY)
def test_any_text_survives_the_round_trip(tmp_path, text):
    found = found_sop()
    found.data["nomor"] = text
    found.data["langkah"][1]["keterangan"] = text
    found.data["dasar_hukum"] = [text]
    found.inferred = {("nomor",): text or "kosong"}
    path = write_found(found, tmp_path, TODAY).path
    again = load_plain(path)
    assert again["nomor"] == text and again["langkah"][1]["keterangan"] == text and again["dasar_hukum"] == [text]
    assert again["nama"] == "Pelayanan Surat Keterangan Domisili"


def test_plain_words_are_not_quoted(tmp_path):
    text = Path(write_found(found_sop(), tmp_path, TODAY).path).read_text(encoding="utf-8")
    assert "\nnama: Pelayanan Surat Keterangan Domisili\n" in text
    assert "\nnomor: 470/015/Kec.Bgs/2021\n" in text


def test_existing_file_is_never_overwritten(tmp_path):
    first = tmp_path / "sop-pelayanan-surat-keterangan-domisili.yaml"
    first.write_text("# milik orang lain\n", encoding="utf-8")
    second = write_found(found_sop(), tmp_path, TODAY)
    third = write_found(found_sop(), tmp_path, TODAY)
    assert first.read_text(encoding="utf-8") == "# milik orang lain\n"
    assert Path(second.path).name == "sop-pelayanan-surat-keterangan-domisili-2.yaml"
    assert Path(third.path).name == "sop-pelayanan-surat-keterangan-domisili-3.yaml"
    assert second.note == ("sop-pelayanan-surat-keterangan-domisili.yaml sudah ada dan tidak ditimpa: "
                           "SOP ini ditulis sebagai sop-pelayanan-surat-keterangan-domisili-2.yaml")


def test_an_id_taken_in_a_subfolder_or_in_another_case_is_not_reused(tmp_path):
    (tmp_path / "arsip").mkdir()
    (tmp_path / "arsip" / "SOP-Pelayanan-Surat-Keterangan-Domisili.yaml").write_text("nama: x\n")
    written = write_found(found_sop(), tmp_path, TODAY)
    assert Path(written.path).name == "sop-pelayanan-surat-keterangan-domisili-2.yaml"


def test_file_name_comes_from_the_name_else_the_source():
    assert sop_stem(found_sop()) == "sop-pelayanan-surat-keterangan-domisili"
    assert sop_stem(Found("x.docx", {"nama": "SOP Pelayanan KTP-el"})) == "sop-pelayanan-ktp-el"
    assert sop_stem(Found("/a/Prosedur Arsip.xlsx", {})) == "sop-prosedur-arsip"
    assert sop_stem(Found("/a/——.xlsx", {"nama": "……"})) == "sop-impor"


def test_file_name_is_the_id_the_source_names_when_it_is_one():
    found = found_sop()
    assert sop_stem(found, "sop-skd") == "sop-skd"
    assert sop_stem(found, "dinas-kependudukan/sop-akta") == "sop-akta"  # the folder is the one imported into
    for bad in ("../../etc/passwd", "SOP SKD", "sop_skd", "sop-skd.yaml", "-sop", "sop--x", "a" * 101, "", " "):
        assert sop_stem(found, bad) == "sop-pelayanan-surat-keterangan-domisili", bad


def test_an_id_from_the_source_is_never_overwritten_either(tmp_path):
    (tmp_path / "sop-skd.yaml").write_text("nama: x\n")
    written = write_found(found_sop(), tmp_path, TODAY, sop_id="sop-skd")
    assert Path(written.path).name == "sop-skd-2.yaml"
    assert written.note == "sop-skd.yaml sudah ada dan tidak ditimpa: SOP ini ditulis sebagai sop-skd-2.yaml"


def test_render_has_no_blank_line_before_the_first_key():
    text = render(Found("a.docx", {"nama": "A"}), "schema.json", TODAY)
    assert text.endswith("\nnama: A\n") and "#\n\n" not in text.replace("Diimpor", "")


def test_hidden_folders_are_not_searched_for_ids(tmp_path):
    (tmp_path / ".cache").mkdir()
    (tmp_path / ".cache" / "sop-pelayanan-surat-keterangan-domisili.yaml").write_text("x: 1\n")
    assert Path(write_found(found_sop(), tmp_path, TODAY).path).name == "sop-pelayanan-surat-keterangan-domisili.yaml"


def test_a_related_sop_s_id_becomes_a_reference_only_when_that_sop_is_in_the_folder(tmp_path):
    """`sop ekspor` prints a Keterkaitan reference as the SOP's id; imported back into a folder holding that
    SOP it is a reference again (marked as inferred), and elsewhere it stays text, so it never dangles."""
    related = ["sop-surat-keterangan-domisili", "SOP Pemantauan Ketertiban Umum", "instansi/sop-lain"]
    (tmp_path / "ada").mkdir()
    (tmp_path / "ada" / "sop-surat-keterangan-domisili.yaml").write_text("nama: x\n", encoding="utf-8")
    found = found_sop()
    found.data["keterkaitan"] = list(related)
    found.data["tanggal_revisi"] = "-"
    written = write_found(found, tmp_path / "ada")
    data = load_plain(written.path)
    assert data["keterkaitan"] == [{"sop": "sop-surat-keterangan-domisili"}, related[1], related[2]]
    assert "# disimpulkan: teks berbentuk id SOP" in Path(written.path).read_text(encoding="utf-8")
    assert data["tanggal_revisi"] is None  # "-" and null both say "not revised"; null is the template's way
    elsewhere = found_sop()
    elsewhere.data["keterkaitan"] = list(related)
    assert load_plain(write_found(elsewhere, tmp_path / "lain").path)["keterkaitan"] == related


def test_schema_is_named_as_the_files_beside_it_name_it(tmp_path):
    """In a project's sop_data/ the files say `$schema=../plugins/sopcode/schema.json`; an imported file
    says the same (an editor then checks it as it checks the others), not the path of wherever the
    package was installed. In an empty folder, the installed schema's path is all there is."""
    alone = Path(write_found(found_sop(), tmp_path / "kosong", TODAY).path)
    schema = re.match(r"# yaml-language-server: \$schema=(\S+)", alone.read_text(encoding="utf-8"))
    assert schema is not None and (alone.parent / schema[1]).resolve().name == "schema.json"
    assert (alone.parent / schema[1]).resolve().is_file()
    data = tmp_path / "sop_data"
    data.mkdir()
    (data / "sop-lama.yaml").write_text("# yaml-language-server: $schema=../plugins/sopcode/schema.json\nnomor: '1'\n",
                                        encoding="utf-8")
    written = Path(write_found(found_sop(), data, TODAY).path)
    assert written.read_text(encoding="utf-8").splitlines()[0] == "# yaml-language-server: $schema=../plugins/sopcode/schema.json"


def test_a_file_staged_outside_the_data_folder_names_the_schema_as_the_data_folder_does(tmp_path, monkeypatch):
    """An edited workbook is imported into build/impor and copied over its SOP in sop_data/: the copy
    must name the schema as the files there do, so the staged file is written so."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "sop_data").mkdir()
    (tmp_path / "sop_data" / "sop-lama.yaml").write_text(
        "# yaml-language-server: $schema=../plugins/sopcode/schema.json\nnomor: '1'\n", encoding="utf-8")
    staged = Path(write_found(found_sop(), "build/impor", TODAY).path)
    assert staged.read_text(encoding="utf-8").splitlines()[0] == "# yaml-language-server: $schema=../plugins/sopcode/schema.json"
    new_folder = Path(write_found(found_sop(), "sop_data/dinas-baru", TODAY).path)  # inside: a path of its own
    schema = re.match(r"# yaml-language-server: \$schema=(\S+)", new_folder.read_text(encoding="utf-8"))
    assert schema is not None and (new_folder.parent / schema[1]).resolve().is_file()
