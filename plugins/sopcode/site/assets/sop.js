/* The filter box and menus of the list of SOPs (status; institution and unit when there are several) and of
   an institution's home: hides rows (and whole units) that do not match every typed word and every chosen
   value; says so when nothing is left. Sorting Daftar SOP by a column (one table of every unit's SOPs).
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

  /* Sorting Daftar SOP. A column heading's button shows every unit's SOPs in one table sorted by that column
     (a Unit column added, sortable too), ascending then descending; "Kelompokkan per unit" puts them back
     under their units' headings. The choice is kept in the address (?urut=<column>&arah=turun), like the
     filters. The cells carry what to sort by (data-urut: a number as written, compared naturally, "800/2"
     before "800/10"; a date as ISO); empty values go last either way. The archive's headings sort the
     archive's own table. */
  var COLLATOR = new Intl.Collator("id", { numeric: true, sensitivity: "base" });
  var refilter = function () {};  /* the filter's apply(), once the list's filter is set up */

  function groups() {
    return Array.prototype.slice.call(document.querySelectorAll(".sop-daftar-unit:not(.sop-arsip):not(.sop-daftar-semua)"))
      .filter(function (group) { return group.querySelector("th[data-urut]"); });
  }

  function setAddress(key, descending) {
    if (!window.history || !window.history.replaceState) { return; }
    var query = new URLSearchParams(window.location.search);
    if (key) { query.set("urut", key); } else { query.delete("urut"); }
    if (key && descending) { query.set("arah", "turun"); } else { query.delete("arah"); }
    var search = query.toString();
    window.history.replaceState(window.history.state, "",
      window.location.pathname + (search ? "?" + search : "") + window.location.hash);
  }

  /* The rows of ``body`` sorted by the column headed ``th`` (its data-urut key), from ``rows``' order. */
  function sortRows(th, body, rows, descending) {
    var column = th.cellIndex;
    function value(row) {
      var td = row.cells[column];
      return td ? td.getAttribute("data-urut") || "" : "";
    }
    rows.slice().sort(function (a, b) {
      var x = value(a), y = value(b);
      if (!x || !y) { return x ? -1 : y ? 1 : 0; }
      return descending ? COLLATOR.compare(y, x) : COLLATOR.compare(x, y);
    }).forEach(function (row) { body.appendChild(row); });
    th.closest("thead").querySelectorAll("th[data-urut]").forEach(function (other) {
      if (other === th) { other.setAttribute("aria-sort", descending ? "descending" : "ascending"); }
      else { other.removeAttribute("aria-sort"); }
    });
  }

  /* The one table of every unit's SOPs, built from the first unit's table with a Unit column after the name's. */
  function flatView() {
    var flat = document.querySelector(".sop-daftar-semua");
    var all = groups();
    if (flat || !all.length) { return flat; }
    flat = document.createElement("section");
    flat.className = "sop-daftar-unit sop-daftar-semua";
    var note = document.createElement("p");
    note.className = "sop-urut-ket";
    var said = document.createElement("span");
    said.setAttribute("aria-live", "polite");
    var back = document.createElement("button");
    back.type = "button";
    back.className = "md-button sop-kelompokkan";
    back.textContent = "Kelompokkan per unit";
    back.addEventListener("click", groupedView);
    note.appendChild(said);
    note.appendChild(document.createTextNode(" "));
    note.appendChild(back);
    var box = all[0].querySelector(".sop-daftar").cloneNode(false);
    var table = document.createElement("table");
    var head = all[0].querySelector("thead").cloneNode(true);
    var unit = document.createElement("th");
    unit.setAttribute("data-urut", "unit");
    unit.innerHTML = "<button type=\"button\" class=\"sop-urut\">Unit</button>";
    var name = head.querySelector("th[data-urut=\"nama\"]");
    name.parentNode.insertBefore(unit, name.nextSibling);
    var body = document.createElement("tbody");
    table.appendChild(head);
    table.appendChild(body);
    box.appendChild(table);
    flat.appendChild(note);
    flat.appendChild(box);
    all[0].parentNode.insertBefore(flat, all[0]);
    flat.sopRows = [];
    all.forEach(function (group) {
      var tbody = group.querySelector("tbody");
      tbody.sopRows = Array.prototype.slice.call(tbody.rows);
      tbody.sopRows.forEach(function (row) {
        var named = row.querySelector("td[data-unit]"), td = document.createElement("td");
        td.className = "sop-kolom-unit";
        td.setAttribute("data-label", "Unit");
        td.setAttribute("data-urut", named.getAttribute("data-unit"));
        td.textContent = named.getAttribute("data-unit");
        named.parentNode.insertBefore(td, named.nextSibling);
        flat.sopRows.push(row);
        body.appendChild(row);
      });
      group.hidden = true;
    });
    return flat;
  }

  /* Back to one table per unit, each in its first order. */
  function groupedView() {
    var flat = document.querySelector(".sop-daftar-semua");
    if (!flat) { return; }
    var all = groups();
    all.forEach(function (group) {
      var tbody = group.querySelector("tbody");
      (tbody.sopRows || []).forEach(function (row) {
        var td = row.querySelector("td.sop-kolom-unit");
        if (td) { td.remove(); }
        tbody.appendChild(row);
      });
      group.hidden = false;
    });
    flat.remove();
    setAddress("", false);
    refilter();
    markScrolling();
    var first = all.length ? all[0].querySelector("th[data-urut] > button") : null;
    if (first) { first.focus(); }
  }

  /* Every unit's SOPs in one table sorted by column ``key``; false when the list has no such column. */
  function sortAll(key, descending) {
    var flat = flatView();
    var th = flat ? flat.querySelector("thead th[data-urut=\"" + key + "\"]") : null;
    if (!th) { return false; }
    sortRows(th, flat.querySelector("tbody"), flat.sopRows, descending);
    flat.querySelector(".sop-urut-ket span").textContent = "Semua SOP dalam satu tabel, diurut menurut " +
      th.textContent.trim() + (descending ? " (menurun)." : " (menaik).");
    setAddress(key, descending);
    refilter();
    markScrolling();
    return true;
  }

  function onSortClick(event) {
    var button = event.target.closest ? event.target.closest("th[data-urut] > button.sop-urut") : null;
    if (!button) { return; }
    var th = button.parentNode, key = th.getAttribute("data-urut");
    var descending = th.getAttribute("aria-sort") === "ascending";
    var section = th.closest(".sop-daftar-unit");
    if (section && section.classList.contains("sop-arsip")) {
      var body = th.closest("table").tBodies[0];
      sortRows(th, body, Array.prototype.slice.call(body.rows), descending);
      return;
    }
    if (sortAll(key, descending)) {
      var again = document.querySelector(".sop-daftar-semua thead th[data-urut=\"" + key + "\"] > button");
      if (again && again !== document.activeElement) { again.focus(); }  /* the keyboard stays on the heading */
    }
  }

  var sortingBound = false;

  function initSorting() {
    if (!sortingBound) {
      document.addEventListener("click", onSortClick);
      sortingBound = true;
    }
    if (document.querySelector(".sop-daftar-semua")) { return; }
    var query = new URLSearchParams(window.location.search);
    var key = query.get("urut");
    if (key && /^[a-z]+$/.test(key)) { sortAll(key, query.get("arah") === "turun"); }
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
    initFilter();
    initSorting();
    markScrolling();
  }

  function initFilter() {
    var box = document.getElementById("saring-sop");
    if (!box) { refilter = function () {}; }
    if (!box || box.dataset.siap) { return; }
    box.dataset.siap = "1";
    var menu = document.getElementById("saring-status");
    var institution = document.getElementById("saring-instansi");
    var unitMenu = document.getElementById("saring-unit");
    var count = document.querySelector(".sop-saring-hasil");
    var empty = document.querySelector(".sop-saring-kosong");
    var controls = [box, institution, unitMenu, menu].filter(Boolean);

    document.querySelectorAll(".sop-daftar-unit tr[data-saring]").forEach(function (row) {
      row.sopKata = fold(row.getAttribute("data-saring"));
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
      document.querySelectorAll(".sop-daftar-unit").forEach(function (unit) {
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
    refilter = apply;

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
