/** What the offline verifier answers (docs/audit-package.md, "What the offline verifier checks"). */

/** The checks, in the order they run; the first fault of the earliest check is the one reported. */
export const CHECKS = ['manifest', 'chain', 'checkpoint', 'replay'] as const;
export type Check = (typeof CHECKS)[number];

export interface PackageFault {
  check: Check;
  /** The file in the zip the fault is in. */
  file?: string;
  /** The line of that file (1-based; for a CSV, the line its record starts on, the header being line 1). */
  line?: number;
  seq?: string;
  account?: string;
  transactionId?: string;
  /** The line's number within its transaction. */
  lineNo?: number;
  message: string;
}

export interface PackageSummary {
  county: { code: string; name: string };
  period: { from: string; to: string };
  createdAt: string;
  /** Files checked against the manifest (manifest.json itself not counted). */
  files: number;
  events: number;
  headHash: string;
  /** Checkpoints of the package verified, and the largest tree size among them. */
  checkpoints: number;
  latestCheckpoint: number;
  signer: string;
  witnesses: string[];
  /** The size of the checkpoint kept from an earlier package, when one was given. */
  earlierCheckpoint?: number;
  accounts: number;
  lines: number;
  transactions: number;
  trialBalanceRows: number;
}

export type PackageReport = { ok: true; summary: PackageSummary } | { ok: false; fault: PackageFault };

export interface VerifyProgress {
  stage: string;
  done: number;
  total?: number;
}

export interface VerifyOptions {
  /** Pinned verifier keys: the first is the log's, each further one a witness whose co-signature is required. */
  keys: string[];
  /** The text of a checkpoint kept from an earlier package. */
  checkpoint?: string;
  onProgress?: (progress: VerifyProgress) => void;
}

/** A fault, thrown where it is found and caught where the check that found it runs. */
export class FaultError extends Error {
  constructor(readonly fault: PackageFault) {
    super(fault.message);
  }
}

export function fault(check: Check, message: string, where: Omit<PackageFault, 'check' | 'message'> = {}): FaultError {
  return new FaultError({ check, ...where, message });
}

/** The report as plain lines for a person. */
export function formatReport(report: PackageReport): string {
  if (!report.ok) {
    const f = report.fault;
    const where = [
      f.file && (f.line !== undefined ? `${f.file} line ${f.line}` : f.file),
      f.seq && `seq ${f.seq}`,
      f.transactionId && (f.lineNo !== undefined ? `transaction ${f.transactionId} line ${f.lineNo}` : `transaction ${f.transactionId}`),
      f.account && `account ${f.account}`,
    ].filter(Boolean);
    return [`FAULT (${f.check})${where.length > 0 ? ` at ${where.join(', ')}` : ''}`, `  ${f.message}`, 'the package does not verify'].join('\n');
  }
  const s = report.summary;
  const lines = [
    `audit package of ${s.county.code} ${s.county.name}, period ${s.period.from} to ${s.period.to}, created ${s.createdAt}`,
    `files:        ${s.files} match the manifest (size and SHA-256), none missing or extra`,
    `events:       ${s.events}, seq 1 to ${s.events}, chain intact, head ${s.headHash}`,
    `checkpoints:  ${s.checkpoints} verified, signed by ${s.signer}${s.witnesses.length > 0 ? `, co-signed by ${s.witnesses.join(', ')}` : ''}; latest at tree size ${s.latestCheckpoint}`,
  ];
  if (s.earlierCheckpoint !== undefined)
    lines.push(`earlier:      the kept checkpoint at tree size ${s.earlierCheckpoint} is a prefix of this package's history`);
  lines.push(
    `replay:       ${s.transactions} transactions, ${s.lines} ledger lines, ${s.accounts} accounts agree with the events`,
    `trial balance: ${s.trialBalanceRows} rows agree with the events, control totals balance`,
    'the package verifies',
  );
  return lines.join('\n');
}
