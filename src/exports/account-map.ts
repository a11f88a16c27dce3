import type { AccountKind } from '../ledger/domain/account-refs';
import type { AccountType } from '../ledger/domain/accounts';

/**
 * The account map: each of our account kinds as an account of 政府會計制度 (財會〔2017〕25號), whose 財務會計 and
 * 預算會計 parts are our two books. The first four digits are the standard's 一級科目; two more digits, where we need
 * them to tell our budget states apart, are our 明細 under it. Auditors' tools group by the mapped code and by the
 * auxiliary dimensions each export carries beside it (project, source, contract, payee, functional class).
 * docs/exports.md explains every choice.
 */
export interface GovAccount {
  code: string;
  name: string;
}

const WORKFLOW_MAP: Record<Exclude<AccountKind, 'manual'>, GovAccount> = {
  bank: { code: '1002', name: '銀行存款' },
  fund: { code: '4001', name: '財政撥款收入' },
  retention: { code: '2307', name: '其他應付款—質量保證金' },
  expense: { code: '5001', name: '業務活動費用' },
  appropriation: { code: '6001', name: '財政撥款預算收入' },
  quota_unallocated: { code: '800101', name: '資金結存—未分配指標' },
  quota_project: { code: '800102', name: '資金結存—項目待用指標' },
  quota_committed: { code: '800103', name: '資金結存—合同已承諾' },
  quota_held: { code: '800104', name: '資金結存—報帳凍結' },
  quota_spent: { code: '7101', name: '行政支出' },
};

/** A manual account is about nothing the workflows know: it maps by its type to the standard's catch-all of that type. */
const MANUAL_MAP: Record<AccountType, GovAccount> = {
  asset: { code: '1218', name: '其他應收款' },
  liability: { code: '2307', name: '其他應付款' },
  net_assets: { code: '3001', name: '累計盈餘' },
  revenue: { code: '4609', name: '其他收入' },
  expense: { code: '5001', name: '業務活動費用' },
  quota: { code: '8001', name: '資金結存' },
  appropriation: { code: '6001', name: '財政撥款預算收入' },
};

export function govAccountOf(kind: AccountKind, type: AccountType): GovAccount {
  return kind === 'manual' ? MANUAL_MAP[type] : WORKFLOW_MAP[kind];
}

/**
 * 政府收支分類科目's functional class (功能分類) of a project's spending, from the project's category: 2130504
 * 農村基礎設施建設, 2130505 生產發展, 2130506 社會發展, 2130599 其他扶貧支出.
 */
const FUNCTIONAL_CLASSES: Record<string, GovAccount> = {
  infrastructure: { code: '2130504', name: '農村基礎設施建設' },
  work_for_relief: { code: '2130504', name: '農村基礎設施建設' },
  industry: { code: '2130505', name: '生產發展' },
  social_services: { code: '2130506', name: '社會發展' },
  training: { code: '2130506', name: '社會發展' },
  other: { code: '2130599', name: '其他扶貧支出' },
};

export function functionalClassOf(projectCategory: string | null | undefined): GovAccount | null {
  return projectCategory ? (FUNCTIONAL_CLASSES[projectCategory] ?? FUNCTIONAL_CLASSES.other) : null;
}

/** Every row of the map, for docs and the auditor's console page. */
export function accountMapRows(): { kind: AccountKind; type?: AccountType; gov: GovAccount }[] {
  return [
    ...Object.entries(WORKFLOW_MAP).map(([kind, gov]) => ({ kind: kind as AccountKind, gov })),
    ...Object.entries(MANUAL_MAP).map(([type, gov]) => ({ kind: 'manual' as const, type: type as AccountType, gov })),
  ];
}

export function functionalClassRows(): { category: string; gov: GovAccount }[] {
  return Object.entries(FUNCTIONAL_CLASSES).map(([category, gov]) => ({ category, gov }));
}
