import { z } from 'zod';
import { inScope } from '../access/scope';
import { Actor } from '../common/context';
import { DomainError, ErrorCode } from '../common/errors';
import { Queryable, col, selectOne, selectRows } from '../database/rows';

/** numeric(7,4): a rate, exact as pg hands it over. */
const rate = z.string().regex(/^\d+(\.\d+)?$/);

/** A contract as every workflow on it reads it: its terms, its project's category, and the village path scope is checked on. */
export const ContractRow = z.object({
  id: col.id,
  countyId: col.id,
  projectId: col.id,
  category: col.text,
  path: col.text,
  title: col.text,
  payeeName: col.text,
  payeeType: col.text,
  payeeBank: col.text,
  payeeAccount: col.text,
  payeeTaxId: col.text.nullable(),
  payeeIdNumber: col.text.nullable(),
  amount: col.money,
  retentionRate: rate.nullable(),
  retentionOverride: rate.nullable(),
  retentionOverrideReason: col.text.nullable(),
  schedule: z.array(z.object({ percent: z.string(), milestone: z.string() })),
  tender: z.object({ method: z.string(), date: z.string(), bidders: z.array(z.string()), winner: z.string() }).nullable(),
  // As recorded: a contract drafted before the letters were checked may hold fewer, or something else; signing reads
  // whatever is there (missingLetters).
  letters: col.json,
  state: z.enum(['draft', 'signed', 'settled']),
  draftedBy: col.id,
  signedBy: col.id.nullable(),
  signedOn: col.date.nullable(),
  commitTransactionId: col.text.nullable(),
});
export type ContractRow = z.infer<typeof ContractRow>;

const SELECT = `
  SELECT c.id, c.county_id, c.project_id, p.category, o.path, c.title, c.payee_name, c.payee_type, c.payee_bank, c.payee_account, c.payee_tax_id,
         c.payee_id_number, c.amount, c.retention_rate, c.retention_override, c.retention_override_reason, c.schedule, c.tender, c.letters, c.state,
         c.drafted_by, c.signed_by, c.signed_on::text, c.commit_transaction_id
    FROM contracts c JOIN projects p ON p.id = c.project_id JOIN org_units o ON o.id = p.village_id`;

/**
 * A contract of the actor's county and scope, or undefined (outside scope it is as if it did not exist); locked for
 * update when asked, so payments, claims and retention movements of one contract queue on its row.
 */
export async function findContract(db: Queryable, actor: Actor, id: number, { lock = false } = {}): Promise<ContractRow | undefined> {
  const row = await selectOne(db, ContractRow, `${SELECT} WHERE c.id = $1 AND c.county_id = $2 ${lock ? 'FOR UPDATE OF c' : ''}`, [id, actor.county.id]);
  return row && inScope(actor, row.path) ? row : undefined;
}

/** `findContract`, answering 404 when there is none. */
export async function loadContract(db: Queryable, actor: Actor, id: number, options: { lock?: boolean } = {}): Promise<ContractRow> {
  const row = await findContract(db, actor, id, options);
  if (!row) throw new DomainError(ErrorCode.NotFound, `No contract ${id}`);
  return row;
}

/** A project's contracts, oldest first; the caller has found the project in scope. */
export async function contractsOfProject(db: Queryable, projectId: number): Promise<ContractRow[]> {
  return selectRows(db, ContractRow, `${SELECT} WHERE c.project_id = $1 ORDER BY c.id`, [projectId]);
}
