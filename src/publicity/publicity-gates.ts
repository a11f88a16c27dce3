import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { z } from 'zod';
import { Clock } from '../common/clock';
import { col, selectRows } from '../database/rows';
import { GATE_KINDS } from './domain/notice-kinds';
import { assertPublicityPassed, objectionsHolding } from './domain/publicity-gate';

const PublishedRow = z.object({ id: col.id, code: col.text, startsOn: col.date, endsOn: col.date, superseded: col.bool });
const HoldingRow = z.object({ noticeId: col.id, state: col.text, late: col.bool, outcome: col.text.nullable() });

/**
 * Hands the service's "today" to the database for the rest of the transaction: the publicity triggers that re-check
 * at commit (`publicity_today()`) read it, so a test's clock and the database agree.
 */
export async function handTodayToDatabase(em: EntityManager, today: string): Promise<void> {
  await em.query(`SELECT set_config('fund_ledger.today', $1, true)`, [today]);
}

export type GatedStep = keyof typeof GATE_KINDS;

/**
 * The publicity gates other workflows pass (docs/publicity.md): entering the library waits for the library notice,
 * signing a contract for the plan notice, the payment completing a contract and a retention release for the
 * completion notice. Checked in the step, in its unit of work (the notices held against an objection recorded
 * meanwhile); the database re-checks at commit with the same day (`fund_ledger.today`, never past the real date
 * unless `clock_travel` allows it), so a write past the service cannot skip a gate either.
 */
@Injectable()
export class PublicityGates {
  constructor(private readonly clock: Clock) {}

  async assertPassed(em: EntityManager, countyId: number, step: GatedStep, projectId: number): Promise<void> {
    const today = this.clock.today();
    await handTodayToDatabase(em, today);
    const kind = GATE_KINDS[step];
    const published = await selectRows(
      em,
      PublishedRow,
      `SELECT n.id, n.code, n.starts_on::text, n.ends_on::text,
              EXISTS (SELECT 1 FROM notices s WHERE s.supersedes_id = n.id AND s.state = 'published') AS superseded
         FROM notices n JOIN notice_projects np ON np.notice_id = n.id
        WHERE np.project_id = $1 AND n.county_id = $2 AND n.kind = $3 AND n.state = 'published'
        ORDER BY n.id
          FOR SHARE OF n`,
      [projectId, countyId, kind],
    );
    const objections = await selectRows(em, HoldingRow, `SELECT notice_id, state, late, outcome FROM notice_objections WHERE notice_id = ANY($1::int[])`, [
      published.map((n) => n.id),
    ]);
    const notices = published.map((n) => ({ ...n, ...objectionsHolding(objections.filter((o) => o.noticeId === n.id)) }));
    assertPublicityPassed(kind, projectId, notices, today);
  }
}
