"""Bytes of a file → one YAML node tree, keeping each value's line and column.

Reading never raises on bad input: it returns the tree (or ``None``) with a
diagnostic. The file is read bounded (no device, pipe or huge file), decoded
as UTF-8, only *composed* by YAML (never constructed, so no Python object can
be created from a file and the text of every scalar is kept as written), and
refused when it holds hidden characters or grows past a bound through aliases.
"""

from __future__ import annotations

import errno
import os
import re
import stat

import yaml

from sopcode.diagnostics import Diagnostic, Loc, galat, peringatan, safe_text
from sopcode.model.schema import Ctx
from sopcode.text import short, thousands

MAX_BYTES = 1_000_000
"""A real SOP is a few KB; anything near a megabyte is a mistake or an attack."""

_BASE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_NULLS = frozenset(("", "~", "null", "Null", "NULL"))


class _FastResolve:
    def resolve(self, kind, value, implicit):
        if kind is yaml.ScalarNode and implicit[0]:
            return "tag:yaml.org,2002:null" if value in _NULLS else "tag:yaml.org,2002:str"
        return super().resolve(kind, value, implicit)  # type: ignore[misc]


class _PY_LOADER(_FastResolve, yaml.SafeLoader):
    """The pure-Python loader: slower, but its error messages are the ones translated below."""


class _LOADER(_FastResolve, _BASE_LOADER):  # type: ignore[misc, valid-type]
    """PyYAML's safe loader, in C (libyaml) when the wheel has it, with a quicker tag resolver.

    The model reads every scalar from its text as written (dates, numbers,
    times are parsed by :mod:`sopcode.model.schema`), so a plain scalar only needs to be told
    apart from null; PyYAML's regex table for ints, floats, booleans and
    timestamps cost a third of the loading time. Explicit tags (``!!python``)
    keep their tag, and are refused by the spec.
    """


def _compose(text: str) -> yaml.Node | None:
    try:
        return yaml.compose(text, Loader=_LOADER)
    except yaml.YAMLError:
        if _BASE_LOADER is yaml.SafeLoader:  # no libyaml: this already was the pure-Python parser
            raise
        # A broken file: ask the pure-Python parser, whose messages say more (and are translated).
        return yaml.compose(text, Loader=_PY_LOADER)

_ALIAS = re.compile(r"(?:^|[\s\[{,:-])\*[^\s\]},]")
"""Something that may be an alias (``*name`` where a value starts): a wider net than YAML's own."""

MAX_NODES = 100_000
"""Values in one file after aliases are expanded: refuses "billion laughs"."""

class NotRead(Exception):
    """A file that is not read, and why (a diagnostic at the file)."""

    def __init__(self, diagnostic: Diagnostic):
        super().__init__(diagnostic.message)
        self.diagnostic = diagnostic


_OS_ERRORS = {
    errno.ENOENT: ("berkas tidak ada", "periksa nama berkasnya (huruf besar-kecil dibedakan) dan letaknya"),
    errno.EACCES: ("tidak ada izin membaca berkas ini",
                   "beri izin baca (`chmod a+r <berkas>`) atau periksa pemilik berkasnya (`ls -l`)"),
    errno.EPERM: ("tidak ada izin membaca berkas ini",
                  "beri izin baca (`chmod a+r <berkas>`) atau periksa pemilik berkasnya (`ls -l`)"),
    errno.EISDIR: ("ini folder, bukan berkas", "berikan nama berkas SOP (.yaml) atau folder datanya"),
    errno.ENOTDIR: ("salah satu bagian jalurnya bukan folder", "periksa jalur berkasnya"),
    errno.ENAMETOOLONG: ("nama berkas atau jalurnya terlalu panjang", "perpendek nama berkas atau nama foldernya"),
    errno.ELOOP: ("tautan simbolik berputar (menunjuk dirinya sendiri) atau bertingkat terlalu dalam",
                  "perbaiki atau hapus tautan simbolik itu"),
    errno.EIO: ("galat baca pada media penyimpanan (disk rusak atau terputus)",
                "salin berkasnya dari cadangan, atau periksa disknya"),
}


def os_error_text(exc: OSError) -> tuple[str, str]:
    """An OS error in Indonesian: what happened, and the fix (``exc.strerror`` is English)."""
    if exc.errno in _OS_ERRORS:
        return _OS_ERRORS[exc.errno]
    name = errno.errorcode.get(exc.errno or 0, str(exc.errno))
    return f"galat sistem {name} ({exc.strerror or exc})", "periksa nama dan hak akses berkas"


