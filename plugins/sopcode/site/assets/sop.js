/* The filter box of the list of SOPs: hides rows (and whole units) that do not
   match every typed word. Works offline, from any sub-path, without a server. */
(function () {
  "use strict";

  function init() {
    var box = document.getElementById("saring-sop");
    if (!box || box.dataset.siap) { return; }
    box.dataset.siap = "1";
    var count = document.querySelector(".sop-saring-hasil");
    var units = Array.prototype.slice.call(document.querySelectorAll(".sop-daftar-unit"));

    function apply() {
      var words = box.value.toLowerCase().split(/\s+/).filter(Boolean);
      var shown = 0, total = 0;
      units.forEach(function (unit) {
        var visible = 0;
        unit.querySelectorAll("tr[data-saring]").forEach(function (row) {
          var text = row.getAttribute("data-saring");
          var ok = words.every(function (w) { return text.indexOf(w) !== -1; });
          row.hidden = !ok;
          total += 1;
          if (ok) { visible += 1; }
        });
        unit.hidden = visible === 0;
        shown += visible;
      });
      if (count) {
        count.textContent = words.length ? shown + " dari " + total + " SOP" : "";
      }
    }

    box.addEventListener("input", apply);
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
