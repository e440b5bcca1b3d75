"""Binding: per-SOP PDFs cut from what Chromium printed, and the binder assembled from them.

:func:`finish` writes what Chromium printed anew, to depend on its document only, with its
title, outline and tags (:class:`~sopcode.sheets.Printer` prints each SOP as a document of
its own). The binder is not printed again: :func:`bind` puts the cover and
contents in front of the SOPs' own PDFs, stamps the binder's running page number
where the sheets leave room for it (the left of the footer) and adds an outline. Changing one SOP then re-prints
that SOP's sheets only; the binder is reassembled in seconds.

Every SOP's PDF is tagged: Chromium writes the structure of the sheet (tables as Table, TR, TH
and TD, headings, lists, the chart as a Figure with its text alternative), and :func:`finish`
keeps it, so a screen reader reads each SOP as a web page, in Indonesian (``/Lang id-ID``). The
binder is not: its pages come without their parts' structure trees. A tree costs about 190
objects a page, which qpdf holds in memory until the binder is written (measured on 3,002 pages:
1,443 MB and 9.7 s tagged against 186 MB and 1.7 s without; ``scripts/binder_memory.py``), and
the whole government's binder has some 15,000 pages.

Pages keep their own size: the whole government's binder holds an F4 kecamatan's sheets and an A4
dinas's one after the other (a PDF gives each page its own MediaBox; a printer takes each page's
paper in turn), and the page number is placed from each page's own bottom edge.

The page number is drawn with Liberation Sans, the sheets' own face, embedded
once for the whole binder. Its baseline is computed the way the browser places
the footer's text (line box at the sheet's bottom edge, half-leading above and
below), so the number sits on the line of "Halaman x dari y".
"""

from __future__ import annotations

import errno
import functools
import hashlib
import io
import os
import shutil
import struct
import subprocess
from dataclasses import dataclass
from typing import overload

import pikepdf
from pikepdf import Array, Dictionary, Name, OutlineItem

from sopcode.atomic import atomic_path
from sopcode.sheets.chromium import PrintError

FONT_PT = 7.5
"""Size of the footer's text (``.kaki`` in sheet.css)."""
LINE_HEIGHT = 1.25
"""``line-height`` of the sheets (sheet.css)."""
FONT_FAMILY = "Liberation Sans:style=Regular"
FONT_FILE = "/usr/share/fonts/truetype/liberation2/LiberationSans-Regular.ttf"
PX = 0.75
"""Points per CSS pixel."""


@dataclass(frozen=True)
class SopPart:
    """One SOP's part of a batch: its page count and the title and outline of its own PDF."""

    pages: int
    title: str
    outline: tuple[tuple[str, int], ...] = ()
    """Outline of the SOP's PDF: (label, page index)."""


@overload
def _save(pdf: pikepdf.Pdf, path: None = None) -> bytes: ...
@overload
def _save(pdf: pikepdf.Pdf, path: str) -> None: ...
def _save(pdf: pikepdf.Pdf, path: str | None = None) -> bytes | None:
    """The PDF's bytes, or written to ``path`` whole or not at all (a binder is large: no copy in memory).

    qpdf never writes a file itself: given a file name (or a plain file) it writes to the
    descriptor in C++, and a full disk there was measured to end the whole process
    (``terminate called after throwing an instance of 'QPDFSystemError'``) and to leave a
    ``.pikepdf..tmp-`` file behind. It writes into :class:`_Buffer` instead, which keeps
    the first error of the file and raises it once qpdf is done.
    """
    # Same input, same bytes: caches and the site's files stay stable from build to build.
    options = {"deterministic_id": True, "compress_streams": True, "object_stream_mode": pikepdf.ObjectStreamMode.generate}
    if path is None:
        out = io.BytesIO()
        pdf.save(out, **options)
        return out.getvalue()
    with atomic_path(path) as tmp, open(tmp, "wb", buffering=0) as raw:
        sink = _Buffer(raw)
        pdf.save(sink, **options)  # type: ignore[arg-type]  # any writable, seekable stream will do; the stub asks for a BinaryIO
        sink.finish()
    return None


