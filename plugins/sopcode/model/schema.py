"""The shape of an SOP file, declared once.

The same declaration converts YAML nodes into model objects (with positions
and Indonesian messages) and generates the shipped JSON Schema, so the schema
an editor uses can never drift from what ``sop check`` accepts.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import yaml

from sopcode.diagnostics import Diagnostic, Loc, galat, safe_text
from sopcode.model.sop import Teks
from sopcode.text import closest, short, suggest, then

INVALID = object()
"""Returned by a conversion that reported a diagnostic."""

DASH = "-"
"""What a field the source marks ``-`` (nothing, said explicitly) converts to where it has no other value."""

STR_TAG = "tag:yaml.org,2002:str"
NULL_TAG = "tag:yaml.org,2002:null"

BULAN = {
    "januari": 1, "februari": 2, "pebruari": 2, "maret": 3, "april": 4, "mei": 5, "juni": 6,
    "juli": 7, "agustus": 8, "september": 9, "oktober": 10, "nopember": 11, "november": 11,
    "desember": 12,
}

_new_loc = tuple.__new__


def case_insensitive(pattern: str) -> str:
    """A regular expression that matches regardless of case, for JSON Schema (which has no flags)."""
    out, escaped, in_class = [], False, False
    for c in pattern:
        if c.isalpha() and c.isascii() and not escaped:
            out.append(c.lower() + c.upper() if in_class else f"[{c.lower()}{c.upper()}]")
        else:
            out.append(c)
            if not escaped and c in "[]":
                in_class = c == "["
        escaped = c == "\\" and not escaped
    return "".join(out)


class Ctx:
    """What a conversion needs: the file, where to report, and a work budget.

    The budget bounds the number of nodes visited, so an alias bomb
    ("billion laughs") is refused instead of expanded.
    """

    def __init__(self, path: str, budget: int = 100_000):
        self.path = path
        self.diagnostics: list[Diagnostic] = []
        self.budget = budget
        self.exhausted = False

    def loc(self, node: yaml.Node) -> Loc:
        mark = node.start_mark
        return _new_loc(Loc, (self.path, mark.line + 1, mark.column + 1))  # Loc(...) without its Python __new__

    def error(self, node: yaml.Node, code: str, message: str, hint: str = "") -> object:
        self.diagnostics.append(galat(self.loc(node), code, message, hint))
        return INVALID

    def spend(self, node: yaml.Node) -> bool:
        """One more node visited; False (and one error) once the budget is spent."""
        self.budget -= 1
        if self.budget >= 0:
            return True
        if not self.exhausted:
            self.exhausted = True
            self.error(
                node, "yaml-terlalu-besar",
                "berkas terlalu rumit: terlalu banyak nilai setelah alias (*) dan anchor (&) dijabarkan",
                "tulis isinya langsung tanpa alias YAML; berkas SOP biasa tidak membutuhkannya",
            )
        return False


def is_null(node: yaml.Node) -> bool:
    return isinstance(node, yaml.ScalarNode) and node.tag == NULL_TAG


def describe(node: yaml.Node) -> str:
    if isinstance(node, yaml.MappingNode):
        return "pemetaan (kunci: nilai)"
    if isinstance(node, yaml.SequenceNode):
        return "daftar (- ...)"
    if is_null(node):
        return "kosong"
    return f"teks '{short(node.value)}'"


class Spec:
    """A kind of value in the file: converts a node, describes itself as JSON Schema."""

    doc: str = ""

    def convert(self, node: yaml.Node, ctx: Ctx, key: str) -> Any:
        raise NotImplementedError

    def json_schema(self) -> dict:
        raise NotImplementedError

    def _with_doc(self, schema: dict) -> dict:
        if self.doc:
            schema["description"] = self.doc
        return schema


class Scalar(Spec):
    """A single value; subclasses parse ``node.value`` (the text as written)."""

    @property
    def expected(self) -> str:
        """What the value should be, in words (subclasses say it as a class attribute, or per instance)."""
        return "teks"

    def convert(self, node, ctx, key):
        if not isinstance(node, yaml.ScalarNode):
            return ctx.error(
                node, "tipe-salah",
                f"'{key}' harus berupa {self.expected}, bukan {describe(node)}",
                _colon_in_text(node) or self.example(key),
            )
        if node.tag not in _PLAIN_TAGS:
            return ctx.error(
                node, "tipe-salah", f"tag YAML '{node.tag}' tidak diizinkan pada '{key}'",
                "hapus tag yang diawali tanda seru (!); berkas SOP hanya berisi teks, angka dan tanggal",
            )
        return self.parse(node, ctx, key)

    def parse(self, node, ctx, key):
        raise NotImplementedError

    def example(self, key: str) -> str:
        return f"tulis sebagai satu nilai, misalnya `{key}: ...`"


def _colon_in_text(node: yaml.Node) -> str:
    """The fix for text holding ': ' written without quotes, which YAML reads as a one-key mapping on one
    line (``- Sekretaris: lembar disposisi``): the text in quotes; "" when the node is not such a mapping."""
    if not isinstance(node, yaml.MappingNode) or len(node.value) != 1:
        return ""
    k, v = node.value[0]
    if not (isinstance(k, yaml.ScalarNode) and isinstance(v, yaml.ScalarNode) and v.value
            and k.start_mark.line == v.start_mark.line and not k.style and not v.style):
        return ""
    shown = short(f"{k.value}: {v.value}", 70).replace("\\", "\\\\").replace('"', '\\"')
    return f"teks yang mengandung ': ' ditulis di antara tanda kutip: `\"{safe_text(shown)}\"`"


_PLAIN_TAGS = {
    STR_TAG, NULL_TAG, "tag:yaml.org,2002:int", "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool", "tag:yaml.org,2002:timestamp",
}


@dataclass
class Str(Scalar):
    doc: str = ""
    max_len: int = 0  # 0: no limit of its own
    expected = "teks"

    def parse(self, node, ctx, key):
        text = "" if is_null(node) else node.value.strip()
        if self.max_len and len(text) > self.max_len:
            return ctx.error(node, "teks-terlalu-panjang",
                             f"'{key}' paling banyak {self.max_len} huruf (tertulis {len(text)})",
                             "singkat teksnya")
        return Teks(text, ctx.loc(node))

    def json_schema(self):
        if self.max_len:
            return self._with_doc({"anyOf": [{"type": "string", "maxLength": self.max_len}, {"type": "number"}]})
        return self._with_doc({"type": ["string", "number"]})


@dataclass
class Int(Scalar):
    doc: str = ""
    minimum: int = 1
    expected = "nomor langkah (bilangan bulat)"

    def parse(self, node, ctx, key):
        text = node.value.strip()
        if not re.fullmatch(r"[0-9]{1,9}", text) or int(text) < self.minimum:
            return ctx.error(
                node, "tipe-salah",
                f"'{key}' harus berupa bilangan bulat {self.minimum} atau lebih, bukan '{short(text)}'",
                f"tulis angka saja, misalnya `{key}: 3`",
            )
        return int(text)

    def example(self, key):
        return f"tulis angka saja, misalnya `{key}: 3`"

    def json_schema(self):
        # The text is what is read: `no: "3"` is the number 3 as well.
        as_text = {"type": "string", "pattern": r"^\s*0*[1-9]\d{0,8}\s*$" if self.minimum == 1 else r"^\s*\d{1,9}\s*$"}
        return self._with_doc({"anyOf": [{"type": "integer", "minimum": self.minimum, "maximum": 999_999_999},
                                         as_text]})


@dataclass
class Number(Scalar):
    doc: str = ""
    minimum: float = 0
    maximum: float = 1e9
    expected = "angka"

    def parse(self, node, ctx, key):
        text = node.value.strip().replace(",", ".")
        # Only the digits 0-9 (float() takes Arabic-Indic digits, '1_0', 'nan', '1e3' too).
        value = float(text) if re.fullmatch(r"[0-9]{1,9}(?:\.[0-9]{1,9})?", text) else None
        if value is None or not (self.minimum <= value <= self.maximum):
            return ctx.error(
                node, "tipe-salah",
                f"'{key}' harus berupa angka antara {self.minimum:g} dan {self.maximum:g}, bukan '{short(node.value)}'",
                f"misalnya `{key}: 7.5`",
            )
        return value

    def json_schema(self):
        return self._with_doc({"type": "number", "minimum": self.minimum, "maximum": self.maximum})


_ID_DATE = re.compile(r"([0-9]{1,2})\s+([A-Za-z]+)\s+([0-9]{4})")


@dataclass
class Date(Scalar):
    doc: str = ""
    nullable: bool = False
    expected = "tanggal"

    def parse(self, node, ctx, key):
        text = node.value.strip()
        if self.nullable and (is_null(node) or text == ""):
            return None
        if self.nullable and text == "-":
            return DASH  # no date, and the source says so: printed as "-"
        hint = f"tulis tanggal sebagai `{key}: 2019-01-07` (tahun-bulan-hari) atau `{key}: 7 Januari 2019`"
        m = _ID_DATE.fullmatch(text)
        try:
            if re.fullmatch(r"[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}", text):
                y, mo, d = (int(p) for p in text.split("-"))
                return dt.date(y, mo, d)
            if m and m.group(2).lower() in BULAN:
                return dt.date(int(m.group(3)), BULAN[m.group(2).lower()], int(m.group(1)))
        except ValueError:
            return ctx.error(node, "tanggal-salah", f"tanggal '{text}' pada '{key}' tidak ada di kalender", hint)
        return ctx.error(node, "tanggal-salah", f"'{short(text)}' pada '{key}' bukan tanggal yang dikenali", hint)

    def example(self, key):
        return f"tulis tanggal sebagai `{key}: 2019-01-07`"

    def json_schema(self):
        date = {"type": "string", "pattern": r"^\s*(\d{4}-\d{1,2}-\d{1,2}|\d{1,2}\s+[A-Za-z]+\s+\d{4})\s*$"}
        if self.nullable:
            return self._with_doc({"anyOf": [date, {"type": "null"}, {"enum": ["-", ""]}]})
        return self._with_doc(date)


@dataclass
class Choice(Scalar):
    choices: tuple[str, ...] = ()
    doc: str = ""

    @property
    def expected(self):
        return "salah satu dari: " + ", ".join(self.choices)

    def parse(self, node, ctx, key):
        text = node.value.strip()
        for choice in self.choices:
            if text.lower() == choice.lower():
                return choice
        return ctx.error(
            node, "tipe-salah",
            f"'{short(text)}' tidak dikenal untuk '{key}'; pilihan: {', '.join(self.choices)}",
            suggest(text, self.choices) or f"pilih salah satu: {', '.join(self.choices)}",
        )

    def json_schema(self):
        # The loader reads a choice whatever its case: so does the schema (the enum is for completion).
        any_case = {"type": "string", "pattern": case_insensitive(r"^\s*(" + "|".join(re.escape(c) for c in self.choices) + r")\s*$")}
        return self._with_doc({"anyOf": [{"enum": list(self.choices)}, any_case]})


@dataclass
class Nip(Scalar):
    """NIP: 18 digits = birth date (8), appointment year-month (6), sex (1), serial (3)."""

    doc: str = ""
    expected = "NIP (18 angka)"

    def parse(self, node, ctx, key):
        text = node.value.strip()
        if text in ("", "-"):  # unknown (empty) or none (the source's own "-"): never invented
            return Teks(text, ctx.loc(node))
        digits = re.sub(r"[\s.]", "", text)
        hint = "NIP terdiri atas 18 angka, boleh dikelompokkan 8 6 1 3: `19640104 199101 1 004`"
        if not re.fullmatch(r"[0-9]{18}", digits):
            if any(ch.isdigit() and ch not in "0123456789" for ch in digits):  # Arabic-Indic and other digits
                return ctx.error(node, "nip-salah", f"NIP '{short(text)}' hanya boleh berisi angka 0-9", hint)
            n = sum(ch in "0123456789" for ch in digits)
            return ctx.error(node, "nip-salah", f"NIP '{short(text)}' harus 18 angka (tertulis {n} angka)", hint)
        try:
            born = dt.date(int(digits[0:4]), int(digits[4:6]), int(digits[6:8]))
        except ValueError:
            return ctx.error(
                node, "nip-tanggal", f"8 angka pertama NIP '{text}' bukan tanggal lahir yang ada", hint)
        year, month = int(digits[8:12]), int(digits[12:14])
        if not 1 <= month <= 12 or year < born.year + 15 or year > dt.date.today().year:
            return ctx.error(
                node, "nip-tanggal",
                f"angka 9–14 NIP '{text}' bukan tahun dan bulan pengangkatan yang mungkin "
                f"(lahir {born.year}, diangkat {year}-{month:02d})",
                hint,
            )
        if digits[14] not in "12":
            return ctx.error(
                node, "nip-salah", f"angka ke-15 NIP '{text}' harus 1 (laki-laki) atau 2 (perempuan)", hint)
        return Teks(text, ctx.loc(node))

    def json_schema(self):
        return self._with_doc({"anyOf": [{"type": "integer"}, {"type": "string", "pattern": r"^[\d\s.]*$"},
                                         {"const": "-"}]})


@dataclass
class ListOf(Spec):
    item: Spec
    doc: str = ""
    single_ok: bool = False  # a lone scalar counts as a list of one
    min_items: int = 0

    def convert(self, node, ctx, key):
        if self.min_items and (is_null(node) or (isinstance(node, yaml.SequenceNode) and not node.value)):
            return ctx.error(node, "wajib-diisi", f"'{key}' wajib diisi",
                             f"tulis nilainya setelah `{key}:`" + (", atau daftar nilainya" if self.single_ok else ""))
        if is_null(node):
            return ()
        if isinstance(node, yaml.ScalarNode) and self.single_ok:
            value = self.item.convert(node, ctx, key)
            return INVALID if value is INVALID else (value,)
        if not isinstance(node, yaml.SequenceNode):
            return ctx.error(
                node, "tipe-salah", f"'{key}' harus berupa daftar, bukan {describe(node)}",
                f"tulis setiap butir pada baris sendiri di bawah `{key}:`, diawali `- `",
            )
        items = []
        for child in node.value:
            if not ctx.spend(child):
                return INVALID
            items.append(self.item.convert(child, ctx, key))
        return INVALID if any(v is INVALID for v in items) else tuple(items)

    def json_schema(self):
        schema: dict = {"type": "array", "items": self.item.json_schema()}
        if self.min_items:
            schema["minItems"] = self.min_items
        options = [schema]
        if self.single_ok:
            options.insert(0, self.item.json_schema())
        if not self.min_items:
            options.append({"type": "null"})  # an empty list written as nothing
        return self._with_doc({"anyOf": options} if len(options) > 1 else schema)


@dataclass
class Field:
    spec: Spec
    required: bool = False


def required(**specs: Spec) -> dict[str, Field]:
    """Fields that must all be written, in the order given."""
    return {name: Field(spec, required=True) for name, spec in specs.items()}


@dataclass
class Obj(Spec):
    """A mapping with known keys, built into a model object by ``build``."""

    fields: dict[str, Field]
    build: Callable[[dict, Loc, dict], Any]
    doc: str = ""
    title: str = "pemetaan"

    def convert(self, node, ctx, key):
        if not isinstance(node, yaml.MappingNode):
            return ctx.error(
                node, "tipe-salah", f"'{key}' harus berupa {self.title} (kunci: nilai), bukan {describe(node)}",
                "tulis kunci-kuncinya pada baris sendiri, menjorok ke dalam di bawahnya",
            )
        values: dict[str, Any] = {}
        pos: dict[str, Loc] = {}
        written = {k.value for k, _ in node.value if isinstance(k, yaml.ScalarNode)}
        meant: set[str] = set()  # required keys not written but meant by a key written wrong: said once, there
        ok = True
        for key_node, value_node in node.value:
            if not ctx.spend(value_node):
                return INVALID
            name = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
            if name is None:
                ctx.error(key_node, "tipe-salah", "kunci harus berupa teks biasa", "tulis `kunci: nilai`")
                ok = False
                continue
            if name in pos:
                ctx.error(
                    key_node, "kunci-ganda",
                    f"kunci '{name}' ditulis dua kali (pertama di baris {pos[name].line})",
                    "hapus salah satunya; YAML hanya akan memakai yang terakhir dan isi yang lain hilang",
                )
                ok = False
                continue
            pos[name] = ctx.loc(key_node)
            spec = self.fields.get(name)
            if spec is None:
                hint = suggest(name, list(self.fields)) or "kunci yang dikenal: " + ", ".join(self.fields)
                near = closest(name, list(self.fields))
                if near is not None and self.fields[near].required and near not in written:
                    meant.add(near)
                    hint = then(hint, f"kunci '{near}' wajib ada di {self.title}")
                ctx.error(key_node, "kunci-tak-dikenal", f"kunci '{short(name)}' tidak dikenal di {self.title}", hint)
                ok = False
                continue
            if is_null(value_node) and not isinstance(spec.spec, ListOf):
                if spec.required:
                    ctx.error(value_node if value_node.start_mark.line == key_node.start_mark.line
                              else key_node, "wajib-diisi", f"'{name}' wajib diisi",
                              f"tulis nilainya setelah `{name}:`")
                    ok = False
                continue
            value = spec.spec.convert(value_node, ctx, name)
            if value is INVALID:
                ok = False
            else:
                values[name] = value
        for name, spec in self.fields.items():
            if spec.required and name not in pos and name not in meant:
                ctx.error(node, "wajib-diisi", f"'{name}' wajib ada di {self.title}", f"tambahkan `{name}: ...`")
                ok = False
        if not ok:
            return INVALID
        return self.build(values, ctx.loc(node), pos)

    def json_schema(self):
        def prop(f: Field) -> dict:
            schema = f.spec.json_schema()
            if f.required or isinstance(f.spec, ListOf):
                return schema
            doc = schema.pop("description", None)
            wrapped = {"anyOf": [schema, {"type": "null"}]}  # an optional key left empty means "not given"
            return {**wrapped, "description": doc} if doc else wrapped

        return self._with_doc({
            "type": "object",
            "properties": {k: prop(f) for k, f in self.fields.items()},
            "required": [k for k, f in self.fields.items() if f.required],
            "additionalProperties": False,
        })


@dataclass
class Either(Spec):
    """A scalar read by ``scalar`` or a mapping read by ``mapping`` (e.g. Keterkaitan)."""

    scalar: Spec
    mapping: Obj
    wrap: Callable[[Any], Any] = lambda value: value  # builds the model object from a scalar
    doc: str = ""

    def convert(self, node, ctx, key):
        if isinstance(node, yaml.MappingNode):
            return self.mapping.convert(node, ctx, key)
        value = self.scalar.convert(node, ctx, key)
        return value if value is INVALID else self.wrap(value)

    def json_schema(self):
        return self._with_doc({"anyOf": [self.scalar.json_schema(), self.mapping.json_schema()]})
