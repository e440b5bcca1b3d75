"""What an import found in one file: SOPs as YAML-shaped data, with what was inferred and what not read."""

from __future__ import annotations

from dataclasses import dataclass, field

Path = tuple[str | int, ...]
"""Where a value sits in the SOP's data, e.g. ("langkah", 3, "pelaksana") for the fourth step's actor."""


@dataclass(frozen=True)
class Problem:
    """Something the importer could not decide or read, never silently guessed: Indonesian text naming
    the place (``where``: "halaman 2", "lembar Prosedur") and the step when there is one. A ``settled``
    one was decided by a stated rule ("dipakai yang tertulis di kolom") and is said so it is checked."""

    where: str
    message: str
    step: int | None = None
    settled: bool = False  # two readings disagreed and one was taken, as the message says: to check, not to fill in


@dataclass
class Found:
    """One SOP read from a file.

    ``data`` has the keys and shapes of an SOP file (schema.json): nomor, nama, unit, tanggal_*,
    disahkan_oleh, the six boxes, pelaksana, langkah (each with no, kegiatan, pelaksana, simbol,
    mutu_baku {kelengkapan, waktu, output}, keterangan, lanjut/ya/tidak). Values that were not in the
    file are left out (or None), never invented. ``inferred`` maps the path of each value that was
    inferred rather than read to why, in Indonesian (written into the YAML as ``# disimpulkan: …``).
    ``read`` lists what was read (for the report line), ``problems`` what was not."""

    source: str
    data: dict = field(default_factory=dict)
    inferred: dict[Path, str] = field(default_factory=dict)
    read: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    hierarki: list[str] = field(default_factory=list)  # the institution's lines from the header cell
