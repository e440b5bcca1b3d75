"""Monitoring every six months, evaluation once a year: when each is due, and the warnings of
``sop check`` for an SOP in force that is overdue (model/due.py, rules/due.py)."""

from __future__ import annotations

import datetime as dt
import html
import re
import shutil
from pathlib import Path

import pytest

from conftest import FIXTURES, sop_main, write
from sopcode.diagnostics import Loc
from sopcode.model.due import EVALUASI, MONITORING, Due, State, add_months, due
from sopcode.model.evaluation import Evaluasi, Evaluation
from sopcode.model.monitoring import Monitoring, Penilaian, Periode
from sopcode.model.sop import Dicabut, Sop, Teks
from sopcode.model.status import Status, status
from sopcode.publish import Settings, publish
from sopcode.rules import check
from sopcode.text import format_tanggal

D = dt.date
LATE_MONEV = FIXTURES / "rusak" / "monev-terlambat"
LATE_EVALUASI = FIXTURES / "rusak" / "evaluasi-terlambat"


EFEKTIF, DIBUAT = D(2019, 3, 4), D(2019, 2, 25)
NONE_MONITORED, NONE_EVALUATED = Monitoring(), Evaluation()


def sop(efektif: dt.date | None = EFEKTIF, dibuat: dt.date | None = DIBUAT, **kw) -> Sop:
    return Sop("sop-a", "sop-a.yaml", Teks("Pelayanan A", Loc("sop-a.yaml")), (), (),
               tanggal_pembuatan=dibuat, tanggal_efektif=efektif, **kw)


def monitored(*dates: dt.date) -> Monitoring:
    return Monitoring(tuple(Penilaian(
        sop="sop-a", periode=Periode(d.year, 1 if d.month <= 6 else 2), penilaian="berjalan dengan baik",
        catatan="-", tindakan="", penilai_nama="Dedi", penilai_jabatan="Sekretaris Kecamatan", tanggal=d)
        for d in dates))


def evaluated(*dates: dt.date) -> Evaluation:
    return Evaluation(tuple(Evaluasi(sop="sop-a", tahun=d.year, kriteria=(), kesimpulan="tetap",
                                     penilai_nama="Rina", penilai_jabatan="Sekretaris Kecamatan", tanggal=d)
                            for d in dates))


def on(today: dt.date, the_sop: Sop | None = None, monitoring: Monitoring = NONE_MONITORED,
       evaluation: Evaluation = NONE_EVALUATED, draf: bool = False) -> tuple[Due, Due]:
    the_sop = the_sop or sop()
    return due(the_sop, monitoring, evaluation, today, status(the_sop, today, draf))


# --- when --------------------------------------------------------------------------------------

def test_six_months_after_31_august_is_the_end_of_february_and_that_day_is_still_on_time():
    m, _ = on(D(2027, 2, 28), monitoring=monitored(D(2026, 8, 31)))
    assert (m.kind, m.last, m.since, m.deadline) == (MONITORING, D(2026, 8, 31), D(2026, 8, 31), D(2027, 2, 28))
    assert m.state is State.JATUH_TEMPO
    assert on(D(2027, 3, 1), monitoring=monitored(D(2026, 8, 31)))[0].state is State.TERLAMBAT
    # In a leap year the month has its 29th.
    assert on(D(2028, 1, 1), monitoring=monitored(D(2027, 8, 31)))[0].deadline == D(2028, 2, 29)


def test_a_year_after_a_leap_day_is_28_february():
    _, e = on(D(2025, 2, 28), evaluation=evaluated(D(2024, 2, 29)))
    assert (e.kind, e.deadline, e.state) == (EVALUASI, D(2025, 2, 28), State.JATUH_TEMPO)
    assert on(D(2025, 3, 1), evaluation=evaluated(D(2024, 2, 29)))[1].state is State.TERLAMBAT


def test_due_within_thirty_days_done_before_that():
    records = monitored(D(2026, 5, 18))  # deadline 18 November 2026
    assert on(D(2026, 10, 18), monitoring=records)[0].state is State.SELESAI
    assert on(D(2026, 10, 19), monitoring=records)[0].state is State.JATUH_TEMPO


