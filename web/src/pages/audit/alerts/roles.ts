import type { Role } from '../../../auth';

/** As src/monitoring/monitoring-roles.ts: who reads alerts, who answers for them, who closes or escalates them. */
export const ALERT_READERS: readonly Role[] = ['county_finance', 'county_leader', 'line_department', 'township_finance', 'village', 'inspector', 'auditor'];
export const ALERT_ANSWERERS: readonly Role[] = ['county_finance', 'line_department', 'township_finance', 'village'];
export const ALERT_DECIDERS: readonly Role[] = ['county_finance', 'county_leader', 'line_department', 'inspector'];
