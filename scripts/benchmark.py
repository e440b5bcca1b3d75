#!/usr/bin/env python3
"""Benchmark: the project against plain mkdocs-material, in one run, on N generated SOPs.

    python scripts/benchmark.py --n 1000          # about 10 minutes on 2 cores
    python scripts/benchmark.py --n 20            # the smoke run of `make test`

Steps, each in its own process (time and peak RSS of that process):

  (a) baseline: the same mkdocs-material configuration over N hand-written
      Markdown pages holding the same text, no plugin;
  (b) the project's site, cache cold (the PDFs are step f);
  (c) the site again, nothing changed;
  (d) the site after one SOP file changed;
  (e) ``sop check`` alone, with a cold cache (before b) and a warm one (after d);
  (f) every SOP's PDF and the binder, cache cold;
  (g) the PDFs after one SOP changed (with ``--instansi``: which binders changed bytes);
  (h) editing under a real ``mkdocs serve``: one SOP's step rewritten with a new text, the
      seconds from the write until its page serves that text (the fast path of
      sopcode.preview), and (i) until the whole site has it (the search index, which only
      the full rebuild writes).

``--instansi K`` lays the SOPs out as a whole government's: K institution folders, each with
its own ``_instansi.yaml`` and N/K SOPs, several file names repeating across institutions
(every institution has ``sop-surat-masuk.yaml``); the baseline's pages sit in the same folders.

Ratios are to (a), measured in the same run on the same machine; the
Graphviz cost per SOP comes from (b)'s drawing of every swimlane, and the
seconds per PDF page from (f). Nothing here is a test: it prints numbers.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))  # the SOP generator of the property tests
sys.path.insert(0, str(ROOT / "plugins"))

from gen_sop import random_sop  # noqa: E402
from sopcode.model.sop import Sop  # noqa: E402

BIN = Path(sys.executable).parent
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}

LEGAL = [
    "Undang-Undang Nomor 23 Tahun 2014 tentang Pemerintahan Daerah",
    "Peraturan Pemerintah Nomor 17 Tahun 2018 tentang Kecamatan",
    "Peraturan Menteri Pendayagunaan Aparatur Negara dan Reformasi Birokrasi Nomor 35 Tahun 2012 "
    "tentang Pedoman Penyusunan Standar Operasional Prosedur Administrasi Pemerintahan",
    "Peraturan Bupati Purwakarta Nomor 72 Tahun 2016 tentang Kedudukan, Susunan Organisasi, Tugas dan "
    "Fungsi, serta Tata Kerja Kecamatan",
    "Peraturan Menteri Dalam Negeri Nomor 137 Tahun 2017 tentang Kode dan Data Wilayah Administrasi Pemerintahan",
]
SKILLS = [
    "Memahami peraturan perundang-undangan yang terkait", "Mampu mengoperasikan komputer",
    "Memahami tugas pokok dan fungsi unit kerja", "Mampu berkomunikasi dengan baik kepada masyarakat",
]
TOOLS = ["Komputer/laptop", "Printer", "Alat Tulis Kantor", "Jaringan internet", "Buku register", "Stempel dinas"]
WARNINGS = [
    "Apabila berkas tidak lengkap, permohonan dikembalikan kepada pemohon",
    "Apabila pelaksanaan tidak sesuai SOP, layanan akan terhambat",
]
RECORDS = ["Buku register permohonan", "Arsip surat keluar", "Berita acara pemeriksaan"]
UNITS = ["SEKSI PEMERINTAHAN", "SEKSI PELAYANAN UMUM", "SEKSI KETENTERAMAN DAN KETERTIBAN UMUM",
         "SUBBAGIAN UMUM DAN KEPEGAWAIAN", "SUBBAGIAN PERENCANAAN DAN KEUANGAN"]


def q(text: object) -> str:
    return json.dumps(str(text), ensure_ascii=False)  # a JSON string is a YAML string


def sop_yaml(sop: Sop, rng: random.Random, n: int) -> str:
    """A generated SOP as its YAML file, with boxes and texts about as long as the seed's."""
    lines = [f"nama: {q(f'Pelayanan Administrasi Nomor {n} {sop.id}')}",
             f"nomor: {q(f'000.{n % 9 + 1}/{n:04d}/Kec.Bgs/2024')}",
             f"unit: {q(rng.choice(UNITS))}",
             "tanggal_pembuatan: 2024-01-02", "tanggal_revisi: null", "tanggal_efektif: 2024-01-08",
             "disahkan_oleh:", "  jabatan: CAMAT BUNGURSARI", "  nama: M.SARIPUL.HAROM.S.Sos",
             '  nip: "19640104 199101 1 004"']
    for key, pool, k in (("dasar_hukum", LEGAL, 4), ("kualifikasi_pelaksana", SKILLS, 3),
                         ("peralatan_perlengkapan", TOOLS, 4), ("peringatan", WARNINGS, 2),
                         ("pencatatan_pendataan", RECORDS, 2)):
        lines.append(f"{key}:")
        lines += [f"  - {q(x)}" for x in rng.sample(pool, k)]
    lines.append("keterkaitan:")
    lines.append(f"  - {q('SOP Pengelolaan Arsip Dinamis Kecamatan')}")
    lines.append("pelaksana:")
    lines += [f"  - {q(a)}" for a in sop.pelaksana]
    lines.append("langkah:")
    for step in sop.langkah:
        lines += [f"  - no: {step.no}", f"    kegiatan: {q(step.kegiatan)}", f"    pelaksana: {q(step.pelaksana)}"]
        if step.simbol_eksplisit:
            lines.append(f"    simbol: {step.simbol.value}")
        for key in ("ya", "tidak", "lanjut"):
            if getattr(step, key) is not None:
                lines.append(f"    {key}: {getattr(step, key)}")
        w = step.mutu_baku.waktu
        lines += ["    mutu_baku:", f"      kelengkapan: {q('Berkas permohonan dan formulir isian')}",
                  f"      waktu: {w.jumlah:g} menit", f"      output: {q('Berkas yang telah diperiksa')}"]
    return "\n".join(lines) + "\n"


