import { z } from 'zod';
import { Queryable, col, selectOne } from '../database/rows';

const PassedAcceptance = z.object({
  id: col.id,
  /** The day (China time) it passed. */
  closedOn: col.date,
  /** The latest end of the defect periods of all the contract's passed acceptances. */
  defectPeriodEnds: col.timestamp,
});
export type PassedAcceptance = z.infer<typeof PassedAcceptance>;

/**
 * 驗收一道關: a contract's work stands accepted when its latest acceptance passed (a later failed or open one, for
 * rework, takes an earlier pass back). Answers that acceptance, or undefined. Its `defectPeriodEnds` runs to the latest
 * end among the contract's passed acceptances, each with the defect days fixed when it passed, so a second acceptance
 * passed under a shorter policy cannot cut short the wait for retention.
 */
export async function latestAcceptanceIfPassed(db: Queryable, contractId: number): Promise<PassedAcceptance | undefined> {
  return selectOne(
    db,
    PassedAcceptance,
    `SELECT a.id, (a.closed_at AT TIME ZONE 'Asia/Shanghai')::date::text AS closed_on,
            (SELECT max(closed_at + defect_days * interval '1 day') FROM acceptances WHERE contract_id = $1 AND state = 'passed') AS defect_period_ends
       FROM (SELECT id, state, closed_at FROM acceptances WHERE contract_id = $1 ORDER BY id DESC LIMIT 1) a
      WHERE a.state = 'passed'`,
    [contractId],
  );
}
