import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { col, selectRows } from '../database/rows';
import { CheckpointsService } from './checkpoints/checkpoints.service';

const BATCH = 5000;

/**
 * Links committed events into their county's hash chain (database function `audit_seal`), every
 * AUDIT_SEAL_INTERVAL_MS and once more at shutdown, and after each round signs the checkpoints that are due; at
 * shutdown, one for every county whose head moved. Several service instances may run it at once: they take turns on
 * each county's chain head, and on its checkpoints.
 */
@Injectable()
export class AuditSealer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(AuditSealer.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<number>;

  constructor(
    private readonly ds: DataSource,
    private readonly config: ConfigService,
    private readonly checkpoints: CheckpointsService,
  ) {}

  onApplicationBootstrap(): void {
    const interval = this.config.getOrThrow<number>('AUDIT_SEAL_INTERVAL_MS');
    this.timer = setInterval(() => void this.round(), interval);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.sealAll().catch((err) => this.logger.error(`final sealing failed: ${(err as Error).message}`));
    await this.checkpoints.signDue(true).catch((err) => this.logger.error(`final checkpoints failed: ${(err as Error).message}`));
  }

  private async round(): Promise<void> {
    await this.sealAll().catch((err) => this.logger.error(`sealing failed: ${(err as Error).message}`));
    await this.checkpoints.signDue().catch((err) => this.logger.error(`signing checkpoints failed: ${(err as Error).message}`));
  }

  /** Seals everything sealable now; returns how many events it sealed. Calls overlap into one run. */
  sealAll(): Promise<number> {
    this.running ??= sealCommittedEvents(this.ds).finally(() => (this.running = undefined));
    return this.running;
  }
}

/** Seals every county's committed, unsealed events in batches; returns how many it sealed. */
export async function sealCommittedEvents(ds: DataSource): Promise<number> {
  const counties = await selectRows(ds, z.object({ countyId: col.id }), `SELECT DISTINCT county_id FROM audit_events WHERE seq IS NULL`);
  let total = 0;
  for (const { countyId } of counties) {
    for (;;) {
      const [{ sealed }] = await selectRows(ds, z.object({ sealed: col.int }), `SELECT audit_seal($1, $2) AS sealed`, [countyId, BATCH]);
      total += sealed;
      if (sealed < BATCH) break;
    }
  }
  return total;
}
