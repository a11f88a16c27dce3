import type Decimal from 'decimal.js';
import type { Role } from '../../access/domain/roles';
import { invoiceNumberKey } from '../../common/identifiers';
import { money } from '../../common/money';

/**
 * Design §6: a claim's states. `rejected` goes back to `draft` when the village corrects it (a new version); a draft or
 * rejected claim the village gives up is `withdrawn`, which frees its invoices. `paid` and `withdrawn` are final.
 */
export const CLAIM_STATES = ['draft', 'submitted', 'township_reviewed', 'line_reviewed', 'approved', 'paid', 'rejected', 'withdrawn'] as const;
export const FINAL_STATES: readonly string[] = ['paid', 'withdrawn'];
export type ClaimState = (typeof CLAIM_STATES)[number];

/** States in which a claim holds budget (from township review until payment or rejection). */
export const HOLDING_STATES: readonly ClaimState[] = ['township_reviewed', 'line_reviewed', 'approved'];

/** The steps a claim's history records. The first three are the maker's; the rest are checks by other people. */
export const CLAIM_STEPS = ['draft', 'revise', 'submit', 'township_review', 'line_review', 'approve', 'leader_sign', 'reject', 'pay', 'withdraw'] as const;
export type ClaimStepName = (typeof CLAIM_STEPS)[number];

/** The maker's steps: the village drafts, corrects and submits its own claim; every other step needs a new hand. */
export const MAKER_STEPS: readonly ClaimStepName[] = ['draft', 'revise', 'submit', 'withdraw'];

export interface ClaimTransition {
  step: ClaimStepName;
  from: readonly ClaimState[];
  /** null: the state does not change by this step alone (a finance approval still waiting for the leader). */
  to: ClaimState | null;
  roles: readonly Role[];
}

/**
 * 資金報帳制: the village submits, township finance reviews, the line department reviews on the merits, county
 * finance approves (and a county leader signs above the threshold), a different county finance user pays. Whoever
 * the next step belongs to may reject instead. Validated at start-up by `checkClaimWorkflow`; the database holds
 * the same edges (claims_guard).
 */
export const CLAIM_TRANSITIONS: readonly ClaimTransition[] = [
  { step: 'submit', from: ['draft'], to: 'submitted', roles: ['village'] },
  { step: 'township_review', from: ['submitted'], to: 'township_reviewed', roles: ['township_finance'] },
  { step: 'line_review', from: ['township_reviewed'], to: 'line_reviewed', roles: ['line_department'] },
  { step: 'approve', from: ['line_reviewed'], to: 'approved', roles: ['county_finance'] },
  { step: 'leader_sign', from: ['line_reviewed'], to: 'approved', roles: ['county_leader'] },
  { step: 'pay', from: ['approved'], to: 'paid', roles: ['county_finance'] },
  {
    step: 'reject',
    from: ['submitted', 'township_reviewed', 'line_reviewed', 'approved'],
    to: 'rejected',
    roles: ['township_finance', 'line_department', 'county_finance', 'county_leader'],
  },
  { step: 'revise', from: ['draft', 'rejected'], to: 'draft', roles: ['village'] },
  { step: 'withdraw', from: ['draft', 'rejected'], to: 'withdrawn', roles: ['village'] },
];

export function claimTransition(step: ClaimStepName): ClaimTransition {
  const t = CLAIM_TRANSITIONS.find((x) => x.step === step);
  if (!t) throw new Error(`no claim transition ${step}`);
  return t;
}

/** Where a step takes a claim off its way forward: back to the village, or given up. */
const SIDE_EXITS: readonly (ClaimState | null)[] = ['rejected', 'withdrawn'];

/**
 * The step that moves a claim in `state` forward: the first step of the table out of the state that neither rejects
 * nor withdraws it (the table lists each state's way forward first: submit before revise, county finance's approval
 * before the leader's signature). Null for a final state.
 */