def unreadable(path: str, exc: OSError) -> Diagnostic:
    what, fix = os_error_text(exc)
    return galat(Loc(path), "berkas-tak-terbaca", f"berkas tidak dapat dibaca: {what}", fix)


def _too_large(path: str, size: int) -> Diagnostic:
    return galat(Loc(path), "berkas-terlalu-besar",
                 f"berkas berukuran {thousands(size)} bita, melebihi batas {thousands(MAX_BYTES)} bita",
                 "satu SOP cukup beberapa kilobita; periksa apakah isinya benar")


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "pipa bernama (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "berkas perangkat"
    if stat.S_ISSOCK(mode):
        return "soket"
    if stat.S_ISDIR(mode):
        return "folder"
    return "berkas khusus"


def not_regular(path: str, mode: int) -> Diagnostic:
    return peringatan(Loc(path), "bukan-berkas-biasa",
                      f"'{os.path.basename(path)}' berupa {_kind(mode)}, bukan berkas teks; tidak dibaca dan dilewati",
                      "hapus berkas itu, atau ganti dengan berkas SOP biasa (.yaml)")


def read_bounded(path: str) -> bytes:
    """The bytes of a regular file, at most :data:`MAX_BYTES` + 1; raises :class:`NotRead`.

    A device (``/dev/zero``) has no end and a named pipe blocks whoever opens it: the file is
    opened without waiting (``O_NONBLOCK``) and read only when it is a regular file, and never
    more than one byte past the limit (a file that grows while read is still bounded).
    """
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise NotRead(unreadable(path, exc)) from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise NotRead(not_regular(path, st.st_mode))
        if st.st_size > MAX_BYTES:
            raise NotRead(_too_large(path, st.st_size))
        chunks, size = [], 0
        while size <= MAX_BYTES:
            chunk = os.read(fd, MAX_BYTES + 1 - size)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except OSError as exc:
        raise NotRead(unreadable(path, exc)) from None
    finally:
        os.close(fd)
    return b"".join(chunks)


def read_yaml(path: str, ctx: Ctx, data: bytes | None = None) -> yaml.Node | None:
    """Bytes (the file's, or ``data`` such as an old revision from git) → one YAML node tree,
    or ``None`` with a diagnostic in ``ctx``."""
    if data is None:
        try:
            data = read_bounded(path)
        except NotRead as no:
            ctx.diagnostics.append(no.diagnostic)
            return None
    if len(data) > MAX_BYTES:
        ctx.diagnostics.append(_too_large(path, len(data)))
        return None
    text = decode(data, path, ctx)
    if text is None:
        return None
    try:
        node = _compose(text)
    except yaml.MarkedYAMLError as exc:
        ctx.diagnostics.append(yaml_error(exc, path, text))
        return None
    except yaml.reader.ReaderError as exc:  # a control character, often pasted in from another program
        line = text.count("\n", 0, exc.position) + 1
        col = exc.position - (text.rfind("\n", 0, exc.position) + 1) + 1
        ctx.diagnostics.append(galat(
            Loc(path, line, col), "karakter-kendali",
            f"karakter tak terlihat U+{exc.character:04X} tidak boleh ada dalam berkas SOP",
            "hapus karakter itu (sering ikut terbawa saat menempel teks dari aplikasi lain); "
            "editor dengan tampilan karakter tersembunyi menunjukkannya"))
        return None
    except yaml.YAMLError as exc:  # unmarked errors (rare): still no traceback
        problem = " ".join(str(exc).split())
        ctx.diagnostics.append(galat(Loc(path), "yaml-sintaks", f"YAML tidak sah: {problem}",
                                     "periksa susunan berkas"))
        return None
    except RecursionError:
        ctx.diagnostics.append(galat(Loc(path), "yaml-sintaks", "susunan YAML bersarang terlalu dalam",
                                     "berkas SOP hanya perlu beberapa tingkat indentasi"))
        return None
    if node is None:
        ctx.diagnostics.append(galat(Loc(path), "wajib-diisi", "berkas kosong",
                                     "isi berkas dengan SOP; `sop new \"Nama SOP\"` membuat contohnya"))
        return None
    try:
        # Only a file with an alias (*name) can grow when expanded: the others skip the count.
        size = expanded_size(node, {}) if ("*" in text and _ALIAS.search(text)) else 0
    except RecursionError:
        size = MAX_NODES + 1
    if size > MAX_NODES:
        ctx.diagnostics.append(galat(
            Loc(path), "yaml-terlalu-besar",
            f"berkas menjadi lebih dari {thousands(MAX_NODES)} nilai setelah alias (*) dan anchor (&) dijabarkan",
            "tulis isinya langsung tanpa alias YAML; berkas SOP biasa tidak membutuhkannya"))
        return None
    found = _hidden_character(node)
    if found is not None:
        ctx.diagnostics.append(_hidden_diagnostic(path, *found))
        return None
    return node


_HIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff\u202a-\u202e\u2066-\u2069]")
"""What no value may hold, however written: controls but tab and newline (a raw one is refused by
the YAML reader, but ``"\\x1b"``, ``"\\e[2K"``, ``"\\u0085"`` write them as escapes), surrogates
(``"\\uD800"``: no UTF-8 text can hold one; a page, a PDF or a terminal fails on it) and the
non-characters U+FFFE and U+FFFF; and the controls that reorder how text is shown (U+202A–U+202E,
U+2066–U+2069), raw or escaped, with which a page or a message can show other text than the file holds."""


def _hidden_character(root: yaml.Node) -> tuple[yaml.Node, str] | None:
    """The first scalar (keys too) holding a character of :data:`_HIDDEN`, and that text; one pass
    over the composed tree, each node once (aliases are not expanded)."""
    seen: set[int] = set()
    todo = [root]
    while todo:
        node = todo.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, yaml.ScalarNode):
            m = _HIDDEN.search(node.value)
            if m:
                return node, node.value[m.start():m.start() + 2]
        elif isinstance(node, yaml.MappingNode):
            for key, value in reversed(node.value):
                todo += (value, key)
        elif isinstance(node, yaml.SequenceNode):
            todo += reversed(node.value)
    return None


def _hidden_diagnostic(path: str, node: yaml.Node, found: str) -> Diagnostic:
    mark = node.start_mark
    loc = Loc(path, mark.line + 1, mark.column + 1)
    c = found[0]
    if "\ud800" <= c <= "\udfff":
        pair = found if len(found) == 2 and c <= "\udbff" and "\udc00" <= found[1] <= "\udfff" else ""
        real = pair.encode("utf-16-le", "surrogatepass").decode("utf-16-le") if pair else ""
        return galat(
            loc, "karakter-kendali",
            (f"teks ini berisi escape {safe_text(pair)}: sepasang surrogate UTF-16, yang dalam YAML "
             "tidak menjadi satu karakter" if pair else
             f"teks ini berisi escape {safe_text(c)}: separuh surrogate UTF-16, bukan karakter"),
            (f"tulis karakternya langsung ({real}) atau sebagai \\U{ord(real):08X}" if real
             else "hapus escape itu atau tulis karakter yang dimaksud secara langsung"))
    if "\u202a" <= c <= "\u202e" or "\u2066" <= c <= "\u2069":
        return galat(
            loc, "karakter-kendali",
            f"teks ini berisi karakter pengatur arah teks U+{ord(c):04X}, yang membalik urutan tampilan "
            "teks sesudahnya (yang tampak tidak sama dengan yang tertulis)",
            "hapus karakter itu (sering ikut terbawa saat menempel teks dari aplikasi lain)")
    return galat(
        loc, "karakter-kendali",
        f"teks ini berisi karakter tak terlihat U+{ord(c):04X} ({safe_text(c)}), "
        "ditulis sebagai escape dalam tanda kutip",
        "hapus escape itu; karakter kendali mengacaukan halaman, PDF dan layar terminal")


def expanded_size(node: yaml.Node, memo: dict[int, int]) -> int:
    """How many values the tree holds once aliases are expanded (linear in the file)."""
    key = id(node)
    if key in memo:
        return memo[key]
    memo[key] = MAX_NODES + 1  # a cycle counts as too large
    if isinstance(node, yaml.SequenceNode):
        size = 1 + sum(expanded_size(child, memo) for child in node.value)
    elif isinstance(node, yaml.MappingNode):
        size = 1 + sum(expanded_size(k, memo) + expanded_size(v, memo) for k, v in node.value)
    else:
        size = 1
    memo[key] = size
    return size


