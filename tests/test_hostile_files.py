"""Hostile files and a hostile machine: a logo that is no picture, ids that are no URLs, a full disk,
a killed build, no browser, emoji. Real builds of a copy of the project, read back as a user would."""

from __future__ import annotations

import errno
import json
import os
import re
import signal
import struct
import subprocess
import sys
import time
import zlib
from pathlib import Path
from urllib.parse import unquote

import pytest

from conftest import BIN, ROOT, copy_sources, run_sop

pytestmark = [pytest.mark.slow, pytest.mark.browser]  # builds sites and prints PDFs

SOP_ID = "sop-surat-keterangan-domisili"
TOKEN = "ghp_RahasiaSekaliJanganDiterbitkan0123456789"
"""A token in the remote address of .git/config: must never reach the site."""


def project_in(folder: Path) -> Path:
    folder.mkdir(parents=True)
    return copy_sources(folder)


@pytest.fixture
def tmpdir_short(tmp_path: Path):
    """A temporary folder of a short path for the builds (a Unix socket's path has 107 bytes at most)."""
    import shutil
    import tempfile

    folder = Path(tempfile.mkdtemp(prefix="sop-uji-", dir="/tmp" if os.path.isdir("/tmp") else None))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def env_for(tmp: Path, **more: str) -> dict[str, str]:
    """The environment of a build: its own temporary folder (what a killed build leaves is seen there)."""
    return {**os.environ, "NO_MKDOCS_2_WARNING": "1", "TMPDIR": str(tmp), **more}


def mkdocs(project: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN / "mkdocs"), "build"], cwd=project, capture_output=True, text=True,
                          timeout=600, env=env)


def temp_leftovers(tmp: Path) -> list[str]:
    """What builds left in their temporary folder (the per-user root itself may stay, empty)."""
    found = [p.name for p in tmp.iterdir() if not p.name.startswith("sopcode-")]
    for root in tmp.glob("sopcode-*"):
        found += [p.name for p in root.iterdir()]
    return found


