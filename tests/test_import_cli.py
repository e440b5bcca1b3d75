"""`sop impor`: real files in, SOP files out, one Indonesian report per file, `sop check` on what was
written; bad files each give their message and a failed exit, never a traceback, and nothing is lost
or overwritten."""

from __future__ import annotations

import importlib.util
import os
import re
import shlex
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from test_import_safety import BILLION_LAUGHS, make_cfb, make_docx

from sopcode import cli
from sopcode.importing import package, run
from sopcode.importing.found import Found, Problem
from sopcode.importing.write import write_found
from sopcode.model.load import load_sop

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "sop_data" / "sop-rekomendasi-izin-keramaian.yaml"


def _have(module: str) -> bool:
    return importlib.util.find_spec(module) is not None


needs_excel = pytest.mark.skipif(
    not (_have("sopcode.sheets.excel") and _have("sopcode.importing.xlsx") and _have("sopcode.importing.interpret")),
    reason="the Excel export, the Excel reader or the interpreter is not in this tree yet")


def workbook(tmp_path: Path, name: str = "keramaian.xlsx") -> Path:
    """A real workbook of an SOP of sop_data/, as `sop ekspor --xlsx` writes it."""
    from sopcode.sheets.excel import export_xlsx

    sop, diagnostics = load_sop(str(SOURCE))
    assert sop is not None, diagnostics
    path = tmp_path / name
    path.write_bytes(export_xlsx(sop))
    return path


def impor(capsys, *args: str) -> tuple[int, str, str]:
    code = cli.main(["impor", *args])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


@needs_excel
def test_workbook_is_imported_reported_and_checked(tmp_path, capsys):
    data = tmp_path / "data"
    data.mkdir()  # with the SOP its Keterkaitan refers to (it comes back as a reference), as in sop_data
    shutil.copy(ROOT / "sop_data" / "sop-surat-keterangan-domisili.yaml", data)
    code, out, err = impor(capsys, str(workbook(tmp_path)), "--ke", str(data))
    assert code == 0, err
    written = data / "sop-rekomendasi-izin-keramaian.yaml"
    lines = out.splitlines()
    assert lines[0] == f"{tmp_path / 'keramaian.xlsx'}: 1 SOP dibaca"
    assert lines[1].startswith(f"  {written}: 9 langkah, 5 pelaksana,")
    assert "2 keputusan (4 dari 4 cabangnya terbaca)" in lines[1]
    assert "pemeriksaan berkas yang ditulis" in out and "LULUS" in out
    assert "repositori git" not in out + err  # files just written have no history; no note about it
    sop, _ = load_sop(str(written))
    original, _ = load_sop(str(SOURCE))
    assert sop is not None and original is not None
    assert [str(s.kegiatan) for s in sop.langkah] == [str(s.kegiatan) for s in original.langkah]
    assert [str(a) for a in sop.pelaksana] == [str(a) for a in original.pelaksana]


@needs_excel
def test_a_workbook_staged_in_build_impor_finds_the_sops_it_refers_to_in_sop_data(tmp_path, capsys, monkeypatch):
    """The guide's round trip imports an edited workbook into build/impor, which holds only that SOP:
    its Keterkaitan reference is checked against the project's sop_data/, where the file will be copied,
    so a correct reference is not a galat; a reference to an SOP the project lacks still is."""
    project = tmp_path / "proyek"
    (project / "sop_data").mkdir(parents=True)
    shutil.copy(ROOT / "sop_data" / "sop-surat-keterangan-domisili.yaml", project / "sop_data")
    book = workbook(tmp_path)
    monkeypatch.chdir(project)
    code, out, err = impor(capsys, str(book), "--ke", "build/impor")
    assert code == 0 and "0 galat, 0 peringatan pada 1 berkas SOP: LULUS" in out, out + err
    (project / "sop_data" / "sop-surat-keterangan-domisili.yaml").unlink()
    code, out, err = impor(capsys, str(book), "--ke", "build/lain")
    assert "Keterkaitan merujuk SOP 'sop-surat-keterangan-domisili' yang tidak ada" in out + err


@needs_excel
def test_a_workbook_of_sop_ekspor_comes_back_under_its_own_id(tmp_path, capsys):
    """`sop ekspor` stores the id in the workbook's identifier property; a file whose title would give
    another name (sop-pelayanan-rekomendasi-…) is still named by it, so an SOP edited in Excel returns
    as the file it was."""
    book = workbook(tmp_path)
    assert run.identifier(str(book)) == "sop-rekomendasi-izin-keramaian"
    code, out, _ = impor(capsys, str(book), "--ke", str(tmp_path / "data"))
    assert code == 0
    assert f"  {tmp_path / 'data' / 'sop-rekomendasi-izin-keramaian.yaml'}: 9 langkah" in out
    assert not (tmp_path / "data" / "sop-pelayanan-rekomendasi-izin-keramaian.yaml").exists()