class _Buffer(io.RawIOBase):
    """A file for qpdf to write to that never raises into it: the first error waits for :meth:`selesai`.

    After an error, writes are counted and dropped (qpdf finishes its work on nothing), so no
    exception ever crosses qpdf's C++ code (one that did, even Ctrl-C, would abort the process).
    Writes are gathered into 1 MB pieces: qpdf writes many small pieces.
    """

    PIECE = 1 << 20

    def __init__(self, raw: io.RawIOBase):
        self.raw = raw
        self.error: BaseException | None = None
        self.buffer = bytearray()
        self.position = 0

    def writable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self.position

    def seek(self, offset: int, whence: int = 0) -> int:
        # qpdf only asks where it is; a real move would need the buffer written first.
        if (offset, whence) not in ((0, 1), (self.position, 0)):
            self._flush()
            try:
                self.position = self.raw.seek(offset, whence)
            except BaseException as exc:  # noqa: BLE001 - kept, raised by finish()
                self.error = self.error or exc
        return self.position

    def write(self, data) -> int:
        n = len(data)
        self.position += n
        if self.error is None:
            try:
                self.buffer += data
            except BaseException as exc:  # noqa: BLE001 - kept, raised by finish()
                self.error = exc
            if len(self.buffer) >= self.PIECE:
                self._flush()
        return n

    def flush(self) -> None:
        self._flush()

    def _flush(self) -> None:
        if self.error is None and self.buffer:
            data = bytes(self.buffer)
            self.buffer.clear()
            try:
                done = 0
                while done < len(data):
                    n = self.raw.write(data[done:] if done else data)
                    if not n:
                        raise OSError(errno.EIO, os.strerror(errno.EIO))
                    done += n
            except BaseException as exc:  # noqa: BLE001 - kept, raised by finish()
                self.error = exc

    def finish(self) -> None:
        """Write what is left, then raise the first error of the writing, if any."""
        self._flush()
        if self.error is not None:
            raise self.error


def _outline(pdf: pikepdf.Pdf, items: list[tuple[str, int]], nested: frozenset[int] = frozenset()) -> None:
    """The outline: (title, page index) each; an item whose position is in ``nested`` goes under
    the last item before it that is not (an SOP under its institution in the whole government's binder)."""
    # Destinations point at the page objects, found in one pass: an item given a page number
    # looks that page up from the start of the document (measured: 48 s for 5,000 SOPs).
    wanted = {page for _, page in items}
    objects = {i: page.obj for i, page in enumerate(pdf.pages) if i in wanted}
    with pdf.open_outline() as outline:
        parent: OutlineItem | None = None
        for k, (title, page) in enumerate(items):
            item = OutlineItem(title, Array([objects[page], Name.Fit]))
            if k in nested and parent is not None:
                parent.children.append(item)
            else:
                outline.root.append(item)
                parent = item


def finish(data: bytes, part: SopPart | None = None) -> bytes:
    """A document Chromium printed, written anew to depend on its content only, its tags kept.

    Chromium stamps the time of printing in the PDF and names the structure elements it
    tags by counters that run on from the documents printed before in the same tab; the
    copy holds the pages, the structure tree with its identifiers renumbered in document
    order (:func:`_name_ids`), the title and (``part``) the outline. Without ``part``
    (a binder's cover and contents), the title is the one Chromium gave it.
    """
    with pikepdf.open(io.BytesIO(data)) as src:
        if part is not None and len(src.pages) != part.pages:
            raise PrintError(f"Chromium mencetak {len(src.pages)} halaman, seharusnya {part.pages}: "
                             "ada lembar yang terpotong ke halaman berikutnya")
        title = part.title if part is not None else str(src.docinfo.get(Name.Title, ""))
        if Name.StructTreeRoot in src.Root:
            _name_ids(src.Root.StructTreeRoot, "id")
        pdf = pikepdf.new()
        pdf.pages.extend(src.pages)
        tree = src.Root.get(Name.StructTreeRoot)
        if tree is not None:
            _hang(pdf, pdf.copy_foreign(tree))
        _language(pdf)
        pdf.docinfo[Name.Title] = title
        pdf.docinfo[Name.Creator] = "sopcode"
        if part is not None and part.outline:
            _outline(pdf, list(part.outline))
        return _save(pdf)


# --- the structure tree ------------------------------------------------------------------------