def png(width: int, height: int) -> bytes:
    """A real PNG (1-bit grey, all black): 20,000 × 20,000 pixels compress to about 48 KB."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    row = b"\0" * (1 + (width + 7) // 8)
    packer = zlib.compressobj(9)
    idat = b"".join(packer.compress(row) for _ in range(height)) + packer.flush()
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0))
            + chunk(b"IDAT", idat) + chunk(b"IEND", b""))


def set_logo(project: Path, value: str) -> int:
    """Write ``logo: <value>`` into _instansi.yaml; returns its line."""
    settings = project / "sop_data" / "_instansi.yaml"
    text = re.sub(r"(?m)^#? *logo:.*$", f"logo: {json.dumps(value)}", settings.read_text(encoding="utf-8"), count=1)
    settings.write_text(text, encoding="utf-8")
    return next(n for n, t in enumerate(text.splitlines(), 1) if t.startswith("logo:"))


def site_files(project: Path) -> list[Path]:
    return [p for p in (project / "site").rglob("*") if p.is_file()]


# --- 7. the logo -----------------------------------------------------------------------------

def _git_with_token(project: Path) -> str:
    subprocess.run(["git", "init", "-q", str(project)], check=True)
    subprocess.run(["git", "-C", str(project), "remote", "add", "origin",
                    f"https://oknum:{TOKEN}@github.com/pemkab/sop.git"], check=True)
    return "../.git/config"


def _svg(project: Path) -> str:
    (project / "sop_data" / "logo.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
        "<script>fetch('/x?c='+document.cookie)</script><rect width='10' height='10'/></svg>", encoding="utf-8")
    return "logo.svg"


def _html(project: Path) -> str:
    (project / "sop_data" / "logo.html").write_text(
        "<!DOCTYPE html><html><body><script>alert(document.domain)</script></body></html>", encoding="utf-8")
    return "logo.html"


def _huge(project: Path) -> str:
    data = png(20_000, 20_000)
    assert len(data) < 60_000  # a small file: its header says what it would cost
    (project / "sop_data" / "raksasa.png").write_bytes(data)
    return "raksasa.png"


def _link_out(project: Path) -> str:
    (project / "sop_data" / "tautan.png").symlink_to("/etc/hostname")
    return "tautan.png"


def _link_to_git(project: Path) -> str:
    _git_with_token(project)
    (project / "sop_data" / "lambang.png").symlink_to("../.git/config")
    return "lambang.png"


def _gif(project: Path) -> str:
    (project / "sop_data" / "logo.png").write_bytes(b"GIF89a\x01\x00\x01\x00\x00\x00\x00;")
    return "logo.png"


def _bytes(project: Path) -> str:
    (project / "sop_data" / "logo.png").write_bytes(png(100, 100) + b"\0" * 2_100_000)
    return "logo.png"


@pytest.mark.parametrize("make, code, said", [
    (_git_with_token, "logo-tersembunyi", "folder tersembunyi '.git/'"),
    (_link_to_git, "logo-tersembunyi", "folder tersembunyi '.git/'"),
    (_svg, "logo-bukan-gambar", "berupa SVG"),
    (_html, "logo-bukan-gambar", "berupa halaman HTML"),
    (_gif, "logo-bukan-gambar", "berupa GIF"),
    (_huge, "logo-terlalu-besar", "20000 × 20000 piksel"),
    (_bytes, "logo-terlalu-besar", "2.1 MB"),
    (_link_out, "logo-di-luar", "di luar folder proyek (melalui tautan simbolik)"),
    (lambda p: "/etc/passwd", "logo-di-luar", "di luar folder proyek"),
    (lambda p: "../../../../../etc/passwd", "logo-di-luar", "di luar folder proyek"),
], ids=["git-config", "link-to-git", "svg-script", "html", "gif-named-png", "20000px", "bytes", "link-out",
        "absolute", "dotdot"])
def test_a_refused_logo_is_one_warning_at_its_line_and_the_site_is_built_without_it(
        tmp_path: Path, make, code: str, said: str, tmpdir_short: Path):
    project = project_in(tmp_path / "p")
    line = set_logo(project, make(project))
    start = time.monotonic()
    done = run_sop("check", "sop_data", cwd=project)
    assert time.monotonic() - start < 10  # the 20,000-pixel PNG is refused from its header, not decoded
    assert done.returncode == 0, done.stdout  # a warning: the SOPs are fine
    ours = list(re.findall(r"(?m)^\S+: peringatan: .*\[logo-[a-z-]+\]$", done.stdout))
    assert len(ours) == 1, done.stdout
    assert ours[0].startswith(f"sop_data/_instansi.yaml:{line}:") and f"[{code}]" in ours[0] and said in ours[0]
    assert "tanpa logo" in ours[0]
    fix = done.stdout.split(ours[0], 1)[1].splitlines()[1]
    assert fix.strip().startswith("perbaikan:") and "PNG" in fix, fix
    strict = run_sop("check", "--strict", "sop_data", cwd=project)
    assert strict.returncode == 1  # who wants the build to stop over it, has it

    built = mkdocs(project, env_for(tmpdir_short))
    assert built.returncode == 0, built.stderr
    assert f"_instansi.yaml:{line}:" in built.stderr and code in built.stderr
    assert not list((project / "site" / "assets" / "sop").glob("logo*"))
    for path in site_files(project):
        data = path.read_bytes()
        assert TOKEN.encode() not in data and b"document.cookie)</script>" not in data, path
        assert b"alert(document.domain)" not in data, path
    page = (project / "site" / "sop" / SOP_ID / "index.html").read_text(encoding="utf-8")
    assert "sop-logo" not in page
    images = subprocess.run(["pdfimages", "-f", "1", "-l", "1", "-list", str(project / "site" / "pdf" / f"{SOP_ID}.pdf")],
                            capture_output=True, text=True, check=True).stdout.splitlines()[2:]
    assert images == []  # the identity sheet is printed without a logo


def test_a_logo_is_taken_by_its_content_and_published_under_the_name_of_its_kind(
        tmp_path: Path, tmpdir_short: Path):
    project = project_in(tmp_path / "p")
    picture = tmp_path / "logo.jpg"
    subprocess.run(["dot", "-Tjpg", "-o", str(picture)], input='digraph { a [shape=circle, label="P"] }',
                   text=True, check=True)
    # A JPEG whose name says HTML: its content decides, and it is published as logo.jpg.
    (project / "sop_data" / "lambang.html").write_bytes(picture.read_bytes())
    set_logo(project, "lambang.html")
    done = run_sop("check", "sop_data", cwd=project)
    assert "[logo-" not in done.stdout, done.stdout
    built = mkdocs(project, env_for(tmpdir_short))
    assert built.returncode == 0, built.stderr
    assert [p.name for p in (project / "site" / "assets" / "sop").glob("logo*")] == ["logo.jpg"]
    assert (project / "site" / "assets" / "sop" / "logo.jpg").read_bytes() == picture.read_bytes()
    assert not list((project / "site").rglob("lambang.html"))
    page = (project / "site" / "sop" / SOP_ID / "index.html").read_text(encoding="utf-8")
    assert 'src="../../assets/sop/logo.jpg"' in page
    images = subprocess.run(["pdfimages", "-f", "1", "-l", "1", "-list", str(project / "site" / "pdf" / f"{SOP_ID}.pdf")],
                            capture_output=True, text=True, check=True).stdout.splitlines()[2:]
    assert len(images) == 1  # on the identity sheet


# --- 10. PDF links and the PDFs' folder -------------------------------------------------------

def test_pdf_links_are_encoded_and_lead_to_the_file(tmp_path: Path, tmpdir_short: Path):
    project = project_in(tmp_path / "p")
    source = (project / "sop_data" / f"{SOP_ID}.yaml").read_text(encoding="utf-8")
    (project / "sop_data" / "sop#pagar 100%.yaml").write_text(
        re.sub(r'(?m)^nomor: .*$', 'nomor: "470/999/Kec.Bgs/2024"', source, count=1), encoding="utf-8")
    built = mkdocs(project, env_for(tmpdir_short))
    assert built.returncode == 0, built.stderr
    site = project / "site"
    assert (site / "pdf" / "sop#pagar 100%.pdf").is_file()
    pages = list(site.rglob("index.html"))
    pdf_links = 0
    for page in pages:
        for href in re.findall(r'href="([^"]+\.pdf)"', page.read_text(encoding="utf-8")):
            assert "#" not in href and " " not in href, (page, href)  # '#' would end the address
            target = (page.parent / unquote(href)).resolve()
            # The SOPs' PDFs and binders in pdf/, the monitoring and evaluation forms in monev/
            assert target.is_file() and target.parent in {(site / "pdf").resolve(), (site / "monev").resolve()}, \
                (page, href)
            pdf_links += 1
    assert pdf_links >= 5
    own = (site / "sop" / "sop#pagar 100%" / "index.html").read_text(encoding="utf-8")
    assert 'href="../../pdf/sop%23pagar%20100%25.pdf"' in own


@pytest.mark.parametrize("pdf_dir", ["../../x", "/tmp/sop-pdf-luar", "unduh/../../../x"])
def test_a_pdf_folder_outside_the_site_is_a_configuration_error(tmp_path: Path, pdf_dir: str, tmpdir_short: Path):
    project = project_in(tmp_path / "p")
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8").replace("      data_dir: sop_data",
                                                      f"      data_dir: sop_data\n      pdf_dir: {pdf_dir}")
    config.write_text(text, encoding="utf-8")
    line = next(n for n, t in enumerate(text.splitlines(), 1) if "pdf_dir:" in t)
    before = set(tmp_path.rglob("*"))
    built = mkdocs(project, env_for(tmpdir_short))
    assert built.returncode == 1
    assert f"mkdocs.yml:{line}: opsi `pdf_dir`" in built.stderr and "luar folder situs" in built.stderr
    assert "perbaikan: " in built.stderr and "Traceback" not in built.stderr
    assert not [p for p in set(tmp_path.rglob("*")) - before if p.suffix == ".pdf"]
    assert not Path("/tmp/sop-pdf-luar").exists()


# --- 11. a full disk and a killed build ------------------------------------------------------

def _mount_tmpfs(where: Path, size: int) -> bool:
    where.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)],
                          capture_output=True, text=True)
    return done.returncode == 0


@pytest.fixture
def small_disk(tmp_path: Path):
    """A real file system of its own to fill up: a tmpfs (needs the right to mount, as root here)."""
    where = tmp_path / "disk"
    if os.geteuid() != 0 or not _mount_tmpfs(where, 64 << 20):
        pytest.skip("a tmpfs cannot be mounted here (no root or no CAP_SYS_ADMIN); the binder's own "
                    "full-file test (RLIMIT_FSIZE) still runs")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False)


def fill(disk: Path, free: int) -> None:
    """Leave ``free`` bytes free on the disk."""
    st = os.statvfs(disk)
    spare = st.f_bavail * st.f_frsize - free
    if spare > 0:
        with open(disk / "ballast", "wb") as fh:
            fh.truncate(0)
            chunk = b"\1" * (1 << 20)
            while spare > 0:
                spare -= fh.write(chunk[:min(spare, len(chunk))])


def used(path: Path) -> int:
    """Bytes a file, or the files below a folder, take on the disk."""
    files = [path] if path.is_file() else [p for p in path.rglob("*") if p.is_file() and not p.is_symlink()]
    return sum(p.stat().st_blocks * 512 for p in files)


def test_a_full_disk_is_one_message_naming_the_file_and_leaves_no_temporary_file(small_disk: Path, tmpdir_short: Path):
    project = project_in(small_disk / "p")
    env = env_for(tmpdir_short)  # the browser's temporary folder is on the big disk: the project's disk fills
    first = mkdocs(project, env)
    assert first.returncode == 0, first.stderr
    cache, site = used(project / ".cache"), used(project / "site")
    printing = project / ".cache" / "sop" / "printing"
    binder, forms = used(printing / "binders"), used(printing / "formulir")
    pdfs = used(project / "site" / "pdf")
    assert binder and forms
    stages = {  # free space for each stage's writing to run out in the middle of it
        "cache": cache // 2,
        "buku": cache - forms - binder // 3,  # the binder is written into the cache last but the forms
        "situs-pdf": cache + site - pdfs // 2,  # the PDFs are copied into the site last
    }
    for stage, free in stages.items():
        subprocess.run(["rm", "-rf", str(project / "site"), str(project / ".cache"), str(small_disk / "ballast")],
                       check=True)
        fill(small_disk, free)
        built = mkdocs(project, env)
        assert built.returncode == 1, (stage, built.stderr)
        message = [line for line in built.stderr.splitlines() if "tidak dapat menulis" in line]
        assert message and "disk penuh (ENOSPC)" in message[0], (stage, built.stderr)
        assert "Traceback" not in built.stderr and "terminate called" not in built.stderr, (stage, built.stderr)
        named = re.search(r"tidak dapat menulis (\S+):", message[0]).group(1)
        assert (project / ("site" if stage == "situs-pdf" else ".cache")).resolve() in \
            (project / named).resolve().parents, (stage, named)
        left = [p for p in small_disk.rglob("*") if p.name.startswith((".tmp-", ".pikepdf"))]
        assert left == [], (stage, left)
        assert temp_leftovers(tmpdir_short) == [], stage
    (small_disk / "ballast").unlink()  # room again: the next build mends everything
    assert mkdocs(project, env).returncode == 0


BINDER_SCRIPT = r"""
import os, pickle, resource, signal, sys
sys.path.insert(0, {plugins!r})
from sopcode.sheets import PrintError, Printer, SheetInputs
from sopcode.model.load import load_folder
sops = load_folder({data!r}).sops
with Printer() as printer:
    lembars = printer.prepare(sops, SheetInputs(all_sops={{s.id: s for s in sops}}))
    printer.print(lembars)
    binder = printer.prepare_binder(lembars)
