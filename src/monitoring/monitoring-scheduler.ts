import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { col, selectRows } from '../database/rows';
import { MonitoringRunner } from './monitoring-runner';

const DueCounty = z.object({ id: col.id });

/**
 * The daily run: every MONITORING_INTERVAL_MS it runs every detector over each county that has no scheduled run for
 * today yet. Instances race harmlessly: the database keeps one scheduled run per county and day.
 */
@Injectable()
export class MonitoringScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(MonitoringScheduler.name);
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;

  constructor(
    private readonly ds: DataSource,
    private readonly runner: MonitoringRunner,
    private readonly config: ConfigService,
  ) {}

  onApplicationBootstrap(): void {
    const interval = this.config.getOrThrow<number>('MONITORING_INTERVAL_MS');
    if (interval === 0) return;
    this.timer = setInterval(() => void this.runDue(), interval);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** Runs today's scheduled run of every county that lacks one. Calls overlap into one. */
  runDue(): Promise<void> {
    this.running ??= this.runEach()
      .catch((err) => this.logger.error(`scheduled monitoring failed: ${(err as Error).message}`))
      .finally(() => (this.running = undefined));
    return this.running;
  }

  private async runEach(): Promise<void> {
    // A scheduled run still "running" after an hour died with its process: it gives the day's place back.
    await this.ds.query(
      `UPDATE monitoring_runs SET state = 'abandoned', finished_at = now() WHERE trigger = 'schedule' AND state = 'running' AND started_at < now() - interval '1 hour'`,
    );
    const counties = await selectRows(this.ds, DueCounty, `SELECT id FROM counties ORDER BY id`);
    for (const { id } of counties) await this.runner.run(id, { trigger: 'schedule', requestedBy: null });
  }
}