LANG = "id-ID"
"""The documents' language (Indonesian, as spoken in Indonesia)."""

ROLES = {"/Strong": "/Span", "/Em": "/Span", "/Sub": "/Span", "/Title": "/H", "/Aside": "/Div",
         "/FENote": "/Note", "/DocumentFragment": "/Div"}
"""PDF 2.0 structure types Chromium writes into its PDF 1.4, as the PDF 1.7 types a reader of
that version knows (Poppler reports ``StructElem object is wrong type (Strong)`` without)."""


def _elements(tree: pikepdf.Object) -> list[pikepdf.Object]:
    """Every structure element under a StructTreeRoot, in document order."""
    out: list[pikepdf.Object] = []
    top = tree.get(Name.K)
    stack = [top] if top is not None else []
    while stack:
        here = stack.pop()
        if isinstance(here, Array):
            stack.extend(reversed(list(here)))
        elif isinstance(here, Dictionary) and Name.S in here:
            out.append(here)
            kids = here.get(Name.K)
            if kids is not None:
                stack.append(kids)
    return out


def _name_ids(tree: pikepdf.Object, prefix: str) -> None:
    """Rename the structure identifiers under a StructTreeRoot (``/ID``, the table cells' ``/Headers``,
    the IDTree) ``<prefix>.<n>``, n counting the elements that have one in document order."""
    elements = _elements(tree)
    names: dict[str, str] = {}
    for element in elements:
        if Name.ID in element:
            names[str(element.ID)] = new = f"{prefix}.{len(names) + 1}"
            element.ID = pikepdf.String(new)
    if not names:
        return
    for element in elements:
        attributes = element.get(Name.A)
        for owned in (attributes if isinstance(attributes, Array) else [attributes]):
            headers = owned.get(Name.Headers) if isinstance(owned, Dictionary) else None
            if owned is not None and headers is not None:
                owned.Headers = Array([pikepdf.String(names[str(h)]) for h in headers if str(h) in names])
    tree.IDTree = Dictionary(Names=Array([v for e in elements if Name.ID in e for v in (e.ID, e)]))


def _hang(pdf: pikepdf.Pdf, tree: pikepdf.Object) -> None:
    """Hang a structure tree copied with the document's pages (its elements' ``/Pg`` are those
    pages, qpdf maps the objects of one source once) on the catalog, PDF 2.0 roles mapped."""
    roles = dict(tree.get(Name.RoleMap, Dictionary()).items())
    for role, standard in ROLES.items():
        roles.setdefault(role, Name(standard))
    tree.RoleMap = Dictionary(dict(sorted(roles.items())))
    top = tree.get(Name.K)
    for element in (top if isinstance(top, Array) else [top] if top is not None else []):
        if isinstance(element, Dictionary) and Name.Lang in element:
            element.Lang = pikepdf.String(LANG)
    pdf.Root.StructTreeRoot = tree
    pdf.Root.MarkInfo = Dictionary(Marked=True)


def _language(pdf: pikepdf.Pdf) -> None:
    """The document's language, and its title shown rather than its file name."""
    pdf.Root.Lang = pikepdf.String(LANG)
    pdf.Root.ViewerPreferences = Dictionary(DisplayDocTitle=True)


@dataclass(frozen=True)
class BinderEntry:
    """One SOP of the binder: its PDF (bytes, or the path of a file holding them), the outline
    title, and the binder page its first sheet is on."""

    pdf: bytes | str
    title: str
    first_page: int
    group: bool = False
    """An institution's own cover and contents in the whole government's binder: numbered when
    printed (its cover not at all), not stamped; the entries after it, up to the next group, go
    under it in the outline."""


