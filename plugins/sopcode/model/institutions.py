"""Many institutions in one data folder: their settings, the ids of their SOPs, references between them.

An institution is a folder holding its own ``_instansi.yaml``. The data folder's own
(``sop_data/_instansi.yaml``) is the top: the government, or the only institution of a
single-institution project. A folder without ``_instansi.yaml`` only groups files: it changes
neither the settings nor the ids of the SOPs in it.

**How settings are inherited** (the one rule, written once):

* An SOP file takes the settings of its nearest institution: the folder it is in or the nearest
  folder above it that holds ``_instansi.yaml``.
* That institution's settings are its parent's settings (the nearest institution above it),
  with every key its own ``_instansi.yaml`` writes put in place of the parent's, key by key.
  A key it does not write is the parent's; at the top, a key not written is the default.
* ``hierarki`` adds up: the lines an institution writes are put **below** its parent's lines, so
  the top's ``PEMERINTAH KABUPATEN PURWAKARTA`` stays first and a dinas writes only
  ``DINAS KEPENDUDUKAN DAN PENCATATAN SIPIL``. With ``hierarki_lengkap: ya`` the file's lines are
  the whole hierarchy instead (the parent's are not put above them). ``hierarki`` is required at
  the top only.
* ``label`` is merged label by label: an institution renames the labels it writes, the others
  stay as its parent named them.
* ``nama`` is not inherited: an institution is named by its own ``nama:``, else by the last line
  of its hierarchy.
* ``logo`` is relative to the folder of the ``_instansi.yaml`` that names it: a dinas that writes
  no ``logo:`` prints the regency's, read from the regency's folder.
* Messages about a setting point at the file and line that wrote it.

**Ids**: an SOP of the top has the id of its file name without ``.yaml`` (as in a
single-institution project); an SOP of an institution has ``<kode>/<file name>``, where
``kode`` is the institution's folder relative to the data folder (``dinas-kependudukan``,
``kecamatan-a/kelurahan-b``). Its page is ``sop/<id>/`` and its PDF ``pdf/<id>.pdf``.

**References** (Keterkaitan, ``diganti_oleh``, the monitoring and evaluation records): a bare file
name is an SOP of the same institution (else, of the nearest institution above that has one);
``<kode>/<file name>`` names an SOP of any institution.

**The data folder** of a file or folder given alone (``sop check sop_data/dinas/x.yaml``):
the project's data folder (the ``data_dir`` its mkdocs.yml names, else ``sop_data``) when it lies
in it; otherwise the highest folder holding ``_instansi.yaml`` on the way up from it, without passing
a folder that holds ``mkdocs.yml`` or ``.git`` (the project); when there is none, the folder given
(or the file's folder). So a file checked alone has the same id and settings as in the whole build,
with or without the top's ``_instansi.yaml``.
"""

from __future__ import annotations

import os
import re
from collections.abc import Container
from dataclasses import replace
from typing import Protocol

from sopcode.model.sop import Instansi, Posisi

SETTINGS_FILE = "_instansi.yaml"
PROJECT_MARKERS = ("mkdocs.yml", "mkdocs.yaml", ".git")
"""A folder holding one of these is the project: the search for the data folder stops below it."""


class _HasId(Protocol):
    id: str


def institution_of(sop_or_id: str | _HasId) -> str:
    """The ``kode`` of the institution an SOP (or an id) belongs to; "" for the top."""
    sop_id = sop_or_id if isinstance(sop_or_id, str) else sop_or_id.id
    return sop_id.rpartition("/")[0]


def stem_of(sop_id: str) -> str:
    """The file name part of an id (``dinas-x/sop-a`` → ``sop-a``)."""
    return sop_id.rpartition("/")[2]


def make_id(kode: str, stem: str) -> str:
    return f"{kode}/{stem}" if kode else stem


def parents(kode: str) -> list[str]:
    """The kode itself and every folder above it, nearest first, down to the top ("")."""
    out = [kode]
    while kode:
        kode = kode.rpartition("/")[0]
        out.append(kode)
    return out


def resolve(name: str, from_kode: str, ids: Container[str]) -> str | None:
    """The id an SOP of institution ``from_kode`` means by ``name``, None when no SOP of ``ids`` is meant.

    ``<kode>/<stem>`` is a full id; a bare stem is an SOP of the same institution, else of the
    nearest folder above it that has an SOP of that name (the top's SOPs are bare stems).
    """
    name = str(name).strip()
    if "/" in name:
        return name if name in ids else None
    for kode in parents(from_kode):
        candidate = make_id(kode, name)
        if candidate in ids:
            return candidate
    return None


