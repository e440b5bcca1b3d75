"""The institution's logo: which file may become the picture of the site and of the printed sheets.

``logo:`` in ``_instansi.yaml`` names a file that is published as it is (the
site's ``assets/sop/logo.png``) and drawn on every sheet by the browser. So
only a picture is taken, and only one that is cheap to show:

* a file of the project (the folder of mkdocs.yml), reached without leaving
  it through a link, and not inside a hidden folder (``.git/``, ``.cache/``)
  nor hidden itself: ``logo: ../.git/config`` would publish the repository's
  settings, with any access token of a remote address;
* a PNG or a JPEG, known by its first bytes (never by its name): an SVG may
  carry a script and HTML is a page, both run on the site's own origin;
  an SVG is refused with the advice to export it to PNG (a sanitiser is a
  large attack surface for a small picture);
* at most :data:`MAX_BYTES` and :data:`MAX_SISI` pixels a side, read from the
  PNG's IHDR or the JPEG's SOF before anything decodes it (a 48 KB PNG of
  20,000 × 20,000 pixels took the browser 18 s and 4 GB).

A refused file is a :class:`Refusal` (its rule's code, the message, the fix);
how it is reported is decided by the rule, :mod:`sopcode.rules.logo`.
"""

from __future__ import annotations

import hashlib
import os
import stat
import struct
from dataclasses import dataclass

from sopcode.model.sop import Instansi

MAX_BYTES = 2_000_000
"""A logo is tens or hundreds of KB; 2 MB is a photograph, or a trap."""
MAX_SISI = 4096
"""Pixels a side. A logo prints about 2.5 cm high: 300 pixels are sharp at 300 dpi; 4096 × 4096
decodes to 64 MB, against 1.6 GB for the 20,000 × 20,000 PNG that took 18 s."""

_PNG = b"\x89PNG\r\n\x1a\n"
_JPEG_SOF = {0xC0, 0xC1, 0xC2}
"""Baseline, extended and progressive JPEG: what every browser shows (not lossless, arithmetic or 12-bit)."""


