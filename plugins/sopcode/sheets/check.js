// Checked in the browser before printing (layout.py): what overflows a sheet or a cell, and
// a chart out of line with its table's rows. Returns the problems in words (Indonesian).
(() => {
  const problems = [];
  const label = el => {
    const s = el.closest('section');
    return `${s.dataset.sop || 'buku'} hlm ${s.dataset.halaman || '1'}`;
  };
  for (const s of document.querySelectorAll('section.lembar')) {
    if (s.scrollHeight > s.clientHeight + 1) problems.push(`${label(s)}: isi melebihi tinggi lembar`);
  }
  for (const c of document.querySelectorAll('section.lembar td, section.lembar th')) {
    if (c.classList.contains('jangkar')) continue;  // holds the chart, which lies over its neighbours
    if (c.scrollWidth > c.clientWidth + 1 || c.scrollHeight > c.clientHeight + 1) {
      problems.push(`${label(c)}: teks melebihi sel: ${c.textContent.trim().slice(0, 40)}`);
    }
  }
  for (const s of document.querySelectorAll('section.lembar-prosedur')) {
    const cacat = s.querySelector('div.bagan').dataset.cacat;
    if (cacat) problems.push(`${label(s)}: bagan alir: ${cacat}`);
    const sheet = s.getBoundingClientRect();
    const table = s.querySelector('table.prosedur').getBoundingClientRect();
    if (table.right > sheet.right + 0.01) problems.push(`${label(s)}: tabel ${(table.right - sheet.right).toFixed(2)} px lebih lebar dari lembar`);
    if (table.bottom > sheet.bottom + 0.01) problems.push(`${label(s)}: tabel melebihi tinggi lembar`);
    const anchor = s.querySelector('td.jangkar').getBoundingClientRect();
    const svg = s.querySelector('td.jangkar svg').getBoundingClientRect();
    if (Math.abs(svg.left - anchor.left) > 0.7) problems.push(`${label(s)}: bagan bergeser ${(svg.left - anchor.left).toFixed(2)} px dari kolom pelaksana`);
    const rows = [...s.querySelectorAll('tbody tr.langkah, tbody tr.sambungan')];
    let y = svg.top;
    for (const r of rows) {
      const box = r.getBoundingClientRect();
      if (Math.abs(box.top - y) > 0.7) problems.push(`${label(s)}: baris ${r.dataset.langkah || '-'} bergeser ${(box.top - y).toFixed(2)} px dari bagan`);
      y += box.height;
    }
    if (Math.abs(y - svg.bottom) > 0.7) problems.push(`${label(s)}: bagan ${(svg.bottom - y).toFixed(2)} px lebih tinggi dari barisnya`);
  }
  return problems;
})()