def test_the_latest_record_counts_and_one_dated_later_than_today_does_not():
    records = monitored(D(2026, 1, 10), D(2026, 5, 18), D(2026, 12, 1))
    m, _ = on(D(2026, 11, 29), monitoring=records)
    assert (m.last, m.deadline, m.state) == (D(2026, 5, 18), D(2026, 11, 18), State.TERLAMBAT)


def test_never_monitored_is_counted_from_the_effective_date_then_the_date_made():
    m, e = on(D(2019, 8, 10))
    assert (m.last, m.since, m.deadline, m.state) == (None, D(2019, 3, 4), D(2019, 9, 4), State.JATUH_TEMPO)
    assert (e.since, e.deadline, e.state) == (D(2019, 3, 4), D(2020, 3, 4), State.SELESAI)
    m, _ = on(D(2019, 8, 1), sop(efektif=None))
    assert (m.since, m.deadline) == (D(2019, 2, 25), D(2019, 8, 25))


def test_no_date_and_no_record_is_overdue_without_a_deadline():
    m, e = on(D(2026, 11, 29), sop(efektif=None, dibuat=None))
    assert (m.state, m.deadline, e.state, e.deadline) == (State.TERLAMBAT, None, State.TERLAMBAT, None)


def test_an_sop_not_in_force_is_not_due_but_a_draft_is():
    today = D(2026, 11, 29)
    for not_in_force in (sop(dicabut=Dicabut(D(2026, 3, 3))), sop(diganti_oleh=Teks("sop-b", Loc("sop-a.yaml"))),
                         sop(efektif=D(2027, 1, 1))):
        assert {d.state for d in on(today, not_in_force)} == {State.TIDAK_BERLAKU}
    assert {d.state for d in on(today, draf=True)} == {State.TERLAMBAT}
    assert status(sop(), today, True) is Status.DRAF


# --- sop check ---------------------------------------------------------------------------------

def terlambat(folder: Path, today: dt.date) -> list:
    report = check([str(folder)], history=False, cache_dir=None, today=today)
    return [d for d in report.diagnostics if d.code.endswith("-terlambat")]


def test_an_overdue_monitoring_is_warned_at_the_effective_date_with_the_file_to_fill(tmp_path: Path):
    folder = shutil.copytree(LATE_MONEV, tmp_path / "data")
    (found,) = terlambat(folder, D(2026, 11, 29))
    assert found.code == "monev-terlambat" and found.loc.line == 8
    assert "terakhir dimonitor 10 Maret 2026" in found.message
    assert "jatuh tempo 10 September 2026, terlambat 80 hari" in found.message
    assert f"{folder}/_monev/2026-2.yaml (Semester II 2026)" in found.hint
    # Monitored again: nothing to say.
    write(folder / "_monev" / "2026-2.yaml", (folder / "_monev" / "2026-1.yaml").read_text(encoding="utf-8")
          .replace("2026-03-10", "2026-11-20"))
    assert terlambat(folder, D(2026, 11, 29)) == []


def test_on_time_or_only_coming_due_is_not_warned():
    assert terlambat(LATE_MONEV, D(2026, 9, 10)) == []  # the deadline itself; due, shown on the page only
    assert terlambat(LATE_EVALUASI, D(2026, 11, 10)) == []


def test_an_overdue_evaluation_names_the_year_file(tmp_path: Path):
    (found,) = terlambat(LATE_EVALUASI, D(2027, 2, 1))
    assert found.code == "evaluasi-terlambat" and "terakhir dievaluasi 10 November 2025" in found.message
    assert "_evaluasi/2027.yaml" in found.hint


def test_nothing_is_judged_without_the_records_read(tmp_path: Path):
    # One file checked alone: its folder's records are not read.
    assert terlambat(LATE_MONEV / "sop-keterangan-usaha.yaml", D(2027, 6, 1)) == []
    # A folder that keeps no monitoring records: no monitoring warnings (a new project is not warned about every SOP).
    folder = shutil.copytree(LATE_MONEV, tmp_path / "data")
    shutil.rmtree(folder / "_monev")
    assert terlambat(folder, D(2027, 6, 1)) == []
    # A records file with an error: the error is said, not an overdue that rests on what was not read.
    write(folder / "_monev" / "2026-3.yaml", "hasil: []\n")
    report = check([str(folder)], history=False, cache_dir=None, today=D(2027, 6, 1))
    assert [d.code for d in report.diagnostics] == ["monev-periode-salah"]


