import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import * as yauzl from 'yauzl';

/** The zip, read with yauzl from its central directory; entries are opened in whatever order the verifier needs. */
export interface ZipReader {
  zip: yauzl.ZipFile;
  /** Every entry that is a file, by name, in the zip's order. */
  files: Map<string, yauzl.Entry>;
  /** Names stored more than once. */
  duplicates: string[];
}

export async function openZip(path: string): Promise<ZipReader> {
  const zip = await yauzl.openPromise(path, { lazyEntries: true, autoClose: false, decodeStrings: true, validateEntrySizes: true, strictFileNames: true });
  const files = new Map<string, yauzl.Entry>();
  const duplicates: string[] = [];
  try {
    for await (const entry of zip.eachEntry()) {
      // A directory entry holds nothing; it is not a file of the package.
      if (entry.fileName.endsWith('/') && entry.uncompressedSize === 0) continue;
      if (files.has(entry.fileName)) duplicates.push(entry.fileName);
      else files.set(entry.fileName, entry);
    }
  } catch (err) {
    zip.close();
    throw err;
  }
  return { zip, files, duplicates };
}

export interface StreamedFile {
  bytes: number;
  sha256: string;
}

/** Streams one entry through SHA-256 and `onChunk` (which must not throw); answers its size and hash. */
export async function streamEntry(zip: yauzl.ZipFile, entry: yauzl.Entry, onChunk?: (chunk: Buffer) => void): Promise<StreamedFile> {
  const stream: Readable = await zip.openReadStreamPromise(entry);
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    hash.update(chunk);
    bytes += chunk.length;
    onChunk?.(chunk);
  }
  return { bytes, sha256: hash.digest('hex') };
}
