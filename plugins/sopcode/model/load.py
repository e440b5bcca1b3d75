"""SOP files and folders → model objects, with the institution settings.

Finds the SOP files under the paths given (refusing links out of the project, pipes and
misnamed files), reads each with :mod:`.yaml_reading`, converts it by the declaration in
:mod:`.declaration`, and keeps the models in a cache keyed by each file's bytes and the settings.
Loading never raises on bad input: it returns the model (or ``None``) and a list of diagnostics.
"""

from __future__ import annotations

import hashlib
import os
import stat
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from sopcode.cache import Sharded, code_fingerprint, no_gc
from sopcode.diagnostics import Diagnostic, Loc, galat, peringatan, safe_text
from sopcode.model.codec import LOADED, SOP_MODEL
from sopcode.model.declaration import INSTANSI, INSTANSI_BAWAHAN, SOP, frozen
from sopcode.model.institutions import data_root, inherit, kode_of, make_id
from sopcode.model.schema import INVALID, Ctx
from sopcode.model.sop import Instansi, Simbol, Sop, Step
from sopcode.model.yaml_reading import MAX_BYTES, NotRead, not_regular, read_bounded, read_yaml, unreadable

SETTINGS_FILE = "_instansi.yaml"
"""An institution's settings (its folder is the institution, see :mod:`.institutions`); files whose
name starts with '_' are not SOPs."""

SOP_SUFFIXES = (".yaml", ".yml")

SITE_STEM_ENDINGS = (".yaml", ".svg", ".html")
"""Endings the file name (before ``.yaml``) of an institution's SOP may not have: the site writes files of these names into
each SOP's folder (``sop/<id>/<file>.yaml``, ``sop/<id>/bagan-alir.svg``, ``sop/<id>/bagan-alir.html``), so an SOP ``x/x.yaml`` of an
institution folder ``x`` beside an SOP ``x.yaml`` would have its page where SOP ``x``'s download is."""

RESERVED_FOLDERS = ("index", "readme")
"""Institution folder names the site's own pages take: ``instansi/<kode>.md`` of ``a/index`` would be
``instansi/a/index.md``, the home of institution ``a`` (and ``instansi/index.md`` the top's home)."""

SITE_FOLDER_ENDINGS = (".pdf", ".xlsx")
"""Institution folder name endings the site's own files have: ``pdf/<kode>/`` of a folder ``x.pdf`` would
be where ``pdf/x.pdf``, SOP ``x``'s PDF, is (and ``monev/<kode>/`` where a top's form or recap is)."""


@dataclass
class Loaded:
    """What loading a folder gives: the SOPs that loaded and every diagnostic."""

    sops: list[Sop] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    instansi: Instansi = field(default_factory=Instansi)
    """The top's settings (the data folder's ``_instansi.yaml``): the government, or the only institution."""
    n_files: int = 0
    content_keys: dict[str, str] = field(default_factory=dict)
    """Each file's content key (its bytes and its institution's settings): what caches of its results are keyed by."""
    institutions: dict[str, Instansi] = field(default_factory=dict)
    """Every institution's merged settings by its ``kode`` ("" is the top, always there)."""
    kode_of: dict[str, str] = field(default_factory=dict)
    """Each SOP file found (its path as listed) → the ``kode`` of its institution."""
    refused: list[str] = field(default_factory=list)
    """SOP files found but not read: their name, or their institution folder's, is refused (said once)."""

    def settings_of(self, path: str) -> Instansi:
        """The merged settings an SOP file is loaded with: those of its nearest institution."""
        kode = self.kode_of.get(os.path.normpath(path), "")
        return self.institutions.get(kode) or self.instansi


def load_instansi(path: str, top: bool = True) -> tuple[Instansi, list[Diagnostic]]:
    """One ``_instansi.yaml`` as written (not merged); ``top``: no settings above it (``hierarki`` required)."""
    ctx = Ctx(path)
    node = read_yaml(path, ctx)
    if node is None:
        return Instansi(path=path), ctx.diagnostics
    result = (INSTANSI if top else INSTANSI_BAWAHAN).convert(node, ctx, SETTINGS_FILE)
    if result is INVALID:
        return Instansi(path=path), ctx.diagnostics
    return _replace(result, path=path), ctx.diagnostics


