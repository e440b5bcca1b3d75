"""The status of an SOP (in force, not yet, draft, superseded, withdrawn), decided in one place."""

from __future__ import annotations

import datetime as dt

from test_load import MINIMAL

from conftest import write
from sopcode.model.load import load_sop
from sopcode.model.status import Status, status

TODAY = dt.date(2026, 6, 1)


def sop(tmp_path, extra: str = "", efektif: str = "2020-01-06"):
    text = MINIMAL.replace("tanggal_efektif: 2020-01-06", f"tanggal_efektif: {efektif}") + extra
    model, diags = load_sop(str(write(tmp_path / "contoh.yaml", text)))
    assert model is not None, diags
    return model


def test_an_approved_sop_past_its_effective_date_is_in_force(tmp_path):
    assert status(sop(tmp_path), TODAY) is Status.BERLAKU
    assert status(sop(tmp_path, efektif=TODAY.isoformat()), TODAY) is Status.BERLAKU


def test_an_effective_date_to_come_is_not_yet_in_force(tmp_path):
    assert status(sop(tmp_path, efektif="2026-06-02"), TODAY) is Status.BELUM_BERLAKU


def test_without_an_effective_date_the_sop_is_taken_as_in_force(tmp_path):
    assert status(sop(tmp_path, efektif=""), TODAY) is Status.BERLAKU


def test_a_draft_is_a_draft_even_before_its_effective_date(tmp_path):
    assert status(sop(tmp_path), TODAY, draf=True) is Status.DRAF
    assert status(sop(tmp_path, efektif="2027-01-01"), TODAY, draf=True) is Status.DRAF


def test_superseded_wins_over_draft(tmp_path):
    assert status(sop(tmp_path, "diganti_oleh: baru\n"), TODAY, draf=True) is Status.DIGANTI


def test_withdrawn_wins_over_everything(tmp_path):
    extra = "dicabut: {tanggal: 2026-03-03, alasan: Tidak dipakai lagi}\ndiganti_oleh: baru\n"
    assert status(sop(tmp_path, extra, efektif="2027-01-01"), TODAY, draf=True) is Status.DICABUT


def test_marks_are_the_printed_words():
    assert [s.mark for s in Status] == ["BERLAKU", "BELUM BERLAKU", "DRAF", "DIGANTI", "DICABUT"]
    assert [s.in_force for s in Status] == [True, False, False, False, False]


def test_the_good_fixtures_show_each_status():
    from conftest import FIXTURES
    from sopcode.model.load import load_folder

    sops = {s.id: s for s in load_folder(str(FIXTURES / "baik")).sops}
    assert status(sops["minimal"], TODAY) is Status.BERLAKU
    assert status(sops["minimal"], TODAY, draf=True) is Status.DRAF
    assert status(sops["belum-berlaku"], TODAY) is Status.BELUM_BERLAKU
    assert status(sops["dicabut-diganti"], TODAY) is Status.DICABUT


def test_a_withdrawal_dated_in_the_future_takes_effect_on_its_date(tmp_path):
    model = sop(tmp_path, "dicabut: {tanggal: 2026-07-01, alasan: Diganti peraturan baru}\n")
    assert status(model, TODAY) is Status.BERLAKU
    assert status(model, TODAY, draf=True) is Status.DRAF
    assert status(model, dt.date(2026, 6, 30)) is Status.BERLAKU
    assert status(model, dt.date(2026, 7, 1)) is Status.DICABUT


def test_a_replacement_takes_over_on_its_own_effective_date(tmp_path):
    from sopcode.model.status import statuses

    old = sop(tmp_path / "lama", "diganti_oleh: baru\n")
    (tmp_path / "baru").mkdir()
    new = load_sop(str(write(tmp_path / "baru" / "baru.yaml", MINIMAL.replace(
        "tanggal_efektif: 2020-01-06", "tanggal_efektif: 2026-09-01").replace("id: minimal", "id: baru"))))[0]
    assert new is not None and new.id == "baru"
    assert status(old, TODAY, pengganti=new) is Status.BERLAKU
    assert status(old, dt.date(2026, 9, 1), pengganti=new) is Status.DIGANTI
    assert statuses([old, new], TODAY) == {old.id: Status.BERLAKU, "baru": Status.BELUM_BERLAKU}
    assert statuses([old, new], dt.date(2026, 9, 1)) == {old.id: Status.DIGANTI, "baru": Status.BERLAKU}
    assert status(old, TODAY) is Status.DIGANTI  # a replacement not among the SOPs: at once