export function forwardStep(state: ClaimState, table: readonly ClaimTransition[] = CLAIM_TRANSITIONS): ClaimStepName | null {
  return table.find((t) => t.from.includes(state) && !SIDE_EXITS.includes(t.to))?.step ?? null;
}

/** Who may reject a claim in `state`: the roles whose step moves it forward from there (every step but the side exits). */
export function rejectersOf(state: ClaimState, table: readonly ClaimTransition[] = CLAIM_TRANSITIONS): Role[] {
  return [...new Set(table.filter((t) => t.from.includes(state) && !SIDE_EXITS.includes(t.to)).flatMap((t) => t.roles))];
}

/** The roles that take `steps` (routes whose one handler takes several steps, like approve and leader_sign). */
export function rolesOfSteps(...steps: ClaimStepName[]): Role[] {
  return [...new Set(steps.flatMap((step) => claimTransition(step).roles))];
}

/**
 * Every state named is a state, every step is defined once, a final state is never left, and every other state can
 * be left and has a way forward.
 */
export function checkClaimWorkflow(table: readonly ClaimTransition[] = CLAIM_TRANSITIONS): void {
  const states = new Set<string>(CLAIM_STATES);
  const steps = new Set<string>();
  for (const t of table) {
    if (steps.has(t.step)) throw new Error(`claim step ${t.step} is defined twice`);
    steps.add(t.step);
    for (const s of [...t.from, ...(t.to ? [t.to] : [])]) if (!states.has(s)) throw new Error(`claim step ${t.step} names unknown state ${s}`);
    if (t.roles.length === 0) throw new Error(`claim step ${t.step} names no role`);
  }
  for (const s of CLAIM_STATES) {
    if (FINAL_STATES.includes(s)) {
      if (table.some((t) => t.from.includes(s))) throw new Error(`claim state ${s} is final but can be left`);
      continue;
    }
    if (!table.some((t) => t.from.includes(s) && t.to !== s)) throw new Error(`claim state ${s} cannot be left`);
    if (forwardStep(s, table) === null) throw new Error(`claim state ${s} has no way forward`);
  }
  // The reject step is open to exactly those whose step is next in the states it leaves.
  const reject = table.find((t) => t.step === 'reject');
  if (reject) {
    const expected = new Set(reject.from.flatMap((s) => rejectersOf(s, table)));
    if (expected.size !== reject.roles.length || !reject.roles.every((r) => expected.has(r))) {
      throw new Error(`claim step reject names ${reject.roles.join(', ')}, not the roles of the steps it stands in for (${[...expected].join(', ')})`);
    }
  }
}

/** What decides whether a county leader signs a claim: its amount, and county finance's approval of its version once given. */
export interface LeaderFacts {
  amount: string;
  /** County finance's approval of the claim's version: null before it, `leader` when a leader must sign after it, else `alone`. */
  financeApproval: 'leader' | 'alone' | null;
}

/**
 * Whether a county leader must sign after county finance: above the policy's threshold until finance approves, and
 * from then on as finance's approval settled it, so a later change of the threshold strands nothing.
 */
export function needsLeader(claim: LeaderFacts, threshold: Decimal): boolean {
  return claim.financeApproval !== null ? claim.financeApproval === 'leader' : money(claim.amount).gt(threshold);
}

/** County finance approved and left the claim to a leader: until the leader signs, it is the leader's turn, to sign or to reject. */
export function awaitsLeader(claim: { state: ClaimState } & Pick<LeaderFacts, 'financeApproval'>): boolean {
  return claim.state === 'line_reviewed' && claim.financeApproval === 'leader';
}

/**
 * The step a claim waits for, as its view shows it: a line review that failed waits for a rejection, a claim
 * awaiting the leader for the leader's signature, any other for its state's way forward.
 */
export function nextStep(claim: { state: ClaimState; lineResult: string | null } & Pick<LeaderFacts, 'financeApproval'>): ClaimStepName | null {
  if (claim.state === 'line_reviewed' && claim.lineResult === 'fail') return 'reject';
  if (awaitsLeader(claim)) return 'leader_sign';
  return forwardStep(claim.state);
}