target = sys.argv[1]
if len(sys.argv) > 2:  # no file may grow past this size: writing on fails with EFBIG (not a signal)
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (int(sys.argv[2]), resource.RLIM_INFINITY))
try:
    binder.bind(target)
except OSError as exc:
    print("GAGAL", exc.errno, exc)
    sys.exit(3)
print("DITULIS", os.path.getsize(target))
"""


def run_binder(tmp_path: Path, tmp: Path, target: Path, limit: int | None = None) -> subprocess.CompletedProcess:
    script = tmp_path / "binder.py"
    script.write_text(BINDER_SCRIPT.format(plugins=str(ROOT / "plugins"), data=str(ROOT / "sop_data")))
    args = [sys.executable, str(script), str(target)] + ([str(limit)] if limit else [])
    return subprocess.run(args, capture_output=True, text=True, timeout=300, env=env_for(tmp))


def test_the_binder_on_a_full_disk_is_an_error_not_an_abort(tmp_path: Path, tmpdir_short: Path):
    """Written by qpdf: a full disk ended the whole process in C++ (QPDFSystemError), leaving .pikepdf files."""
    whole = run_binder(tmp_path, tmpdir_short, tmp_path / "buku.pdf")
    assert whole.returncode == 0, whole.stderr
    size = int(whole.stdout.split()[-1])
    disk = tmp_path / "disk"
    mounted = os.geteuid() == 0 and _mount_tmpfs(disk, 1 << 20)
    try:
        if mounted:  # a real full disk, run out at several points of the writing (the end too)
            for free in (size // 4, size // 2, size - 64 * 1024, size - 8 * 1024):
                subprocess.run(["rm", "-f", str(disk / "ballast")], check=True)
                fill(disk, free)
                done = run_binder(tmp_path, tmpdir_short, disk / "buku.pdf")
                assert done.returncode == 3, (free, done.stdout, done.stderr)
                assert f"GAGAL {errno.ENOSPC} tidak dapat menulis {disk / 'buku.pdf'}: disk penuh" in done.stdout
                assert "terminate" not in done.stderr and "Traceback" not in done.stderr
                assert sorted(p.name for p in disk.iterdir()) == ["ballast"], free
        # Without a disk to fill (no right to mount): a file-size limit, a real error of the system all the same.
        target = tmp_path / "terbatas" / "buku.pdf"
        for limit in (size // 2, size - 8 * 1024):
            done = run_binder(tmp_path, tmpdir_short, target, limit)
            assert done.returncode == 3, (limit, done.stdout, done.stderr)
            assert f"GAGAL {errno.EFBIG} tidak dapat menulis {target}: berkas melebihi batas ukuran" in done.stdout
            assert "terminate" not in done.stderr
            assert list(target.parent.iterdir()) == []
    finally:
        if mounted:
            subprocess.run(["umount", "-l", str(disk)], check=False)


def test_a_killed_build_leaves_temporary_folders_the_next_build_removes(tmp_path: Path, tmpdir_short: Path):
    project = project_in(tmp_path / "p")
    env = env_for(tmpdir_short)
    root = Path(env["TMPDIR"]) / f"sopcode-{os.getuid()}"
    killed = []
    for _ in range(2):
        proc = subprocess.Popen([str(BIN / "mkdocs"), "build", "-q"], cwd=project, env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and proc.poll() is None and \
                not list(root.glob(f"chromium-{proc.pid}-*/profile/*")):
            time.sleep(0.02)
        time.sleep(0.3)  # the browser at work
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        killed.append(proc.pid)
        subprocess.run(["rm", "-rf", str(project / ".cache")], check=True)  # printed again next time
    left = temp_leftovers(tmpdir_short)
    assert {name.split("-")[1] for name in left} == {str(p) for p in killed}, left
    assert all(name.startswith(("sopcode-", "printing-", "chromium-")) for name in left), left
    assert not [p for p in Path(env["TMPDIR"]).iterdir() if p.name.startswith(("sop-", "org.chromium"))]

    # Within the hour a leftover is kept (it may be a live build's we cannot see: another container).
    assert mkdocs(project, env).returncode == 0
    assert sorted(temp_leftovers(tmpdir_short)) == sorted(left)
    hour_ago = time.time() - 3700
    for folder in root.iterdir():
        os.utime(folder, (hour_ago, hour_ago))
    built = mkdocs(project, env)
    assert built.returncode == 0, built.stderr
    assert temp_leftovers(tmpdir_short) == []


def test_a_live_builds_temporary_folder_is_never_removed(tmp_path: Path, monkeypatch, tmpdir_short: Path):
    import tempfile

    from sopcode.atomic import remove_stale, temp_root

    monkeypatch.setenv("TMPDIR", str(tmpdir_short))
    monkeypatch.setattr(tempfile, "tempdir", None)
    root = Path(temp_root())
    assert root.parent == tmpdir_short and root.stat().st_mode & 0o777 == 0o700
    live = root / f"printing-{os.getpid()}-hidup"
    gone = root / "printing-999999999-mati"
    for folder in (live, gone):
        folder.mkdir()
        os.utime(folder, (0, 0))
    assert remove_stale(str(root)) == [str(gone)]
    assert live.is_dir() and not gone.exists()


# --- 12. no browser; emoji -------------------------------------------------------------------

def test_no_chromium_says_how_to_build_without_pdfs(tmp_path: Path, tmpdir_short: Path):
    project = project_in(tmp_path / "p")
    bin_dir = tmp_path / "bin"  # every program of PATH but the browsers
    bin_dir.mkdir()
    for folder in os.environ["PATH"].split(os.pathsep):
        for program in Path(folder).glob("*") if Path(folder).is_dir() else ():
            if not program.name.startswith(("chromium", "google-chrome")) and not os.path.lexists(bin_dir / program.name):
                (bin_dir / program.name).symlink_to(program)
    built = mkdocs(project, env_for(tmpdir_short, PATH=str(bin_dir)))
    assert built.returncode == 1
    line = next(n for n, t in enumerate((project / "mkdocs.yml").read_text().splitlines(), 1)
                if re.match(r"\s*- sop:", t))
    assert "Chromium tidak ditemukan" in built.stderr and "apt-get install chromium" in built.stderr
    assert "`pdf: false`" in built.stderr and f"mkdocs.yml:{line}" in built.stderr, built.stderr
    assert "Traceback" not in built.stderr
    # As said: with `pdf: false` the site is built, without PDFs.
    config = project / "mkdocs.yml"
    config.write_text(config.read_text().replace("      data_dir: sop_data", "      data_dir: sop_data\n      pdf: false"))
    built = mkdocs(project, env_for(tmpdir_short, PATH=str(bin_dir)))
    assert built.returncode == 0, built.stderr
    assert (project / "site" / "sop" / SOP_ID / "index.html").is_file() and not (project / "site" / "pdf").exists()


def test_an_emoji_in_a_step_prints_as_a_glyph(tmp_path: Path, tmpdir_short: Path):
    project = project_in(tmp_path / "p")
    path = project / "sop_data" / f"{SOP_ID}.yaml"
    text = path.read_text(encoding="utf-8")
    text, n = re.subn(r"(?m)^(    kegiatan: )(Mengisi formulir)", r"\1Dengan 📄 dan ✅ \2", text, count=1)
    assert n == 1
    path.write_text(text, encoding="utf-8")
    built = mkdocs(project, env_for(tmpdir_short))
    assert built.returncode == 0, built.stderr
    pdf = project / "site" / "pdf" / f"{SOP_ID}.pdf"
    printed = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "📄" in printed and "✅" in printed  # drawn, in a font that has them (without one: nothing at all)
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    # Noto Color Emoji's glyphs are pictures: Chromium embeds them as a Type 3 font, the text's are TrueType.
    assert "Type 3" in fonts, fonts
    script = (ROOT / "scripts" / "install-system-deps.sh").read_text(encoding="utf-8")
    assert "fonts-noto-color-emoji" in script.split('if [ "$mode" = test ]')[0]  # a site's need, not the tests'