def sop_markdown(sop: Sop, text: str) -> str:
    """The baseline page: the same words as hand-written Markdown (a table and lists)."""
    body = [f"# {sop.nama}", "", "| No | Kegiatan | Pelaksana | Waktu |", "|---|---|---|---|"]
    body += [f"| {s.no} | {s.kegiatan} | {s.pelaksana} | {s.mutu_baku.waktu} |" for s in sop.langkah]
    body += ["", "## Isi berkas", ""]
    body += [f"- {line.strip()}" for line in text.splitlines() if line.strip() and ":" in line]
    return "\n".join(body) + "\n"


MKDOCS = """site_name: Tolok ukur
use_directory_urls: true
theme:
  name: material
  language: id
  font: false
  features: [navigation.prune, search.suggest]
plugins:
  - search
{extra}
"""


GOVERNMENT = """hierarki:
  - PEMERINTAH KABUPATEN PURWAKARTA
kertas: F4
jam_kerja_per_hari: 7.5
label_tanggal_efektif: Tanggal Pengesahan
"""
KINDS = ["DINAS", "BADAN", "KECAMATAN", "KELURAHAN"]
COMMON = ["sop-surat-masuk", "sop-surat-keluar", "sop-pengelolaan-arsip"]
"""File names every institution has (their ids differ by the institution's folder)."""


def institution_yaml(i: int) -> str:
    kind = KINDS[i % len(KINDS)]
    return (f"nama: {q(f'{kind.title()} Nomor {i + 1}')}\nhierarki:\n  - {q(f'{kind} NOMOR {i + 1}')}\n"
            + ("kertas: A4\n" if i % 3 == 0 else ""))


