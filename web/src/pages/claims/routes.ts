import { lazy } from 'react';
import type { PageRoute } from '../../nav';

const GROUP = '項目與報帳';

/** The projects and claims (報帳) pages; `/claims/new` and `/claims/inbox` are ranked above `/claims/:id` by react-router. */
export const routes: PageRoute[] = [
  {
    path: '/projects',
    page: lazy(() => import('./Projects')),
    menu: '項目',
    group: GROUP,
    roles: ['village', 'township_finance', 'county_finance', 'line_department', 'county_leader', 'auditor', 'inspector'],
  },
  { path: '/projects/:id', page: lazy(() => import('./ProjectDetail')) },
  {
    path: '/claims',
    page: lazy(() => import('./Claims')),
    menu: '報帳',
    group: GROUP,
    roles: ['village', 'township_finance', 'line_department', 'county_finance', 'county_leader', 'auditor', 'inspector'],
  },
  {
    path: '/claims/inbox',
    page: lazy(() => import('./Inbox')),
    menu: '審核待辦',
    group: GROUP,
    roles: ['township_finance', 'line_department', 'county_finance'],
  },
  { path: '/claims/new', page: lazy(() => import('./ClaimNew')), menu: '新建報帳', group: GROUP, roles: ['village'] },
  { path: '/claims/:id/edit', page: lazy(() => import('./ClaimEdit')) },
  { path: '/claims/:id', page: lazy(() => import('./ClaimDetail')) },
  { path: '/signoffs', page: lazy(() => import('./Signoffs')), menu: '待簽批', group: GROUP, roles: ['county_leader'] },
];