def _replace(obj, **changes):
    from dataclasses import replace
    return replace(obj, **changes)


def load_sop(path: str, instansi: Instansi | None = None,
             data: bytes | None = None) -> tuple[Sop | None, list[Diagnostic]]:
    """One SOP file (or ``data``, its bytes at another revision) → the model, or ``None`` on errors."""
    ctx = Ctx(path)
    node = read_yaml(path, ctx, data)
    if node is None:
        return None, ctx.diagnostics
    result = SOP.convert(node, ctx, "SOP")
    if result is INVALID:
        return None, ctx.diagnostics
    values, loc, pos = result
    instansi = instansi or Instansi()
    terminator = values.pop("terminator", None) or instansi.terminator
    langkah = _finish_steps(values.pop("langkah"), terminator == "terpisah")
    # A date the source marks "-" is no date, but is printed as the source wrote it.
    strip = frozenset(k for k in ("tanggal_pembuatan", "tanggal_revisi", "tanggal_efektif") if values.get(k) == "-")
    for key in strip:
        values[key] = None
    sop = Sop(
        id=sop_id(path, instansi.kode), path=path, langkah=langkah, instansi=instansi,
        loc=loc, pos=frozen(pos), terminator=terminator, strip=strip, **values,
    )
    return sop, ctx.diagnostics


def _finish_steps(raw: tuple[dict, ...], terminator_terpisah: bool = False) -> tuple[Step, ...]:
    steps = []
    last = len(raw) - 1
    ends = () if terminator_terpisah else (0, last)  # separate capsules: no step is the start or end
    for i, item in enumerate(raw):
        v = dict(item["values"])
        explicit = "simbol" in v
        if explicit:
            simbol = Simbol(v.pop("simbol"))
        elif "ya" in v or "tidak" in v:
            simbol = Simbol.KEPUTUSAN
        else:
            simbol = Simbol.TERMINATOR if i in ends else Simbol.PROSES
        actors = v.pop("pelaksana")
        steps.append(Step(simbol=simbol, simbol_eksplisit=explicit, loc=item["loc"], pos=frozen(item["pos"]),
                          pelaksana=actors[0], pelaksana_lain=tuple(actors[1:]), **v))
    return tuple(steps)


def sop_id(path: str, kode: str = "") -> str:
    """An SOP's id: its file name without ``.yaml``, after its institution's ``kode`` and a '/'."""
    return make_id(kode, Path(path).stem)


def _roots(folder: str) -> tuple[str, ...]:
    """Where a data folder's files may lead through a link: the project (the folder holding the data
    folder, as for the logo). A data folder that is itself a link out of the project is not followed
    (a committed `sop_data -> /elsewhere` would publish what lies there)."""
    return (os.path.realpath(os.path.dirname(os.path.abspath(folder))),)


