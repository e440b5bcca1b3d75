"""Write what an import found (:class:`~sopcode.importing.found.Found`) as an SOP file like those in
sop_data/: the schema comment first, keys in the schema's order, blank lines between the identity,
the six boxes, the actors and the steps, each step apart.

Every value goes through PyYAML's emitter on its own, so quoting is PyYAML's (only when needed, and
always safe); this module only lays the lines out and adds comments, which PyYAML cannot write: a
``# disimpulkan: <why>`` after every value the importer inferred rather than read, and at the head
where the file came from, the institution's lines of its header and what could not be read.

A file is never overwritten: when ``<id>.yaml`` (or the id in another file of the folder) exists, the
next free ``<id>-2``, ``<id>-3`` … is taken, and the result says so.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import yaml

from sopcode.diagnostics import safe_text
from sopcode.importing.found import Found
from sopcode.importing.found import Path as DataPath
from sopcode.text import slug

TOP_ORDER = (
    "nomor", "nama", "nama_prosedur", "unit", "alias", "tanggal_pembuatan", "tanggal_revisi", "tanggal_efektif",
    "disahkan_oleh", "dicabut", "diganti_oleh", "terminator",
    "dasar_hukum", "kualifikasi_pelaksana", "keterkaitan", "peralatan_perlengkapan", "peringatan",
    "pencatatan_pendataan", "pelaksana", "langkah",
)
"""The keys of an SOP file in the order of schema.json (and of the files in sop_data/)."""
BLANK_BEFORE = frozenset({"dasar_hukum", "pelaksana", "langkah"})
NESTED_ORDER: dict[str, tuple[str, ...]] = {
    "disahkan_oleh": ("jabatan", "nama", "nip"),
    "langkah": ("no", "kegiatan", "pelaksana", "simbol", "mutu_baku", "keterangan", "lanjut", "ya", "tidak"),
    "mutu_baku": ("kelengkapan", "waktu", "output"),
}
_ID = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")
"""An id as sop_data/ spells it (the rule of rules/folder_names.py): never a path, a dot or a space."""
MAX_ID = 100
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_SCHEMA_KEYS = frozenset(TOP_ORDER).union(*NESTED_ORDER.values(), {"sop"})
"""Keys written plain as in sop_data/ (``no:``, which YAML 1.1 would read as false, is read by the
model as the key it is)."""


@dataclass(frozen=True)
class Written:
    """Where an SOP was written and, when its first choice of name was taken, why it has another."""

    path: str
    renamed_from: str | None = None

    @property
    def note(self) -> str | None:
        if self.renamed_from is None:
            return None
        return (f"{self.renamed_from} sudah ada dan tidak ditimpa: SOP ini ditulis sebagai "
                f"{os.path.basename(self.path)}")


_SCHEMA_LINE = re.compile(r"# yaml-language-server: \$schema=(\S+)\s*$")


def _schema_of_neighbours(folder: str) -> str | None:
    """The schema reference the SOP files already in ``folder`` use, so an imported file names it as
    they do (``../plugins/sopcode/schema.json`` in a project's sop_data/), not by wherever the package
    happens to be installed."""
    try:
        names = sorted(n for n in os.listdir(folder) if n.endswith(".yaml") and not n.startswith("_"))
    except OSError:
        return None
    for name in names:
        try:
            with open(os.path.join(folder, name), encoding="utf-8") as fh:
                m = _SCHEMA_LINE.match(fh.readline(500))
        except (OSError, UnicodeDecodeError):
            continue
        if m:
            return m[1]
    return None


PROJECT_DATA = "sop_data"
"""The project's data folder, relative to the working folder a command is run in."""


def project_data_outside(folder: str) -> str | None:
    """The project's data folder (``sop_data/`` of the working folder) when ``folder`` lies outside it,
    as a staging folder like ``build/impor`` does; None when there is none or ``folder`` is in it."""
    data = os.path.abspath(PROJECT_DATA)
    target = os.path.abspath(folder)
    if not os.path.isdir(data) or target == data or target.startswith(data + os.sep):
        return None
    return data


def _schema_of_project(folder: str) -> str | None:
    """For a file written in the project (the working folder holding sop_data/) but outside its data
    folder (``build/impor``, where an edited workbook is imported before it is copied over its SOP): the
    reference the data folder's files use, since the file is meant to go there. A file in the data
    folder (or a new subfolder of it) or outside the project gets a path of its own."""
    data = project_data_outside(folder)
    if data is None or not os.path.abspath(folder).startswith(os.path.abspath(os.curdir) + os.sep):
        return None  # no project here, the data folder itself, or a folder elsewhere
    return _schema_of_neighbours(data)


def write_found(found: Found, folder: str | os.PathLike[str], today: dt.date | None = None,
                sop_id: str | None = None) -> Written:
    """Write ``found`` into ``folder`` (created if needed) under a name no file there has yet;
    ``sop_id`` is the id the source file names (a workbook of ``sop ekspor``), used when it is one."""
    folder = os.fspath(folder)
    os.makedirs(folder, exist_ok=True)
    schema = _schema_of_neighbours(folder) or _schema_of_project(folder) or os.path.relpath(
        str(resources.files("sopcode") / "schema.json"), os.path.abspath(folder)).replace(os.sep, "/")
    taken = _existing_stems(folder)
    text = render(found, schema, today or dt.date.today(), taken)
    stem = sop_stem(found, sop_id)
    n = 1
    while True:
        name = stem if n == 1 else f"{stem}-{n}"
        if name.casefold() not in taken:
            target = os.path.join(folder, name + ".yaml")
            try:
                # 'x': never replaces a file, even one that appeared since the folder was read
                with open(target, "x", encoding="utf-8", newline="\n") as fh:
                    fh.write(text)
            except FileExistsError:
                taken.add(name.casefold())
                continue
            return Written(target, None if n == 1 else stem + ".yaml")
        n += 1


def sop_stem(found: Found, sop_id: str | None = None) -> str:
    """The file name (and id) for an SOP: the id its source names when that is a well-formed id (only
    its last part: the folder is the one imported into), else ``sop-`` and its name in lower case and
    hyphens, else the source file's name."""
    if sop_id:
        parts = sop_id.strip().split("/")
        if all(_ID.fullmatch(p) for p in parts) and len(parts[-1]) <= MAX_ID:
            return parts[-1]
    for text in (str(found.data.get("nama") or ""), Path(found.source).stem):
        words = slug(text, 70)
        words = re.sub(r"^(sop-)+", "", words)
        if words:
            return "sop-" + words
    return "sop-impor"


def _existing_stems(folder: str) -> set[str]:
    """Names of the SOP files in ``folder`` and below (ids are file names; case folded, as on the
    disks of Windows and macOS two names that differ only in case are one file)."""
    out: set[str] = set()
    for _root, dirs, files in os.walk(folder):
        dirs[:] = [d for d in dirs if not d.startswith(".")]  # .git, .cache: never SOPs
        for f in files:
            if f.lower().endswith((".yaml", ".yml")):
                out.add(f.rsplit(".", 1)[0].casefold())
    return out


# ── rendering ────────────────────────────────────────────────────────────────────────────────────────

_REFERENCE = re.compile(r"(?:[a-z0-9]+(?:-[a-z0-9]+)*/)*sop-[a-z0-9]+(?:-[a-z0-9]+)*")
"""A Keterkaitan item that is an SOP's id as `sop ekspor` prints it (``sop-…``, ``<kode>/sop-…``)."""


def _references(found: Found, known: set[str]) -> None:
    """Keterkaitan items that are the id of an SOP in the folder imported into (``known``: its file names,
    case folded) become ``sop:`` references (what the workbook of `sop ekspor` prints for one), marked as
    inferred; other text stays text, so a reference never dangles. A revision date
    written "-" is written ``null``: both mean "not revised" (Sop.identitas), and ``null`` is the
    template's way."""
    items = found.data.get("keterkaitan")
    if isinstance(items, list):
        for i, item in enumerate(items):
            if (isinstance(item, str) and _REFERENCE.fullmatch(item.strip())
                    and item.strip().rsplit("/", 1)[-1].casefold() in known):
                items[i] = {"sop": item.strip()}
                found.inferred.setdefault(("keterkaitan", i), "teks berbentuk id SOP: ditulis sebagai rujukan ke SOP itu")
    if found.data.get("tanggal_revisi") == "-":
        found.data["tanggal_revisi"] = None


def render(found: Found, schema: str, today: dt.date, known: set[str] | frozenset[str] = frozenset()) -> str:
    _references(found, set(known))
    lines = [f"# yaml-language-server: $schema={schema}", "#"]
    lines.append(f"# Diimpor dengan `sop impor` dari {_comment(os.path.basename(found.source))} pada {today.isoformat()}.")
    if found.inferred:
        lines.append('# Nilai bertanda "disimpulkan" tidak tertulis di sumber: periksa sebelum SOP disahkan.')
    if found.hierarki:
        lines.append("# Hierarki instansi pada sumber (tempatnya di _instansi.yaml, `hierarki:`):")
        lines += [f"#   {_comment(h)}" for h in found.hierarki]
    placed = {p for p in found.inferred if _exists(found.data, p)}
    lost = [(p, why) for p, why in found.inferred.items() if p not in placed]
    if lost:
        lines.append("# Disimpulkan tanpa nilai:")
        lines += [f"#   {_comment(_path_text(p))}: {_comment(why)}" for p, why in lost]
    for settled, title in ((False, "# Tidak terbaca dari sumber (lengkapi sendiri):"),
                           (True, "# Diputuskan saat impor di antara dua bacaan (periksa dengan sumbernya):")):
        said = [pr for pr in found.problems if pr.settled == settled]
        if said:
            lines.append(title)
        for pr in said:
            where = pr.where + (f", langkah {pr.step}" if pr.step is not None else "")
            lines.append(f"#   - {_comment(where)}: {_comment(pr.message)}")
    lines.append("")
    body = list(_mapping(found.data, (), 0, found.inferred, top=True))
    if body and body[0] == "":
        body.pop(0)
    return "\n".join(lines + body) + "\n"


def _mapping(data: dict, path: DataPath, indent: int, inferred: dict[DataPath, str], top: bool = False,
             first_prefix: str | None = None) -> Iterator[str]:
    """The lines of a mapping at ``indent``; ``first_prefix`` replaces the first line's indentation
    (a list item's ``- ``)."""
    order = TOP_ORDER if top else NESTED_ORDER.get(_owner(path), ())
    keys = [k for k in order if k in data] + [k for k in data if k not in order]
    for i, key in enumerate(keys):
        if top and key in BLANK_BEFORE and i > 0:
            yield ""
        lead = first_prefix if (i == 0 and first_prefix is not None) else " " * indent
        here = (*path, key)
        value = data[key]
        name = key if key in _SCHEMA_KEYS else _scalar(key)
        if isinstance(value, dict) and value:
            yield f"{lead}{name}:{_note(here, inferred)}"
            yield from _mapping(value, here, indent + 2, inferred)
        elif isinstance(value, (list, tuple)) and value:
            yield f"{lead}{name}:{_note(here, inferred)}"
            yield from _sequence(value, here, indent + 2, inferred, apart=top and key == "langkah")
        else:
            yield f"{lead}{name}: {_value(value, key)}{_note(here, inferred)}"


def _sequence(items: list | tuple, path: DataPath, indent: int, inferred: dict[DataPath, str],
              apart: bool = False) -> Iterator[str]:
    for i, item in enumerate(items):
        if apart and i > 0:
            yield ""
        here = (*path, i)
        lead = " " * indent + "- "
        if isinstance(item, dict) and item:
            note = _note(here, inferred)
            if note:  # a comment for the whole item goes on a line of its own, above it
                yield " " * indent + note.strip()
            yield from _mapping(item, here, indent + 2, inferred, first_prefix=lead)
        elif isinstance(item, (dict, list, tuple)) and item:
            # not a shape of the schema (a list in a list): one flow line, still PyYAML's quoting
            flow = yaml.safe_dump(_plain(item), allow_unicode=True, default_flow_style=True, width=float("inf"))
            yield f"{lead}{flow.strip()}{_note(here, inferred)}"
        else:
            yield f"{lead}{_value(item, '')}{_note(here, inferred)}"


def _owner(path: DataPath) -> str:
    """The key whose value a mapping at ``path`` is: ``langkah`` for a step, ``mutu_baku`` …"""
    for piece in reversed(path):
        if isinstance(piece, str):
            return piece
    return ""


def _value(value: object, key: str) -> str:
    if isinstance(value, (list, tuple)):
        return "[]"
    if isinstance(value, dict):
        return "{}"
    if key.startswith("tanggal") and isinstance(value, str) and _ISO_DATE.fullmatch(value):
        try:
            dt.date.fromisoformat(value)
        except ValueError:
            pass
        else:
            return value  # written as the files in sop_data/ write dates
    return _scalar(value)


def _scalar(value: object) -> str:
    """One scalar on one line, quoted by PyYAML only when it must be."""
    text = yaml.safe_dump(value, allow_unicode=True, width=float("inf"))
    text = text.removesuffix("\n...\n").rstrip("\n")
    if "\n" in text:  # a line break in the text: one double-quoted line with escapes instead
        text = yaml.safe_dump(value, allow_unicode=True, width=float("inf"), default_style='"').rstrip("\n")
    if "\n" in text:
        text = yaml.safe_dump(value, allow_unicode=False, width=float("inf"), default_style='"').rstrip("\n")
    return text


def _plain(value: object) -> object:
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def _note(path: DataPath, inferred: dict[DataPath, str]) -> str:
    why = inferred.get(path)
    return f"  # disimpulkan: {_comment(why)}" if why else ""


def _comment(text: str) -> str:
    """Text made safe for one comment line: line breaks and control characters shown escaped."""
    return safe_text(" ".join(str(text).splitlines()))


def _exists(data: object, path: DataPath) -> bool:
    for piece in path:
        in_list = isinstance(data, (list, tuple)) and isinstance(piece, int) and 0 <= piece < len(data)
        if not (in_list or (isinstance(data, dict) and piece in data)):
            return False
        data = data[piece]  # type: ignore[index]
    return True


def _path_text(path: DataPath) -> str:
    """("langkah", 3, "pelaksana") → langkah 4 pelaksana (steps counted from 1, as users count them)."""
    return " ".join(str(p + 1) if isinstance(p, int) else p for p in path)
