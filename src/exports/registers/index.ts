import { alertsRegister } from './alerts';
import { claimStepsRegister } from './claim-steps';
import { claimsRegister } from './claims';
import { contractsRegister } from './contracts';
import { noticesRegister } from './notices';
import { paymentsRegister } from './payments';
import { RegisterBuilder } from './register';
import { retentionMovementsRegister } from './retention-movements';

/**
 * The registers (登記簿) an auditor takes away beside the books, in the order the package lists them (docs/exports-registers.md).
 * Each builds a table whose rows are read lazily in the caller's unit of work (one snapshot): read one table's rows
 * to the end before asking the unit of work anything else.
 */
export const REGISTERS: readonly { name: string; build: RegisterBuilder }[] = [
  { name: 'contracts', build: contractsRegister },
  { name: 'payments', build: paymentsRegister },
  { name: 'claims', build: claimsRegister },
  { name: 'claim-steps', build: claimStepsRegister },
  { name: 'retention-movements', build: retentionMovementsRegister },
  { name: 'alerts', build: alertsRegister },
  { name: 'notices', build: noticesRegister },
];

export { claimAttachments } from './claims';
export { noticePdfPath, noticePdfs } from './notices';
export { safeFileName } from './file-names';
export type { PackageFile, RegisterBuilder, RegisterPeriod } from './register';
/** The same two, under the names the audit package's writer reads the files beside the registers by. */
export { claimAttachments as ATTACHMENT_FILES } from './claims';
export { noticePdfs as NOTICE_FILES } from './notices';
