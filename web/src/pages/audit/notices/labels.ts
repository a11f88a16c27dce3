import type { Schema } from '../../../api/client';

type Notice = Schema<'NoticeView'>;
type Objection = Schema<'ObjectionView'>;

export const KIND_LABELS: Record<Notice['kind'], string> = {
  library: '項目庫',
  plan: '年度項目計劃',
  allocation: '資金分配結果',
  implementation: '項目實施',
  completion: '項目竣工',
};

export const STATE_LABELS: Record<Notice['state'], string> = { draft: '草稿', published: '已發布' };

export const STANDING: Record<Notice['standing'], { label: string; color?: string }> = {
  draft: { label: '草稿' },
  running: { label: '公示中', color: 'blue' },
  passed: { label: '公示期滿', color: 'green' },
  objection_open: { label: '有異議待處理', color: 'gold' },
  objection_upheld: { label: '異議成立', color: 'red' },
  superseded: { label: '已更正' },
};

export const CHANNEL_LABELS: Record<Objection['channel'], string> = { phone: '電話', letter: '信件', visit: '來訪', public: '公示頁面' };

export const OBJECTION_STATE: Record<Objection['state'], string> = { received: '已收到', investigating: '調查中', answered: '已答覆' };

export const OUTCOME_LABELS: Record<NonNullable<Objection['outcome']>, string> = { upheld: '異議成立', dismissed: '異議不成立' };

/** The public page the service serves as HTML, on the console's own origin. */
export function publicPath(code: string): string {
  return `/public/notices/${encodeURIComponent(code)}`;
}
