/**
 * What a claim's expense line pays for, with the names people read. The last five are the negative list (負面清單) of
 * the central special poverty-alleviation fund rules (中央財政專項扶貧資金管理辦法): the fund may not pay for them.
 */
export const EXPENSE_CATEGORIES = {
  materials: '材料費',
  labour: '人工費',
  machinery: '機械使用費',
  equipment: '設備購置費',
  services: '勞務及服務費',
  management: '管理費',
  other: '其他',
  unit_basic: '單位基本支出',
  vehicles_comms: '交通工具及通訊設備',
  buildings: '樓堂館所',
  bonuses: '獎金津貼福利',
  debt: '償還債務和墊資',
} as const;

export type ExpenseCategory = keyof typeof EXPENSE_CATEGORIES;

export const EXPENSE_CATEGORY_CODES = Object.keys(EXPENSE_CATEGORIES) as ExpenseCategory[];

/** Categories the fund may not pay for. A claim naming one is not refused: reviewers decide, and monitoring flags it. */
export const NEGATIVE_LIST: readonly ExpenseCategory[] = ['unit_basic', 'vehicles_comms', 'buildings', 'bonuses', 'debt'];

/** Project management and administrative costs: capped as a share of a project's budget (policy `management_fee_cap`). */
export const MANAGEMENT_CATEGORY: ExpenseCategory = 'management';
