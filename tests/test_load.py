"""Loading: the model expresses real SOPs; broken files give positioned Indonesian errors."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from conftest import FIXTURES, SEED, write
from sopcode.model.graph import Graph, edges
from sopcode.model.load import load_folder, load_sop
from sopcode.model.sop import Satuan, Simbol

MINIMAL = """\
nama: Contoh
tanggal_pembuatan: 2020-01-02
tanggal_efektif: 2020-01-06
disahkan_oleh:
  jabatan: CAMAT
  nama: Nama
  nip: "19640104 199101 1 004"
pelaksana: [A, B]
langkah:
  - no: 1
    kegiatan: Memulai
    pelaksana: A
    mutu_baku: {waktu: 5 menit}
  - no: 2
    kegiatan: Mengakhiri
    pelaksana: B
    mutu_baku: {waktu: 1 jam}
"""


def codes(diags):
    return [(d.code, d.loc.line) for d in diags]


def test_seed_is_expressed_row_by_row():
    loaded = load_folder([str(SEED.parent)])
    sop = next(s for s in loaded.sops if s.id == "sop-pengukuran-kinerja-bungursari")
    assert not [d for d in loaded.diagnostics if d.is_error]
    assert sop.nama == "Penyusunan Perencanaan Kinerja"
    assert sop.judul_prosedur == "PENGUKURAN KINERJA"
    assert sop.nomor in (None, "")
    assert sop.tanggal_pembuatan == dt.date(2019, 1, 2)
    assert sop.tanggal_revisi is None
    assert sop.tanggal_efektif == dt.date(2019, 1, 7)
    assert sop.disahkan_oleh.nip_terformat == "19640104 199101 1 004"
    assert [str(a) for a in sop.pelaksana] == ["camat", "Sekretaris", "Sek.Tim.Sakip", "Anggota Tim Sakip"]
    assert [s.no for s in sop.langkah] == list(range(1, 15))
    assert [s.mutu_baku.waktu.jumlah for s in sop.langkah] == [
        15, 60, 25, 30, 120, 120, 240, 40, 60, 25, 10, 15, 25, 10]
    assert sop.total_waktu().menit == 795
    assert sop.langkah[0].simbol is Simbol.TERMINATOR and sop.langkah[-1].simbol is Simbol.TERMINATOR
    assert all(s.simbol is Simbol.PROSES for s in sop.langkah[1:-1])
    assert len(sop.dasar_hukum) == 5 and "Nomor 123 Tahun 2020" in sop.dasar_hukum[4]
    assert len(sop.peralatan_perlengkapan) == 6
    assert sop.instansi.label_tanggal_efektif == "Tanggal Pengesahan"
    assert [str(x) for x in sop.instansi.hierarki] == ["PEMERINTAH KABUPATEN PURWAKARTA", "KECAMATAN BUNGURSARI"]


def test_twelve_steps_three_consecutive_decisions_looping_back():
    sop, diags = load_sop(str(FIXTURES / "baik" / "dua-belas-langkah.yaml"))
    assert sop is not None, [d.format() for d in diags]
    assert len(sop.langkah) == 12 and len(sop.pelaksana) == 5
    decisions = [i for i, s in enumerate(sop.langkah) if s.simbol is Simbol.KEPUTUSAN]
    assert len(decisions) >= 3
    assert any(decisions[k + 2] == decisions[k] + 2 for k in range(len(decisions) - 2)), "three in a row"
    graph = Graph(sop)
    loops = [e for e in edges(sop) if e.label == "Tidak" and graph.is_back_edge(e)]
    assert len(loops) >= 3
    users = {}
    for step in sop.langkah:
        users.setdefault(str(step.pelaksana), []).append(step.no)
    assert any(len(v) == 1 for v in users.values()), "an actor used by one step only"
    assert {s.mutu_baku.waktu.satuan for s in sop.langkah} == {Satuan.MENIT, Satuan.JAM, Satuan.HARI}


def test_mixed_units_total_uses_hours_per_working_day(tmp_path: Path):
    write(tmp_path / "_instansi.yaml", "hierarki: [X]\njam_kerja_per_hari: 8\n")
    path = write(tmp_path / "a.yaml", MINIMAL.replace("1 jam", "2 hari"))
    sop = load_folder([str(tmp_path)]).sops[0]
    total = sop.total_waktu()
    assert total.menit == 5 + 2 * 8 * 60
    assert total.teks() == "2 hari + 5 menit = 965 menit (16 jam 5 menit)"
    assert path.exists()


def test_empty_boxes_and_blank_nomor_load():
    sop, diags = load_sop(str(FIXTURES / "baik" / "kotak-kosong.yaml"))
    assert sop is not None, [d.format() for d in diags]
    assert not sop.nomor
    assert sop.dasar_hukum == () and sop.peringatan == ()


def test_duplicate_key_is_an_error_with_both_lines(tmp_path: Path):
    path = write(tmp_path / "a.yaml", MINIMAL.replace("nama: Contoh\n", "nama: Contoh\nnama: Lain\n"))
    sop, diags = load_sop(str(path))
    assert sop is None
    assert codes(diags) == [("kunci-ganda", 2)]
    assert "pertama di baris 1" in diags[0].message


def test_unknown_key_suggests_the_right_one(tmp_path: Path):
    path = write(tmp_path / "a.yaml", MINIMAL.replace("    kegiatan: Memulai", "    kegiatn: Memulai"))
    _sop, diags = load_sop(str(path))
    found = {(d.code, d.loc.line): d for d in diags}
    assert ("kunci-tak-dikenal", 11) in found
    assert "maksud Anda: 'kegiatan'?" in found[("kunci-tak-dikenal", 11)].hint
    # One mistake, one message: the step lacks kegiatan because of the misspelt key, said there.
    assert set(found) == {("kunci-tak-dikenal", 11)}
    assert "wajib ada" in found[("kunci-tak-dikenal", 11)].hint


def test_bom_and_crlf_are_handled(tmp_path: Path):
    path = tmp_path / "a.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + MINIMAL.replace("\n", "\r\n").encode())
    sop, diags = load_sop(str(path))
    assert sop is not None and not diags
    assert sop.langkah[1].kegiatan == "Mengakhiri"


def test_tab_indentation_is_reported_in_indonesian(tmp_path: Path):
    path = write(tmp_path / "a.yaml", MINIMAL.replace("  jabatan: CAMAT", "\tjabatan: CAMAT"))
    sop, diags = load_sop(str(path))
    assert sop is None
    assert codes(diags) == [("yaml-sintaks", 5)]
    assert "tab" in diags[0].message


def test_windows_1252_file_says_to_save_as_utf8(tmp_path: Path):
    path = tmp_path / "a.yaml"
    path.write_bytes(MINIMAL.replace("Memulai", "\u201cMemulai\u201d").encode("cp1252"))
    sop, diags = load_sop(str(path))
    assert sop is None
    assert codes(diags) == [("pengodean", 11)]
    assert "Windows-1252" in diags[0].message and "UTF-8" in diags[0].hint


def test_python_tags_are_refused(tmp_path: Path):
    path = write(tmp_path / "a.yaml", MINIMAL.replace("nama: Contoh", "nama: !!python/object/apply:os.system ['true']"))
    sop, diags = load_sop(str(path))
    assert sop is None
    assert [d.code for d in diags] == ["tipe-salah"]


def test_alias_bomb_is_refused_quickly(tmp_path: Path):
    lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]']
    for i in range(1, 9):
        lines.append(f"{chr(97 + i)}: &{chr(97 + i)} [" + ",".join(f"*{chr(96 + i)}" for _ in range(9)) + "]")
    bomb = "\n".join(lines) + "\ndasar_hukum: *i\n"
    path = write(tmp_path / "a.yaml", MINIMAL + bomb.replace("a: &a", "peringatan: &a", 1))
    sop, diags = load_sop(str(path))
    assert sop is None
    assert "yaml-terlalu-besar" in {d.code for d in diags}


def test_oversized_file_is_refused(tmp_path: Path):
    path = write(tmp_path / "a.yaml", MINIMAL + "# " + "x" * 1_100_000 + "\n")
    sop, diags = load_sop(str(path))
    assert sop is None and [d.code for d in diags] == ["berkas-terlalu-besar"]


def test_indonesian_dates_are_accepted_and_impossible_ones_refused(tmp_path: Path):
    path = write(tmp_path / "a.yaml", MINIMAL.replace("2020-01-02", "2 Januari 2020"))
    sop, _ = load_sop(str(path))
    assert sop.tanggal_pembuatan == dt.date(2020, 1, 2)
    path = write(tmp_path / "b.yaml", MINIMAL.replace("2020-01-06", "2020-02-30"))
    sop, diags = load_sop(str(path))
    assert sop is None and codes(diags) == [("tanggal-salah", 3)]


def test_waktu_without_unit_is_an_error(tmp_path: Path):
    path = write(tmp_path / "a.yaml", MINIMAL.replace("{waktu: 5 menit}", "{waktu: 5}"))
    sop, diags = load_sop(str(path))
    assert sop is None and codes(diags) == [("waktu-salah", 13)]
    assert "15 menit" in diags[0].hint


def test_decision_defaults_and_explicit_jumps(tmp_path: Path):
    text = MINIMAL.replace("langkah:\n", """langkah:
  - no: 7
    kegiatan: Memeriksa
    pelaksana: B
    ya: 2
    tidak: 7
    mutu_baku: {waktu: 1 menit}
