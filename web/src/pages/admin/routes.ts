import { lazy } from 'react';
import type { PageRoute } from '../../nav';

/** 系統管理: users and units are the admin's; policies are read by county finance, leaders and auditors too. */
export const routes: PageRoute[] = [
  { path: '/admin/users', page: lazy(() => import('./users/Users')), menu: '用戶與角色', group: '系統管理', roles: ['admin'] },
  { path: '/admin/org-units', page: lazy(() => import('./org-units/OrgUnits')), menu: '單位', group: '系統管理', roles: ['admin'] },
  {
    path: '/admin/policies',
    page: lazy(() => import('./policies/Policies')),
    menu: '政策參數',
    group: '系統管理',
    roles: ['admin', 'county_finance', 'county_leader', 'auditor'],
  },
];