def check_path(path: str, roots: tuple[str, ...]) -> Diagnostic | None:
    """Why an SOP or settings file is not to be read (None: read it), without opening it.

    A regular file, or a symbolic link to one inside the project (not into a hidden folder such
    as ``.git/``): a link leading out would print another file's lines in the messages and
    publish it; a named pipe would block, a device never end.
    """
    rename = "ganti namanya dengan huruf a-z, angka dan tanda hubung, misalnya `sop-nama-prosedur.yaml`"
    name = os.path.basename(path)
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:  # bytes that are no UTF-8 text: its pages, links and messages could not be written
        return galat(Loc(path), "nama-berkas-salah",
                     "nama berkas ini bukan teks UTF-8 (mungkin dibuat di sistem lain); berkas tidak dibaca", rename)
    if safe_text(name) != name:  # ESC, a newline, a direction control: the id is printed and published
        return galat(Loc(path), "nama-berkas-salah",
                     "nama berkas ini berisi karakter kendali atau tak terlihat; berkas tidak dibaca", rename)
    try:
        st = os.lstat(path)
        if stat.S_ISLNK(st.st_mode):
            target = os.path.realpath(path)
            written = os.readlink(path)
            inside = [r for r in roots if os.path.commonpath([r, target]) == r]
            fix = ("simpan berkasnya sendiri (bukan tautan) di folder data, atau hapus tautan itu; "
                   "tautan hanya boleh menunjuk berkas di dalam proyek")
            if not inside:
                return galat(Loc(path), "tautan-ke-luar",
                             f"berkas ini tautan simbolik ke '{written}', di luar folder proyek; "
                             "isinya tidak dibaca dan tidak diterbitkan", fix)
            hidden = [p for p in os.path.relpath(target, inside[-1]).split(os.sep) if p.startswith(".")]
            if hidden:
                return galat(Loc(path), "tautan-ke-luar",
                             f"berkas ini tautan simbolik ke '{written}', berkas tersembunyi atau isi folder "
                             f"tersembunyi '{hidden[0]}'; isinya tidak dibaca dan tidak diterbitkan", fix)
            st = os.stat(path)
        elif not any(os.path.commonpath([r, os.path.realpath(path)]) == r for r in roots):
            return galat(Loc(path), "tautan-ke-luar",
                         "berkas ini dicapai lewat folder yang berupa tautan simbolik ke luar folder proyek; "
                         "isinya tidak dibaca dan tidak diterbitkan",
                         "simpan folder data SOP sebagai folder biasa di dalam proyek, bukan tautan ke tempat lain")
    except OSError as exc:
        return unreadable(path, exc)
    if not stat.S_ISREG(st.st_mode):
        return not_regular(path, st.st_mode)
    return None


def _site_stem(path: str) -> Diagnostic | None:
    """Why an SOP file whose name ends like one of the site's own files (:data:`SITE_STEM_ENDINGS`) is not read."""
    stem = Path(path).stem
    ending = next((e for e in SITE_STEM_ENDINGS if stem.casefold().endswith(e)), None)
    if ending is None:
        return None
    return galat(Loc(path), "nama-berkas-salah",
                 f"nama berkas ini berakhiran '{ending}' sebelum '.yaml': halaman SOP-nya (sop/<id>/) dapat jatuh "
                 f"di tempat berkas situs bernama sama (unduhan YAML atau bagan alir SOP lain); berkas tidak dibaca",
                 f"hapus '{ending}' dari namanya, misalnya `{safe_text(stem[: -len(ending)]) or 'sop-nama-prosedur'}.yaml`")


def _near_miss(name: str) -> str | None:
    """The name a file was meant to have when it looks like an SOP or the settings but is not
    read as one (``X.YAML``, ``x.Yaml``, ``x.yaml ``); None otherwise."""
    if name.startswith("."):
        return None
    clean = name.strip()
    low = clean.lower()
    if low == SETTINGS_FILE:
        return SETTINGS_FILE if name != SETTINGS_FILE else None
    suffix = next((s for s in SOP_SUFFIXES if low.endswith(s)), None)
    if suffix is None or (name.endswith(SOP_SUFFIXES) and name == clean) or clean.startswith("_"):
        return None
    return clean[: -len(suffix)].strip() + ".yaml"