@pytest.mark.parametrize("today, late", [
    (D(2026, 11, 29), {("sop-pengukuran-kinerja-bungursari", "belum pernah dimonitor"),
                       ("sop-surat-keterangan-domisili", "terakhir dimonitor 18 Mei 2026")}),
    (D(2026, 11, 18), {("sop-pengukuran-kinerja-bungursari", "belum pernah dimonitor")}),
])
def test_the_seed_on_a_day(sop_data_copy: Path, today: dt.date, late: set):
    """The seed's SOP never monitored is overdue; the one monitored on 18 May 2026 from 19 November."""
    found = terlambat(sop_data_copy, today)
    assert {(Path(d.loc.path).stem, what) for d in found for s, what in late if s == Path(d.loc.path).stem
            and what in d.message} == late
    assert len(found) == len(late) and all(d.code == "monev-terlambat" for d in found)


def test_the_cli_prints_the_warning_and_still_passes(tmp_path: Path):
    folder = shutil.copytree(LATE_MONEV, tmp_path / "data")
    write(folder / "_monev" / "2026-1.yaml", (LATE_MONEV / "_monev" / "2026-1.yaml").read_text(encoding="utf-8")
          .replace("2026-03-10", "2019-04-01"))
    done = sop_main("check", str(folder))
    assert done.returncode == 0, done.stderr
    assert "peringatan: SOP 'sop-keterangan-usaha' terakhir dimonitor 01 April 2019" in done.stdout
    assert "[monev-terlambat]" in done.stdout and ": LULUS" in done.stdout


# --- the badge on the SOP's page ---------------------------------------------------------------

def published_page(folder: Path, tmp_path: Path, sop_id: str = "sop-keterangan-usaha") -> str:
    """The SOP's page as the site gets it (the site's real day: the records are dated from it)."""
    from test_publish import site

    with publish(str(folder), Settings(pdf=False, site=site(tmp_path))) as pub:
        (out,) = [o for o in pub.outputs if o.path == f"sop/{sop_id}.md"]
        assert out.page is not None
        return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", out.page.html)).split()) + "\n" + out.page.html


def test_the_page_says_late_and_due_in_words_with_the_last_finding_and_links_to_the_overview(tmp_path: Path):
    today = dt.date.today()
    folder = shutil.copytree(LATE_MONEV, tmp_path / "data")
    monitored_on = today - dt.timedelta(days=200)  # six months ran out about 17 days ago
    shutil.rmtree(folder / "_monev")
    periode = Periode(monitored_on.year, 1 if monitored_on.month <= 6 else 2)
    write(folder / "_monev" / f"{periode.kode}.yaml", (LATE_MONEV / "_monev" / "2026-1.yaml").read_text(encoding="utf-8")
          .replace("2026-03-10", monitored_on.isoformat()))
    evaluated_on = add_months(today, -12) + dt.timedelta(days=10)  # the year runs out in about 10 days
    write(folder / "_evaluasi" / f"{evaluated_on.year}.yaml", (LATE_EVALUASI / "_evaluasi" / "2025.yaml")
          .read_text(encoding="utf-8").replace("2025-11-10", evaluated_on.isoformat()))
    text = published_page(folder, tmp_path)
    assert (f"Monitoring terlambat · jatuh tempo {format_tanggal(add_months(monitored_on, 6))}; "
            f"terakhir dimonitor {format_tanggal(monitored_on)}: berjalan dengan baik") in text
    assert (f"Evaluasi jatuh tempo {format_tanggal(add_months(evaluated_on, 12))} · "
            f"terakhir dievaluasi {format_tanggal(evaluated_on)}: kesimpulan tetap") in text
    assert 'class="sop-pantauan-terlambat"' in text and 'class="sop-pantauan-jatuh-tempo"' in text
    assert '<a href="../../monitoring-dan-evaluasi/">Monitoring dan evaluasi semua SOP</a>' in text


