import { AccountType } from './accounts';

/**
 * What a ledger account is about (design §4 families): its kind and the ids it belongs to. They are columns of the
 * account, set when it is opened and never changed (the database refuses a change), and the way every feature names
 * an account. The code (`quota:committed:C7:A3`) is spelled here only: it is for people and the API.
 */
export type AccountRef =
  /** A dedicated account's bank account (專戶): its code is the one people gave the dedicated account. */
  | { kind: 'bank'; dedicatedAccountId: number }
  /** An allocation's fund net assets, held in its dedicated account. */
  | { kind: 'fund'; allocationId: number; dedicatedAccountId: number }
  /** The budget book's source of an allocation, and what of it is not yet allocated to a project. */
  | { kind: 'appropriation' | 'quota_unallocated'; allocationId: number }
  /** A project's budget from one allocation: still uncommitted, and spent. */
  | { kind: 'quota_project' | 'quota_spent'; projectId: number; allocationId: number }
  /** A contract's commitment from one allocation, and the retention it withheld from that allocation's payments. */
  | { kind: 'quota_committed' | 'retention'; projectId: number; contractId: number; allocationId: number }
  /** A claim's budget hold on its contract's commitment from one allocation. */
  | { kind: 'quota_held'; projectId: number; contractId: number; claimId: number; allocationId: number }
  /** A project's expenditure from one allocation, in the project's category. */
  | { kind: 'expense'; projectId: number; allocationId: number; category: string };

/** Every account a workflow opens itself: all but a dedicated account's bank, which the dedicated account opens. */
export type WorkflowAccountRef = Exclude<AccountRef, { kind: 'bank' }>;

/** An account named by its code, as people and the API name it (manual entries, the ledger's HTTP reads). */
export interface ByCode {
  code: string;
}

/** `manual`: an account people opened (`POST /ledger/accounts`), about nothing the workflows know. */
export type AccountKind = AccountRef['kind'] | 'manual';

/** The account type each workflow kind is opened with. */
const TYPE_OF: Record<AccountRef['kind'], AccountType> = {
  bank: 'asset',
  fund: 'net_assets',
  appropriation: 'appropriation',
  quota_unallocated: 'quota',
  quota_project: 'quota',
  quota_committed: 'quota',
  quota_held: 'quota',
  quota_spent: 'quota',
  expense: 'expense',
  retention: 'liability',
};

/** Every kind an account may have: the workflow kinds and `manual`. */
/**
 * The budget book's accounts of a project's money from one source: what is uncommitted, committed (claims' holds
 * included) and spent. Their sum is the project's budget from that source (資金一本帳, publicity notices).
 */
export const PROJECT_BUDGET_KINDS: readonly AccountRef['kind'][] = ['quota_project', 'quota_committed', 'quota_held', 'quota_spent'];

export const ACCOUNT_KINDS: readonly AccountKind[] = [...(Object.keys(TYPE_OF) as AccountRef['kind'][]), 'manual'];

export function typeOfKind(kind: AccountRef['kind']): AccountType {
  return TYPE_OF[kind];
}

/**
 * Kinds a manual entry may name: its own accounts, and a dedicated account's bank (money may come in by hand; it leaves
 * only by a payment). Every other kind moves only through its workflow and its checks.
 */
export function movableByHand(kind: AccountKind): boolean {
  return kind === 'manual' || kind === 'bank';
}

/** The dimensions of an account as its columns hold them: null where a dimension does not apply. */
export interface AccountDimensions {
  kind: AccountKind;
  allocationId: number | null;
  projectId: number | null;
  contractId: number | null;
  claimId: number | null;
  dedicatedAccountId: number | null;
  category: string | null;
}

export type Dimension = keyof AccountDimensions;

export const NO_DIMENSIONS: AccountDimensions = {
  kind: 'manual',
  allocationId: null,
  projectId: null,
  contractId: null,
  claimId: null,
  dedicatedAccountId: null,
  category: null,
};

export function dimensionsOf(ref: AccountRef): AccountDimensions {
  return { ...NO_DIMENSIONS, ...ref };
}

/** The code of a workflow account. A bank account's code comes from its dedicated account (`bankCode`). */
export function codeOf(ref: WorkflowAccountRef): string {
  switch (ref.kind) {
    case 'fund':
      return `fund:A${ref.allocationId}`;
    case 'appropriation':
      return `appropriation:A${ref.allocationId}`;
    case 'quota_unallocated':
      return `quota:unallocated:A${ref.allocationId}`;
    case 'quota_project':
      return `quota:project:P${ref.projectId}:A${ref.allocationId}`;
    case 'quota_spent':
      return `quota:spent:P${ref.projectId}:A${ref.allocationId}`;
    case 'quota_committed':
      return `quota:committed:C${ref.contractId}:A${ref.allocationId}`;
    case 'retention':
      return `retention:C${ref.contractId}:A${ref.allocationId}`;
    case 'quota_held':
      return `quota:held:C${ref.contractId}:K${ref.claimId}:A${ref.allocationId}`;
    case 'expense':
      return `expense:P${ref.projectId}:A${ref.allocationId}:${ref.category}`;
  }
}

/** The code of a dedicated account's bank account, from the code people gave the dedicated account. */
export function bankCode(dedicatedCode: string): string {
  return `bank:${dedicatedCode}`;
}

const WORKFLOW_CODES: readonly [RegExp, Exclude<AccountKind, 'bank' | 'manual'>][] = [
  [/^fund:A\d+$/, 'fund'],
  [/^appropriation:A\d+$/, 'appropriation'],
  [/^quota:unallocated:A\d+$/, 'quota_unallocated'],
  [/^quota:project:P\d+:A\d+$/, 'quota_project'],
  [/^quota:spent:P\d+:A\d+$/, 'quota_spent'],
  [/^quota:committed:C\d+:A\d+$/, 'quota_committed'],
  [/^retention:C\d+:A\d+$/, 'retention'],
  [/^quota:held:C\d+:K\d+:A\d+$/, 'quota_held'],
  [/^expense:P\d+:A\d+:[a-z_]+$/, 'expense'],
];

/**
 * The workflow kind a code is spelled as, or null for a code people chose (a manual account, a dedicated account's
 * bank). For reading a database whose accounts may predate their dimension columns.
 */
export function workflowKindOfCode(code: string): AccountRef['kind'] | null {
  return WORKFLOW_CODES.find(([pattern]) => pattern.test(code))?.[1] ?? null;
}

/** A per-source family: an account reference still missing its allocation (the source). */
export type SourceFamily = DistributiveOmit<Extract<AccountRef, { allocationId: number }>, 'allocationId'>;

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** The family's account at one source. */
export function atSource(family: SourceFamily, allocationId: number): WorkflowAccountRef {
  return { ...family, allocationId };
}
