import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import contentDisposition from 'content-disposition';
import type { Response } from 'express';
import { DataSource } from 'typeorm';
import { CheckpointsService } from '../audit/checkpoints/checkpoints.service';
import { Actor } from '../common/context';
import { DomainError, ErrorCode } from '../common/errors';
import { Period } from '../ledger/ledger-books';
import { CheckpointSource, writeAuditPackage } from './audit-package';
import { periodProblem } from './period';
import { CONTENT_TYPES, TableRequest, exportTable, fileNameOf } from './exporter';

/**
 * Streams exports to HTTP responses. A refusal found before the first byte (bad period, unknown account) is an
 * ordinary error answer; a failure after it breaks the download (the client sees a truncated transfer, never a short
 * file that looks whole) and is logged.
 */
@Injectable()
export class ExportsService {
  private readonly logger = new Logger(ExportsService.name);

  /** Exports streaming now (each holds a connection and a snapshot until its download ends). */
  private running = 0;

  constructor(
    private readonly ds: DataSource,
    private readonly checkpoints: CheckpointsService,
    private readonly config: ConfigService,
  ) {}

  async table(actor: Actor, r: TableRequest, res: Response): Promise<void> {
    await this.streaming(res, () =>
      exportTable(this.ds, actor.county, r, res, () => startDownload(res, CONTENT_TYPES[r.format], fileNameOf(actor.county.code, r))),
    );
  }

  async auditPackage(actor: Actor, period: Period, attachments: boolean, res: Response): Promise<void> {
    const problem = periodProblem(period);
    if (problem) throw problem;
    await this.streaming(res, () =>
      writeAuditPackage(
        this.ds,
        packageCheckpoints(this.checkpoints),
        {
          county: actor.county,
          period,
          attachments,
          onStart: () => startDownload(res, 'application/zip', `${actor.county.code}-audit-package-${period.from}-${period.to}.zip`),
        },
        res,
      ),
    );
  }

  private async streaming(res: Response, work: () => Promise<void>): Promise<void> {
    const limit = this.config.getOrThrow<number>('EXPORTS_CONCURRENCY');
    if (this.running >= limit) {
      throw new DomainError(ErrorCode.ExportsBusy, `${limit} exports are being streamed already; try again when one has finished`, { limit });
    }
    this.running++;
    try {
      await work();
    } catch (err) {
      if (!res.headersSent) throw err;
      this.logger.error(`export broken off: ${(err as Error).message}`);
      res.destroy(err as Error);
    } finally {
      this.running--;
    }
  }
}

function startDownload(res: Response, contentType: string, filename: string): void {
  res.status(200);
  res.setHeader('Content-Type', contentType);
  res.setHeader('Content-Disposition', contentDisposition(filename, { type: 'attachment' }));
}

/** What the audit package asks of the service's checkpoints: its head signed, its notes, its key. */
export function packageCheckpoints(checkpoints: CheckpointsService): CheckpointSource {
  return {
    signHead: async (countyId) => void (await checkpoints.signCheckpoint(countyId)),
    notesUpTo: (em, countyId, treeSize) => checkpoints.notesUpTo(em, countyId, treeSize),
    verifierKey: (countyCode) => checkpoints.verifierKey(countyCode),
    sign: (countyCode, body) => checkpoints.signByCounty(countyCode, body),
  };
}