/** The kinds of scanned documents a claim's packet holds. */
export const DOCUMENT_KINDS = ['application', 'expense_detail', 'invoice', 'letter_county_township', 'letter_township_village', 'acceptance', 'other'] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];

/** Design §6's packet: application, expense detail, invoices, both responsibility letters; a final claim adds the acceptance. */
export const PACKET_DOCUMENTS: readonly DocumentKind[] = ['application', 'expense_detail', 'invoice', 'letter_county_township', 'letter_township_village'];

export function requiredDocuments(final: boolean): DocumentKind[] {
  return final ? [...PACKET_DOCUMENTS, 'acceptance'] : [...PACKET_DOCUMENTS];
}

/** An invoice as a packet lists it; its identifiers are canonical already (checked at the edge, see InvoiceDto). */
export interface PacketInvoice {
  issuer: string;
  issuerTaxId: string;
  code?: string;
  number: string;
  date: string;
  amount: string;
}

/**
 * How an invoice is recognised when it comes back (虛報冒領): by its issuer's taxpayer id, not the issuer's name as
 * written (英山县 and 英山縣 are one company), and by its code and number.
 */
export function invoiceKeys(invoice: Pick<PacketInvoice, 'issuerTaxId' | 'code' | 'number'>): { issuerKey: string; numberKey: string } {
  return { issuerKey: invoice.issuerTaxId, numberKey: invoiceNumberKey(invoice.code, invoice.number) };
}

/** The file types a packet accepts, recognised by their first bytes, never by the name. */
export const ATTACHMENT_TYPES = {
  'application/pdf': { magic: [Buffer.from('%PDF-')], extensions: ['pdf'] },
  'image/png': { magic: [Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])], extensions: ['png'] },
  'image/jpeg': { magic: [Buffer.from([0xff, 0xd8, 0xff])], extensions: ['jpg', 'jpeg'] },
} as const;
export type AttachmentType = keyof typeof ATTACHMENT_TYPES;

/** How many first bytes `detectType` needs. */
export const MAGIC_BYTES = Math.max(...Object.values(ATTACHMENT_TYPES).flatMap((t) => t.magic.map((m) => m.length)));

/** The type the content is, or null when it is none of the accepted ones. */
export function detectType(content: Buffer): AttachmentType | null {
  for (const [type, def] of Object.entries(ATTACHMENT_TYPES) as [AttachmentType, (typeof ATTACHMENT_TYPES)[AttachmentType]][]) {
    if (def.magic.some((m) => content.length >= m.length && content.subarray(0, m.length).equals(m))) return type;
  }
  return null;
}

/**
 * What is wrong with an upload's name and declared type given what its content is, or null. A name is a plain file
 * name (no directory, no `..`, no control or format characters such as U+202E, which would disguise its extension); its extension and the declared type must both agree with the
 * content, so a file that claims to be a PDF and is not is refused.
 */
export function uploadProblem(filename: string, declaredType: string, detected: AttachmentType | null): { field: string; message: string } | null {
  if (filename.length === 0 || filename.length > 255 || /[/\\]/.test(filename) || filename.includes('..') || /[\p{Cc}\p{Cf}]/u.test(filename)) {
    return { field: 'filename', message: 'a plain file name of at most 255 characters, without a path' };
  }
  if (detected === null) return { field: 'file', message: 'the content is not a PDF, JPEG or PNG file' };
  const extension = filename.includes('.') ? filename.split('.').pop()!.toLowerCase() : '';
  if (!(ATTACHMENT_TYPES[detected].extensions as readonly string[]).includes(extension)) {
    return { field: 'filename', message: `the content is ${detected}; the name says .${extension}` };
  }
  if (declaredType !== detected) return { field: 'file', message: `the content is ${detected}; it was declared ${declaredType}` };
  return null;
}