def make_corpus(work: Path, n: int, instansi: int = 0) -> tuple[Path, Path, list[str]]:
    """The project and the baseline; each SOP's file as its path under sop_data/ without ``.yaml``."""
    project, baseline = work / "proyek", work / "dasar"
    for folder in (project / "sop_data", project / "docs", baseline / "docs"):
        folder.mkdir(parents=True)
    if instansi:
        (project / "sop_data" / "_instansi.yaml").write_text(GOVERNMENT, encoding="utf-8")
    else:
        shutil.copy(ROOT / "sop_data" / "_instansi.yaml", project / "sop_data" / "_instansi.yaml")
    (project / "docs" / "index.md").write_text("# Tolok ukur\n", encoding="utf-8")
    (baseline / "docs" / "index.md").write_text("# Tolok ukur\n", encoding="utf-8")
    rng = random.Random(2012)
    ids = []
    per = -(-n // instansi) if instansi else n
    for k in range(n):
        sop = random_sop(k)
        sop_id = f"sop-{k:05d}"
        if instansi:
            i, j = divmod(k, per)
            folder = f"instansi-{i + 1:02d}"
            if j == 0:
                (project / "sop_data" / folder).mkdir()
                (baseline / "docs" / folder).mkdir()
                (project / "sop_data" / folder / "_instansi.yaml").write_text(institution_yaml(i), encoding="utf-8")
            sop_id = f"{folder}/{COMMON[j] if j < len(COMMON) else sop_id}"
        text = sop_yaml(sop, rng, k)
        (project / "sop_data" / f"{sop_id}.yaml").write_text(text, encoding="utf-8")
        (baseline / "docs" / f"{sop_id}.md").write_text(sop_markdown(sop, text), encoding="utf-8")
        ids.append(sop_id)
    (project / "mkdocs.yml").write_text(MKDOCS.format(extra="  - sop:\n      data_dir: sop_data\n      pdf: false"),
                                        encoding="utf-8")
    (baseline / "mkdocs.yml").write_text(MKDOCS.format(extra=""), encoding="utf-8")
    return project, baseline, ids


def tree_pss_mb(root: int) -> float:
    """Memory of a process and all its descendants now: the sum of their PSS (shared pages split
    between the processes sharing them, so Chromium's many processes are not counted many times)."""
    parent: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", "rb") as fh:
                    parent[int(entry)] = int(fh.read().rsplit(b")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                pass
    tree, frontier = {root}, [root]
    while frontier:
        pid = frontier.pop()
        kids = [p for p, pp in parent.items() if pp == pid and p not in tree]
        tree.update(kids)
        frontier += kids
    total = 0
    for pid in tree:
        try:
            with open(f"/proc/{pid}/smaps_rollup", "rb") as fh:
                for line in fh:
                    if line.startswith(b"Pss:"):
                        total += int(line.split()[1])
                        break
        except OSError:
            pass
    return total / 1024


def run(label: str, args: list[str], cwd: Path) -> dict:
    """One step in its own process: wall time, the peak RSS of its largest process, and the peak
    memory of its whole process tree (PSS, sampled every 0.2 s)."""
    import threading

    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(args, cwd=cwd, env=ENV, stdout=out, stderr=err)
        peak = [0.0]
        finished = threading.Event()

        def sample() -> None:
            while not finished.wait(0.2):
                peak[0] = max(peak[0], tree_pss_mb(proc.pid))

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        finished.set()
        sampler.join()
        proc.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        stderr = err.read().decode("utf-8", "replace")
    if proc.returncode != 0:
        sys.stderr.write(stderr[-3000:])
        raise SystemExit(f"langkah {label} gagal (kode {proc.returncode})")
    # ru_maxrss of a waited child: the largest RSS among it and its own waited-for descendants.
    return {"langkah": label, "detik": seconds, "rss_mb": usage.ru_maxrss / 1024, "pss_mb": peak[0],
            "stderr": stderr}


def touch_one(project: Path, sop_id: str) -> None:  # sop_id: the file's path under sop_data/ without .yaml
    """Change one SOP as a user would: a step's time."""
    path = project / "sop_data" / f"{sop_id}.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("waktu: 5 menit", "waktu: 7 menit", 1).replace("waktu: 10 menit", "waktu: 12 menit", 1)
                    .replace("waktu: 15 menit", "waktu: 17 menit", 1), encoding="utf-8")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> bytes | None:
    try:
        with urllib.request.urlopen(url, timeout=600) as response:
            return response.read()
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return None


def _poll(url: str, token: bytes, since: float, timeout: float = 1800, every: float = 0.02) -> float:
    """Seconds from ``since`` until ``url`` serves ``token``."""
    while time.perf_counter() - since < timeout:
        body = _get(url)
        if body is not None and token in body:
            return time.perf_counter() - since
        time.sleep(every)
    raise SystemExit(f"{url} tidak memuat teks baru dalam {timeout:.0f} detik")


def edit_latency(project: Path, sop_id: str) -> dict:
    """(h) and (i): a real `mkdocs serve` on a free port; one SOP's step rewritten with a new text;
    the seconds from the write until its page serves it, and until the search index (the full
    rebuild) does. The site is served once first, with the cache as the earlier steps left it."""
    port = _free_port()
    base = f"http://127.0.0.1:{port}/"
    with tempfile.TemporaryFile() as log:
        start = time.perf_counter()
        server = subprocess.Popen([str(BIN / "mkdocs"), "serve", "-a", f"127.0.0.1:{port}"], cwd=project, env=ENV,
                                  stdout=log, stderr=log, start_new_session=True)
        try:
            page = f"{base}sop/{sop_id}/"
            while _get(page) is None:
                if server.poll() is not None:
                    log.seek(0)
                    sys.stderr.write(log.read().decode("utf-8", "replace")[-3000:])
                    raise SystemExit("mkdocs serve berhenti")
                time.sleep(0.2)
            served = time.perf_counter() - start
            time.sleep(1.0)  # settled: the server waits for changes
            path = project / "sop_data" / f"{sop_id}.yaml"
            text = path.read_text(encoding="utf-8")
            token = f"Menyunting langkah {random.randrange(10**9):09d}"
            old = text.split("kegiatan: ", 1)[1].split("\n", 1)[0]
            written = time.perf_counter()
            path.write_text(text.replace(f"kegiatan: {old}", f"kegiatan: {q(token)}", 1), encoding="utf-8")
            fast = _poll(page, token.encode(), written)
            full = _poll(f"{base}search/search_index.json", token.encode(), written, every=0.2)
        finally:
            os.killpg(server.pid, signal.SIGINT)
            try:
                server.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
                server.wait()
        log.seek(0)
        said = log.read().decode("utf-8", "replace")
    return {"disajikan": served, "halaman": fast, "situs": full, "jalur_cepat": "pratinjau cepat" in said}


def binder_hashes(folder: Path) -> dict[str, str]:
    """Every binder under ``folder`` (the government's and each institution's) → a hash of its bytes."""
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("buku-sop.pdf"))}


