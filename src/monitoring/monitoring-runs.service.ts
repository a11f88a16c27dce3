import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { Actor } from '../common/context';
import { Clock } from '../common/clock';
import { DomainError, ErrorCode, invalidField } from '../common/errors';
import { DEFAULT_PAGE_SIZE } from '../common/pagination';
import { col, selectOne, selectRows } from '../database/rows';
import { PoliciesService } from '../policies/policies.service';
import { DETECTORS } from './detectors';
import { GUARDS } from './domain/detector';
import { MonitoringRunner } from './monitoring-runner';
import { DetectorView, RunQueryDto, RunView } from './monitoring.dto';

const RunRow = z.object({
  id: col.id,
  trigger: col.text,
  step: col.text.nullable(),
  requestedBy: col.text.nullable(),
  today: col.date,
  state: col.text,
  detectors: z.array(z.record(z.string(), z.unknown())),
  opened: col.int,
  updated: col.int,
  raised: col.int,
  closed: col.int,
  startedAt: col.timestamp,
  finishedAt: col.timestamp.nullable(),
});

const SELECT = `
  SELECT r.id, r.trigger, r.step, u.username AS requested_by, r.today::text, r.state, r.detectors, r.opened, r.updated, r.raised, r.closed,
         r.started_at, r.finished_at
    FROM monitoring_runs r LEFT JOIN users u ON u.id = r.requested_by`;

/** Runs as people ask for and read them, and the catalogue with its thresholds in force. */
@Injectable()
export class MonitoringRuns {
  constructor(
    private readonly ds: DataSource,
    private readonly runner: MonitoringRunner,
    private readonly policies: PoliciesService,
    private readonly clock: Clock,
  ) {}

  async detectors(actor: Actor): Promise<DetectorView[]> {
    const policy = await this.policies.valuesInForce(this.ds.manager, actor.county.id, this.clock.today());
    return DETECTORS.map((d) => ({
      id: d.id,
      nameZh: d.nameZh,
      nameEn: d.nameEn,
      guards: d.guards,
      guardsZh: GUARDS[d.guards],
      source: d.source,
      severities: [...d.severities],
      policies: Object.fromEntries(d.policies.map((k) => [k, policy[k]])),
      after: [...(d.after ?? [])],
    }));
  }

  async runNow(actor: Actor, detectorIds: string[] | undefined): Promise<RunView> {
    const unknown = (detectorIds ?? []).filter((id) => !DETECTORS.some((d) => d.id === id));
    if (unknown.length > 0) throw invalidField('detectors', `no detector ${unknown.join(', ')}`);
    const result = await this.runner.run(actor.county.id, { trigger: 'demand', requestedBy: actor.userId, detectorIds });
    return this.get(actor, result!.id);
  }

  async list(actor: Actor, q: RunQueryDto): Promise<RunView[]> {
    const rows = await selectRows(this.ds, RunRow, `${SELECT} WHERE r.county_id = $1 AND ($2::int IS NULL OR r.id < $2) ORDER BY r.id DESC LIMIT $3`, [
      actor.county.id,
      q.beforeId ?? null,
      q.limit ?? DEFAULT_PAGE_SIZE,
    ]);
    return rows.map(view);
  }

  async get(actor: Actor, id: number): Promise<RunView> {
    const row = await selectOne(this.ds, RunRow, `${SELECT} WHERE r.id = $1 AND r.county_id = $2`, [id, actor.county.id]);
    if (!row) throw new DomainError(ErrorCode.NotFound, `No monitoring run ${id}`);
    return view(row);
  }
}

function view(row: z.infer<typeof RunRow>): RunView {
  return { ...row, startedAt: row.startedAt.toISOString(), finishedAt: row.finishedAt?.toISOString() ?? null };
}