@dataclass(frozen=True)
class Logo:
    """An accepted logo: its bytes as read once (what is checked is what is published)."""

    data: bytes
    jenis: str
    """``png`` or ``jpeg``."""
    lebar: int
    tinggi: int

    @property
    def ext(self) -> str:
        """The published file's suffix, from the content: ``.png`` or ``.jpg``."""
        return ".png" if self.jenis == "png" else ".jpg"

    @property
    def digest(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


class Refusal(Exception):
    """Why a logo is not taken: its rule's code (``logo-…``), the message and the fix."""

    def __init__(self, code: str, message: str, hint: str):
        super().__init__(message)
        self.code, self.message, self.hint = code, message, hint


def accept(instansi: Instansi, folder: str) -> Logo | None:
    """The logo of ``_instansi.yaml`` (relative to the settings file naming it; ``folder``: where to
    look when that is not known), None when none is named;
    raises :class:`Refusal` when the file named is not taken."""
    return _baca(str(instansi.logo), instansi.logo_folder or folder) if instansi.logo else None


def read_logo(instansi: Instansi, folder: str) -> Logo | None:
    """The accepted logo's bytes as read once (what was checked is what is published), or None."""
    try:
        return accept(instansi, folder)
    except Refusal:
        return None


def baca_berkas(path: str) -> Logo | None:
    """A logo file given directly (a script's option): the same checks of content and size, no project."""
    try:
        return _periksa_isi(_baca_biasa(path, path), path)
    except Refusal:
        return None


def _baca(raw: str, folder: str) -> Logo:
    here = "simpan berkas logo (PNG atau JPEG) di folder sop_data/ lalu tulis namanya saja, " \
           "misalnya `logo: logo-purwakarta.png`"
    project = os.path.realpath(os.path.dirname(os.path.abspath(folder)))
    target = os.path.realpath(os.path.join(folder, raw))
    if os.path.isabs(raw) or os.path.commonpath([project, target]) != project:
        # Inside as written, outside once resolved: a symbolic link leads out.
        written, root = os.path.normpath(os.path.join(os.path.abspath(folder), raw)), os.path.dirname(os.path.abspath(folder))
        via = " (melalui tautan simbolik)" if not os.path.isabs(raw) and os.path.commonpath([root, written]) == root else ""
        raise Refusal("logo-di-luar", f"berkas logo '{raw}' berada di luar folder proyek{via}", here)
    parts = os.path.relpath(target, project).split(os.sep)
    hidden = [p for p in parts if p.startswith(".")]
    if hidden:
        what = "adalah berkas tersembunyi" if hidden[0] == parts[-1] else f"berada di folder tersembunyi '{hidden[0]}/'"
        raise Refusal("logo-tersembunyi",
                     f"berkas logo '{raw}' {what}; berkas tersembunyi dan isi folder tersembunyi (seperti .git/, "
                     "yang memuat pengaturan repositori) tidak pernah diterbitkan", here)
    return _periksa_isi(_baca_biasa(target, raw), raw)


def _baca_biasa(target: str, raw: str) -> bytes:
    """The bytes of a regular file, at most :data:`MAX_BYTES`; never waits on a pipe or a device."""
    missing = Refusal("logo-tak-ada", f"berkas logo '{raw}' tidak ada",
                     "periksa nama berkasnya (huruf besar-kecil dibedakan) dan letaknya: "
                     "relatif terhadap folder sop_data/")
    try:
        # O_NONBLOCK: a named pipe would otherwise block the build; O_NOFOLLOW: the path
        # was resolved already, a link put in its place since is not followed.
        fd = os.open(target, os.O_RDONLY | os.O_NONBLOCK | os.O_NOFOLLOW | os.O_CLOEXEC)
    except FileNotFoundError:
        raise missing from None
    except OSError as exc:
        raise Refusal("logo-tak-ada", f"berkas logo '{raw}' tidak dapat dibuka: {exc.strerror}",
                     "periksa izin baca berkas itu (`ls -l`)") from None
    try:
        st = os.fstat(fd)
        if stat.S_ISDIR(st.st_mode):
            raise Refusal("logo-tak-ada", f"'{raw}' adalah folder, bukan berkas gambar",
                         "tulis nama berkas logonya, misalnya `logo: logo-purwakarta.png`")
        if not stat.S_ISREG(st.st_mode):
            raise Refusal("logo-bukan-gambar", f"'{raw}' bukan berkas biasa (pipa bernama atau perangkat)",
                         "tulis nama berkas gambar logonya (PNG atau JPEG), misalnya `logo: logo-purwakarta.png`")
        if st.st_size > MAX_BYTES:
            raise _besar(raw, f"{st.st_size / 1e6:.1f} MB", f"paling besar {MAX_BYTES // 1_000_000} MB")
        with os.fdopen(os.dup(fd), "rb") as fh:
            data = fh.read(MAX_BYTES + 1)
    except OSError as exc:
        raise Refusal("logo-tak-ada", f"berkas logo '{raw}' tidak dapat dibaca: {exc.strerror}",
                     "periksa izin baca berkas itu (`ls -l`)") from None
    finally:
        os.close(fd)
    if len(data) > MAX_BYTES:  # grew while read
        raise _besar(raw, f"lebih dari {MAX_BYTES // 1_000_000} MB", f"paling besar {MAX_BYTES // 1_000_000} MB")
    return data


def _besar(raw: str, ukuran: str, batas: str) -> Refusal:
    return Refusal("logo-terlalu-besar", f"berkas logo '{raw}' terlalu besar: {ukuran} ({batas})",
                  "perkecil gambarnya dengan aplikasi pengolah gambar: sisi terpanjang sekitar 1000 piksel "
                  "sudah tajam di lembar cetak, lalu simpan sebagai PNG")


def _periksa_isi(data: bytes, raw: str) -> Logo:
    """PNG or JPEG by its first bytes, with its size read from its header (nothing is decoded)."""
    if data.startswith(_PNG):
        if len(data) < 33 or data[8:16] != b"\x00\x00\x00\x0dIHDR":
            raise _rusak(raw, "PNG")
        width, height = struct.unpack_from(">II", data, 16)
        jenis = "png"
    elif data.startswith(b"\xff\xd8\xff"):
        width, height = _jpeg_size(data, raw)
        jenis = "jpeg"
    else:
        raise _bukan_gambar(data, raw)
    if not width or not height:
        raise _rusak(raw, jenis.upper())
    if width > MAX_SISI or height > MAX_SISI:
        raise _besar(raw, f"{width} × {height} piksel", f"paling besar {MAX_SISI} piksel setiap sisi")
    return Logo(data, jenis, width, height)


def _jpeg_size(data: bytes, raw: str) -> tuple[int, int]:
    """Width and height from the JPEG's frame header (SOF), walking the segments before it."""
    i = 2
    while i + 4 <= len(data):
        if data[i] != 0xFF:
            break
        marker = data[i + 1]
        if marker == 0xFF:  # fill byte
            i += 1
            continue
        if marker == 0x01 or 0xD0 <= marker <= 0xD7:  # no length
            i += 2
            continue
        if marker in (0xD9, 0xDA):  # the image data (or its end) before any frame header
            break
        length = struct.unpack_from(">H", data, i + 2)[0]
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            if marker not in _JPEG_SOF:
                raise Refusal("logo-bukan-gambar",
                             f"berkas logo '{raw}' adalah JPEG jenis yang tidak dapat ditampilkan peramban "
                             "(lossless, aritmetika, atau 12-bit)",
                             "simpan ulang logonya sebagai PNG, lalu tulis `logo: <nama>.png`")
            if i + 9 > len(data):
                break
            height, width = struct.unpack_from(">HH", data, i + 5)
            return width, height
        if length < 2:
            break
        i += 2 + length
    raise _rusak(raw, "JPEG")


def _rusak(raw: str, jenis: str) -> Refusal:
    return Refusal("logo-bukan-gambar", f"berkas logo '{raw}' berawal seperti {jenis} tetapi rusak atau terpotong",
                  "ekspor ulang logonya sebagai PNG dari aplikasi pengolah gambar")


_LAIN = ((b"GIF87a", "GIF"), (b"GIF89a", "GIF"), (b"BM", "BMP"), (b"%PDF", "PDF"), (b"II*\x00", "TIFF"),
         (b"MM\x00*", "TIFF"), (b"\x00\x00\x01\x00", "ikon ICO"), (b"PK\x03\x04", "arsip ZIP atau dokumen Office"))


def _bukan_gambar(data: bytes, raw: str) -> Refusal:
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    export = "ekspor logonya ke PNG (misalnya di Inkscape: File > Export, atau " \
             "`rsvg-convert -w 1000 logo.svg -o logo.png`), lalu tulis `logo: logo.png`"
    if b"<svg" in head:
        return Refusal("logo-bukan-gambar",
                      f"berkas logo '{raw}' berupa SVG; SVG dapat memuat skrip yang berjalan di situs, "
                      "jadi hanya PNG atau JPEG yang diterima", export)
    if head.startswith((b"<!doctype html", b"<html")) or b"<script" in head or b"<html" in head:
        return Refusal("logo-bukan-gambar", f"berkas logo '{raw}' berupa halaman HTML, bukan gambar",
                      "gunakan berkas gambar PNG atau JPEG sebagai logo")
    kind: str | None
    if data[8:12] == b"WEBP" and data.startswith(b"RIFF"):
        kind = "WebP"
    else:
        kind = next((name for magic, name in _LAIN if data.startswith(magic)), None)
    said = f"berupa {kind}" if kind else "bukan gambar PNG atau JPEG (dikenali dari isinya, bukan dari namanya)"
    return Refusal("logo-bukan-gambar", f"berkas logo '{raw}' {said}; hanya PNG atau JPEG yang diterima",
                  "simpan atau ekspor logonya sebagai PNG dari aplikasi pengolah gambar, lalu tulis "
                  "`logo: <nama>.png`")