def written_as(target_id: str, from_kode: str) -> str:
    """How an SOP of ``from_kode`` writes a reference to ``target_id``: its bare stem within the
    same institution, else the full id."""
    return stem_of(target_id) if institution_of(target_id) == from_kode else target_id


def inherit(parent: Instansi | None, own: Instansi, kode: str, induk: str | None) -> Instansi:
    """An institution's settings: ``own`` (as its ``_instansi.yaml`` was read, ``pos`` naming the
    keys it writes) over ``parent``'s merged settings, by the rule of this module."""
    if parent is None:
        merged = replace(own, kode=kode, induk=induk)
        return replace(merged, nama=own.nama or _last_line(merged))
    given = set(own.pos)
    changes: dict = {}
    pos = dict(parent.pos)
    for key in given:
        if key in ("nama", "hierarki_lengkap"):
            continue
        if key == "hierarki":
            changes["hierarki"] = own.hierarki if own.hierarki_lengkap else (*parent.hierarki, *own.hierarki)
        elif key == "label":
            label = {**parent.label, **own.label}
            changes["label"] = Posisi(label)
            if "tanggal_efektif" in own.label:
                changes["label_tanggal_efektif"] = own.label_tanggal_efektif
        elif hasattr(own, key):
            changes[key] = getattr(own, key)
        pos[key] = own.pos[key]
    if "label_tanggal_efektif" in given and "tanggal_efektif" not in own.label:
        # One label, two ways to write it: the nearer file's wins over a parent's `label: {tanggal_efektif}`.
        label = dict(changes.get("label", parent.label))
        if "tanggal_efektif" in label:
            label["tanggal_efektif"] = own.label_tanggal_efektif
            changes["label"] = Posisi(label)
    merged = replace(parent, **changes, pos=Posisi(pos), path=own.path, kode=kode, induk=induk,
                     hierarki_lengkap=own.hierarki_lengkap, nama="")
    return replace(merged, nama=own.nama or _last_line(merged))


def _last_line(instansi: Instansi) -> str:
    return str(instansi.hierarki[-1]) if instansi.hierarki else ""


def kode_of(folder: str, root: str) -> str:
    """The kode of an institution folder: its path relative to the data folder, '/'-separated."""
    rel = os.path.relpath(os.path.abspath(folder), os.path.abspath(root))
    return "" if rel == "." else rel.replace(os.sep, "/")


def _is_project(folder: str) -> bool:
    return any(os.path.lexists(os.path.join(folder, m)) for m in PROJECT_MARKERS)


DEFAULT_DATA_DIR = "sop_data"
"""The plugin's ``data_dir`` when mkdocs.yml does not name one."""


def configured_data_dir(project: str) -> str:
    """The data folder the project's mkdocs.yml names (the plugin's ``data_dir``), absolute; ``sop_data``
    beside it when it names none (or there is no mkdocs.yml). Read by its line, not as YAML: a mkdocs.yml
    holds tags (``!!python/name:``) a plain YAML reader refuses."""
    for name in PROJECT_MARKERS[:2]:
        try:
            with open(os.path.join(project, name), encoding="utf-8") as fh:
                for line in fh:
                    found = re.match(r"^\s*data_dir\s*:\s*(['\"]?)([^'\"#]+?)\1\s*(#.*)?$", line)
                    if found:
                        return os.path.normpath(os.path.join(project, found.group(2)))
        except (OSError, UnicodeDecodeError):
            continue
    return os.path.join(project, DEFAULT_DATA_DIR)


def data_root(path: str) -> str:
    """The data folder a file or folder given belongs to (see the module's text), absolute.

    Inside a project whose data folder (:func:`configured_data_dir`) holds ``path``, that data folder,
    whether or not it holds an ``_instansi.yaml``: a dinas's SOP checked alone then has the id
    ``<kode>/<stem>`` the whole build gives it even while the top's settings file is missing."""
    start = os.path.abspath(path if os.path.isdir(path) else os.path.dirname(path) or ".")
    best = start
    here = start
    while True:
        if here != start and _is_project(here):
            configured = configured_data_dir(here)
            if start == configured or start.startswith(configured + os.sep):
                return configured
            break
        if os.path.isfile(os.path.join(here, SETTINGS_FILE)):
            best = here
        if here == start and _is_project(here):
            break
        up = os.path.dirname(here)
        if up == here:
            break
        here = up
    return best
