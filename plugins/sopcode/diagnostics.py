"""Diagnostics: one message type, one formatter, used by the CLI and the build.

Every problem the project finds in a user's file is a :class:`Diagnostic`
naming the file, line and column, the rule's code, a message in Indonesian
and a hint of the fix. ``format()`` gives the one text shown everywhere, with
every control character shown as an escape (:func:`safe_text`): nothing from a
file (a value quoted in a message, a file's name) reaches a terminal raw.
"""

from __future__ import annotations

import os
import unicodedata
from dataclasses import dataclass
from enum import Enum
from typing import NamedTuple


class Level(str, Enum):
    GALAT = "galat"  # error: the SOP cannot be published as it is
    PERINGATAN = "peringatan"  # warning: published, but worth fixing


class Loc(NamedTuple):
    """A position in a source file; line and column are 1-based.

    A named tuple: a model holds hundreds of these per SOP, and a tuple is the
    smallest and the fastest to make again and to send between processes.
    """

    path: str
    line: int = 1
    col: int = 1

    def __str__(self) -> str:
        return f"{display_path(self.path)}:{self.line}:{self.col}"


@dataclass(frozen=True)
class Diagnostic:
    loc: Loc
    level: Level
    code: str
    message: str
    hint: str = ""

    @property
    def is_error(self) -> bool:
        return self.level is Level.GALAT

    def format(self) -> str:
        text = f"{safe_text(str(self.loc))}: {self.level.value}: {safe_text(self.message)} [{self.code}]"
        if self.hint:
            text += f"\n    perbaikan: {safe_text(self.hint)}"
        return text

    def sort_key(self) -> tuple:
        return (self.loc.path, self.loc.line, self.loc.col, self.code)


def safe_text(text: str) -> str:
    """``text`` from outside (a value quoted in a message, a file's name, git's output) made safe to print.

    Control characters (C0, DEL, C1: ESC opens the sequences that move the
    cursor or erase a line), lone surrogates (a terminal or a UTF-8 encoder
    fails on them) and invisible formatting characters (U+2028 and U+2029,
    bidirectional overrides, zero-width characters) are shown as
    Python-style escapes (``\\x1b``, ``\\u202e``, ``\\ud800``); a tab or an
    unusual space becomes a space. Printable text is returned as it is.
    """
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else " " if c == "\t" or unicodedata.category(c) == "Zs"
                   else repr(c)[1:-1] for c in text)


def display_path(path: str) -> str:
    """Show a path relative to the working directory when it lies below it."""
    try:
        rel = os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return path
    return path if rel.startswith("..") else rel


def galat(loc: Loc, code: str, message: str, hint: str = "") -> Diagnostic:
    return Diagnostic(loc, Level.GALAT, code, message, hint)


def peringatan(loc: Loc, code: str, message: str, hint: str = "") -> Diagnostic:
    return Diagnostic(loc, Level.PERINGATAN, code, message, hint)


def summary(diagnostics: list[Diagnostic], n_files: int) -> str:
    """One closing line in Indonesian: '2 galat, 5 peringatan pada 4 berkas'."""
    errors = sum(d.is_error for d in diagnostics)
    warnings = len(diagnostics) - errors
    return f"{errors} galat, {warnings} peringatan pada {n_files} berkas SOP"
