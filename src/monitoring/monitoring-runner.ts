import { BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { CalendarService } from '../calendar/calendar.service';
import { Clock } from '../common/clock';
import { systemActor } from '../common/context';
import { col, selectOne, selectRows } from '../database/rows';
import { retryingConflicts } from '../database/unit-of-work';
import { LedgerReadingService } from '../ledger/ledger-reading.service';
import { PoliciesService } from '../policies/policies.service';
import { AlertReconciler, ReconcileCounts, RunStamp } from './alert-reconciler';
import { DETECTORS } from './detectors';
import { Detector, WorkflowStep } from './domain/detector';

export type RunTrigger = 'schedule' | 'demand' | 'step';

export interface RunRequest {
  trigger: RunTrigger;
  step?: WorkflowStep;
  requestedBy: number | null;
  /** Only these detectors (default: all). */
  detectorIds?: readonly string[];
}

/** One detector's part of a run. */
export interface DetectorRun extends ReconcileCounts {
  id: string;
  ms: number;
  error?: string;
}

export interface RunResult {
  id: number;
  today: string;
  detectors: DetectorRun[];
  opened: number;
  updated: number;
  raised: number;
  closed: number;
}

const RunRow = z.object({ id: col.id });

/** The least time between two runs after steps of one county and step. */
const STEP_RUN_PAUSE_MS = 2000;
const County = z.object({ id: col.id, code: col.text });

/**
 * Runs detectors over a county: each detector in a unit of work of its own that reads a snapshot and writes its
 * alerts, holding a per-county, per-detector lock so two runs take turns and neither duplicates nor loses an alert.
 * A detector that fails is recorded with its error; the others still run.
 */
@Injectable()
export class MonitoringRunner implements BeforeApplicationShutdown {
  private readonly logger = new Logger(MonitoringRunner.name);

  constructor(
    private readonly ds: DataSource,
    private readonly ledger: LedgerReadingService,
    private readonly calendar: CalendarService,
    private readonly policies: PoliciesService,
    private readonly reconciler: AlertReconciler,
    private readonly clock: Clock,
    private readonly config: ConfigService,
  ) {}

  /** Runs the request's detectors; null when it is the day's scheduled run and another instance already made it. */
  async run(countyId: number, request: RunRequest): Promise<RunResult | null> {
    const today = this.clock.today();
    const county = await selectOne(this.ds, County, `SELECT id, code FROM counties WHERE id = $1`, [countyId]);
    if (!county) throw new Error(`no county ${countyId}`);
    const [created] = await selectRows(
      this.ds,
      RunRow,
      `INSERT INTO monitoring_runs (county_id, trigger, step, requested_by, today, state) VALUES ($1, $2, $3, $4, $5, 'running')
       ON CONFLICT DO NOTHING RETURNING id`,
      [countyId, request.trigger, request.step ?? null, request.requestedBy, today],
    );
    if (!created) return null;
    const stamp = { id: created.id, today, actor: systemActor(county) };
    const detectors = request.detectorIds ? DETECTORS.filter((d) => request.detectorIds!.includes(d.id)) : DETECTORS;
    const results: DetectorRun[] = [];
    const total = (k: keyof ReconcileCounts) => results.reduce((sum, r) => sum + r[k], 0);
    try {
      for (const detector of detectors) {
        const started = process.hrtime.bigint();
        try {
          const counts = await this.runDetector(countyId, detector, stamp);
          results.push({ id: detector.id, ms: elapsedMs(started), ...counts });
        } catch (err) {
          this.logger.error(`detector ${detector.id} failed in county ${countyId}: ${(err as Error).message}`);
          results.push({ id: detector.id, ms: elapsedMs(started), findings: 0, opened: 0, updated: 0, raised: 0, closed: 0, error: (err as Error).message });
        }
      }
    } finally {
      // Whatever happened, the run is written as it ended, so a stopped run never holds the day's place.
      const failed = results.some((r) => r.error) || results.length < detectors.length;
      await this.ds.query(
        `UPDATE monitoring_runs SET state = $2, detectors = $3, opened = $4, updated = $5, raised = $6, closed = $7, finished_at = now() WHERE id = $1`,
        [created.id, failed ? 'failed' : 'finished', JSON.stringify(results), total('opened'), total('updated'), total('raised'), total('closed')],
      );
    }
    return { id: created.id, today, detectors: results, opened: total('opened'), updated: total('updated'), raised: total('raised'), closed: total('closed') };
  }

  /**
   * One detector over one county: a session lock on (county, detector) taken first, so the two runs of a detector
   * take turns, then one REPEATABLE READ unit of work (its snapshot taken after the lock, so it sees what the run
   * before wrote) that detects and writes the alerts.
   */
  private async runDetector(countyId: number, detector: Detector, stamp: RunStamp): Promise<ReconcileCounts> {
    const runner = this.ds.createQueryRunner();
    await runner.connect();
    const lock = [`monitoring:${countyId}`, detector.id];
    try {
      await runner.query(`SELECT pg_advisory_lock(hashtext($1), hashtext($2))`, lock);
      try {
        return await retryingConflicts(async () => {
          await runner.startTransaction('REPEATABLE READ');
          try {
            const em = runner.manager;
            const policy = await this.policies.valuesInForce(em, countyId, stamp.today);
            const findings = await detector.detect({ em, countyId, today: stamp.today, policy, ledger: this.ledger, calendar: this.calendar });
            const counts = await this.reconciler.apply(em, stamp, detector, findings);
            await runner.commitTransaction();
            return counts;
          } catch (err) {
            await runner.rollbackTransaction();
            throw err;
          }
        });
      } finally {
        await runner.query(`SELECT pg_advisory_unlock(hashtext($1), hashtext($2))`, lock);
      }
    } finally {
      await runner.release();
    }
  }

  /** Runs after workflow steps, per county and step: the one in flight, and whether another step came meanwhile. */
  private readonly afterSteps = new Map<string, { running: Promise<void>; again: boolean }>();

  /**
   * The cheap detectors a workflow step can trigger, run right after the step committed, in the background: the
   * step has happened whatever they find, so a failure is logged, never handed back to the person who took it. Steps
   * that come while such a run is going on are covered by one more run after it, two seconds later at the earliest.
   */
  afterStep(countyId: number, step: WorkflowStep): void {
    if (this.closing || this.config.getOrThrow<string>('MONITORING_AFTER_STEPS') === 'off') return;
    const detectorIds = DETECTORS.filter((d: Detector) => d.after?.includes(step)).map((d) => d.id);
    if (detectorIds.length === 0) return;
    const key = `${countyId}:${step}`;
    const inFlight = this.afterSteps.get(key);
    if (inFlight) {
      inFlight.again = true;
      return;
    }
    const entry = { running: Promise.resolve(), again: false };
    entry.running = (async () => {
      for (let first = true; first || (entry.again && !this.closing); first = false) {
        // Steps in a burst are covered by one run after a breath, not by a run per step.
        if (!first) await new Promise((resolve) => setTimeout(resolve, STEP_RUN_PAUSE_MS));
        entry.again = false;
        await this.run(countyId, { trigger: 'step', step, requestedBy: null, detectorIds }).catch((err: Error) =>
          this.logger.error(`monitoring after ${step} failed in county ${countyId}: ${err.message}`),
        );
      }
      this.afterSteps.delete(key);
    })();
    this.afterSteps.set(key, entry);
  }

  private closing = false;

  /** Starts no more runs after steps, and lets those under way finish before the pool closes. */
  async beforeApplicationShutdown(): Promise<void> {
    this.closing = true;
    await Promise.all([...this.afterSteps.values()].map((e) => e.running));
  }
}

function elapsedMs(started: bigint): number {
  return Number((process.hrtime.bigint() - started) / 1000n) / 1000;
}
