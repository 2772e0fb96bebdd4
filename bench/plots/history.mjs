// Draws the issue-17 charts from the benchmark outputs saved in bench/results (no dependencies, no downloads):
//   bench/results/scan-history-*.txt  (dotnet run ... -- scan-history ... > that file)
//   bench/results/audit-*.txt         (dotnet run ... -- audit ...        > that file)
// and writes bench/results/history-scan.svg and bench/results/history-audit.svg.
// Usage: node bench/plots/history.mjs
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const results = join(dirname(fileURLToPath(import.meta.url)), '..', 'results');
const files = readdirSync(results);
const num = (s) => Number(String(s).replace(/[,*]/g, ''));

// scan-history: markdown rows "| H | entities | old s | index s | scan s | products/s | rows | reads | docs |"
const scanSeries = files.filter((f) => /^scan-history-.*\.txt$/.test(f)).map((f) => {
  const rows = readFileSync(join(results, f), 'utf8').split('\n')
    .filter((l) => /^\|\s*[\d,]+\s*\|/.test(l)).map((l) => l.split('|').slice(1, -1).map((c) => c.trim()));
  return { name: f.replace(/^scan-history-|\.txt$/g, ''), points: rows.map((r) => ({ x: num(r[0]), y: num(r[4]), docs: num(r[8]) })) };
});

// audit: rows "entries/product audit-ms audit-docs full-ms full-docs pages" (the first table of the output)
const auditSeries = files.filter((f) => /^audit-.*\.txt$/.test(f)).flatMap((f) => {
  const lines = readFileSync(join(results, f), 'utf8').split('\n');
  const start = lines.findIndex((l) => l.startsWith('entries/product'));
  const rows = [];
  for (let i = start + 1; i > 0 && i < lines.length && /^\s*[\d,]+\s/.test(lines[i]); i++) rows.push(lines[i].trim().split(/\s+/));
  const name = f.replace(/^audit-|\.txt$/g, '');
  return [
    { name: `${name}: audit`, points: rows.map((r) => ({ x: num(r[0]), y: num(r[1]), docs: num(r[2]) })) },
    { name: `${name}: full audit`, points: rows.map((r) => ({ x: num(r[0]), y: num(r[3]), docs: num(r[4]) })) },
  ];
});

const colours = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b'];

function chart(title, yLabel, series, file) {
  const w = 720, h = 420, left = 70, right = 230, top = 40, bottom = 60;
  const xs = [...new Set(series.flatMap((s) => s.points.map((p) => p.x)))].sort((a, b) => a - b);
  const yMax = Math.max(1e-9, ...series.flatMap((s) => s.points.map((p) => p.y))) * 1.1;
  // History lengths are categories (0, 100, 1,000): evenly spaced, labelled.
  const px = (x) => left + (xs.indexOf(x) + 0.5) * ((w - left - right) / xs.length);
  const py = (y) => h - bottom - (y / yMax) * (h - top - bottom);
  const out = [`<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" font-family="sans-serif" font-size="12">`,
    `<rect width="${w}" height="${h}" fill="white"/>`,
    `<text x="${w / 2 - right / 2}" y="22" text-anchor="middle" font-size="14">${title}</text>`,
    `<line x1="${left}" y1="${h - bottom}" x2="${w - right}" y2="${h - bottom}" stroke="black"/>`,
    `<line x1="${left}" y1="${top}" x2="${left}" y2="${h - bottom}" stroke="black"/>`,
    `<text x="${(left + w - right) / 2}" y="${h - 20}" text-anchor="middle">ledger entries per product</text>`,
    `<text x="18" y="${(top + h - bottom) / 2}" text-anchor="middle" transform="rotate(-90 18 ${(top + h - bottom) / 2})">${yLabel}</text>`];
  for (const x of xs) out.push(`<text x="${px(x)}" y="${h - bottom + 16}" text-anchor="middle">${x.toLocaleString('en')}</text>`);
  for (let i = 0; i <= 4; i++) {
    const y = (yMax / 4) * i;
    out.push(`<line x1="${left - 4}" y1="${py(y)}" x2="${w - right}" y2="${py(y)}" stroke="#ddd"/>`,
      `<text x="${left - 6}" y="${py(y) + 4}" text-anchor="end">${y < 10 ? y.toFixed(1) : Math.round(y)}</text>`);
  }
  series.forEach((s, i) => {
    const c = colours[i % colours.length];
    const pts = s.points.filter((p) => xs.includes(p.x));
    out.push(`<polyline fill="none" stroke="${c}" stroke-width="2" points="${pts.map((p) => `${px(p.x)},${py(p.y)}`).join(' ')}"/>`);
    for (const p of pts) out.push(`<circle cx="${px(p.x)}" cy="${py(p.y)}" r="3.5" fill="${c}"><title>${s.name}: ${p.y} (${p.docs} documents read)</title></circle>`,
      `<text x="${px(p.x) + 5}" y="${py(p.y) - 6}" fill="${c}" font-size="10">${p.docs} docs</text>`);
    out.push(`<rect x="${w - right + 15}" y="${top + i * 20}" width="12" height="12" fill="${c}"/>`,
      `<text x="${w - right + 32}" y="${top + i * 20 + 11}">${s.name}</text>`);
  });
  out.push('</svg>');
  writeFileSync(join(results, file), out.join('\n') + '\n');
  console.log(`wrote bench/results/${file} (${series.length} series)`);
}

if (scanSeries.length) chart('Nightly scan time against history length (fixed catalogue)', 'scan seconds', scanSeries, 'history-scan.svg');
if (auditSeries.length) chart('Audit time against history length', 'milliseconds (median)', auditSeries, 'history-audit.svg');
if (!scanSeries.length && !auditSeries.length) { console.error('no scan-history-*.txt or audit-*.txt in bench/results'); process.exit(1); }
