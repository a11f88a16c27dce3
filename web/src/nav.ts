import type { ComponentType, LazyExoticComponent } from 'react';
import type { Role } from './auth';

/** One page of the console: where it lives, who sees it in the menu, and the component (loaded when first opened). */
export interface PageRoute {
  path: string;
  page: LazyExoticComponent<ComponentType>;
  /** In the menu under this label; pages without one (a detail page) are reached from a list. */
  menu?: string;
  /** The menu group the entry belongs to. */
  group?: MenuGroup;
  /** Who sees the menu entry; the API decides what each may do. */
  roles?: readonly Role[];
}

export type MenuGroup = '資金' | '記帳' | '項目與報帳' | '審計與監督' | '系統管理';

export const ROLE_LABELS: Record<Role, string> = {
  admin: '系統管理員',
  county_finance: '縣財政局',
  county_leader: '縣領導',
  line_department: '業務主管部門',
  township_finance: '鄉鎮財政所',
  village: '村項目負責人',
  inspector: '聯合檢查組',
  auditor: '審計',
};

/** The county-level readers: they see the whole county's books. */
export const COUNTY_READERS: readonly Role[] = ['county_finance', 'county_leader', 'line_department', 'inspector', 'auditor'];
