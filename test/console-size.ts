// Prints what a browser downloads as JavaScript on the console's first load (the entry script and the chunks it
// preloads, gzip-compressed as the service's proxy or the browser's cache would hold them) and fails above the budget.
// Pages load their own chunks when opened; those are listed apart. Run after `npm run build:web`.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const BUDGET = 1_000_000;
const dist = join(__dirname, '..', 'web', 'dist');
const html = readFileSync(join(dist, 'index.html'), 'utf8');
const first = [...html.matchAll(/<(?:script[^>]+src|link[^>]+rel="modulepreload"[^>]+href)="\/([^"]+\.js)"/g)].map((m) => m[1]);
const gz = (file: string) => gzipSync(readFileSync(join(dist, file)), { level: 9 }).length;
const kb = (n: number) => `${(n / 1024).toFixed(1)} KiB`;

let total = 0;
console.log('first load:');
for (const file of first) {
  const size = gz(file);
  total += size;
  console.log(`  ${file.padEnd(48)} ${kb(size).padStart(12)}`);
}
console.log(`  ${'total (gzip)'.padEnd(48)} ${kb(total).padStart(12)}   budget ${kb(BUDGET)}`);
const later = readdirSync(join(dist, 'assets')).filter((f) => f.endsWith('.js') && !first.includes(`assets/${f}`));
const laterTotal = later.reduce((sum, f) => sum + gz(`assets/${f}`), 0);
console.log(`loaded when a page opens: ${later.length} chunks, ${kb(laterTotal)} in all (gzip)`);
if (total > BUDGET) {
  console.error(`the first load is ${kb(total)} of compressed JavaScript, over the ${kb(BUDGET)} budget`);
  process.exit(1);
}