def test_the_page_says_done_and_nothing_for_records_not_kept_or_an_sop_not_in_force(tmp_path: Path):
    today = dt.date.today()
    folder = shutil.copytree(LATE_MONEV, tmp_path / "data")
    shutil.rmtree(folder / "_monev")
    write(folder / "_monev" / f"{Periode(today.year, 1 if today.month <= 6 else 2).kode}.yaml",
          (LATE_MONEV / "_monev" / "2026-1.yaml").read_text(encoding="utf-8").replace("2026-03-10", today.isoformat()))
    text = published_page(folder, tmp_path)
    assert (f"Dimonitor {format_tanggal(today)} · berjalan dengan baik; monitoring berikutnya paling lambat "
            f"{format_tanggal(add_months(today, 6))}") in text
    assert "Evaluasi" not in text.split("\n")[0].split("Identitas")[0]  # no _evaluasi/: nothing said about it
    sop_file = folder / "sop-keterangan-usaha.yaml"
    with sop_file.open("a", encoding="utf-8") as f:
        f.write(f"dicabut:\n  tanggal: {(today - dt.timedelta(days=1)).isoformat()}\n  alasan: Tidak diperlukan lagi.\n")
    assert "sop-pantauan" not in published_page(folder, tmp_path)


def test_the_badge_colours_are_readable():
    """WCAG AA: each state's text on its background at 4.5:1 or more (the words carry the meaning anyway)."""
    css = (Path(__file__).parent.parent / "plugins" / "sopcode" / "site" / "assets" / "sop.css").read_text(encoding="utf-8")

    def luminance(hex_colour: str) -> float:
        channels = [int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
        r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    rules = re.findall(r"\.sop-pantauan-(terlambat|jatuh-tempo|selesai) \{ color: (#[0-9a-f]{6}); background: (#[0-9a-f]{6});", css)
    assert {state for state, _, _ in rules} == {"terlambat", "jatuh-tempo", "selesai"}
    for _, fg, bg in rules:
        light, dark = sorted((luminance(fg), luminance(bg)), reverse=True)
        assert (light + 0.05) / (dark + 0.05) >= 4.5, (fg, bg)


def test_an_sop_whose_replacement_takes_effect_later_is_judged_alike_by_check_page_and_overview(tmp_path: Path):
    """Replaced by an SOP whose own effective date is to come, an SOP is still in force: ``sop check``
    warns it is overdue, its page says so and the page "Monitoring dan evaluasi" lists it (one decision)."""
    today = dt.date.today()
    folder = shutil.copytree(LATE_MONEV, tmp_path / "data")
    shutil.rmtree(folder / "_monev")
    monitored_on = today - dt.timedelta(days=200)
    periode = Periode(monitored_on.year, 1 if monitored_on.month <= 6 else 2)
    write(folder / "_monev" / f"{periode.kode}.yaml", (LATE_MONEV / "_monev" / "2026-1.yaml").read_text(encoding="utf-8")
          .replace("2026-03-10", monitored_on.isoformat()))
    old = folder / "sop-keterangan-usaha.yaml"
    text = old.read_text(encoding="utf-8")
    write(folder / "sop-keterangan-usaha-baru.yaml", text
          .replace('nomor: "474/203/Kec.Bgs/2019"', 'nomor: "474/203/Kec.Bgs/2027"')
          .replace("nama: Pelayanan Surat Keterangan Usaha", "nama: Pelayanan Surat Keterangan Usaha Terpadu")
          .replace("tanggal_efektif: 2019-03-04", f"tanggal_efektif: {(today + dt.timedelta(days=60)).isoformat()}"))
    write(old, text + "diganti_oleh: sop-keterangan-usaha-baru\n")

    late = terlambat(folder, today)
    assert [(Path(d.loc.path).stem, d.code) for d in late] == [("sop-keterangan-usaha", "monev-terlambat")]
    assert "Monitoring terlambat" in published_page(folder, tmp_path)
    from test_publish import site

    with publish(str(folder), Settings(pdf=False, site=site(tmp_path))) as pub:
        (monev,) = [o.page for o in pub.outputs if o.path == "monitoring-dan-evaluasi.md"]
    assert monev is not None and '<tr data-sop="sop-keterangan-usaha">' in monev.html
    assert '<tr data-sop="sop-keterangan-usaha-baru">' not in monev.html  # not yet in force

    # From the replacement's effective date on, the old SOP is superseded: no warning, no row.
    assert terlambat(folder, today + dt.timedelta(days=60)) == []
