import { ConfigService } from '@nestjs/config';
import type { MulterOptions } from '@nestjs/platform-express/multer/interfaces/multer-options.interface';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * How every upload is received: one file, streamed to a temporary file up to the limit (removed when the request
 * ends, RemoveUploadedFile); the name kept whole (preservePath) so a path in it is refused rather than silently cut
 * off, and read as UTF-8 so Chinese names survive. Default directory: one of this process's own (mode 700), so no
 * other local user reads a scan in transit.
 */
export function uploadOptions(config: ConfigService): MulterOptions {
  return {
    dest: config.get<string>('UPLOAD_TMP_DIR') ?? mkdtempSync(join(tmpdir(), 'fund-ledger-uploads-')),
    preservePath: true,
    defParamCharset: 'utf8',
    limits: { fileSize: config.getOrThrow<number>('ATTACHMENT_MAX_BYTES'), files: 1, fields: 4, parts: 6 },
  };
}
