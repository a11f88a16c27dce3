/** The two books of a county (design §4): every transaction balances in each book it touches. */
export const BOOKS = ['financial', 'budget'] as const;
export type Book = (typeof BOOKS)[number];

/** Account families per book and the side on which each normally carries its balance. */
export const ACCOUNT_TYPES = {
  asset: { book: 'financial', normalSide: 'debit' },
  expense: { book: 'financial', normalSide: 'debit' },
  liability: { book: 'financial', normalSide: 'credit' },
  net_assets: { book: 'financial', normalSide: 'credit' },
  revenue: { book: 'financial', normalSide: 'credit' },
  quota: { book: 'budget', normalSide: 'debit' },
  appropriation: { book: 'budget', normalSide: 'credit' },
} as const satisfies Record<string, { book: Book; normalSide: Side }>;

export type AccountType = keyof typeof ACCOUNT_TYPES;
export const SIDES = ['debit', 'credit'] as const;
export type Side = (typeof SIDES)[number];

export const ACCOUNT_TYPE_NAMES = Object.keys(ACCOUNT_TYPES) as AccountType[];

export function normalSideOf(type: AccountType): Side {
  return ACCOUNT_TYPES[type].normalSide;
}

export function bookOf(type: AccountType): Book {
  return ACCOUNT_TYPES[type].book;
}

/**
 * Why a transaction moves money. Only `payment`, `retention` (its release) and `reversal` may take money out of a
 * restricted account, and the database holds the first two to a payment or retention row.
 */
export const PURPOSES = ['manual', 'receipt', 'budget', 'payment', 'retention', 'reversal'] as const;
export type TransactionPurpose = (typeof PURPOSES)[number];
export const OUTFLOW_PURPOSES: readonly TransactionPurpose[] = ['payment', 'retention', 'reversal'];