def graphviz_per_sop(project: Path) -> float:
    """Milliseconds of Graphviz per SOP for the swimlanes, drawn in batch without a cache."""
    from sopcode.model.load import load_folder
    from sopcode.shapes.swimlane import swimlane_svgs

    sops = load_folder(str(project / "sop_data")).sops
    start = time.perf_counter()
    swimlane_svgs(sops, cache_dir=None)
    return 1000 * (time.perf_counter() - start) / max(len(sops), 1)


def pdf_pages(folder: Path) -> tuple[int, int]:
    """Pages of every SOP's own PDF, and of the binder."""
    import pikepdf

    def count(path: Path) -> int:
        with pikepdf.open(path) as pdf:
            return len(pdf.pages)

    return sum(count(p) for p in folder.rglob("sop-*.pdf")), count(folder / "buku-sop.pdf")


def _latency_only(args: argparse.Namespace, latency: dict) -> int:
    layout = f", {args.instansi} instansi" if args.instansi else ""
    print(f"Tolok ukur, N = {args.n} SOP{layout}; {platform.platform()}, {os.cpu_count()} inti")
    print(f"mkdocs serve pertama kali disajikan (cache dingin): {latency['disajikan']:.1f} detik")
    print(f"h: halaman SOP yang disunting memuat teks baru: {latency['halaman']:.2f} detik setelah berkas ditulis "
          f"({'jalur cepat' if latency['jalur_cepat'] else 'tanpa jalur cepat'})")
    print(f"i: seluruh situs (indeks pencarian) memuatnya: {latency['situs']:.2f} detik")
    if args.json:
        Path(args.json).write_text(json.dumps({"n": args.n, "instansi": args.instansi, "latensi": latency}, indent=2),
                                   encoding="utf-8")
    return 0