def bind(front: bytes, entries: list[BinderEntry], *, title: str, margin_left_mm: float, margin_bottom_mm: float,
         front_outline: tuple[tuple[str, int], ...] = (), target: str | None = None) -> bytes | None:
    """The binder: ``front`` (cover and contents, numbered already), then every SOP, numbered on.

    Returns its bytes, or writes it to ``target`` (atomically) and returns None. The SOPs' PDFs
    are tagged, the binder is not (see the module's docstring): their pages are taken without
    their keys into a structure tree (``/StructParents``), which would point at nothing.
    """
    book = pikepdf.new()
    # Each source is closed as soon as its pages are in: the copies keep what qpdf reads their
    # streams from when the binder is written, not the whole parsed file (measured: 100 KB per
    # open file, 100 MB for 1,000 SOPs, 500 MB for 5,000).
    with pikepdf.open(io.BytesIO(front)) as src:
        n_front = _add_untagged(book, src)
    font = _font(book)
    x = round(margin_left_mm * 72 / 25.4 / PX) * PX  # whole CSS pixels, as the browser places it
    above_bottom = margin_bottom_mm * 72 / 25.4 + _baseline_from_bottom()
    count = n_front
    unstamped: set[int] = set()
    for entry in entries:
        if count + 1 != entry.first_page:
            raise PrintError(f"buku: '{entry.title}' mulai di halaman {count + 1}, daftar isi menyebut {entry.first_page}")
        # A file is read as needed by qpdf; bytes would be held whole, a second time.
        with pikepdf.open(entry.pdf if isinstance(entry.pdf, str) else io.BytesIO(entry.pdf)) as src:
            # Counted here: asking the binder its length after each addition walks its whole page
            # tree every time (measured: 40 s for 14,000 pages, against a few seconds).
            added = _add_untagged(book, src)
            if entry.group:
                unstamped.update(range(count, count + added))
            count += added
    for index, page in enumerate(book.pages):
        if index < n_front or index in unstamped:
            continue
        height = float(page.mediabox[3]) - float(page.mediabox[1])
        # The browser puts a baseline on a whole CSS pixel too, counted from the top of the paper.
        y = height - round((height - above_bottom) / PX) * PX
        _stamp(book, page, font, str(index + 1), x, y)
    _language(book)
    book.docinfo[Name.Title] = title
    book.docinfo[Name.Creator] = "sopcode"
    grouped = any(e.group for e in entries)
    nested = frozenset(len(front_outline) + k for k, e in enumerate(entries) if grouped and not e.group)
    _outline(book, [*front_outline, *((e.title, e.first_page - 1) for e in entries)], nested)
    return _save(book, target)


def _add_untagged(book: pikepdf.Pdf, src: pikepdf.Pdf) -> int:
    """Copy ``src``'s pages to the end of ``book`` without their keys into ``src``'s structure tree
    (the page's ``/StructParents``, its annotations' ``/StructParent``); returns how many."""
    pages = list(src.pages)
    for page in pages:
        obj = page.obj
        if Name.StructParents in obj:
            del obj[Name.StructParents]
        for annot in obj.get(Name.Annots, ()):
            if isinstance(annot, Dictionary) and Name.StructParent in annot:
                del annot[Name.StructParent]
    book.pages.extend(pages)
    return len(pages)


def _stamp(book: pikepdf.Pdf, page: pikepdf.Page, font: pikepdf.Object, text: str, x: float, y: float) -> None:
    """Write ``text`` (digits) at (x, y) pt on ``page``, outside whatever state its own drawing leaves."""
    resources = page.obj.get(Name.Resources)
    if resources is None:
        resources = page.obj[Name.Resources] = Dictionary()
    fonts = resources.get(Name.Font)
    if fonts is None:
        fonts = resources[Name.Font] = Dictionary()
    fonts[Name("/FNomorBuku")] = font
    page.contents_add(pikepdf.Stream(book, b"q\n"), prepend=True)
    page.contents_add(pikepdf.Stream(
        book, f"Q\nq BT /FNomorBuku {FONT_PT:g} Tf 0 g 1 0 0 1 {x:.3f} {y:.3f} Tm ({text}) Tj ET Q\n".encode()))


# --- the font --------------------------------------------------------------------------------

@functools.lru_cache(maxsize=1)
def _font_file() -> tuple[bytes, dict]:
    path = FONT_FILE if os.path.isfile(FONT_FILE) else None  # where fonts-liberation2 puts it
    if path is None and shutil.which("fc-match"):
        found = subprocess.run(["fc-match", "-f", "%{file}", FONT_FAMILY], capture_output=True, text=True)
        path = found.stdout.strip() or None
    if not path or "LiberationSans-Regular" not in path:
        raise PrintError("huruf Liberation Sans tidak ditemukan; pasang paket fonts-liberation2 "
                         "(scripts/install-system-deps.sh)")
    with open(path, "rb") as fh:
        data = fh.read()
    return data, _metrics(data)


