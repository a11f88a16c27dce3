import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { z } from 'zod';
import { Clock } from '../common/clock';
import { col, selectRows } from '../database/rows';
import { GATE_KINDS } from './domain/notice-kinds';
import { assertPublicityPassed } from './domain/publicity-gate';

const StandingRow = z.object({
  code: col.text,
  startsOn: col.date,
  endsOn: col.date,
  superseded: col.bool,
  openObjections: col.count,
  upheldObjections: col.count,
});

export type GatedStep = keyof typeof GATE_KINDS;

/**
 * The publicity gates other workflows pass (docs/publicity.md): entering the library waits for the library notice,
 * signing a contract for the plan notice, the payment completing a contract and a retention release for the
 * completion notice. Checked in the step, in its unit of work; the database re-checks at commit with the same day
 * (`fund_ledger.today`), so a write past the service cannot skip a gate either.
 */
@Injectable()
export class PublicityGates {
  constructor(private readonly clock: Clock) {}

  async assertPassed(em: EntityManager, countyId: number, step: GatedStep, projectId: number): Promise<void> {
    const today = this.clock.today();
    await em.query(`SELECT set_config('fund_ledger.today', $1, true)`, [today]);
    const kind = GATE_KINDS[step];
    const notices = await selectRows(
      em,
      StandingRow,
      `SELECT n.code, n.starts_on::text, n.ends_on::text,
              EXISTS (SELECT 1 FROM notices s WHERE s.supersedes_id = n.id AND s.state = 'published') AS superseded,
              (SELECT count(*) FROM notice_objections o WHERE o.notice_id = n.id AND o.state <> 'answered' AND NOT o.late)::int AS open_objections,
              (SELECT count(*) FROM notice_objections o WHERE o.notice_id = n.id AND o.outcome = 'upheld')::int AS upheld_objections
         FROM notices n JOIN notice_projects np ON np.notice_id = n.id
        WHERE np.project_id = $1 AND n.county_id = $2 AND n.kind = $3 AND n.state = 'published'
        ORDER BY n.id`,
      [projectId, countyId, kind],
    );
    assertPublicityPassed(kind, projectId, notices, today);
  }
}
