import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The `| column | type | … |` rows under each `## <folder>/<name>.csv` (or `###`) heading of a document in docs/, by
 * file name: what the specs beside the exports hold equal to the columns the code writes.
 */
export function documentedColumns(document: string, folder: string): Map<string, { name: string; type: string }[]> {
  const doc = readFileSync(join(__dirname, '..', '..', 'docs', document), 'utf8');
  const tables = new Map<string, { name: string; type: string }[]>();
  let current: { name: string; type: string }[] | undefined;
  const heading = new RegExp(`^#{2,3} ${folder}/([a-z-]+)\\.csv\\b`);
  for (const line of doc.split('\n')) {
    const file = heading.exec(line);
    if (file) tables.set(file[1], (current = []));
    else if (/^#{1,3} /.test(line)) current = undefined;
    const row = /^\| ([a-z][a-z0-9_]*) \| ([a-z]+) \| .+ \|$/.exec(line);
    if (row && current && !line.startsWith('| column | type |')) current.push({ name: row[1], type: row[2] });
  }
  return tables;
}
