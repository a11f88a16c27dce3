import { lazy } from 'react';
import type { PageRoute } from '../../nav';
import { ALERT_READERS } from './alerts/roles';

/** 審計與監督: who sees each entry follows the roles its API routes allow. */
export const routes: PageRoute[] = [
  { path: '/audit/events', page: lazy(() => import('./events/AuditEvents')), menu: '審計日誌', group: '審計與監督', roles: ['auditor', 'admin'] },
  { path: '/audit/exports', page: lazy(() => import('./exports/Exports')), menu: '導出', group: '審計與監督', roles: ['auditor', 'county_finance'] },
  { path: '/audit/account-map', page: lazy(() => import('./exports/AccountMap')), menu: '科目對照', group: '審計與監督', roles: ['auditor', 'county_finance'] },
  { path: '/alerts', page: lazy(() => import('./alerts/Alerts')), menu: '預警', group: '審計與監督', roles: ALERT_READERS },
  { path: '/alerts/:id', page: lazy(() => import('./alerts/AlertDetail')) },
  {
    path: '/notices',
    page: lazy(() => import('./notices/Notices')),
    menu: '公示',
    group: '審計與監督',
    roles: ['county_finance', 'county_leader', 'line_department', 'township_finance', 'village', 'inspector', 'auditor'],
  },
  { path: '/notices/:id', page: lazy(() => import('./notices/NoticeDetail')) },
];