def find_sop_files(paths: list[str], skipped: list[Diagnostic] | None = None) -> tuple[list[str], list[str]]:
    """Expand folders into SOP files; also return the settings files found.

    Only files that may be read are returned (see :func:`check_path`): the others, and files that
    look like an SOP but are not read as one (``X.YAML``), are said in ``skipped`` when given.
    """
    files: list[str] = []
    settings: list[str] = []
    said: list[Diagnostic] = [] if skipped is None else skipped

    def take(full: str, into: list[str], roots: tuple[str, ...]) -> None:
        why = check_path(full, roots)
        if why is None:
            into.append(full)
        else:
            said.append(why)

    for p in paths:
        if os.path.isdir(p):
            roots = _roots(p)
            for root, dirs, names in os.walk(p):
                for d in dirs:
                    if not d.startswith(".") and os.path.islink(os.path.join(root, d)):
                        said.append(peringatan(
                            Loc(os.path.join(root, d)), "berkas-dilewati",
                            f"folder '{d}' adalah tautan simbolik; isinya tidak dibaca",
                            "simpan berkas SOP di folder biasa di dalam folder data"))
                # A folder starting with '_' holds no SOP (``_monev/``, ``_evaluasi/``: monitoring and evaluation records, read on their own).
                dirs[:] = sorted(d for d in dirs if not d.startswith((".", "_")))
                for name in sorted(names):
                    full = os.path.join(root, name)
                    if name == SETTINGS_FILE:
                        take(full, settings, roots)
                    elif name.endswith(SOP_SUFFIXES) and not name.startswith(("_", ".")):
                        take(full, files, roots)
                    elif (meant := _near_miss(name)) is not None:
                        said.append(peringatan(
                            Loc(full), "berkas-dilewati",
                            f"berkas '{name}' tidak dibaca: nama berkas SOP berakhiran '.yaml' "
                            "(huruf kecil, tanpa spasi sesudahnya)",
                            f"ganti namanya menjadi '{meant}'"))
        elif os.path.basename(p) == SETTINGS_FILE:
            take(p, settings, _roots(os.path.dirname(p) or "."))
        else:
            take(p, files, _roots(os.path.dirname(p) or "."))
    # One file named two ways (`x.yaml` and `./x.yaml`, a folder and a file in it) is one file.
    unique = {os.path.normpath(f): None for f in files}
    return list(unique), [os.path.normpath(f) for f in settings]


def load_folder(paths: list[str] | str, cache_dir: str | None = None) -> Loaded:
    """Load every SOP under the given files/folders, with the institution settings.

    Each file is loaded with the settings of its institution (:mod:`.institutions`); without any
    ``_instansi.yaml``, defaults apply. With ``cache_dir``, a file loaded before with the same
    bytes and settings is taken from there.
    """
    if isinstance(paths, str):
        paths = [paths]
    files, loaded = find_with_settings(paths)
    with no_gc():  # thousands of models that all stay: nothing for the cycle collector to find
        many = _load_many(files, loaded, cache_dir)
    for path, key, sop, diags in many:
        loaded.diagnostics.extend(diags)
        loaded.content_keys[path] = key
        if sop is not None:
            loaded.sops.append(sop)
    return loaded


def find_with_settings(paths: list[str]) -> tuple[list[str], Loaded]:
    """The SOP files under ``paths``, and what loading them starts from: every institution's merged
    settings, the institution of each file, and what was found wrong in the settings files."""
    skipped: list[Diagnostic] = []
    files: list[str] = []
    chain: dict[str, tuple[str, str]] = {}  # an institution's folder (absolute) → (its settings file, data folder)
    root_of: dict[str, str] = {}  # each file → its data folder (absolute)
    roots: dict[str, str] = {}  # the data folder of each folder of a file given (many files, few folders)
    for p in paths:
        if os.path.isdir(p):
            root = data_root(p)
        else:
            folder = os.path.dirname(os.path.abspath(p))
            root = roots.get(folder) or roots.setdefault(folder, data_root(p))
        found, settings = find_sop_files([p], skipped)
        for f in found:
            root_of.setdefault(f, root)
            files.append(f)
        for s in settings:
            chain.setdefault(os.path.dirname(os.path.abspath(s)), (s, root))
        _settings_above(p, root, chain, skipped)
    files = list(dict.fromkeys(files))
    loaded = Loaded(n_files=len(files), diagnostics=skipped)
    _merge_settings(chain, loaded)
    folders = {folder: kode_of(folder, root) for folder, (_, root) in chain.items()}
    nearest: dict[str, str] = {}
    for f in files:
        here = os.path.dirname(os.path.abspath(f))
        loaded.kode_of[f] = nearest[here] if here in nearest else nearest.setdefault(
            here, _institution(here, root_of[f], folders))
    bad = _unsafe_institutions(loaded)
    refused = [(f, why) for f in files if loaded.kode_of[f] and (why := _site_stem(f)) is not None]
    if refused:  # an institution's SOP only: a top's SOP has no folder beside it its page could fall in
        loaded.diagnostics.extend(why for _, why in refused)
        loaded.refused.extend(f for f, _ in refused)
        files = [f for f in files if f not in {f for f, _ in refused}]
        loaded.n_files = len(files)
    if bad:  # their SOPs are not read: the folder's name would be their id, printed and published
        loaded.refused.extend(f for f in files if loaded.kode_of[f] in bad)
        files = [f for f in files if loaded.kode_of[f] not in bad]
        loaded.n_files = len(files)
        for kode in bad:
            del loaded.institutions[kode]
    return files, loaded


