import { EXPENSE_CATEGORY_CODES } from './domain/expense-categories';
import { z } from 'zod';
import { inScope, scopePrefix } from '../access/scope';
import { Actor } from '../common/context';
import { DomainError, ErrorCode } from '../common/errors';
import { Queryable, col, selectOne, selectRows } from '../database/rows';
import { CLAIM_STATES } from './domain/claims';

/** A claim with its packet, its village (for scope) and county finance's approval of its version. */
export const ClaimRow = z.object({
  id: col.id,
  contractId: col.id,
  projectId: col.id,
  villageId: col.id,
  path: col.text,
  version: col.int,
  state: z.enum(CLAIM_STATES),
  amount: col.money,
  stage: col.int.nullable(),
  final: col.bool,
  acceptanceId: col.id.nullable(),
  applicationDate: col.date,
  expenses: z.array(z.object({ description: z.string(), amount: z.string(), category: z.enum(EXPENSE_CATEGORY_CODES).optional() })),
  townshipSignedOn: col.date.nullable(),
  lineResult: z.enum(['pass', 'fail']).nullable(),
  holdTransactionId: col.text.nullable(),
  paymentId: col.id.nullable(),
  draftedBy: col.id,
  financeApproval: z.enum(['leader', 'alone']).nullable(),
  invoices: z.array(
    z.object({
      issuer: z.string(),
      issuerTaxId: z.string(),
      code: z.string().optional(),
      number: z.string(),
      date: col.date,
      // numeric(20,2) as text: inside JSON it would arrive as a JSON number and lose cents past 15 digits.
      amount: col.money,
    }),
  ),
});
export type ClaimRow = z.infer<typeof ClaimRow>;

/** County finance's approval of the version of claim `k`: `leader`, `alone`, or null before it (see `LeaderFacts`). */
export const FINANCE_APPROVAL_SQL = `(SELECT s.result FROM claim_steps s WHERE s.claim_id = k.id AND s.version = k.version AND s.step = 'approve' LIMIT 1)`;

/**
 * Everyone who already had a hand in the version of claim `k`, as the maker-checker chain (`ChainStep[]`, JSON): the
 * drafter first, then the version's steps, then whoever uploaded the packet's scans. Each step asks it before
 * `assertNewHand`; lists of what waits ask it before `isNewHand`.
 */
export const CLAIM_HANDS_SQL = `(SELECT json_agg(json_build_object('step', h.step, 'userId', h.user_id) ORDER BY h.o, h.id) FROM (
      SELECT 0 AS o, 0 AS id, 'draft' AS step, k.drafted_by AS user_id
      UNION ALL SELECT 1, s.id, s.step, s.actor_id FROM claim_steps s WHERE s.claim_id = k.id AND s.version = k.version
      UNION ALL SELECT 2, a.id, 'upload', a.uploaded_by FROM claim_attachments a WHERE a.claim_id = k.id) h)`;

/** The shape of `CLAIM_HANDS_SQL`'s column. */
export const ClaimHands = z.array(z.object({ step: z.string(), userId: col.id }));

const SELECT = `
  SELECT k.id, k.contract_id, k.project_id, p.village_id, o.path, k.version, k.state, k.amount, k.stage, k.final, k.acceptance_id,
         k.application_date::text, k.expenses, k.township_signed_on::text, k.line_result, k.hold_transaction_id, k.payment_id,
         k.drafted_by,
         ${FINANCE_APPROVAL_SQL} AS finance_approval,
         coalesce((SELECT json_agg(jsonb_strip_nulls(jsonb_build_object('issuer', i.issuer, 'issuerTaxId', i.issuer_key, 'code', i.code, 'number', i.number, 'date', i.issued_on::text, 'amount', i.amount::text)) ORDER BY i.id)
                     FROM claim_invoices i WHERE i.claim_id = k.id), '[]') AS invoices
    FROM claims k JOIN projects p ON p.id = k.project_id JOIN org_units o ON o.id = p.village_id`;

/** A claim in the actor's county and scope (404 otherwise), locked for update inside a unit of work when asked. */
export async function loadClaim(db: Queryable, actor: Actor, id: number, { lock = false } = {}): Promise<ClaimRow> {
  const row = await selectOne(db, ClaimRow, `${SELECT} WHERE k.id = $1 AND k.county_id = $2 ${lock ? 'FOR UPDATE OF k' : ''}`, [id, actor.county.id]);
  if (!row || !inScope(actor, row.path)) throw new DomainError(ErrorCode.NotFound, `No claim ${id}`);
  return row;
}

export interface ClaimFilter {
  /** The path of the township or village asked for, or null for the actor's whole scope. */
  unitPath: string | null;
  state: string | null;
  projectId: number | null;
  afterId: number;
  limit: number;
}

/** A page of the claims in the actor's scope, in id order. */
export async function claimsInScope(db: Queryable, actor: Actor, f: ClaimFilter): Promise<ClaimRow[]> {
  return selectRows(
    db,
    ClaimRow,
    `${SELECT}
      WHERE k.county_id = $1 AND o.path LIKE $2 || '%' AND ($3::text IS NULL OR o.path LIKE $3 || '%')
        AND ($4::text IS NULL OR k.state = $4) AND ($5::int IS NULL OR k.project_id = $5) AND k.id > $6
      ORDER BY k.id LIMIT $7`,
    [actor.county.id, scopePrefix(actor), f.unitPath, f.state, f.projectId, f.afterId, f.limit],
  );
}