def without_id(book: Path) -> Path:
    """The workbook as another program would save it: the same sheets, no SOP id in its properties."""
    plain = book.with_name("tanpa-id.xlsx")
    with zipfile.ZipFile(book) as src, zipfile.ZipFile(plain, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == run.CORE_PART:
                data = re.sub(rb"<dc:identifier[^>]*>[^<]*</dc:identifier>", b"", data)
            out.writestr(info, data)
    assert run.identifier(str(plain)) is None
    return plain


@needs_excel
def test_importing_twice_never_overwrites(tmp_path, capsys):
    """A file that is not a workbook of `sop ekspor` (here: one that names no SOP id) imported twice:
    the second time it is the same SOP (same Nama and Nomor), so nothing is written, said with what to
    do; another SOP under the same name gets the next free name (`-2`), and says so."""
    book = without_id(workbook(tmp_path))
    data = tmp_path / "data"
    assert impor(capsys, str(book), "--ke", str(data))[0] == 0
    name = "sop-pelayanan-rekomendasi-izin-keramaian"  # named from the SOP's name, as it gives no id
    first = (data / f"{name}.yaml").read_bytes()
    code, _, err = impor(capsys, str(book), "--ke", str(data))
    assert code == 1
    assert (f"galat: SOP 'Pelayanan Rekomendasi Izin Keramaian' sudah ada di {data / name}.yaml (Nama dan Nomor SOP-nya "
            "sama): tidak ditulis lagi") in err
    assert (data / f"{name}.yaml").read_bytes() == first and not (data / f"{name}-2.yaml").exists()
    (data / f"{name}.yaml").write_bytes(first.replace(b"300/027/Kec.Bgs/2020", b"300/099/Kec.Bgs/2020"))  # another SOP
    code, out, _ = impor(capsys, str(book), "--ke", str(data))
    assert code == 0
    assert f"catatan: {name}.yaml sudah ada dan tidak ditimpa: SOP ini ditulis sebagai {name}-2.yaml" in out
    assert (data / f"{name}-2.yaml").is_file()


@needs_excel
def test_workbook_of_an_existing_sop_is_not_written_beside_it(tmp_path, capsys, monkeypatch):
    """The workbook `sop ekspor` made of an SOP, imported into the folder that holds the SOP (--ke
    forgotten): no second file with the same Nomor SOP, but a message that says what the workbook is
    and the guide's commands to compare it with the SOP."""
    monkeypatch.chdir(tmp_path)
    workbook(tmp_path)  # keramaian.xlsx, here
    data = tmp_path / "sop_data"
    data.mkdir()
    shutil.copy(SOURCE, data)
    before = sorted(p.name for p in data.iterdir())
    code, out, err = impor(capsys, "keramaian.xlsx")
    assert code == 1
    assert sorted(p.name for p in data.iterdir()) == before
    assert err.splitlines() == [
        "keramaian.xlsx: galat: buku kerja ini hasil ekspor SOP sop-rekomendasi-izin-keramaian yang sudah ada "
        "(sop_data/sop-rekomendasi-izin-keramaian.yaml); tidak ditulis, agar tidak ada dua berkas untuk satu SOP",
        "    perbaikan: impor ke folder build/impor, salin hasilnya menggantikan berkas SOP itu, lalu lihat apa yang "
        'berubah (panduan "Memindahkan SOP lama dari Word/Excel", bagian "Menyunting di Excel, lalu membawanya '
        'kembali"):',
        "        sop impor keramaian.xlsx --ke build/impor",
        "        cp build/impor/sop-rekomendasi-izin-keramaian.yaml sop_data/",
        "        sop diff sop-rekomendasi-izin-keramaian HEAD kerja",
        "1 dari 1 berkas gagal diimpor",
    ]
    assert "nomor-sop-ganda" not in out + err
    # the first command it gives works, and the second time into build/impor says how to start again
    assert impor(capsys, "keramaian.xlsx", "--ke", "build/impor")[0] == 0
    assert (tmp_path / "build" / "impor" / "sop-rekomendasi-izin-keramaian.yaml").is_file()
    code, out, err = impor(capsys, "keramaian.xlsx", "--ke", "build/impor")
    assert code == 1
    assert err.splitlines()[:4] == [
        "keramaian.xlsx: galat: SOP sop-rekomendasi-izin-keramaian dari buku kerja ini sudah pernah diimpor ke "
        "build/impor/sop-rekomendasi-izin-keramaian.yaml; berkas itu tidak ditimpa",
        "    perbaikan: hapus hasil impor sebelumnya itu, lalu impor lagi:",
        "        rm build/impor/sop-rekomendasi-izin-keramaian.yaml",
        "        sop impor keramaian.xlsx --ke build/impor",
    ]
    assert [p.name for p in (tmp_path / "build" / "impor").iterdir()] == ["sop-rekomendasi-izin-keramaian.yaml"]


def retyped(book: Path, out: Path, nama: str | None = None, nomor: str | None = None, retitle: bool = True) -> Path:
    """The workbook as an office edits it in Excel: another Nama SOP (in the identity, and unless not
    ``retitle`` in the procedure sheet's title row) and/or another Nomor SOP; it keeps the SOP id `sop
    ekspor` recorded."""
    import openpyxl

    wb = openpyxl.load_workbook(book)
    ident = wb["Identitas"]
    if nomor is not None:
        ident["C1"] = nomor
    if nama is not None:
        ident["C6"] = nama
    if nama is not None and retitle:
        for row in wb["Prosedur"].iter_rows(max_row=3):
            for cell in row:
                if isinstance(cell.value, str) and cell.value.startswith("SOP :"):
                    cell.value = f"SOP : {nama}"
    wb.save(out)
    assert run.identifier(str(out)) == "sop-rekomendasi-izin-keramaian"
    return out


@needs_excel
def test_a_workbook_copied_as_the_template_of_a_new_sop_is_written_as_a_new_sop(tmp_path, capsys, monkeypatch):
    """An office copies the exported workbook of one SOP and types another SOP into it (another Nama and
    Nomor SOP): it is a new SOP, written under its own name beside the SOP it was copied from, never
    refused as that SOP nor named by its id (whose file the guide's `cp` would then replace)."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "sop_data").mkdir()
    shutil.copy(SOURCE, tmp_path / "sop_data")
    before = SOURCE.read_bytes()
    book = retyped(workbook(tmp_path), tmp_path / "SOP Izin Reklame.xlsx",  # the title row left as exported
                   nama="Pelayanan Rekomendasi Izin Reklame", nomor="300/031/Kec.Bgs/2024", retitle=False)
    note = ("    catatan: buku kerja ini dibuat dari buku kerja SOP sop-rekomendasi-izin-keramaian, tetapi menamai SOP "
            "lain (Nama SOP dan Nomor SOP-nya berbeda), jadi ditulis sebagai berkas SOP baru")
    for folder in ("sop_data", "build/impor"):  # beside it, and where the guide stages a workbook
        code, out, err = impor(capsys, book.name, "--ke", folder)
        assert code == 0, err
        assert note in out.splitlines()
        new = tmp_path / folder / "sop-pelayanan-rekomendasi-izin-reklame.yaml"
        assert f"  {folder}/{new.name}: 9 langkah" in out
        sop, _ = load_sop(str(new))
        assert sop is not None and str(sop.nama) == "Pelayanan Rekomendasi Izin Reklame"
        assert str(sop.nomor) == "300/031/Kec.Bgs/2024"
        # the old SOP's title row is not the new sheet's title; its dates are said to be checked
        assert not sop.nama_prosedur
        assert ("    catatan: judul lembar prosedur 'Pelayanan Rekomendasi Izin Keramaian' dari SOP "
                "sop-rekomendasi-izin-keramaian tidak disalin; judulnya Nama SOP ini") in out.splitlines()
        assert "tanggal dan pejabat pengesah tertulis seperti di buku kerja" in out
    assert (tmp_path / "sop_data" / SOURCE.name).read_bytes() == before
    assert not (tmp_path / "build" / "impor" / SOURCE.name).exists()


@needs_excel
def test_a_workbook_of_an_sop_with_another_name_or_number_says_which_differs(tmp_path, capsys, monkeypatch):
    """Only the Nama SOP (or only the Nomor SOP) changed: still that SOP edited (a renamed SOP keeps its
    number), refused beside it, but the message says what differs, in case it is meant as a new SOP."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "sop_data").mkdir()
    shutil.copy(SOURCE, tmp_path / "sop_data")
    book = retyped(workbook(tmp_path), tmp_path / "ganti-nama.xlsx", nama="Pelayanan Rekomendasi Izin Reklame")
    code, out, err = impor(capsys, book.name)
    assert code == 1 and list((tmp_path / "sop_data").iterdir()) == [tmp_path / "sop_data" / SOURCE.name]
    assert err.splitlines()[:2] == [
        "ganti-nama.xlsx: galat: buku kerja ini hasil ekspor SOP sop-rekomendasi-izin-keramaian yang sudah ada "
        "(sop_data/sop-rekomendasi-izin-keramaian.yaml); tidak ditulis, agar tidak ada dua berkas untuk satu SOP",
        "    catatan: Nama SOP di buku kerja ini berbeda dari SOP sop-rekomendasi-izin-keramaian: 'Pelayanan "
        "Rekomendasi Izin Reklame', di SOP itu 'Pelayanan Rekomendasi Izin Keramaian'; bila buku kerja ini SOP baru "
        "yang dibuat dari buku kerja SOP itu, ganti Nama SOP dan Nomor SOP-nya, lalu impor lagi"]
    # staged in build/impor as the guide says, it is written under the SOP's id, and the report says it too
    book = retyped(workbook(tmp_path), tmp_path / "ganti-nomor.xlsx", nomor="300/031/Kec.Bgs/2024")
    code, out, err = impor(capsys, book.name, "--ke", "build/impor")
    assert code == 0, err
    assert (tmp_path / "build" / "impor" / SOURCE.name).is_file()
    assert ("    catatan: Nomor SOP di buku kerja ini berbeda dari SOP sop-rekomendasi-izin-keramaian: "
            "'300/031/Kec.Bgs/2024', di SOP itu '300/027/Kec.Bgs/2020';") in out


@needs_excel
def test_one_bad_file_fails_the_run_but_the_good_one_is_written(tmp_path, capsys):
    bad = tmp_path / "catatan.docx"
    bad.write_text("bukan dokumen Word", encoding="utf-8")
    data = tmp_path / "data"
    code, _, err = impor(capsys, str(bad), str(workbook(tmp_path)), "--ke", str(data))
    assert code == 1
    assert f"{bad}: galat: berkas ini bukan dokumen Word (.docx, .doc), Excel (.xlsx, .xls) atau LibreOffice (.odt, .ods)" in err
    assert "1 dari 2 berkas gagal diimpor" in err
    assert (data / "sop-rekomendasi-izin-keramaian.yaml").is_file()


@pytest.mark.slow  # LibreOffice or a long property run: over a second
@needs_excel
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_legacy_xls_is_converted_by_libreoffice_and_imported(tmp_path, capsys):
    book = workbook(tmp_path, "lama.xlsx")
    subprocess.run(["soffice", f"-env:UserInstallation={(tmp_path / 'profil').as_uri()}", "--headless",
                    "--convert-to", "xls", "--outdir", str(tmp_path / "xls"), str(book)],
                   check=True, capture_output=True, timeout=180)
    xls = tmp_path / "xls" / "lama.xls"
    assert xls.read_bytes()[:4] == b"\xd0\xcf\x11\xe0"
    data = tmp_path / "data"
    code, out, err = impor(capsys, str(xls), "--ke", str(data))
    assert code == 0, err
    assert "catatan: berkas format lama .xls dikonversi dengan LibreOffice" in out
    sop, _ = load_sop(str(data / "sop-rekomendasi-izin-keramaian.yaml"))
    assert sop is not None and len(sop.langkah) == 9


# ── files refused, one message each ────────────────────────────────────────────────────────────────

HOSTILE = {
    "teks.docx": (lambda p: p.write_text("SOP Pelayanan\n1. Menerima berkas\n", encoding="utf-8"),
                  "bukan dokumen Word (.docx, .doc), Excel (.xlsx, .xls) atau LibreOffice (.odt, .ods)"),
    "terkunci.docx": (lambda p: make_cfb(p, ["EncryptionInfo", "EncryptedPackage"]),
                      "berkas dilindungi kata sandi"),
    "bom.docx": (lambda p: make_docx(p, {"word/media/isi.bin": bytes(40 * 1024 * 1024)}), "(bom zip)"),
    "jalan.docx": (lambda p: make_docx(p, {"../../luar.xml": "<x/>"}), "nama bagian yang tidak sah"),
    "presentasi.pptx": (lambda p: _zip(p, {"ppt/presentation.xml": "<p/>"}), "paket zip, tetapi bukan dokumen Word"),
    "lain.doc": (lambda p: make_cfb(p, ["Contents"]), "bukan dokumen Word maupun buku kerja Excel"),
    "tawa.docx": (lambda p: make_docx(p, {"word/_rels/document.xml.rels": BILLION_LAUGHS}), "memuat DOCTYPE"),
    "xxe.docx": (lambda p: make_docx(p, {"_rels/.rels": '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM '
                                         '"file:///etc/passwd">]><Relationships>&x;</Relationships>'}),
                 "_rels/.rels memuat DOCTYPE"),
}


def _zip(path: Path, parts: dict[str, str]) -> Path:
    with zipfile.ZipFile(path, "w") as zf:
        for name, text in parts.items():
            zf.writestr(name, text)
    return path


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_refused_file_gives_its_message_and_writes_nothing(tmp_path, capsys, name):
    make, message = HOSTILE[name]
    path = tmp_path / name
    make(path)
    data = tmp_path / "data"
    code, _, err = impor(capsys, str(path), "--ke", str(data))
    assert code == 1
    assert err.startswith(f"{path}: galat: ")
    assert message in err
    assert "    perbaikan: " in err
    assert not data.exists() or not any(data.iterdir())


def test_part_over_the_size_limit_is_refused(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(package, "MAX_PART", 512 * 1024)
    path = make_docx(tmp_path / "foto.docx", {"word/media/foto.png": bytes(range(256)) * 4096},
                     compression=zipfile.ZIP_STORED)
    code, _, err = impor(capsys, str(path), "--ke", str(tmp_path / "data"))
    assert code == 1
    assert f"{path}: galat: bagian word/media/foto.png terlalu besar setelah dibuka (1 MiB; batas 512 KiB)" in err


def test_password_message_says_how_to_fix_it(tmp_path, capsys):
    path = make_cfb(tmp_path / "terkunci.xlsx", ["EncryptionInfo", "EncryptedPackage"])
    code, _, err = impor(capsys, str(path), "--ke", str(tmp_path / "data"))
    assert code == 1
    assert err.splitlines()[:2] == [
        f"{path}: galat: berkas dilindungi kata sandi",
        "    perbaikan: buka di Word/Excel, simpan tanpa kata sandi, lalu impor lagi",
    ]


def test_missing_part_of_the_importer_is_named(tmp_path, capsys, monkeypatch):
    monkeypatch.setitem(run.READERS, "docx", ("sopcode.importing.belum_ada", "read_docx", "pembaca dokumen Word (.docx)"))
    code, _, err = impor(capsys, str(make_docx(tmp_path / "sop.docx")), "--ke", str(tmp_path / "data"))
    assert code == 1
    assert "galat: pembaca dokumen Word (.docx) belum tersedia di versi sop ini" in err


def test_missing_file_and_a_file_as_folder_are_bad_arguments(tmp_path, capsys):
    code, _, err = impor(capsys, str(tmp_path / "tidak-ada.docx"))
    assert code == 2 and f"{tmp_path / 'tidak-ada.docx'}: galat: berkas tidak ada" in err
    folder = tmp_path / "SOP lama"
    folder.mkdir()
    code, _, err = impor(capsys, str(folder))
    assert code == 2
    assert err.splitlines() == [
        f"{folder}: galat: berkas adalah folder, bukan berkas",
        f'    perbaikan: untuk mengimpor semua berkas di folder itu: sop impor "{folder}"/*.docx '
        f'(buku kerja Excel: "{folder}"/*.xlsx; jenis lain: *.doc, *.xls, *.odt, *.ods)']
    # one missing file among several: the others are not imported either, and the report says so
    good = make_docx(tmp_path / "ada.docx")
    code, out, err = impor(capsys, str(good), str(tmp_path / "tidak-ada.docx"), "--ke", str(tmp_path / "d"))
    assert code == 2 and out == "" and not (tmp_path / "d").exists()
    assert err.splitlines()[-1] == ("tidak ada berkas yang diimpor, juga yang ada: perbaiki nama berkas di atas, "
                                    "lalu ulangi perintahnya")
    target = tmp_path / "bukan-folder"
    target.write_text("x")
    code, _, err = impor(capsys, str(make_docx(tmp_path / "a.docx")), "--ke", str(target))
    assert code == 2 and "galat: folder tujuan (--ke) adalah berkas, bukan folder" in err


def test_an_empty_ke_is_refused_not_taken_as_the_data_folder(tmp_path, capsys, monkeypatch):
    """`--ke "$TUJUAN"` with the variable unset: nothing goes into sop_data/."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "sop_data").mkdir()
    code, out, err = impor(capsys, str(make_docx(tmp_path / "a.docx")), "--ke", "")
    assert code == 2 and out == ""
    assert err.splitlines()[0] == "galat: --ke kosong: folder tujuan tidak disebut; tidak ada yang diimpor"
    assert list((tmp_path / "sop_data").iterdir()) == []


@needs_excel
def test_outside_the_project_nothing_is_imported_and_no_sop_data_is_made(tmp_path, capsys, monkeypatch):
    """Run where there is no sop_data/ (a terminal opened in the home folder), without --ke: refused,
    naming the folder it was run in, rather than a new ./sop_data/ the site never sees."""
    book = workbook(tmp_path)
    here = tmp_path / "rumah"
    here.mkdir()
    monkeypatch.chdir(here)
    code, out, err = impor(capsys, str(book))
    assert code == 2 and out == ""
    assert err.splitlines()[0] == (f"galat: folder sop_data tidak ada di {here}: perintah ini dijalankan di luar "
                                   "folder proyek SOP; tidak ada yang diimpor")
    assert "pindah ke folder proyek SOP" in err and "--ke FOLDER" in err
    assert list(here.iterdir()) == []
    # a folder named with --ke is still made
    code, _, err = impor(capsys, str(book), "--ke", "hasil/impor")
    assert code == 0, err
    assert (here / "hasil" / "impor" / "sop-rekomendasi-izin-keramaian.yaml").is_file()


@needs_excel
def test_a_folder_that_cannot_be_written_is_told_in_indonesian(tmp_path, capsys):
    """The operating system's reason, in Indonesian, with the path that failed (not 'Not a directory')."""
    book = workbook(tmp_path)
    (tmp_path / "berkas.txt").write_text("x")
    code, _, err = impor(capsys, str(book), "--ke", str(tmp_path / "berkas.txt" / "sub"))
    assert code == 1
    assert (f"{book}: galat: SOP Pelayanan Rekomendasi Izin Keramaian tidak dapat ditulis ke "
            f"{tmp_path / 'berkas.txt' / 'sub'}: salah satu bagian jalurnya bukan folder (ENOTDIR)") in err
    assert "Not a directory" not in err
    if os.geteuid() != 0:  # root writes into a read-only folder
        locked = tmp_path / "terkunci"
        locked.mkdir(mode=0o500)
        code, _, err = impor(capsys, str(book), "--ke", str(locked))
        assert code == 1 and "tidak ada izin menulis (EACCES)" in err and "Permission denied" not in err


def test_no_file_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as caught:
        cli.main(["impor"])
    assert caught.value.code == 2
    assert "argumen berikut wajib diberikan: BERKAS" in capsys.readouterr().err


@needs_excel
def test_a_file_named_with_a_leading_dash_is_told_how_to_name_it(tmp_path, capsys, monkeypatch):
    """argparse reads '-16-….xlsx' as an option; its refusal says how to give such a file."""
    monkeypatch.chdir(tmp_path)
    workbook(tmp_path, "-16-diawali-minus.xlsx")
    with pytest.raises(SystemExit) as caught:
        cli.main(["impor", "-16-diawali-minus.xlsx", "--ke", "data folder"])
    assert caught.value.code == 2
    hint = capsys.readouterr().err.splitlines()[-1]
    assert hint == (
        "    perbaikan: nama berkas yang diawali '-' terbaca sebagai opsi; tulis ./-16-diawali-minus.xlsx, atau "
        "letakkan -- sebelum nama berkasnya: sop impor --ke 'data folder' -- -16-diawali-minus.xlsx")
    # the command it gives is the user's own, --ke kept: it imports where they asked
    code, _, err = impor(capsys, *shlex.split(hint.split(": sop impor ", 1)[1]))
    assert code == 0, err
    assert (tmp_path / "data folder" / "sop-rekomendasi-izin-keramaian.yaml").is_file()
    code, _, err = impor(capsys, "./-16-diawali-minus.xlsx", "--ke", "lain")
    assert code == 0, err


def test_command_runs_as_a_program_without_a_traceback(tmp_path):
    path = make_cfb(tmp_path / "terkunci.docx", ["EncryptionInfo", "EncryptedPackage"])
    sop = Path(sys.executable).parent / "sop"
    done = subprocess.run([str(sop), "impor", str(path), "--ke", str(tmp_path / "d")],
                          capture_output=True, text=True, timeout=60, cwd=tmp_path)
    assert done.returncode == 1
    assert "berkas dilindungi kata sandi" in done.stderr and "Traceback" not in done.stderr


def _add_parts(book: Path, out: Path, extra: dict[str, bytes], rels: str = "") -> Path:
    """A copy of a workbook with more parts and, in the workbook's relationships, one more line."""
    with zipfile.ZipFile(book) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "xl/_rels/workbook.xml.rels" and rels:
                data = data.replace(b"</Relationships>", rels.encode() + b"</Relationships>")
            dst.writestr(info, data)
        for name, data in extra.items():
            dst.writestr(name, data)
    return out


@needs_excel
def test_external_link_is_reported_and_never_fetched(tmp_path, capsys, monkeypatch):
    import socket

    def no_network(*args, **kwargs):
        raise AssertionError("the import used the network")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    book = _add_parts(workbook(tmp_path), tmp_path / "tautan.xlsx", {}, rels=(
        '<Relationship Id="rId99" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        'externalLink" Target="http://penyerang.example/data.xlsx" TargetMode="External"/>'))
    code, out, err = impor(capsys, str(book), "--ke", str(tmp_path / "data"))
    assert code == 0, err
    assert "    catatan: tautan luar tidak dibuka: http://penyerang.example/data.xlsx" in out


@needs_excel
def test_macros_are_noted_and_not_run(tmp_path, capsys):
    book = _add_parts(workbook(tmp_path), tmp_path / "makro.xlsm",
                      {"xl/vbaProject.bin": bytes.fromhex("d0cf11e0a1b11ae1") + bytes(1024)})
    code, out, err = impor(capsys, str(book), "--ke", str(tmp_path / "data"))
    assert code == 0, err
    assert "    catatan: makro diabaikan (tidak dijalankan)" in out
    assert (tmp_path / "data" / "sop-rekomendasi-izin-keramaian.yaml").is_file()


FIXTURE = ROOT / "tests" / "fixtures" / "impor" / "seed-jangkar-sel.docx"


@pytest.mark.skipif(not (_have("sopcode.importing.docx") and FIXTURE.is_file()),
                    reason="the Word reader or its fixtures are not in this tree yet")
@pytest.mark.slow  # LibreOffice or a long property run: over a second
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_word_file_and_its_legacy_doc_give_the_same_steps(tmp_path, capsys):
    source = tmp_path / "sop.docx"
    source.write_bytes(FIXTURE.read_bytes())
    subprocess.run(["soffice", f"-env:UserInstallation={(tmp_path / 'profil').as_uri()}", "--headless",
                    "--convert-to", "doc", "--outdir", str(tmp_path / "lama"), str(source)],
                   check=True, capture_output=True, timeout=180)
    doc = tmp_path / "lama" / "sop.doc"
    code, out, err = impor(capsys, str(source), "--ke", str(tmp_path / "docx"))
    assert code == 0, err
    code, out, err = impor(capsys, str(doc), "--ke", str(tmp_path / "doc"))  # one SOP: not twice into one folder
    assert code == 0, err
    assert f"{doc}: 1 SOP dibaca" in out
    assert "catatan: berkas format lama .doc dikonversi dengan LibreOffice" in out
    [first] = (tmp_path / "docx").glob("*.yaml")
    [second] = (tmp_path / "doc").glob("*.yaml")
    assert first.name == second.name
    a, _ = load_sop(str(first))
    b, _ = load_sop(str(second))
    if a is None or b is None:  # an incomplete import still loads as YAML; compare what was read
        import yaml

        a_steps = [s["kegiatan"] for s in yaml.safe_load(first.read_text())["langkah"]]
        b_steps = [s["kegiatan"] for s in yaml.safe_load(second.read_text())["langkah"]]
    else:
        a_steps = [str(s.kegiatan) for s in a.langkah]
        b_steps = [str(s.kegiatan) for s in b.langkah]
    assert a_steps and a_steps == b_steps


PINDAH = ROOT / "tests" / "fixtures" / "impor" / "libreoffice-sop-pindah"


@pytest.mark.slow  # LibreOffice or a long property run: over a second
@pytest.mark.skipif(not _have("sopcode.importing.docx"), reason="the Word reader is not in this tree yet")
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_documents_are_converted_and_give_the_steps_of_their_docx(tmp_path, capsys):
    """A LibreOffice Writer document, flat (.fodt) or packaged (.odt, saved here by LibreOffice from the
    .fodt), imports as the .docx LibreOffice saved from the same .fodt: same steps, actors and flow."""
    import yaml

    subprocess.run(["soffice", f"-env:UserInstallation={(tmp_path / 'profil').as_uri()}", "--headless",
                    "--convert-to", "odt", "--outdir", str(tmp_path), str(PINDAH.with_suffix(".fodt"))],
                   check=True, capture_output=True, timeout=180)
    odt = tmp_path / "libreoffice-sop-pindah.odt"
    assert zipfile.ZipFile(odt).read("mimetype") == b"application/vnd.oasis.opendocument.text"
    steps = {}
    for source in (PINDAH.with_suffix(".docx"), PINDAH.with_suffix(".fodt"), odt):
        data = tmp_path / source.suffix[1:]
        code, out, err = impor(capsys, str(source), "--ke", str(data))
        assert code == 0, err
        assert f"{source}: 1 SOP dibaca" in out
        if source.suffix != ".docx":
            assert f"catatan: dokumen LibreOffice {source.suffix} dikonversi ke .docx dengan LibreOffice" in out
        (written,) = data.glob("*.yaml")
        steps[source.suffix] = yaml.safe_load(written.read_text(encoding="utf-8"))["langkah"]
    assert len(steps[".docx"]) == 7 and any("ya" in s for s in steps[".docx"])
    assert steps[".fodt"] == steps[".docx"]
    assert steps[".odt"] == steps[".docx"]


TRAYEK = ROOT / "tests" / "fixtures" / "excel" / "libreoffice-sop-trayek-label-garis.fods"


@pytest.mark.slow  # LibreOffice or a long property run: over a second
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_ya_tidak_typed_on_calc_connectors_are_said_lost_in_the_conversion(tmp_path, capsys):
    """A reviewer's Calc sheet whose Ya/Tidak are the connectors' own text: LibreOffice's .xlsx drops
    them. The report says so and what to do, not only that the arrows carry no label."""
    code, out, err = impor(capsys, str(TRAYEK), "--ke", str(tmp_path / "data"))
    assert code == 0, err
    lines = out.splitlines()
    unread = [i for i, line in enumerate(lines) if line.endswith("panah keluar keputusan tidak berlabel Ya/Tidak")]
    assert len(unread) == 2
    assert lines[unread[-1] + 1] == (
        "    catatan: bila Ya/Tidak diketik pada garis panahnya sendiri (teks di dalam garis penghubung), label itu "
        "hilang saat LibreOffice mengonversi berkas; tulis Ya/Tidak di kotak teks kecil di samping panahnya lalu "
        "impor lagi, atau isi `ya:` dan `tidak:` di berkas yang ditulis")


MACRO = ('<office:scripts><office:event-listeners><script:event-listener '
         'xmlns:script="urn:oasis:names:tc:opendocument:xmlns:script:1.0" script:language="ooo:script" '
         'script:event-name="office:load" xlink:href="vnd.sun.star.script:Standard.Module1.Main?language=Basic&amp;'
         'location=document"/></office:event-listeners></office:scripts>')


@pytest.mark.slow  # LibreOffice or a long property run: over a second
@pytest.mark.skipif(not _have("sopcode.importing.docx"), reason="the Word reader is not in this tree yet")
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_a_libreoffice_document_with_a_macro_says_it_was_not_run(tmp_path, capsys):
    """As for a .docm: a .fodt whose opening runs a Basic macro imports, and the report says the macro
    was ignored."""
    source = tmp_path / "makro.fodt"
    source.write_text(PINDAH.with_suffix(".fodt").read_text(encoding="utf-8").replace("<office:styles>", MACRO
                      + "<office:styles>", 1), encoding="utf-8")
    code, out, err = impor(capsys, str(source), "--ke", str(tmp_path / "data"))
    assert code == 0, err
    assert out.splitlines()[1:3] == ["    catatan: dokumen LibreOffice .fodt dikonversi ke .docx dengan LibreOffice",
                                     "    catatan: makro diabaikan (tidak dijalankan)"]


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_a_damaged_libreoffice_document_is_told_to_be_saved_again_in_libreoffice(tmp_path, capsys):
    source = tmp_path / "rusak.fodt"
    source.write_text(PINDAH.with_suffix(".fodt").read_text(encoding="utf-8").replace(
        'xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" ', "", 1), encoding="utf-8")
    code, _, err = impor(capsys, str(source), "--ke", str(tmp_path / "data"))
    assert code == 1
    message, hint = err.splitlines()[:2]
    assert message.startswith(f"{source}: galat: bagian berkas XML bukan XML yang sah (Namespace prefix draw ")
    assert hint == "    perbaikan: buka berkas di LibreOffice, simpan ulang, lalu impor lagi"


def test_report_gives_each_unread_thing_once_and_not_too_many():
    found = Found("a.docx", problems=[Problem("halaman 2", "panah tidak bersambung")] * 3
                  + [Problem("halaman 2", f"waktu '{n}' tidak dikenali", step=n) for n in range(1, 20)])
    lines = run.problem_lines(found, limit=5)
    assert lines[0] == "tidak terbaca: halaman 2: panah tidak bersambung (3×)"
    assert lines[1] == "tidak terbaca: halaman 2, langkah 1: waktu '1' tidak dikenali"
    assert len(lines) == 5
    assert lines[-1] == "… dan 16 hal lain (semuanya tercatat di kepala berkasnya)"


def test_what_was_decided_between_two_readings_is_to_check_not_unread(tmp_path):
    """A disagreement settled by a stated rule ('dipakai yang tertulis di kolom') was read: the report
    says 'periksa', after what could not be read, and the written file lists it apart."""
    settled = Problem("lembar Prosedur", "kolom Pelaksana langkah menulis Camat, simbol bagan alir di kolom Sekcam; dipakai yang tertulis",
                      step=3, settled=True)
    found = Found("a.xlsx", data={"nama": "Contoh"}, problems=[settled, Problem("lembar Prosedur", "waktu langkah tidak tertulis", step=4)])
    assert run.problem_lines(found) == [
        "tidak terbaca: lembar Prosedur, langkah 4: waktu langkah tidak tertulis",
        "periksa: lembar Prosedur, langkah 3: kolom Pelaksana langkah menulis Camat, simbol bagan alir di kolom Sekcam; dipakai yang tertulis"]
    assert run.summary(found).endswith("; 1 hal tidak terbaca; 1 hal diputuskan saat impor (periksa)")
    head = Path(write_found(found, tmp_path).path).read_text(encoding="utf-8")
    assert ("# Tidak terbaca dari sumber (lengkapi sendiri):\n#   - lembar Prosedur, langkah 4: waktu langkah tidak tertulis\n"
            "# Diputuskan saat impor di antara dua bacaan (periksa dengan sumbernya):\n#   - lembar Prosedur, langkah 3: ") in head


def test_a_device_is_not_a_file_to_import(tmp_path, capsys):
    code, _, err = impor(capsys, "/dev/zero", "--ke", str(tmp_path / "data"))
    assert code == 2 and "/dev/zero: galat: ini bukan berkas biasa (perangkat, pipa atau soket)" in err


@pytest.mark.parametrize("guide", ["README.md", "docs/panduan/memindahkan-sop-lama.md"])
def test_the_report_printed_in_the_guides_is_what_the_command_prints(guide, tmp_path, capsys, monkeypatch):
    """The example report of README's "Memindahkan SOP lama" (and the guide's) is the command's real
    output: its report lines, for the files the example imports, run where a user runs it."""
    text = (ROOT / guide).read_text(encoding="utf-8")
    command = re.search(r"^\.venv/bin/sop impor ((?:tests/fixtures/\S+ ?)+)", text, re.MULTILINE)
    assert command is not None
    block = text[command.end():].split("```text\n", 1)[1].split("```", 1)[0]
    shown = [line for line in block.splitlines() if line.startswith(("tests/", "  sop_data/", "    tidak terbaca", "    catatan"))]
    assert len(shown) >= 2
    (tmp_path / "tests").symlink_to(ROOT / "tests")
    (tmp_path / "sop_data").mkdir()
    monkeypatch.chdir(tmp_path)
    cli.main(["impor", *command[1].split()])
    out = capsys.readouterr().out.splitlines()
    assert [line for line in shown if line not in out] == []
