/* The filter box and status menu of the list of SOPs: hides rows (and whole units) that do not
   match every typed word and the chosen status; says so when nothing is left.
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
    if (same && inForce) {
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

  function init() {
    checkVersion();
    var box = document.getElementById("saring-sop");
    if (!box || box.dataset.siap) { return; }
    box.dataset.siap = "1";
    var menu = document.getElementById("saring-status");
    var count = document.querySelector(".sop-saring-hasil");
    var empty = document.querySelector(".sop-saring-kosong");
    var units = Array.prototype.slice.call(document.querySelectorAll(".sop-daftar-unit"));

    function apply() {
      var words = box.value.toLowerCase().split(/\s+/).filter(Boolean);
      var wanted = menu ? menu.value : "";
      var shown = 0, total = 0;
      units.forEach(function (unit) {
        var visible = 0;
        unit.querySelectorAll("tr[data-saring]").forEach(function (row) {
          var text = row.getAttribute("data-saring");
          var ok = words.every(function (w) { return text.indexOf(w) !== -1; }) &&
            (!wanted || row.getAttribute("data-status") === wanted);
          row.hidden = !ok;
          total += 1;
          if (ok) { visible += 1; }
        });
        unit.hidden = visible === 0;
        shown += visible;
      });
      if (count) {
        count.textContent = words.length || wanted ? shown + " dari " + total + " SOP" : "";
      }
      if (empty) { empty.hidden = shown !== 0; }
    }

    box.addEventListener("input", apply);
    if (menu) { menu.addEventListener("change", apply); }
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
