import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

/**
 * pdf-parse 2 in a child Node process (pdf.js loads its worker with a dynamic import(), which Jest's CommonJS module
 * system refuses without --experimental-vm-modules), reading several PDFs in one go: each one's page count and the
 * text of each page.
 */
const READER = `
const { PDFParse } = require('pdf-parse');
const { readFileSync } = require('node:fs');
(async () => {
  const out = [];
  for (const file of process.argv.slice(1)) {
    const parser = new PDFParse({ data: readFileSync(file) });
    try {
      const text = await parser.getText({ pageJoiner: '' });
      out.push({ total: text.total, pages: text.pages.map((p) => p.text) });
    } finally {
      await parser.destroy();
    }
  }
  process.stdout.write(JSON.stringify(out));
})().catch((err) => {
  console.error(err);
  process.exit(1);
});
`;

export async function pdfTexts(...pdfs: Buffer[]): Promise<{ total: number; pages: string[] }[]> {
  const dir = await mkdtemp(join(tmpdir(), 'pdf-text-'));
  try {
    const files = await Promise.all(
      pdfs.map(async (pdf, i) => {
        const file = join(dir, `${i}.pdf`);
        await writeFile(file, pdf);
        return file;
      }),
    );
    const { stdout } = await promisify(execFile)(process.execPath, ['-e', READER, ...files], {
      cwd: join(__dirname, '..', '..'),
      maxBuffer: 256 * 1024 * 1024,
    });
    return JSON.parse(stdout) as { total: number; pages: string[] }[];
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
