import { Injectable, Logger } from '@nestjs/common';
import contentDisposition from 'content-disposition';
import type { Response } from 'express';
import { DataSource } from 'typeorm';
import { CheckpointsService } from '../audit/checkpoints/checkpoints.service';
import { Actor } from '../common/context';
import { invalidField } from '../common/errors';
import { Period } from '../ledger/ledger-books';
import { CheckpointSource, writeAuditPackage } from './audit-package';
import { CONTENT_TYPES, TableRequest, exportTable, fileNameOf } from './exporter';

/**
 * Streams exports to HTTP responses. A refusal found before the first byte (bad period, unknown account) is an
 * ordinary error answer; a failure after it breaks the download (the client sees a truncated transfer, never a short
 * file that looks whole) and is logged.
 */
@Injectable()
export class ExportsService {
  private readonly logger = new Logger(ExportsService.name);

  constructor(
    private readonly ds: DataSource,
    private readonly checkpoints: CheckpointsService,
  ) {}

  async table(actor: Actor, r: TableRequest, res: Response): Promise<void> {
    await this.streaming(res, () =>
      exportTable(this.ds, actor.county, r, res, () => startDownload(res, CONTENT_TYPES[r.format], fileNameOf(actor.county.code, r))),
    );
  }

  async auditPackage(actor: Actor, period: Period, attachments: boolean, res: Response): Promise<void> {
    if (period.to < period.from) throw invalidField('to', 'to must be on or after from');
    startDownload(res, 'application/zip', `${actor.county.code}-audit-package-${period.from}-${period.to}.zip`);
    const checkpoints: CheckpointSource = {
      signHead: async (countyId) => void (await this.checkpoints.signCheckpoint(countyId)),
      notesUpTo: (em, countyId, treeSize) => this.checkpoints.notesUpTo(em, countyId, treeSize),
      verifierKey: (countyCode) => this.checkpoints.verifierKey(countyCode),
    };
    await this.streaming(res, () => writeAuditPackage(this.ds, checkpoints, { county: actor.county, period, attachments }, res));
  }

  private async streaming(res: Response, work: () => Promise<void>): Promise<void> {
    try {
      await work();
    } catch (err) {
      if (!res.headersSent) throw err;
      this.logger.error(`export broken off: ${(err as Error).message}`);
      res.destroy(err as Error);
    }
  }
}

function startDownload(res: Response, contentType: string, filename: string): void {
  res.status(200);
  res.setHeader('Content-Type', contentType);
  res.setHeader('Content-Disposition', contentDisposition(filename, { type: 'attachment' }));
}
