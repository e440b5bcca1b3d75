"""Which versions decide that an SOP is a draft, and which version is in force while it is one:
a built site judges the committed versions only; `sop check` and `mkdocs serve` the files as they are."""

from __future__ import annotations

import pytest
from test_history import BASE, Repo, edited


@pytest.fixture
def repo(tmp_path) -> Repo:
    r = Repo(tmp_path / "proyek")
    r.commit("sop-tamu.yaml", BASE, "SOP penerimaan tamu", "2024-01-02T09:00:00+07:00")
    return r


def test_uncommitted_edits_make_a_draft_only_in_a_preview(repo: Repo):
    (repo.data / "sop-tamu.yaml").write_text(edited(BASE, ("      waktu: 5 menit", "      waktu: 10 menit")),
                                            encoding="utf-8")
    history, _ = repo.history()
    h = history.per_sop["sop-tamu"]
    assert h.verdict(preview=True) == (True, h.revisi[0]) and h.revisi[0].commit == ""
    assert h.verdict(preview=False) == (False, None)
    assert history.drafts(preview=True) == {"sop-tamu"} and history.drafts(preview=False) == set()
    assert history.draf == {"sop-tamu"}  # sop check still warns about the edit, saying when it counts
    from sopcode.rules import approval

    (warning,) = approval.check(history)
    assert warning.code == "belum-disahkan" and "setelah di-commit, SOP ini berstatus DRAF" in warning.message


def test_a_committed_draft_keeps_its_last_approved_version_in_force(repo: Repo):
    tidied = "# dirapikan\n" + BASE
    repo.commit("sop-tamu.yaml", tidied, "Rapikan", "2024-01-20T09:00:00+07:00")
    repo.commit("sop-tamu.yaml", edited(tidied, ("      waktu: 15 menit", "      waktu: 30 menit")),
                "Ubah waktu", "2024-03-01T09:00:00+07:00")
    history, _ = repo.history()
    h = history.per_sop["sop-tamu"]
    assert h.verdict(preview=False)[0] and h.draf_tersimpan_sejak is h.revisi[0]
    assert h.berlaku is h.revisi[1] and h.berlaku.pesan == "Rapikan"  # the newest with the approved content
    assert b"waktu: 15 menit" in h.berlaku.data


def test_an_sop_in_force_has_no_separate_version_in_force(repo: Repo):
    history, _ = repo.history()
    h = history.per_sop["sop-tamu"]
    assert h.berlaku is None and h.tercatat


def test_a_file_never_committed_is_not_recorded(repo: Repo):
    (repo.data / "sop-baru.yaml").write_text(BASE.replace("Penerimaan Tamu Dinas", "Tamu Baru"), encoding="utf-8")
    history, _ = repo.history()
    h = history.per_sop["sop-baru"]
    assert not h.tercatat and h.for_readers() == [] and h.verdict(preview=False) == (False, None)


def test_under_preview_the_last_commit_is_in_force_when_only_uncommitted_edits_are_unapproved(repo: Repo):
    (repo.data / "sop-tamu.yaml").write_text(edited(BASE, ("      waktu: 5 menit", "      waktu: 10 menit")),
                                            encoding="utf-8")
    history, _ = repo.history()
    h = history.per_sop["sop-tamu"]
    assert h.in_force(preview=True) is h.revisi[1] and h.revisi[1].pesan == "SOP penerimaan tamu"
    assert h.in_force(preview=False) is None  # a build: no draft, nothing else in force


def test_withdrawing_an_sop_is_no_unapproved_change_but_readers_see_it(repo: Repo):
    from sopcode.rules import approval

    withdrawn = BASE + "dicabut:\n  tanggal: 2024-06-01\n  alasan: Tidak dipakai lagi\n"
    repo.commit("sop-tamu.yaml", withdrawn, "Cabut SOP penerimaan tamu", "2024-06-01T09:00:00+07:00")
    repo.commit("sop-tamu.yaml", withdrawn + "diganti_oleh: sop-tamu-baru\n", "Sebut penggantinya",
                "2024-06-02T09:00:00+07:00")
    history, _ = repo.history()
    h = history.per_sop["sop-tamu"]
    assert h.verdict(preview=False) == (False, None) and not h.draf and approval.check(history) == []
    assert [r.pesan for r in h.for_readers()] == ["Sebut penggantinya", "Cabut SOP penerimaan tamu",
                                                  "SOP penerimaan tamu"]
