// Measured in the browser, for the pagination in layout.py: per SOP, the procedure table's
// head, each step's row and the total row (px), and the identity sheet's content height per font size.
(() => {
  const out = {prosedur: {}, identitas: {}};
  for (const s of document.querySelectorAll('section.ukur-prosedur')) {
    const top = s.getBoundingClientRect().top;
    const head = s.querySelector('table.prosedur thead').getBoundingClientRect();
    out.prosedur[s.dataset.sop] = {
      head: head.bottom - top,
      rows: [...s.querySelectorAll('tr.langkah')].map(r => r.getBoundingClientRect().height),
      jumlah: s.querySelector('tr.jumlah').getBoundingClientRect().height,
    };
  }
  for (const s of document.querySelectorAll('section.lembar-identitas')) {
    const box = s.querySelector('.isi-identitas').getBoundingClientRect();
    (out.identitas[s.dataset.sop] ||= {})[s.dataset.font] = box.height;
  }
  return out;
})()
