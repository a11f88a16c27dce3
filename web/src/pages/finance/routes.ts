import { lazy } from 'react';
import type { PageRoute } from '../../nav';

// The API lets these roles read fund allocations and the county report (line departments are refused there).
const FUND_READERS = ['county_finance', 'county_leader', 'auditor'] as const;

export const routes: PageRoute[] = [
  { path: '/funds', page: lazy(() => import('./Funds')), menu: '資金一本帳', group: '資金', roles: FUND_READERS },
  { path: '/funds/:id', page: lazy(() => import('./FundDetail')) },
  { path: '/dedicated-accounts', page: lazy(() => import('./DedicatedAccounts')), menu: '專戶', group: '資金', roles: FUND_READERS },
  { path: '/contracts/:id', page: lazy(() => import('./ContractDetail')) },
  { path: '/vouchers', page: lazy(() => import('./Vouchers')), menu: '記帳憑證', group: '記帳', roles: ['county_finance', 'auditor'] },
  { path: '/vouchers/new', page: lazy(() => import('./VoucherNew')), menu: '錄入憑證', group: '記帳', roles: ['county_finance'] },
  { path: '/vouchers/:id', page: lazy(() => import('./VoucherDetail')) },
  {
    path: '/ledger/trial-balance',
    page: lazy(() => import('./TrialBalance')),
    menu: '科目餘額表',
    group: '記帳',
    roles: ['county_finance', 'auditor', 'county_leader'],
  },
  { path: '/ledger/accounts', page: lazy(() => import('./Accounts')), menu: '科目', group: '記帳', roles: ['county_finance', 'auditor'] },
  { path: '/ledger/accounts/:code', page: lazy(() => import('./AccountDetail')) },
  { path: '/ledger/transactions/:id', page: lazy(() => import('./TransactionDetail')) },
];
