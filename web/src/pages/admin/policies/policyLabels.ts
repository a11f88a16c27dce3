import type { Schema } from '../../../api/client';

export type PolicyKey = Schema<'ProposePolicyDto'>['key'];
type Unit = 'rate' | 'days' | 'working_days' | 'amount' | 'phone' | 'schedule';

/** What each parameter of src/policies/policy.ts means, in the words of the rules it sets, and how its value reads. */
export const POLICY_LABELS: Record<PolicyKey, { label: string; unit: Unit }> = {
  retention_rate: { label: '質量保證金預留比例（合同價款的比例）', unit: 'rate' },
  retention_defect_days: { label: '缺陷責任期（天）', unit: 'days' },
  publicity_min_days: { label: '公示期最短天數', unit: 'days' },
  publicity_due_working_days: { label: '信息形成或變更後須在多少個工作日內公告公示', unit: 'working_days' },
  supervision_phone: { label: '本縣監督電話（印在每份公示上，與 12317 並列）', unit: 'phone' },
  leader_signoff_threshold: { label: '報帳須縣領導簽批的金額起點（元）', unit: 'amount' },
  tender_required_threshold: { label: '合同須招標的金額起點（元）', unit: 'amount' },
  idle_fund_yellow_days: { label: '資金閒置黃色預警天數', unit: 'days' },
  idle_fund_red_days: { label: '資金閒置紅色預警天數', unit: 'days' },
  idle_fund_long_days: { label: '資金長期閒置天數', unit: 'days' },
  arrears_days: { label: '報帳已審批未支付，視為拖欠的天數（黃色）', unit: 'days' },
  arrears_red_days: { label: '拖欠紅色預警天數', unit: 'days' },
  retention_overdue_days: { label: '缺陷責任期滿後質量保證金逾期未處理的天數', unit: 'days' },
  spending_schedule: { label: '支出進度要求（各月末最低支出比例，如 06:0.40,09:0.70,11:0.90）', unit: 'schedule' },
  management_fee_cap: { label: '管理費佔項目預算的比例上限', unit: 'rate' },
  split_claim_margin: { label: '低於領導簽批起點多少比例以內算「剛好低於」（拆分報帳）', unit: 'rate' },
  split_window_days: { label: '同一收款人的合同在多少天內合併計算招標限額（拆分合同）', unit: 'days' },
  retention_construction_cap: { label: '建設工程質量保證金比例上限', unit: 'rate' },
};

export const POLICY_KEYS = Object.keys(POLICY_LABELS) as PolicyKey[];

export const VALUE_HINTS: Record<Unit, string> = {
  rate: '0 到 1 之間的小數，最多 4 位小數，如 0.15',
  days: '整天數，如 30',
  working_days: '工作日數，如 20',
  amount: '金額（元），最多兩位小數，如 500000.00',
  phone: '電話號碼，區號與號碼之間用連字號，如 0713-5801234',
  schedule: '留空，或按月份順序寫「月:比例」，用逗號分隔',
};