def _unsafe_institutions(loaded: Loaded) -> set[str]:
    """The kodes of institutions whose folder's name cannot be an id (no UTF-8 text, or control or
    invisible characters) or is one the site's own files take (:data:`RESERVED_FOLDERS`,
    :data:`SITE_FOLDER_ENDINGS`) or differs from another's only in case, each said once at its settings file."""
    bad = set()
    folded: dict[str, str] = {}  # each kode without case, in one Unicode form → the first (lower case first)
    for kode, instansi in sorted(loaded.institutions.items(), key=lambda item: (item[0].lower() != item[0], item[0])):
        try:
            kode.encode("utf-8")
            ok = safe_text(kode) == kode
        except UnicodeEncodeError:
            ok = False
        site_name = next((part for part in kode.split("/") if part.casefold() in RESERVED_FOLDERS
                          or part.casefold().endswith(SITE_FOLDER_ENDINGS)), None) if ok else None
        fold = unicodedata.normalize("NFC", kode).casefold() if ok else ""
        rename = "ganti nama foldernya dengan huruf a-z, angka dan tanda hubung, misalnya `dinas-kependudukan`"
        if ok and fold in folded:
            other = loaded.institutions[folded[fold]]
            why = (f"nama folder instansi '{kode}' hanya berbeda huruf besar-kecil (atau cara menulis hurufnya) dari "
                   f"'{folded[fold]}' ({other.path}); di Windows dan macOS keduanya satu folder situs: halaman induk, "
                   "PDF dan buku SOP-nya saling menimpa; berkas SOP di dalamnya tidak dibaca",
                   "gabungkan kedua folder, atau ganti nama salah satunya (sebaiknya huruf kecil semua)")
        elif site_name is not None:
            why = (f"nama folder instansi '{site_name}' dipakai situs untuk berkasnya sendiri (halaman induk "
                   "instansi/, atau PDF dan formulir di pdf/ dan monev/); berkas SOP di dalamnya tidak dibaca", rename)
        elif not ok:
            why = (f"nama folder instansi '{safe_text(kode)}' berisi karakter kendali atau tak terlihat, atau "
                   "bukan teks UTF-8; berkas SOP di dalamnya tidak dibaca", rename)
        else:
            folded.setdefault(fold, kode)
            continue
        if ok:  # a reserved name still takes its place among the folded names
            folded.setdefault(fold, kode)
        bad.add(kode)
        loaded.diagnostics.append(galat(Loc(instansi.path or kode), "nama-berkas-salah", *why))
    return bad


def _institution(folder: str, root: str, folders: dict[str, str]) -> str:
    """The kode of the nearest institution folder at or above ``folder`` (up to ``root``); "" for the top."""
    here = folder
    while True:
        if here in folders:
            return folders[here]
        if here == root:
            return ""
        up = os.path.dirname(here)
        if up == here or os.path.commonpath([root, up]) != root:
            return ""
        here = up