def font_digest() -> str:
    """The page numbers' font as it is embedded (a binder's cache key holds it)."""
    return hashlib.sha256(_font_file()[0]).hexdigest()


def _metrics(data: bytes) -> dict:
    """What a PDF needs of a TrueType font to show digits: scale, widths of 0-9, ascent, descent, box."""
    n_tables = struct.unpack_from(">H", data, 4)[0]
    tables = {}
    for i in range(n_tables):
        tag, _, offset, _length = struct.unpack_from(">4sIII", data, 12 + 16 * i)
        tables[tag.decode("latin-1")] = offset
    head, hhea, hmtx, cmap = tables["head"], tables["hhea"], tables["hmtx"], tables["cmap"]
    units = struct.unpack_from(">H", data, head + 18)[0]
    bbox = struct.unpack_from(">hhhh", data, head + 36)
    ascender, descender = struct.unpack_from(">hh", data, hhea + 4)
    n_metrics = struct.unpack_from(">H", data, hhea + 34)[0]

    def glyph(char: int) -> int:
        n_sub = struct.unpack_from(">H", data, cmap + 2)[0]
        for i in range(n_sub):
            platform, encoding, offset = struct.unpack_from(">HHI", data, cmap + 4 + 8 * i)
            sub = cmap + offset
            if platform == 3 and encoding == 1 and struct.unpack_from(">H", data, sub)[0] == 4:
                seg = struct.unpack_from(">H", data, sub + 6)[0] // 2
                ends = sub + 14
                starts = ends + 2 * seg + 2
                deltas = starts + 2 * seg
                ranges = deltas + 2 * seg
                for k in range(seg):
                    end, start = struct.unpack_from(">HH", data, ends + 2 * k)[0], \
                        struct.unpack_from(">H", data, starts + 2 * k)[0]
                    if start <= char <= end:
                        delta = struct.unpack_from(">h", data, deltas + 2 * k)[0]
                        rng = struct.unpack_from(">H", data, ranges + 2 * k)[0]
                        if rng == 0:
                            return (char + delta) & 0xFFFF
                        g = struct.unpack_from(">H", data, ranges + 2 * k + rng + 2 * (char - start))[0]
                        return (g + delta) & 0xFFFF if g else 0
        raise PrintError("huruf Liberation Sans tanpa tabel cmap Unicode")

    def advance(g: int) -> int:
        return struct.unpack_from(">H", data, hmtx + 4 * min(g, n_metrics - 1))[0]

    scale = 1000 / units
    return {"widths": [round(advance(glyph(c)) * scale) for c in range(48, 58)],
            "ascent": ascender / units, "descent": -descender / units,
            "bbox": [round(v * scale) for v in bbox]}


def _baseline_from_bottom() -> float:
    """Height of the footer's baseline above the sheet's bottom edge (pt), as the browser places it.

    The footer's line box sits on the sheet's bottom edge; the text's content
    area (ascent + descent) is centred in the line box, so the baseline is the
    half-leading plus the descent above that edge.
    """
    metrics = _font_file()[1]
    content = (metrics["ascent"] + metrics["descent"]) * FONT_PT
    return (FONT_PT * LINE_HEIGHT - content) / 2 + metrics["descent"] * FONT_PT


def _font(book: pikepdf.Pdf) -> pikepdf.Object:
    data, m = _font_file()
    descriptor = book.make_indirect(Dictionary(
        Type=Name.FontDescriptor, FontName=Name("/LiberationSans"), Flags=32,
        FontBBox=Array(m["bbox"]), ItalicAngle=0, Ascent=round(m["ascent"] * 1000),
        Descent=-round(m["descent"] * 1000), CapHeight=round(m["ascent"] * 800), StemV=80,
        FontFile2=book.make_stream(data, Length1=len(data))))
    return book.make_indirect(Dictionary(
        Type=Name.Font, Subtype=Name.TrueType, BaseFont=Name("/LiberationSans"), FirstChar=48, LastChar=57,
        Widths=Array(m["widths"]), Encoding=Name.WinAnsiEncoding, FontDescriptor=descriptor))
