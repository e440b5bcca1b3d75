"""What the site's search finds an SOP page by, beyond the words its page shows.

How mkdocs-material's search works, and what follows from it (issue 18, item 3):

- Its search plugin cuts each page's HTML into sections (one per heading) and writes, for each, a
  ``title`` and a ``text`` into ``search/search_index.json``. Everything in a section's ``text`` is
  also the result's snippet: a word put into the page for search alone (the roots of its words, a NIP
  without its spaces) would be shown to readers. Those words therefore stay out of the HTML.
- Its search worker indexes every field the index's ``config.fields`` names, and a result shows
  only ``title``, ``text`` and ``tags``. The site adds its fields, :data:`FIELDS`, to the index the
  search plugin wrote (:func:`extend_index`, after it, in the adapter's ``on_post_build``): the page's
  first entry (the page itself, not one of its sections) carries the words of :func:`search_words`.
  (Post-processing the written index, rather than the search plugin's objects: its file format is what
  material's worker reads, its Python internals are not an interface.)
- The worker splits text and queries at ``config.separator``: material's is spaces and hyphens only,
  so ``470/012/Kec.Bgs/2019`` is one word and ``470``, ``Bgs`` or ``M.SARIPUL`` find nothing. The
  site adds slashes, dots and the like (:data:`SEPARATORS`): a number is found whole, in parts, or
  with spaces for its slashes; written without them (``470012``, a NIP's 18 digits), its
  letters and digits run together are among the search words.
- A page's ``search.boost`` (its front matter) multiplies its score: SOP pages get :data:`SOP_BOOST`,
  so for words of SOPs the SOPs come before the guides that quote them (a guide showing the seed's
  NIP in an example). A word only guides use still finds the guides: no SOP matches it.

Words run together in snippets when the HTML has no space between two elements (table cells, a
``<br>``): the search plugin keeps text only. :func:`spaced` puts a line break after them in an SOP's page;
the site's own lists (daftar, monev, perubahan terbaru) write each cell on its own line. A step's link back to
the chart ("↑ bagan") is a word of navigation: it carries ``data-search-exclude`` (it showed as "1↑ bagan").

Words also run together where material's worker cuts a snippet: it shows only the blocks of a section's
text (a top-level element and the text before it) that hold a match, one after the other, without the
white space between them. A table's ``<code>`` cells are such blocks: ``hierarki`` and the next block's
``memperingatkannya`` became "hierarkimemperingatkannya". :func:`paragraphs` makes each block a paragraph
of the index's text, so the blocks shown stand apart.

The unit headings of the lists (Daftar SOP, Monitoring dan evaluasi, an institution's home) are sections
titled with a unit's name, and a title weighs 1000: without :data:`LIST_BOOST` they came before the unit's
SOPs for the unit's own words.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from sopcode.model.sop import Sop
from sopcode.site.stemming import akar_kata

FIELDS = {"kata": 200.0, "isi": 200.0, "kode": 1000.0}
"""The index's fields of words a page is found by but that are never shown, with their weight (a word of
the text weighs 1, a title 1000). ``kata``: the roots of its words. A reader typing ``ukur`` means
*pengukuran*; with the page's boost (:data:`SOP_BOOST`) the root puts the SOP before a guide's heading
that starts with the same letters ("Tolok ukur"). ``kode``: its number, its approver's NIP and its
aliases, whole, in parts and run together, as heavy as a title: they name one SOP, and a part such as
``Kec`` must not lose to a title starting with it (*Kecamatan*). ``isi``: the words of the SOP itself, once
each, on its page's entry (issue 18: SOP pages rank first for words of SOPs). Its steps' words are otherwise
only in a section's text, which weighs 1: "nomor antrean" put a guide's heading "Nomor SOP" (one of the two
words, as a title) before the SOP that holds both. As heavy as the roots: a guide titled with a word no SOP
has ("Banyak instansi") still comes before an SOP holding only the other word; the queries of
``tests/test_search_quality.py`` found 100 to 200 right and 500 too heavy."""

SOP_BOOST = 10.0
"""An SOP page's score against other pages': enough to come first for the SOP's own words, before a guide
that quotes them and before the lists that name every SOP; not enough to put an SOP that merely mentions
a word before the guide titled with it (a title weighs 1000)."""

SEPARATORS = "/.,;:()"
"""Besides material's spaces and hyphens, where the search cuts words: in numbers (``470/012``,
``Kec.Bgs``), names (``M.SARIPUL.HAROM``) and around a word in brackets (``(SKU)``)."""

ENTITIES = "&(?:amp|lt|gt|quot|#\\d+);"
"""The character references of the index's text (the search plugin escapes ``&``, ``<`` and ``>``): each is
cut whole. Cut at its ``;``, ``&lt;kode&gt;`` gave the word ``kode&gt``, and the highlighter's ``<mark>``
around it broke the reference: the snippet showed ``<kode>;``."""

LIST_BOOST = 0.01
"""A list's unit section's score (see :data:`LIST_SECTION`): its title (a unit's name) then weighs no more
than a word of an SOP page's text, so the unit's SOPs come first; a word found nowhere else still finds it."""

LIST_SECTION = re.compile(r"#(?:unit|instansi)-\d+$")
"""The sections the site's lists give each unit and institution (``daftar-sop/#unit-2``): their title is a
unit's name and their text the unit's SOPs, each of which has its own page."""

_NOT_ALNUM = re.compile(r"[\W_]+")
_WORD = re.compile(r"[^\W_]+")


def joined(text: str) -> str | None:
    """``text``'s letters and digits run together, lower case (``470/012/Kec.Bgs/2019`` →
    ``470012kecbgs2019``), or None when that is a single word already."""
    run = _NOT_ALNUM.sub("", str(text)).lower()
    return run if run and run != str(text).strip().lower() else None


_RUNS_ON = re.compile(r"(<br\s*/?>|</(?:td|th|li|dt|dd|caption|summary)>)(?!\s)")


def spaced(html: str) -> str:
    """``html`` with a line break after each ``<br>`` and each table cell, list item, term or caption
    that another element or text follows at once: the browser shows the same (white space between cells
    and after a line break is not displayed), the search's text keeps their words apart."""
    return _RUNS_ON.sub("\\1\n", html)