def main(argv: list[str] | None = None) -> int:
    if signal.getsignal(signal.SIGINT) == signal.SIG_IGN:  # started with `&`: give `mkdocs serve` its Ctrl+C back
        signal.signal(signal.SIGINT, signal.default_int_handler)
    p = argparse.ArgumentParser(prog="benchmark.py", description="Tolok ukur pembangunan situs dan PDF SOP.")
    p.add_argument("--n", type=int, default=1000, help="jumlah SOP buatan (bawaan: 1000)")
    p.add_argument("--quick", action="store_true", help="lewati langkah PDF (f, g)")
    p.add_argument("--instansi", type=int, default=0, metavar="K",
                   help="sebar SOP ke K folder instansi, masing-masing dengan _instansi.yaml (bawaan: satu instansi)")
    p.add_argument("--tanpa-latensi", action="store_true", help="lewati langkah mkdocs serve (h, i)")
    p.add_argument("--hanya-latensi", action="store_true",
                   help="hanya langkah mkdocs serve (h, i), dengan cache dingin (tanpa a sampai g)")
    p.add_argument("--hanya-pdf", action="store_true",
                   help="hanya langkah PDF (f, g), tanpa pembanding (a): untuk membandingkan dua susunan korpus")
    p.add_argument("--json", metavar="BERKAS", help="tulis hasil sebagai JSON ke BERKAS")
    p.add_argument("--simpan", metavar="FOLDER", help="simpan korpus dan hasilnya di FOLDER")
    args = p.parse_args(argv)
    work = Path(args.simpan) if args.simpan else Path(tempfile.mkdtemp(prefix="sop-tolok-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        project, baseline, ids = make_corpus(work, args.n, args.instansi)
        if args.hanya_latensi:
            return _latency_only(args, edit_latency(project, ids[len(ids) // 2 + 1]))
        mk = [str(BIN / "mkdocs"), "build", "-q"]
        check_cmd = [str(BIN / "sop"), "check", "sop_data"]
        results = []
        if not args.hanya_pdf:
            results += [run("a: mkdocs-material polos", mk, baseline),
                        run("e: sop check, cache dingin", check_cmd, project)]
            shutil.rmtree(project / ".cache", ignore_errors=True)  # (b) starts cold too
            results += [run("b: situs, cache dingin", mk, project),
                        run("c: situs, tanpa perubahan", mk, project)]
            touch_one(project, ids[len(ids) // 2])
            results.append(run("d: situs, satu SOP berubah", mk, project))
            results.append(run("e: sop check, cache hangat", check_cmd, project))
        pages = binder_pages = 0
        binders: dict[str, object] = {}
        if not args.quick:
            pdf = [str(BIN / "sop"), "pdf", "sop_data", "--keluar", "pdf"]
            results.append(run("f: PDF dan buku, cache dingin", pdf, project))
            pages, binder_pages = pdf_pages(project / "pdf")
            before = binder_hashes(project / "pdf")
            touched = ids[len(ids) // 3]
            touch_one(project, touched)
            results.append(run("g: PDF, satu SOP berubah", pdf, project))
            after = binder_hashes(project / "pdf")
            binders = {"semua": len(after), "berubah": sorted(k for k in after if before.get(k) != after[k]),
                       "sop": touched}
        latency = None if args.tanpa_latensi or args.hanya_pdf else edit_latency(project, ids[len(ids) // 2 + 1])
        gv = graphviz_per_sop(project)
    finally:
        if not args.simpan:
            shutil.rmtree(work, ignore_errors=True)
    base = results[0]["detik"]  # ratios are to (a); without it (--hanya-pdf) the seconds alone are printed
    layout = f", {args.instansi} instansi" if args.instansi else ""
    print(f"Tolok ukur, N = {args.n} SOP{layout}; {platform.platform()}, {os.cpu_count()} inti, Python {platform.python_version()}")
    print(f"{'langkah':<34} {'detik':>8} {'× (a)':>7} {'RSS MB':>8} {'PSS MB':>8}")
    for r in results:
        ratio = f"{r['detik'] / base:7.2f}" if not args.hanya_pdf else f"{'-':>7}"
        print(f"{r['langkah']:<34} {r['detik']:8.2f} {ratio} {r['rss_mb']:8.0f} {r['pss_mb']:8.0f}")
    print("RSS: puncak proses terbesar; PSS: puncak seluruh pohon proses (Python dan semua proses Chromium)")
    print(f"Graphviz per SOP (bagan alir, satu batch tanpa cache): {gv:.1f} ms")
    if pages:
        f = next(r for r in results if r["langkah"].startswith("f"))
        # Every sheet is printed once, in its SOP's PDF; the binder is assembled from those PDFs.
        per_page = f["detik"] / pages
        print(f"Halaman PDF SOP: {pages}, buku: {binder_pages}; detik per halaman (f / halaman SOP): {per_page:.3f}")
    if binders:
        print(f"g: {binders['sop']} berubah; buku yang berubah: {len(binders['berubah'])} dari {binders['semua']} "  # type: ignore[arg-type]
              f"({', '.join(binders['berubah']) or '-'})")  # type: ignore[arg-type]
    if latency:
        print(f"h: mkdocs serve, halaman SOP yang disunting memuat teks baru: {latency['halaman']:.2f} detik setelah "
              f"berkas ditulis ({'jalur cepat' if latency['jalur_cepat'] else 'tanpa jalur cepat'})")
        print(f"i: mkdocs serve, seluruh situs (indeks pencarian) memuatnya: {latency['situs']:.2f} detik; "
              f"situs pertama kali disajikan setelah {latency['disajikan']:.1f} detik")
    if args.json:
        Path(args.json).write_text(json.dumps({"n": args.n, "hasil": [
            {k: v for k, v in r.items() if k != "stderr"} for r in results], "graphviz_ms": gv, "halaman": pages,
            "halaman_buku": binder_pages, "instansi": args.instansi, "buku": binders, "latensi": latency},
            indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