def _settings_above(path: str, root: str, chain: dict[str, tuple[str, str]], skipped: list[Diagnostic]) -> None:
    """The settings files from beside ``path`` up to its data folder ``root``, checked (a folder's own
    was looked at by :func:`find_sop_files`): what is not to be read is said in ``skipped``."""
    isdir = os.path.isdir(path)
    folder = path if isdir else os.path.dirname(path) or "."
    here = os.path.abspath(folder)
    shown = folder
    while True:
        if here not in chain and not (isdir and here == os.path.abspath(folder)):
            candidate = os.path.normpath(os.path.join(shown, SETTINGS_FILE))
            if os.path.lexists(candidate):
                why = check_path(candidate, _roots(root))
                if why is None:
                    chain[here] = (candidate, root)
                elif why not in skipped:
                    skipped.append(why)
        if here == root:
            return
        up = os.path.dirname(here)
        if up == here:
            return
        here, shown = up, os.path.join(shown, os.pardir)


def _merge_settings(chain: dict[str, tuple[str, str]], loaded: Loaded) -> None:
    """Read every settings file once and merge each over its parent's, top first."""
    merged: dict[str, Instansi] = {}
    for folder in sorted(chain, key=lambda f: (f.count(os.sep), f)):
        path, root = chain[folder]
        parent_folder = _parent(folder, root, chain)
        parent = merged.get(parent_folder) if parent_folder else None
        own, diags = load_instansi(path, top=parent is None)
        loaded.diagnostics.extend(diags)
        kode = kode_of(folder, root)
        induk = None if not kode else (kode_of(parent_folder, root) if parent_folder else "")
        merged[folder] = inherit(parent, own, kode, induk)
    for instansi in merged.values():
        loaded.institutions.setdefault(instansi.kode, instansi)
    loaded.institutions.setdefault("", Instansi())
    loaded.instansi = loaded.institutions[""]


def _parent(folder: str, root: str, chain: dict[str, tuple[str, str]]) -> str | None:
    """The nearest institution folder above ``folder``, not above ``root``."""
    here = folder
    while here != root:
        up = os.path.dirname(here)
        if up == here:
            return None
        here = up
        if here in chain:
            return here
    return None


def read_for_key(path: str) -> bytes | None:
    """A file's bytes to key caches by; ``None`` when it cannot be read or is too large (the loader says why)."""
    try:
        data = read_bounded(path)
    except NotRead:
        return None
    return data if len(data) <= MAX_BYTES else None


def content_salt(instansi: Instansi) -> bytes:
    """What the content keys of an institution's files share: our code and its merged settings, every
    value and where it was written (a model carries the settings, positions included). A change in
    one institution's settings changes the keys of its files (and of the institutions below) only."""
    return (code_fingerprint() + SOP_MODEL.dumps(instansi)).encode()


def content_key(salt: bytes, path: str, data: bytes) -> str:
    return hashlib.sha256(salt + path.encode() + b"\0" + data).hexdigest()


MODEL_CACHE = "model"
"""The folder of the model cache (in shards, see :class:`cache.Sharded`)."""


def _load_many(files: list[str], loaded: Loaded, cache_dir: str | None
               ) -> list[tuple[str, str, Sop | None, list[Diagnostic]]]:
    """Each file → (path, content key, SOP or None, diagnostics).

    Measured on 1,000 SOPs: about 3 ms a file goes to YAML composition and
    building the model, and loading in worker processes is slower still
    (sending the models back costs more than parsing them). So the models
    are kept in ``cache_dir``, keyed by the file's bytes and the settings:
    a file that did not change is not parsed again.
    """
    stored = Sharded(os.path.join(cache_dir, MODEL_CACHE) if cache_dir else None, LOADED)
    salts: dict[str, bytes] = {}
    out = []
    for path in files:
        instansi = loaded.settings_of(path)
        salt = salts.get(instansi.kode) or salts.setdefault(instansi.kode, content_salt(instansi))
        data = read_for_key(path)
        if data is None:
            sop, diags = load_sop(path, instansi)  # the loader says what is wrong with it
            out.append((path, "", sop, diags))
            continue
        key = content_key(salt, path, data)
        hit = stored.get(path, key)
        if hit is not None:
            out.append((path, key, hit[0], hit[1]))
            continue
        sop, diags = load_sop(path, instansi, data)
        stored.put(path, key, [sop, diags])
        out.append((path, key, sop, diags))
    stored.drop_missing()
    stored.save()
    return out
