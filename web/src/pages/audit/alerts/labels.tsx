import { Tag } from 'antd';
import type { Schema } from '../../../api/client';

export type Severity = Schema<'AlertView'>['severity'];
export type AlertState = Schema<'AlertView'>['state'];

export const SEVERITY: Record<Severity, { label: string; color: string }> = {
  red: { label: '紅', color: 'red' },
  yellow: { label: '黃', color: 'gold' },
  blue: { label: '藍', color: 'blue' },
};

export const STATE_LABELS: Record<AlertState, string> = {
  open: '待處理',
  acknowledged: '已確認',
  explained: '已說明',
  closed: '已關閉',
};

/** What each step of an alert's history did. */
export const ACTION_LABELS: Record<string, string> = {
  opened: '發現',
  updated: '更新',
  raised: '升高等級',
  acknowledged: '確認',
  explained: '說明',
  closed: '關閉',
  escalated: '升級',
  reopened: '重新打開',
  file_added: '上傳材料',
};

export function SeverityTag({ severity }: { severity: string }) {
  const s = SEVERITY[severity as Severity];
  return s ? <Tag color={s.color}>{s.label}</Tag> : <Tag>{severity}</Tag>;
}