""")
    sop, diags = load_sop(str(write(tmp_path / "a.yaml", text)))
    assert sop is not None, diags
    assert sop.langkah[0].simbol is Simbol.KEPUTUSAN  # ya/tidak make a decision
    assert [(e.src, e.dst, e.label) for e in edges(sop)] == [(7, 2, "Ya"), (7, 7, "Tidak"), (1, 2, None)]


def test_identity_data_the_source_lacks_stays_unknown_and_a_dash_stays_a_dash(tmp_path: Path):
    sop, diags = load_sop(str(FIXTURES / "baik" / "cuti-tanpa-identitas.yaml"))
    assert sop is not None and not [d for d in diags if d.is_error]
    for key in ("nomor", "tanggal_pembuatan", "tanggal_efektif", "jabatan", "nama", "nip"):
        assert sop.identitas(key) == "", key  # never invented: an empty cell
    assert sop.identitas("tanggal_revisi") == ""  # not said: not known to be unrevised
    text = MINIMAL.replace("tanggal_pembuatan: 2020-01-02", 'tanggal_pembuatan: "-"').replace(
        'nip: "19640104 199101 1 004"', "nip: '-'")
    sop, diags = load_sop(str(write(tmp_path / "sop-strip.yaml", text)))
    assert sop is not None, [d.format() for d in diags]
    assert sop.tanggal_pembuatan is None and sop.identitas("tanggal_pembuatan") == "-"
    assert sop.identitas("nip") == "-" and sop.identitas("tanggal_efektif") == "06 Januari 2020"
    written = load_sop(str(write(tmp_path / "sop-r.yaml", text.replace("pelaksana: [A, B]", "tanggal_revisi: null\npelaksana: [A, B]"))))[0]
    assert written.identitas("tanggal_revisi") == "-", "`tanggal_revisi: null`: no revision yet, the form's own dash"


def test_unknown_identity_is_warned_and_refused_under_strict():
    from conftest import sop_main

    path = str(FIXTURES / "baik" / "cuti-tanpa-identitas.yaml")
    plain, strict = sop_main("check", path), sop_main("check", "--strict", path)
    assert plain.returncode == 0 and "[identitas-kosong]" in plain.stdout
    assert strict.returncode != 0 and "[identitas-kosong]" in strict.stdout


def test_separate_terminators_and_shared_steps_are_read(tmp_path: Path):
    text = MINIMAL.replace("pelaksana: [A, B]", "terminator: terpisah\npelaksana: [A, B, C]").replace(
        "    pelaksana: B", "    pelaksana: [B, A]")
    sop, diags = load_sop(str(write(tmp_path / "sop-x.yaml", text)))
    assert sop is not None, [d.format() for d in diags]
    assert sop.terminator_terpisah and all(s.simbol is Simbol.PROSES for s in sop.langkah)
    assert sop.langkah[1].pelaksana == "B" and sop.langkah[1].pelaksana_lain == ("A",)
    assert [str(a) for a in sop.langkah[1].semua_pelaksana] == ["B", "A"]
    # The institution's default applies where the SOP says nothing; the SOP's own word wins.
    (tmp_path / "_instansi.yaml").write_text("hierarki: [X]\nterminator: terpisah\n", encoding="utf-8")
    write(tmp_path / "sop-y.yaml", MINIMAL)
    write(tmp_path / "sop-z.yaml", MINIMAL.replace("pelaksana: [A, B]", "terminator: langkah\npelaksana: [A, B]"))
    by_id = {s.id: s for s in load_folder(str(tmp_path)).sops}
    assert by_id["sop-y"].terminator_terpisah and not by_id["sop-z"].terminator_terpisah
    assert by_id["sop-z"].langkah[0].simbol is Simbol.TERMINATOR


def test_time_ranges_and_upper_bounds(tmp_path: Path):
    cases = {"1-2 hari": (1, 2, Satuan.HARI), "maks. 3 hari": (None, 3, Satuan.HARI),
             "1 s.d. 3 hari kerja": (1, 3, Satuan.HARI), "3 Jam": (None, 3, Satuan.JAM),
             "2 jam 30 menit": (None, 150, Satuan.MENIT), "30 menit - 1 jam": (0.5, 1, Satuan.JAM),
             "1x24 jam": (None, 24, Satuan.JAM), "1 HK": (None, 1, Satuan.HARI),
             "paling lambat 3 hari": (None, 3, Satuan.HARI)}
    for written, (low, high, unit) in cases.items():
        sop, diags = load_sop(str(write(tmp_path / "sop-w.yaml", MINIMAL.replace("waktu: 5 menit", f"waktu: {written}"))))
        assert sop is not None, (written, [d.format() for d in diags])
        w = sop.langkah[0].mutu_baku.waktu
        assert (w.dari, w.jumlah, w.satuan, str(w)) == (low, high, unit, written)
    for wrong, hint in (("3-2 hari", "`2-3 hari`"), ("1 minggu", "`5 hari`"), ("± 15 menit", "`10-20 menit`"),
                        ("1 hari 2 jam", "satu satuan")):
        sop, diags = load_sop(str(write(tmp_path / "sop-w.yaml", MINIMAL.replace("waktu: 5 menit", f"waktu: {wrong}"))))
        assert sop is None and [d.code for d in diags] == ["waktu-salah"], wrong
        assert hint in diags[0].hint, (wrong, diags[0].hint)


def test_a_long_row_of_digits_as_a_time_is_refused_at_once(tmp_path: Path):
    import time

    for text in ("9" * 40 + " minggu", "9 " * 200 + "x", "1" * 59 + " jam"):
        started = time.perf_counter()
        sop, diags = load_sop(str(write(tmp_path / "sop-w.yaml", MINIMAL.replace("waktu: 5 menit", f"waktu: '{text}'"))))
        assert time.perf_counter() - started < 2, "the time is read by backtracking (it took hours at 40 digits)"
        assert sop is None and {d.code for d in diags} == {"waktu-salah"}


@pytest.mark.parametrize("old, new, line, words", [
    ("waktu: 5 menit", "waktu: -", 17, "tanda '-'"),
    ("pelaksana:\n  - Petugas Penerima Tamu\n  - Sekretaris Kecamatan\n",
     "pelaksana: [Petugas Penerima Tamu, Sekretaris Kecamatan\n", 10, "kurung siku"),
    ("nama: Penerimaan Tamu Dinas\n", "nama: Penerimaan Tamu Dinas\ndasar_hukum:\n  - & Komputer\n", 4, "'&' atau '*'"),
    ("nama: Penerimaan Tamu Dinas\n", "nama: Penerimaan Tamu Dinas\ndasar_hukum:\n  - *Komputer\n", 4, "alias"),
    ("kegiatan: Menemui tamu dinas sesuai keperluannya", 'kegiatan: "Menemui tamu dinas sesuai keperluannya',
     19, "tanda kutip"),
], ids=["strip", "kurung-siku", "ampersand", "bintang", "kutip"])
def test_yaml_mistakes_of_beginners_are_told_in_indonesian_where_they_are(tmp_path: Path, old, new, line, words):
    text = (FIXTURES / "baik" / "minimal.yaml").read_text(encoding="utf-8")
    assert old in text
    sop, diags = load_sop(str(write(tmp_path / "sop-y.yaml", text.replace(old, new, 1))))
    assert sop is None and [d.code for d in diags] == ["yaml-sintaks"]
    assert diags[0].loc.line == line and words in diags[0].message + diags[0].hint, diags[0].format()
    assert not re.search(r"\b(expected|found|while|allowed|character)\b", diags[0].format()), "English left in"


def test_a_utf16_file_is_called_utf16(tmp_path: Path):
    path = tmp_path / "sop-u.yaml"
    path.write_bytes((FIXTURES / "baik" / "minimal.yaml").read_text(encoding="utf-8").encode("utf-16"))
    sop, diags = load_sop(str(path))
    assert sop is None and "UTF-16" in diags[0].message and "Windows-1252" not in diags[0].message


def test_folio_is_f4(tmp_path: Path):
    (tmp_path / "_instansi.yaml").write_text("hierarki: [X]\nkertas: Folio\n", encoding="utf-8")
    write(tmp_path / "sop-y.yaml", MINIMAL)
    loaded = load_folder(str(tmp_path))
    assert not loaded.diagnostics and loaded.instansi.kertas == "F4"


def test_withdrawn_and_superseded_are_read(tmp_path):
    path = write(tmp_path / "lama.yaml", MINIMAL + (
        "dicabut:\n  tanggal: 3 Maret 2026\n  alasan: Dicabut oleh Perbup 5/2026\ndiganti_oleh: baru\n"))
    sop, diags = load_sop(str(path))
    assert not diags and sop is not None
    assert sop.dicabut is not None and sop.dicabut.tanggal == dt.date(2026, 3, 3)
    assert sop.dicabut.alasan == "Dicabut oleh Perbup 5/2026"
    assert sop.diganti_oleh == "baru" and sop.diganti_oleh.loc.line == MINIMAL.count("\n") + 4


def test_withdrawal_without_reason_is_an_error(tmp_path):
    path = write(tmp_path / "lama.yaml", MINIMAL + "dicabut:\n  tanggal: 2026-03-03\n")
    sop, diags = load_sop(str(path))
    assert sop is None
    assert any("alasan" in d.message for d in diags)


@pytest.mark.parametrize("old, new, line, fix", [
    ("kegiatan: Menemui tamu dinas sesuai keperluannya", "kegiatan: Verifikasi: berkas lengkap", 19,
     '`kegiatan: "Verifikasi: berkas lengkap"`'),
    ("  - Sekretaris Kecamatan\n", "  - UU 25/2009: Pelayanan: Publik\n", 11, '`- "UU 25/2009: Pelayanan: Publik"`'),
    ("  - no: 2\n", "  - no: 2: a\n", 18, '`- no: "2: a"`'),
    ("      waktu: 30 menit", "      waktu: 30: menit   # komentar", 22, '`waktu: "30: menit"`'),
    ("kegiatan: Menemui tamu dinas sesuai keperluannya", 'kegiatan: Cap "LUNAS": kuitansi \\ ' + "x" * 80, 19,
     '`kegiatan: "Cap \\"LUNAS\\": kuitansi \\\\ ' + "x" * 45 + '…"`'),
], ids=["kunci", "butir-daftar", "butir-dengan-kunci", "kunci-bersarang", "kutip-dan-panjang"])
def test_a_colon_in_a_value_is_answered_with_that_line_in_quotes(tmp_path: Path, old, new, line, fix):
    """YAML reads 'a: b: c' as a second key; the fix shown is the user's own line with the value quoted,
    escaped and shortened, and quoting it that way makes the file load."""
    text = (FIXTURES / "baik" / "minimal.yaml").read_text(encoding="utf-8")
    assert old in text
    sop, diags = load_sop(str(write(tmp_path / "sop-y.yaml", text.replace(old, new, 1))))
    assert sop is None and [d.code for d in diags] == ["yaml-sintaks"]
    assert diags[0].loc.line == line and "tanda kutip" in diags[0].hint and fix in diags[0].hint, diags[0].format()
    if "…" not in fix:  # the fix as shown, typed in place of the line, is read as the text meant
        indent = new[: len(new) - len(new.lstrip())]
        fixed = text.replace(old, indent + fix.strip("`") + "\n" * new.endswith("\n"), 1)
        sop, diags = load_sop(str(write(tmp_path / "sop-y.yaml", fixed)))
        assert not [d for d in diags if d.code == "yaml-sintaks"], [d.format() for d in diags]


def test_a_colon_fix_does_not_pass_hidden_characters_to_the_terminal(tmp_path: Path):
    text = (FIXTURES / "baik" / "minimal.yaml").read_text(encoding="utf-8")
    hostile = text.replace("kegiatan: Menemui tamu dinas sesuai keperluannya", "kegiatan: Verifikasi: a\u202eb", 1)
    _sop, diags = load_sop(str(write(tmp_path / "sop-y.yaml", hostile)))
    assert diags and "\u202e" not in diags[0].format()


def test_a_list_item_with_one_colon_is_answered_with_the_item_in_quotes(tmp_path: Path):
    """'- Sekretaris: lembar disposisi' is valid YAML (a one-key mapping), so the schema, not the parser,
    refuses it: its fix is the item quoted too, and the quoted item loads as the text meant."""
    text = (FIXTURES / "baik" / "minimal.yaml").read_text(encoding="utf-8")
    broken = text.replace("  - Sekretaris Kecamatan\n", "  - Sekretaris: lembar disposisi\n", 1)
    assert broken != text
    sop, diags = load_sop(str(write(tmp_path / "sop-y.yaml", broken)))
    assert sop is None and [d.code for d in diags] == ["tipe-salah"]
    assert diags[0].loc.line == 11 and '`"Sekretaris: lembar disposisi"`' in diags[0].hint, diags[0].format()
    fixed = text.replace("  - Sekretaris Kecamatan\n", '  - "Sekretaris: lembar disposisi"\n', 1)
    sop, diags = load_sop(str(write(tmp_path / "sop-y.yaml", fixed)))
    assert sop is not None and not [d for d in diags if d.level.value == "galat"], [d.format() for d in diags]


def test_an_indentation_mistake_is_not_answered_with_quotes(tmp_path: Path):
    text = (FIXTURES / "baik" / "minimal.yaml").read_text(encoding="utf-8")
    _sop, diags = load_sop(str(write(tmp_path / "sop-y.yaml", text.replace("tanggal_pembuatan", "  tanggal_pembuatan"))))
    assert [d.code for d in diags] == ["yaml-sintaks"] and "indentasi" in diags[0].hint
    assert "`tanggal_pembuatan: \"" not in diags[0].hint


@pytest.mark.parametrize("old, new, line, col, fix", [
    ("  - Sekretaris Kecamatan\n", '  - "Sekretaris Kecamatan\n', 11, 5, '`- "Sekretaris Kecamatan"`'),
    ("      waktu: 30 menit", "      waktu: '30 menit", 22, 14, "`waktu: '30 menit'`"),
    # Closed by accident by the opening quote two lines down: still told where it opens.
    ("  jabatan: CAMAT BUNGURSARI", '  jabatan: "CAMAT BUNGURSARI', 6, 12, '`jabatan: "CAMAT BUNGURSARI"`'),
    ("  - Petugas Penerima Tamu\n", '  - "Petugas Penerima Tamu\n', 10, 5, '`- "Petugas Penerima Tamu"`'),
], ids=["butir-daftar", "kunci-bersarang", "ditutup-kutip-berikutnya", "butir-sebelum-kutip-lain"])
def test_an_unclosed_quote_is_told_where_it_opens_with_the_line_closed(tmp_path: Path, old, new, line, col, fix):
    text = (FIXTURES / "baik" / "minimal.yaml").read_text(encoding="utf-8")
    if "Petugas Penerima Tamu\n" in old:  # a later quoted value closes the text; the parser fails there
        text = text.replace("kegiatan: Menerima dan mencatat tamu dinas dalam buku tamu", 'kegiatan: "Menerima tamu"')
    assert old in text
    sop, diags = load_sop(str(write(tmp_path / "sop-y.yaml", text.replace(old, new, 1))))
    assert sop is None and [d.code for d in diags] == ["yaml-sintaks"]
    d = diags[0]
    assert (d.loc.line, d.loc.col) == (line, col) and "tanda kutip" in d.message and fix in d.hint, d.format()
