import type { OrgLevel } from '../../access/domain/roles';
import type { NoticeColumn, NoticeKind } from './notice-document';

/**
 * What each kind of notice publishes (扶貧資金項目公告公示 guidance, docs/publicity.md): its name, the default title,
 * whether it lists projects or allocations, and the columns of its table. Figures come from the ledger at approval.
 */
export interface KindDefinition {
  name: string;
  subject: 'projects' | 'allocations';
  /** The project states a notice of the kind publishes: the library before entry, the rest once in the library. */
  projectStates: readonly string[];
  columns: NoticeColumn[];
}

const IN_LIBRARY = ['in_library', 'planned'];

const PROJECT_COLUMNS: NoticeColumn[] = [
  { key: 'name', title: '項目名稱', type: 'text' },
  { key: 'location', title: '實施地點', type: 'text' },
  { key: 'tasks', title: '建設任務', type: 'text' },
  { key: 'period', title: '實施期限', type: 'text' },
  { key: 'responsible', title: '實施單位及責任人', type: 'text' },
];

export const NOTICE_KINDS: Record<NoticeKind, KindDefinition> = {
  library: {
    name: '項目庫入庫公示',
    subject: 'projects',
    projectStates: ['township_reviewed', ...IN_LIBRARY],
    columns: [...PROJECT_COLUMNS, { key: 'mechanism', title: '帶貧減貧機制', type: 'text' }, { key: 'fundScale', title: '資金規模（元）', type: 'money' }],
  },
  plan: {
    name: '年度項目計劃公示',
    subject: 'projects',
    projectStates: IN_LIBRARY,
    columns: [
      ...PROJECT_COLUMNS,
      { key: 'targets', title: '績效目標', type: 'text' },
      { key: 'sources', title: '資金來源', type: 'text' },
      { key: 'budget', title: '安排資金（元）', type: 'money' },
    ],
  },
  allocation: {
    name: '資金分配結果公示',
    subject: 'allocations',
    projectStates: [],
    columns: [
      { key: 'documentNumber', title: '資金文號', type: 'text' },
      { key: 'fundType', title: '資金來源', type: 'text' },
      { key: 'use', title: '用途及使用單位', type: 'text' },
      { key: 'received', title: '資金規模（元）', type: 'money' },
      { key: 'allocated', title: '已分配（元）', type: 'money' },
    ],
  },
  implementation: {
    name: '項目實施前公示',
    subject: 'projects',
    projectStates: IN_LIBRARY,
    columns: [...PROJECT_COLUMNS, { key: 'contractors', title: '承建單位', type: 'text' }, { key: 'budget', title: '安排資金（元）', type: 'money' }],
  },
  completion: {
    name: '項目竣工結果公示',
    subject: 'projects',
    projectStates: IN_LIBRARY,
    columns: [
      ...PROJECT_COLUMNS,
      { key: 'contractors', title: '承建單位', type: 'text' },
      { key: 'budget', title: '安排資金（元）', type: 'money' },
      { key: 'spent', title: '已支付（元）', type: 'money' },
    ],
  },
};

export const PUBLISHED_KINDS = Object.keys(NOTICE_KINDS) as NoticeKind[];

/** Where notices are posted; every notice names at least one. */
export const CHANNELS = ['portal', 'township_board', 'village_board', 'project_site'] as const;
export type Channel = (typeof CHANNELS)[number];
export const CHANNEL_NAMES: Record<Channel, string> = {
  portal: '政府門戶網站',
  township_board: '鄉鎮政務公開欄',
  village_board: '村務公開欄',
  project_site: '項目施工現場',
};

/** The roles that draft and approve a unit's notices (誰分配、誰使用、誰公開: the level that decided publishes). */
export const PUBLISHING_ROLES: Record<OrgLevel, readonly ('county_finance' | 'line_department' | 'township_finance' | 'village')[]> = {
  county: ['county_finance', 'line_department'],
  township: ['township_finance'],
  village: ['village'],
};

/** The notice each gated step waits for. */
export const GATE_KINDS = {
  enterLibrary: 'library',
  signContract: 'plan',
  complete: 'completion',
} as const satisfies Record<string, NoticeKind>;
