/* The filter box and menus of the list of SOPs (status; institution and unit when there are several) and of
   an institution's home: hides rows (and whole units) that do not match every typed word and every chosen
   value; says so when nothing is left.
   Works offline, from any sub-path, without a server. */
(function () {
  "use strict";

  /* An SOP page opened from a printed sheet's QR code (?rev=<short commit>&tgl=<tanggal revisi>): says whether
     that paper is the revision published here, from what the page embeds (no network). */
  function checkVersion() {
    var note = document.querySelector(".sop-periksa-versi");
    if (!note || note.dataset.siap) { return; }
    note.dataset.siap = "1";
    var query = new URLSearchParams(window.location.search);
    var rev = query.get("rev") || "", tgl = query.get("tgl") || "";
    if (!rev && !tgl) { return; }
    var current = note.getAttribute("data-rev"), currentTgl = note.getAttribute("data-tgl");
    var same = rev ? rev === current && (!tgl || tgl === currentTgl) : tgl === currentTgl && !current;
    var inForce = note.getAttribute("data-berlaku") === "1";
    var draftsInForce = note.getAttribute("data-rev-berlaku");  /* a draft's version in force (its own PDF) */
    if (rev && draftsInForce && rev === draftsInForce) {
      note.textContent = "Lembar ini versi yang berlaku. Halaman ini menampilkan perubahannya yang belum disahkan (DRAF).";
      note.className += " sop-versi-berlaku";
    } else if (same && inForce) {
      note.textContent = "Lembar ini versi yang berlaku.";
      note.className += " sop-versi-berlaku";
    } else if (same) {
      note.textContent = "Lembar ini versi terakhir SOP ini, tetapi SOP ini tidak berlaku (lihat keterangan di atas).";
      note.className += " sop-versi-lama";
    } else {
      var tanggal = note.getAttribute("data-tanggal");
      note.textContent = "Sudah ada versi yang lebih baru: " + (current ? "revisi " + current : "versi di halaman ini") +
        (tanggal ? ", direvisi " + tanggal : "") + ". Lembar cetak ini tidak berlaku lagi; cetak ulang dari halaman ini.";
      note.className += " sop-versi-lama";
    }
    note.hidden = false;
  }

  /* The menus and the box, read from and written to the address (?instansi=…&unit=…&status=…&q=…): another page
     links to the list already filtered (an institution's home: ?instansi=<its folder>), and a filtered list can
     be bookmarked or sent. */
  var PARAMS = { "saring-instansi": "instansi", "saring-unit": "unit", "saring-status": "status", "saring-sop": "q" };

  /* Lower case without diacritics ("Pérez" and "PEREZ" alike), for matching typed words. */
  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  /* A typed word matches where a word of the row starts: "camat" finds "Camat" and "camat/lurah" but not
     "kecamatan"; "800/012" finds a number, "izin" the id "sop-rekomendasi-izin-keramaian". */
  function wordStart(word) {
    return new RegExp("(^|[^\\p{L}\\p{N}])" + word.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"), "u");
  }

  /* Sorting Daftar SOP: a column heading's button sorts the rows of every table (each unit's) by that column,
     ascending then descending; the cells carry what to sort by (data-urut: a number as written, compared
     naturally, "800/2" before "800/10"; a date as ISO). Empty values go last either way. */
  var COLLATOR = new Intl.Collator("id", { numeric: true, sensitivity: "base" });

  function initSorting() {
    var buttons = document.querySelectorAll("th[data-urut] > button.sop-urut");
    Array.prototype.forEach.call(buttons, function (button) {
      if (button.dataset.siap) { return; }
      button.dataset.siap = "1";
      button.addEventListener("click", function () {
        var key = button.parentNode.getAttribute("data-urut");
        var descending = button.parentNode.getAttribute("aria-sort") === "ascending";
        document.querySelectorAll("th[data-urut]").forEach(function (th) {
          if (th.getAttribute("data-urut") === key) {
            th.setAttribute("aria-sort", descending ? "descending" : "ascending");
          } else {
            th.removeAttribute("aria-sort");
          }
        });
        document.querySelectorAll("th[data-urut=\"" + key + "\"]").forEach(function (th) {
          var column = th.cellIndex, body = th.closest("table").tBodies[0];
          var rows = Array.prototype.slice.call(body.rows);
          function value(row) {
            var td = row.cells[column];
            return td ? td.getAttribute("data-urut") || "" : "";
          }
          rows.sort(function (a, b) {
            var x = value(a), y = value(b);
            if (!x || !y) { return x ? -1 : y ? 1 : 0; }
            return descending ? COLLATOR.compare(y, x) : COLLATOR.compare(x, y);
          });
          rows.forEach(function (row) { body.appendChild(row); });
        });
      });
    });
  }

  /* A table wider than its box (a tablet's width): the box is marked, and a line above the table (sop.css)
     says that it scrolls sideways. */
  function markScrolling() {
    document.querySelectorAll(".sop-identitas, .sop-prosedur, .sop-daftar").forEach(function (box) {
      box.classList.toggle("sop-bisa-gulir", box.scrollWidth > box.clientWidth + 1);
    });
    /* A code example or a guide's table wider than its box scrolls sideways: it takes the keyboard's
       focus, so that the arrow keys can scroll it too (one that fits is no stop for Tab). */
    document.querySelectorAll(".md-typeset pre > code, .md-typeset__scrollwrap").forEach(function (box) {
      if (box.scrollWidth > box.clientWidth + 1) { box.tabIndex = 0; } else { box.removeAttribute("tabindex"); }
    });
  }
  window.addEventListener("resize", markScrolling);

  /* The theme's search is a dialog without a name; a screen reader announces it by this one. */
  function nameSearch() {
    var dialog = document.querySelector(".md-search[role=dialog]");
    if (dialog && !dialog.hasAttribute("aria-label")) { dialog.setAttribute("aria-label", "Pencarian"); }
  }

  function init() {
    nameSearch();
    checkVersion();
    initSorting();
    markScrolling();
    var box = document.getElementById("saring-sop");
    if (!box || box.dataset.siap) { return; }
    box.dataset.siap = "1";
    var menu = document.getElementById("saring-status");
    var institution = document.getElementById("saring-instansi");
    var unitMenu = document.getElementById("saring-unit");
    var count = document.querySelector(".sop-saring-hasil");
    var empty = document.querySelector(".sop-saring-kosong");
    var units = Array.prototype.slice.call(document.querySelectorAll(".sop-daftar-unit"));
    var controls = [box, institution, unitMenu, menu].filter(Boolean);

    units.forEach(function (unit) {
      unit.querySelectorAll("tr[data-saring]").forEach(function (row) {
        row.sopKata = fold(row.getAttribute("data-saring"));
      });
    });

    function cell(row, name) {
      var td = row.querySelector("[data-" + name + "]");
      return td ? td.getAttribute("data-" + name) : "";
    }

    /* Only the chosen institution's units are offered; a unit it does not have is let go. */
    function narrowUnits() {
      if (!unitMenu) { return; }
      var chosen = institution ? institution.value : "";
      Array.prototype.forEach.call(unitMenu.options, function (option) {
        if (!option.value) { return; }
        var owners = JSON.parse(option.getAttribute("data-instansi") || "[]");
        var offered = !chosen || owners.indexOf(chosen) !== -1;
        option.hidden = !offered;
        option.disabled = !offered;
        if (!offered && option.selected) { unitMenu.value = ""; }
      });
    }

    function remember() {
      if (!window.history || !window.history.replaceState) { return; }
      var query = new URLSearchParams(window.location.search);
      controls.forEach(function (control) {
        var key = PARAMS[control.id], value = control.value.trim();
        if (value) { query.set(key, value); } else { query.delete(key); }
      });
      var search = query.toString();
      window.history.replaceState(window.history.state, "",
        window.location.pathname + (search ? "?" + search : "") + window.location.hash);
    }

    function apply() {
      narrowUnits();
      var words = fold(box.value).split(/\s+/).filter(Boolean).map(wordStart);
      var wanted = menu ? menu.value : "";
      var wantedInstitution = institution ? institution.value : "";
      var wantedUnit = unitMenu ? unitMenu.value : "";
      var shown = 0, total = 0;
      units.forEach(function (unit) {
        var visible = 0;
        unit.querySelectorAll("tr[data-saring]").forEach(function (row) {
          var text = row.sopKata;
          var ok = words.every(function (w) { return w.test(text); }) &&
            (!wanted || row.getAttribute("data-status") === wanted) &&
            (!wantedInstitution || cell(row, "instansi") === wantedInstitution) &&
            (!wantedUnit || cell(row, "unit") === wantedUnit);
          row.hidden = !ok;
          total += 1;
          if (ok) { visible += 1; }
        });
        unit.hidden = visible === 0;
        shown += visible;
      });
      if (count) {
        count.textContent = words.length || wanted || wantedInstitution || wantedUnit ? shown + " dari " + total + " SOP" : "";
      }
      if (empty) { empty.hidden = shown !== 0; }
    }

    /* From the address first: a value no menu offers is left out (the menu keeps "semua"). */
    var start = new URLSearchParams(window.location.search);
    controls.forEach(function (control) {
      var value = start.get(PARAMS[control.id]);
      if (value === null) { return; }
      if (control.tagName === "SELECT") {
        if (control === unitMenu) { narrowUnits(); }
        var known = Array.prototype.some.call(control.options, function (o) { return o.value === value && !o.disabled; });
        if (known) { control.value = value; }
      } else {
        control.value = value;
      }
    });

    box.addEventListener("input", function () { apply(); remember(); });
    [institution, unitMenu, menu].forEach(function (control) {
      if (control) { control.addEventListener("change", function () { apply(); remember(); }); }
    });
    apply();
  }

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(init);  /* mkdocs-material's page-load signal (instant loading too) */
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
