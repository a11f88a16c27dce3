import { Role } from '../access/domain/roles';

/** Who reads alerts, runs and the summary: every role that answers for money or watches it, in their scope. */
export const ALERT_READERS: readonly Role[] = ['county_finance', 'county_leader', 'line_department', 'township_finance', 'village', 'inspector', 'auditor'];
/** Who acknowledges and explains an alert and adds its files: the units that answer for the subject. */
export const ALERT_ANSWERERS: readonly Role[] = ['county_finance', 'line_department', 'township_finance', 'village'];
/** Who closes an explained alert (not the one who explained it) or escalates one: the county's finance, leader and inspectors. */
export const ALERT_DECIDERS: readonly Role[] = ['county_finance', 'county_leader', 'line_department', 'inspector'];
/** Who reads runs (what each detector found and any error it met): the county's own roles, not townships or villages. */
export const RUN_READERS: readonly Role[] = ['admin', 'county_finance', 'county_leader', 'line_department', 'inspector', 'auditor'];
/** Who runs the detectors on demand. Auditors read, they do not move alerts. */
export const RUNNERS: readonly Role[] = ['admin', 'county_finance', 'auditor'];
/** Who reads the register of officials and relatives (personal data): its keeper and those who check against it. */
export const REGISTER_READERS: readonly Role[] = ['admin', 'inspector', 'auditor'];
/** The joint inspection group records plans and findings; county roles read them. */
export const INSPECTORS: readonly Role[] = ['inspector'];
export const INSPECTION_READERS: readonly Role[] = ['county_finance', 'county_leader', 'line_department', 'inspector', 'auditor'];