def decode(data: bytes, path: str, ctx: Ctx) -> str | None:
    """UTF-8 (a BOM is dropped); anything else gets a message saying how to save the file."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        guess = ""
        if data.startswith((b"\xff\xfe", b"\xfe\xff")) or data[:200].count(b"\x00") > len(data[:200]) // 4:
            guess = " (tampaknya UTF-16, yang dipakai Windows untuk pilihan simpan 'Unicode')"
        else:
            try:
                data.decode("cp1252")
                guess = " (tampaknya Windows-1252, umum pada teks yang ditempel dari Word)"
            except UnicodeDecodeError:
                pass
        ctx.diagnostics.append(galat(
            Loc(path, line, col), "pengodean",
            f"berkas tidak tersimpan dalam UTF-8{guess}: bita 0x{data[exc.start]:02X} tidak sah",
            "buka berkas di editor teks lalu simpan ulang dengan pengodean UTF-8",
        ))
        return None
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        ctx.diagnostics.append(galat(Loc(path, line), "pengodean", "berkas berisi karakter NUL (berkas biner?)",
                                     "berkas SOP harus berupa teks YAML biasa dalam UTF-8"))
        return None
    return text


_YAML_PROBLEMS = [
    ("mapping values are not allowed", "tanda ':' muncul di tempat yang tidak diharapkan",
     "periksa indentasi baris ini; teks yang mengandung ': ' harus diberi tanda kutip"),
    ("could not find expected ':'", "tanda ':' setelah kunci tidak ditemukan",
     "setiap kunci ditulis `kunci: nilai`; teks lanjutan harus menjorok lebih dalam atau diberi tanda kutip"),
    ("'\\t'", "karakter tab tidak boleh dipakai untuk indentasi",
     "ganti tab dengan spasi (biasanya 2 spasi per tingkat)"),
    ("expected <block end>", "indentasi tidak konsisten",
     "samakan indentasi dengan kunci lain di tingkat yang sama (gunakan spasi, bukan tab)"),
    ("expected <block mapping start>", "indentasi tidak konsisten",
     "samakan indentasi dengan kunci lain di tingkat yang sama"),
    ("found undefined alias", "teks yang diawali '*' dibaca sebagai alias YAML yang tidak ada",
     ("beri tanda kutip pada teks itu (misalnya `- \"*Komputer\"`) atau hapus tanda '*' "
      "(tanda butir dari Word tidak perlu ditulis)")),
    ("sequence entries are not allowed here", "tanda '-' (butir daftar) tidak boleh di sini",
     ("butir daftar ditulis pada baris sendiri, menjorok di bawah kuncinya; bila maksudnya tanda strip, "
      "beri tanda kutip: `\"-\"`")),
    ("expected ',' or ']'", "daftar dalam kurung siku [...] tidak ditutup dengan benar",
     ("tutup dengan ']', atau tulis setiap butir pada baris sendiri diawali '- '; "
      "butir yang mengandung ':' atau ',' diberi tanda kutip")),
    ("expected ',' or '}'", "pemetaan dalam kurung kurawal {...} tidak ditutup dengan benar",
     "tutup dengan '}', atau tulis setiap kunci pada baris sendiri"),
    ("expected alphabetic or numeric character", "teks yang diawali '&' atau '*' dibaca sebagai tanda YAML",
     "beri tanda kutip pada teks itu, misalnya `- \"& Komputer\"`"),
    ("found unexpected end of stream", "tanda kutip tidak ditutup sampai akhir berkas",
     "tutup tanda kutip pembuka dengan pasangannya"),
    ("found unknown escape character", "urutan escape (\\) dalam teks berkutip ganda tidak dikenal",
     "gunakan kutip tunggal ('...') atau tulis \\\\ untuk garis miring terbalik"),
    ("expected a single document", "berkas berisi lebih dari satu dokumen YAML",
     "hapus baris '---' tambahan; satu berkas berisi satu SOP"),
    ("found duplicate anchor", "anchor YAML (&) ditulis dua kali", "beri nama lain pada salah satunya"),
    ("found character", "karakter ini tidak boleh mengawali nilai YAML",
     "beri tanda kutip pada teks yang diawali karakter khusus seperti @ atau `"),
]


_KEY_LINE = re.compile(r"(?P<lead>\s*(?:-\s+)*)(?:(?P<key>[A-Za-z_][A-Za-z0-9_]*):\s+)?(?P<value>.*)")
"""A line of a block: its indentation and list dashes, a key (a name such as ``kegiatan``), its value."""

FIX_WIDTH = 70
"""Letters of a value shown in a suggested fix; a longer value is cut with '…'."""


def quoted_fix(line: str) -> str | None:
    """``line`` with its value put in double quotes, when the value holds ': ' (which YAML reads as the
    start of another key); ``None`` when it does not, or is already quoted or a [...] or {...}.

    ``kegiatan: Verifikasi: berkas`` → ``kegiatan: "Verifikasi: berkas"``; a list item that is plain text,
    ``- UU 25/2009: Pelayanan Publik``, is quoted whole. The indentation is left out, the text is
    shortened and escaped, and the result is made safe to print."""
    m = _KEY_LINE.fullmatch(line.rstrip())
    if m is None:
        return None
    value = re.sub(r"\s+#.*$", "", m["value"])  # a trailing comment stays outside the quotes
    if not re.search(r":(\s|$)", value) or value[:1] in "\"'[{":
        return None
    shown = short(value, FIX_WIDTH).replace("\\", "\\\\").replace('"', '\\"')
    key = f"{m['key']}: " if m["key"] else ""
    return safe_text(f"{m['lead'].lstrip()}{key}\"{shown}\"")


def _quote_closed_late(text: str, mark: yaml.Mark) -> yaml.Mark | None:
    """Where a quote opens that is closed only by the opening quote of a later line, when that made the
    error at ``mark``: ``jabatan: "CAMAT`` read on until ``nip: "`` two lines down, so the parser stumbles
    there. The last token before the error is then a quoted text spanning lines that ends on its line."""
    last = None
    try:
        for token in yaml.scan(text, Loader=yaml.SafeLoader):
            if token.start_mark.index >= mark.index:
                break
            last = token
    except yaml.YAMLError:
        pass
    if (isinstance(last, yaml.ScalarToken) and last.style in ('"', "'")
            and last.start_mark.line < last.end_mark.line == mark.line):
        return last.start_mark
    return None


def opened_quote(path: str, text: str, start: yaml.Mark) -> Diagnostic:
    """An unclosed quote, at the line and column where it opens, with that line closed as the fix."""
    line = text.splitlines()[start.line].rstrip()
    closed = safe_text(short(line.strip(), FIX_WIDTH) + line[start.column])
    return galat(Loc(path, start.line + 1, start.column + 1), "yaml-sintaks",
                 "sintaks YAML: tanda kutip yang dibuka di sini tidak ditutup pada barisnya",
                 f"tutup tanda kutip di akhir baris: `{closed}`")


def yaml_error(exc: yaml.MarkedYAMLError, path: str, text: str = "") -> Diagnostic:
    """A YAML error in Indonesian at its line and column (``text``: the file, for a fix shown with its own line)."""
    mark = exc.problem_mark or exc.context_mark
    if exc.context and "quoted scalar" in exc.context and exc.context_mark:
        mark = exc.context_mark  # an unclosed quote: where it opens, not the end of the file
    loc = Loc(path, mark.line + 1, mark.column + 1) if mark else Loc(path)
    opened = _quote_closed_late(text, mark) if mark else None
    if exc.context and "quoted scalar" in exc.context and exc.context_mark and text:
        opened = exc.context_mark  # closed by nothing before the end of the file
    if opened is not None:
        return opened_quote(path, text, opened)
    problem = f"{exc.problem or ''} {exc.context or ''}"
    for needle, message, hint in _YAML_PROBLEMS:
        if needle in problem:
            lines = text.splitlines()
            if needle == "mapping values are not allowed" and mark and mark.line < len(lines):
                fix = quoted_fix(lines[mark.line])
                if fix:
                    hint = f"teks yang mengandung ': ' ditulis di antara tanda kutip: `{fix}`"
            return galat(loc, "yaml-sintaks", f"sintaks YAML: {message}", hint)
    return galat(loc, "yaml-sintaks", f"sintaks YAML tidak sah ({(exc.problem or exc.context or '').strip()})",
                 "periksa indentasi, tanda ':' dan tanda kutip pada baris ini dan sebelumnya")
