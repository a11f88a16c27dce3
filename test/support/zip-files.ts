import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import yauzl from 'yauzl';
import { ZipFile } from 'yazl';

/** Every entry of a zip, by path, in the zip's order. */
export async function readZip(path: string): Promise<Map<string, Buffer>> {
  const zip = await new Promise<yauzl.ZipFile>((resolve, reject) => yauzl.open(path, { lazyEntries: true }, (err, z) => (err ? reject(err) : resolve(z))));
  const files = new Map<string, Buffer>();
  await new Promise<void>((resolve, reject) => {
    zip.on('entry', (entry: yauzl.Entry) => {
      zip.openReadStream(entry, (err, stream) => {
        if (err) return reject(err);
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('error', reject);
        stream.on('end', () => {
          files.set(entry.fileName, Buffer.concat(chunks));
          zip.readEntry();
        });
      });
    });
    zip.on('end', () => resolve());
    zip.on('error', reject);
    zip.readEntry();
  });
  return files;
}

/** Writes `files` as a zip at `path`, in the map's order. */
export async function writeZip(files: Map<string, Buffer>, path: string): Promise<void> {
  const zip = new ZipFile();
  for (const [name, bytes] of files) zip.addBuffer(bytes, name);
  zip.end();
  await pipeline(zip.outputStream, createWriteStream(path));
}

/**
 * The manifest of a package made to list `files` as they are now: a forger who rehashes what they changed. Its
 * manifest.note then signs another manifest, unless `sign` (the county's key, as only the service holds it) signs the
 * new one.
 */
export function rehashManifest(files: Map<string, Buffer>, sign?: (body: string) => string): void {
  const manifest = JSON.parse(files.get('manifest.json')!.toString('utf8')) as { files: { path: string; bytes: number; sha256: string }[] };
  manifest.files = manifest.files.map((f) => ({
    path: f.path,
    bytes: files.get(f.path)!.length,
    sha256: createHash('sha256').update(files.get(f.path)!).digest('hex'),
  }));
  const bytes = Buffer.from(JSON.stringify(manifest, null, 2));
  files.set('manifest.json', bytes);
  if (sign) {
    const m = manifest as unknown as { format: string; county: { code: string }; treeSize: string };
    files.set('manifest.note', Buffer.from(sign(`${m.format}\n${m.county.code}\n${m.treeSize}\n${createHash('sha256').update(bytes).digest('hex')}\n`)));
  }
}
