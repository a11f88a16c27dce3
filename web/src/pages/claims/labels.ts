import type { ClaimState, ClaimStepName, DocumentKind, ExpenseCategory, ProjectState } from './types';

export const CLAIM_STATE_LABELS: Record<ClaimState, string> = {
  draft: '草稿',
  submitted: '已提交',
  township_reviewed: '鄉鎮已審',
  line_reviewed: '部門已審',
  approved: '已審批',
  paid: '已支付',
  rejected: '已退回',
  withdrawn: '已撤回',
};

/** A step as the history names it. */
export const STEP_LABELS: Record<ClaimStepName, string> = {
  draft: '起草',
  revise: '更正',
  submit: '提交',
  township_review: '鄉鎮審核',
  line_review: '部門督查',
  approve: '縣財政審批',
  leader_sign: '縣領導簽批',
  reject: '退回',
  pay: '支付',
  withdraw: '撤回',
};

/** The step a claim waits for, as a to-do reads. */
export const NEXT_LABELS: Record<ClaimStepName, string> = {
  draft: '待起草',
  revise: '待村更正',
  submit: '待村提交',
  township_review: '待鄉鎮審核',
  line_review: '待部門審核',
  approve: '待縣財政審批',
  leader_sign: '待縣領導簽批',
  reject: '督查未通過，待退回',
  pay: '待支付',
  withdraw: '待撤回',
};

/** The scans of a packet (design §6); the route's schema enumerates the kinds. */
export const DOCUMENT_KIND_LABELS: Record<DocumentKind, string> = {
  application: '報帳申請書',
  expense_detail: '支出明細表',
  invoice: '發票',
  letter_county_township: '縣鄉責任書',
  letter_township_village: '鄉村責任書',
  acceptance: '竣工驗收報告',
  other: '其他材料',
};

/** What every claim must have attached before it is submitted; a final claim also the acceptance (src/claims/domain/claims.ts). */
export const REQUIRED_DOCUMENTS: readonly DocumentKind[] = ['application', 'expense_detail', 'invoice', 'letter_county_township', 'letter_township_village'];

export function requiredDocuments(final: boolean): DocumentKind[] {
  return final ? [...REQUIRED_DOCUMENTS, 'acceptance'] : [...REQUIRED_DOCUMENTS];
}

/** As the API's enum description of an expense line's category names them. */
export const EXPENSE_CATEGORY_LABELS: Record<ExpenseCategory, string> = {
  materials: '材料費',
  labour: '人工費',
  machinery: '機械使用費',
  equipment: '設備購置費',
  services: '勞務及服務費',
  management: '管理費',
  other: '其他',
  unit_basic: '單位基本支出（負面清單）',
  vehicles_comms: '交通工具及通訊設備（負面清單）',
  buildings: '樓堂館所（負面清單）',
  bonuses: '獎金津貼福利（負面清單）',
  debt: '償還債務和墊資（負面清單）',
};

export const PROJECT_STATE_LABELS: Record<ProjectState, string> = {
  proposed: '已申報',
  township_reviewed: '鄉鎮已審',
  in_library: '已入庫',
  planned: '已安排資金',
  rejected: '已退回',
};

export { PROJECT_CATEGORY_LABELS } from '../../labels';

export const CONTRACT_STATE_LABELS: Record<'draft' | 'signed', string> = { draft: '草擬', signed: '已簽訂' };

export const BUDGET_LINE_STATE_LABELS: Record<'awaiting_signature' | 'posted', string> = { awaiting_signature: '待縣領導簽批', posted: '已入帳' };

/** Options for an AntD Select from a label table. */
export function optionsOf<K extends string>(labels: Record<K, string>): { value: K; label: string }[] {
  return (Object.entries(labels) as [K, string][]).map(([value, label]) => ({ value, label }));
}