_BLOCK_TAGS = frozenset({"p", "pre", "ul", "ol", "li"})
_TAG = re.compile(r"<(/?)(\w+)>")


def paragraphs(text: str) -> str:
    """An index entry's ``text`` with each top-level run of text and inline elements (``<code>``,
    ``<sub>``, ``<sup>``) that material's worker treats as one block wrapped in ``<p>``: the blocks a
    snippet shows are then paragraphs, never words joined to the previous block's last word. Text already
    in paragraphs, lists and code blocks is returned as it is."""
    out: list[str] = []
    run: list[str] = []  # top-level text and inline elements of the block not yet written
    depth, pos, opened = 0, 0, 0

    def close_block() -> None:
        block = "".join(run)
        out.append(f"<p>{block.strip()}</p>" if block.strip() else block)
        run.clear()

    for m in _TAG.finditer(text):
        closing, tag = bool(m.group(1)), m.group(2).lower()
        if depth == 0:
            run.append(text[pos:m.start()])
            pos = m.start()
            if closing:  # a stray closing tag: kept as text of the block
                run.append(m.group(0))
                pos = m.end()
                continue
            opened = m.start()
        depth += -1 if closing else 1
        if depth == 0:
            element = text[opened:m.end()]
            pos = m.end()
            if tag in _BLOCK_TAGS:
                close_block()
                out.append(element)
            else:
                run.append(element)
                close_block()
    if depth:  # an element left open: the rest as it is
        close_block()
        out.append(text[pos:])
    else:
        run.append(text[pos:])
        close_block()
    return "".join(out)


def search_words(sop: Sop, texts: Iterable[str], roots: bool = True) -> dict[str, str]:
    """The words an SOP's page is found by without showing them, by field (:data:`FIELDS`): the roots
    of ``texts`` (its searchable text, when ``roots``); the words of ``texts`` once each; its number, its
    approver's NIP and its aliases, in parts and run together."""
    codes = [str(code) for code in (sop.nomor, sop.disahkan_oleh.nip, *sop.alias) if code]
    parts = {part.lower() for code in codes for part in _NOT_ALNUM.split(code) if part}
    runs = {run for code in codes for run in [joined(code)] if run}
    texts = [str(text) for text in texts]
    own = {word.lower() for text in texts for word in _WORD.findall(text) if len(word) >= 3 and not word.isdigit()}
    words = {"kata": " ".join(akar_kata(texts)) if roots else "", "isi": " ".join(sorted(own)),
             "kode": " ".join(sorted(parts | runs))}
    return {name: text for name, text in words.items() if text}


def separator(configured: str) -> str:
    """The search's word separator: the configured one (material's is ``[\\s\\-]+``), a character
    reference (:data:`ENTITIES`) or :data:`SEPARATORS`."""
    return f"(?:{configured})|{ENTITIES}|[{re.escape(SEPARATORS)}]+"


def extend_index(index: dict, words: Mapping[str, Mapping[str, str]]) -> dict:
    """The search plugin's index with :data:`FIELDS` declared and filled in: ``words`` maps a page's
    address (as the index writes it, ``sop/<id>/``) to its words by field; only the page's own entry gets
    them, not its sections. Every entry's text is cut into :func:`paragraphs`, and the lists' unit sections
    get :data:`LIST_BOOST`. The separator gains :data:`ENTITIES` and :data:`SEPARATORS` once (extending
    twice changes nothing)."""
    config = index.setdefault("config", {})
    fields = config.setdefault("fields", {})
    fields.update({name: {"boost": boost} for name, boost in FIELDS.items()})
    current = config.get("separator") or r"[\s\-]+"
    if not current.endswith(f"|[{re.escape(SEPARATORS)}]+"):
        config["separator"] = separator(current)
    for doc in index.get("docs", []):
        for name in FIELDS:
            doc.pop(name, None)
        location = doc.get("location", "")
        doc.update(words.get(location, {}))
        if isinstance(doc.get("text"), str):
            doc["text"] = paragraphs(doc["text"])
        if LIST_SECTION.search(location):
            doc["boost"] = LIST_BOOST
    return index
