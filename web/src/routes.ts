import { lazy } from 'react';
import type { PageRoute } from './nav';
import { routes as admin } from './pages/admin/routes';
import { routes as audit } from './pages/audit/routes';
import { routes as claims } from './pages/claims/routes';
import { routes as finance } from './pages/finance/routes';

/** Every page of the console; each area keeps its own list beside its pages. */
export const ALL_ROUTES: PageRoute[] = [{ path: '/', page: lazy(() => import('./pages/Tasks')), menu: '我的待辦' }, ...finance, ...claims, ...audit, ...admin];
