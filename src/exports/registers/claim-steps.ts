import { EntityManager } from 'typeorm';
import { z } from 'zod';
import { CLAIM_STEPS, ClaimStepName } from '../../claims/domain/claims';
import { col } from '../../database/rows';
import { streamRows } from '../../database/stream-rows';
import { ExportRow, ExportTable, column } from '../table';
import { RegisterPeriod, cell, periodInstants } from './register';

/** What each step is called on the claim form. */
const STEP_NAMES: Record<ClaimStepName, string> = {
  draft: '起草',
  revise: '修改重報',
  submit: '提交',
  township_review: '鄉鎮審核',
  line_review: '行業部門審核',
  approve: '縣財政審批',
  leader_sign: '縣領導簽批',
  reject: '退回',
  pay: '支付',
  withdraw: '撤回',
};

const StepRow = z.object({
  claimId: col.id,
  stepNo: col.count,
  version: col.int,
  step: z.enum(CLAIM_STEPS),
  result: col.text.nullable(),
  actor: col.text,
  actorName: col.text,
  at: col.timestamp,
  note: col.text.nullable(),
});
type StepRow = z.infer<typeof StepRow>;

/**
 * Steps taken in the period, by claim then as taken. A step's number counts every step of its claim up to it, those
 * before the period included: the steps of the claims touched in the period are numbered together, once.
 */
const STEPS = `
  WITH touched AS (
    SELECT DISTINCT s.claim_id FROM claim_steps s JOIN claims k ON k.id = s.claim_id
     WHERE k.county_id = $1 AND s.at >= $2 AND s.at < $3
  ), numbered AS (
    SELECT s.id, s.claim_id, row_number() OVER (PARTITION BY s.claim_id ORDER BY s.id) AS step_no, s.version, s.step, s.result, s.actor_id, s.at, s.note
      FROM claim_steps s WHERE s.claim_id IN (SELECT claim_id FROM touched)
  )
  SELECT n.claim_id, n.step_no, n.version, n.step, n.result, u.username AS actor, u.display_name AS actor_name, n.at, n.note
    FROM numbered n JOIN users u ON u.id = n.actor_id
   WHERE n.at >= $2 AND n.at < $3
   ORDER BY n.claim_id, n.id`;

/** registers/claim-steps.csv — 報帳流程: who took which step of which claim in the period, when, and what they wrote. */
export function claimStepsRegister(em: EntityManager, countyId: number, period: RegisterPeriod): ExportTable {
  const { start, end } = periodInstants(period);
  return {
    name: 'claim-steps',
    title: '報帳流程',
    description: 'Every step of a claim taken in the period, by claim and then in the order taken',
    columns: [
      column('claim_id', '報帳編號', 'integer', 'The claim (registers/claims.csv)'),
      column('step_no', '步驟序號', 'integer', 'The step’s place among all of its claim’s steps, from 1 (steps before the period count)'),
      column('version', '版本', 'integer', 'The version of the packet the step was taken on'),
      column(
        'step',
        '步驟',
        'text',
        'draft, revise (corrected as a new version), submit, township_review, line_review, approve (county finance), leader_sign (county leader, above the threshold), reject, pay, withdraw',
      ),
      column(
        'step_name',
        '步驟名稱',
        'text',
        'The step’s name in Chinese (起草, 修改重報, 提交, 鄉鎮審核, 行業部門審核, 縣財政審批, 縣領導簽批, 退回, 支付, 撤回)',
      ),
      column(
        'result',
        '結果',
        'text',
        'line_review: pass or fail; approve (county finance): leader when a county leader must sign after it, alone when not; otherwise empty',
      ),
      column('actor', '經辦人', 'text', 'Who took the step (username); no person takes two steps of one version past the village’s own'),
      column('actor_name', '經辦人姓名', 'text', 'Their name as recorded on their user'),
      column('at', '時間', 'datetime', 'When the step was taken'),
      column('opinion', '意見', 'text', 'The opinion or reason written with the step (a rejection’s or withdrawal’s reason); empty when none was'),
    ],
    rows: (async function* (): AsyncGenerator<ExportRow> {
      for await (const s of streamRows(em, StepRow, STEPS, [countyId, start, end])) yield stepRow(s);
    })(),
  };
}

function stepRow(s: StepRow): ExportRow {
  return [
    cell.integer(s.claimId),
    cell.integer(s.stepNo),
    cell.integer(s.version),
    cell.text(s.step),
    cell.text(STEP_NAMES[s.step]),
    cell.text(s.result),
    cell.text(s.actor),
    cell.text(s.actorName),
    cell.datetime(s.at),
    cell.text(s.note),
  ];
}
