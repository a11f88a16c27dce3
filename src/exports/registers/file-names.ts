/** Characters no zip entry name keeps: separators, those Windows refuses in names, controls, and invisible ones that reorder or hide text. */
// eslint-disable-next-line no-control-regex -- control characters are what it removes
const UNSAFE = /[\u0000-\u001f\u007f-\u009f/\\:*?"<>|\u00ad\u061c\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb]/gu;

/** A name's budget in UTF-8 bytes: with its `<attachmentId>-` prefix it stays under the 255 bytes file systems allow. */
const MAX_BYTES = 200;

/**
 * A stored file name as one safe path component of a zip entry: NFC, every unsafe character replaced by `_`, no
 * leading dots (no `..`, no hidden file) and no trailing dots or spaces (Windows drops them), at most 200 bytes of
 * UTF-8 with the extension kept; Chinese and other letters stay as they are. Never empty.
 */
export function safeFileName(name: string): string {
  const cleaned = name
    .normalize('NFC')
    .replace(/\p{Cs}/gu, '_')
    .replace(UNSAFE, '_')
    .replace(/\s+/gu, ' ')
    .replace(/^[\s.]+/u, '')
    .replace(/[\s.]+$/u, '');
  return shorten(cleaned) || 'file';
}

function shorten(name: string): string {
  if (Buffer.byteLength(name) <= MAX_BYTES) return name;
  const dot = name.lastIndexOf('.');
  const extension = dot > 0 && name.length - dot <= 10 ? name.slice(dot) : '';
  let stem = '';
  for (const char of name.slice(0, name.length - extension.length)) {
    if (Buffer.byteLength(stem + char + extension) > MAX_BYTES) break;
    stem += char;
  }
  return stem.replace(/[\s.]+$/u, '') + extension;
}
