import type { ExpenseCategory } from './domain/expense-categories';
import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import { User } from '../access/entities/user.entity';
import { AuditEvent } from '../audit/entities/audit-event.entity';
import { moneyColumn } from '../common/money';
import { Acceptance } from '../contracts/acceptance.entity';
import { Contract } from '../contracts/contract.entity';
import { Payment } from '../contracts/payment.entity';
import { County } from '../county/county.entity';
import { Transaction } from '../ledger/entities/transaction.entity';
import { Project } from '../projects/project.entity';

/**
 * 資金報帳制: a claim to pay an amount on a contract, with its packet (application, expense detail, invoices, letters,
 * acceptance for a final claim), reviewed by township finance, the line department and county finance in turn.
 * The row holds the current version; every version's packet is kept in claim_versions.
 */
@Entity('claims')
@Index('IDX_claims_contract', ['contractId'])
@Index('IDX_claims_county_state', ['countyId', 'state', 'id'])
@Index('IDX_claims_project', ['projectId'])
@Check('CK_claims_state', `"state" IN ('draft', 'submitted', 'township_reviewed', 'line_reviewed', 'approved', 'paid', 'rejected', 'withdrawn')`)
@Check('CK_claims_amount', `"amount" > 0`)
@Check('CK_claims_final', `NOT "final" OR "acceptance_id" IS NOT NULL`)
@Check('CK_claims_line_result', `"line_result" IS NULL OR "line_result" IN ('pass', 'fail')`)
@Check('CK_claims_signoff_date', `"township_signed_on" IS NULL OR "township_signed_on" >= "application_date"`)
@Check('CK_claims_hold', `("state" IN ('township_reviewed', 'line_reviewed', 'approved', 'paid')) = ("hold_transaction_id" IS NOT NULL)`)
@Check('CK_claims_paid', `("state" = 'paid') = ("payment_id" IS NOT NULL)`)
export class Claim {
  @PrimaryGeneratedColumn({ primaryKeyConstraintName: 'PK_claims' })
  id: number;

  @Column({ type: 'int' })
  countyId: number;

  @ManyToOne(() => County, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'county_id', foreignKeyConstraintName: 'FK_claims_county' })
  county?: County;

  @Column({ type: 'int' })
  contractId: number;

  @ManyToOne(() => Contract, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'contract_id', foreignKeyConstraintName: 'FK_claims_contract' })
  contract?: Contract;

  /** The contract's project, kept for scope and filters. */
  @Column({ type: 'int' })
  projectId: number;

  @ManyToOne(() => Project, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'project_id', foreignKeyConstraintName: 'FK_claims_project' })
  project?: Project;

  @Column({ type: 'int' })
  version: number;

  @Column({ type: 'varchar', length: 20 })
  state: string;

  @Column({ type: 'numeric', precision: 20, scale: 2, transformer: moneyColumn })
  amount: string;

  @Column({ type: 'int', nullable: true })
  stage: number | null;

  @Column({ type: 'boolean' })
  final: boolean;

  @Column({ type: 'int', nullable: true })
  acceptanceId: number | null;

  @ManyToOne(() => Acceptance, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'acceptance_id', foreignKeyConstraintName: 'FK_claims_acceptance' })
  acceptance?: Acceptance;

  @Column({ type: 'date' })
  applicationDate: string;

  /** Expense detail: what the amount is made of. */
  @Column({ type: 'jsonb' })
  expenses: { description: string; amount: string; category?: ExpenseCategory }[];

  @Column({ type: 'date', nullable: true })
  townshipSignedOn: string | null;

  /** 督查一把尺: a failed line review keeps county finance from approving. */
  @Column({ type: 'varchar', length: 8, nullable: true })
  lineResult: string | null;

  /** The budget hold posted at township review (Dr quota:held, Cr quota:committed); cleared by a rejection. */
  @Column({ type: 'uuid', nullable: true })
  holdTransactionId: string | null;

  @ManyToOne(() => Transaction, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'hold_transaction_id', foreignKeyConstraintName: 'FK_claims_hold_transaction' })
  holdTransaction?: Transaction;

  @Column({ type: 'int', nullable: true })
  paymentId: number | null;

  @ManyToOne(() => Payment, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'payment_id', foreignKeyConstraintName: 'FK_claims_payment' })
  payment?: Payment;

  @Column({ type: 'int' })
  draftedBy: number;

  @ManyToOne(() => User, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'drafted_by', foreignKeyConstraintName: 'FK_claims_drafted_by' })
  drafter?: User;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}

/** Each version of a claim's packet as it was drafted or corrected; never changed. */
@Entity('claim_versions')
export class ClaimVersion {
  @PrimaryColumn({ type: 'int', primaryKeyConstraintName: 'PK_claim_versions' })
  claimId: number;

  @ManyToOne(() => Claim, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'claim_id', foreignKeyConstraintName: 'FK_claim_versions_claim' })
  claim?: Claim;

  @PrimaryColumn({ type: 'int', primaryKeyConstraintName: 'PK_claim_versions' })
  version: number;

  @Column({ type: 'jsonb' })
  packet: Record<string, unknown>;

  @Column({ type: 'int' })
  createdBy: number;

  @ManyToOne(() => User, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'created_by', foreignKeyConstraintName: 'FK_claim_versions_created_by' })
  creator?: User;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}

/**
 * 虛報冒領: an invoice (the issuer's taxpayer id + the invoice code and number) is claimed once in a county. The unique
 * index decides between claims racing with the same invoice. A claim's own rows are replaced when it is corrected.
 */
@Entity('claim_invoices')
@Index('UQ_claim_invoices_invoice', ['countyId', 'issuerKey', 'numberKey'], { unique: true })
@Index('IDX_claim_invoices_claim', ['claimId'])
/** One invoice looked up across counties (虛報冒領, monitoring M13): the unique index starts with the county. */
@Index('IDX_claim_invoices_invoice_anywhere', ['issuerKey', 'numberKey'])
@Check('CK_claim_invoices_amount', `"amount" > 0`)
@Check('CK_claim_invoices_issuer_key', `"issuer_key" ~ '^[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}$'`)
@Check(
  'CK_claim_invoices_number_key',
  `CASE WHEN "code" IS NULL THEN "number_key" ~ '^[0-9]{20}$' AND "number" = "number_key" ELSE "code" ~ '^([0-9]{10}|[0-9]{12})$' AND "number" ~ '^[0-9]{8}$' AND "number_key" = "code" || '-' || "number" END`,
)
export class ClaimInvoice {
  @PrimaryGeneratedColumn({ primaryKeyConstraintName: 'PK_claim_invoices' })
  id: number;

  @Column({ type: 'int' })
  countyId: number;

  @ManyToOne(() => County, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'county_id', foreignKeyConstraintName: 'FK_claim_invoices_county' })
  county?: County;

  @Column({ type: 'int' })
  claimId: number;

  @ManyToOne(() => Claim, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'claim_id', foreignKeyConstraintName: 'FK_claim_invoices_claim' })
  claim?: Claim;

  /** The issuer's name as printed: shown, never matched. */
  @Column({ type: 'varchar', length: 200 })
  issuer: string;

  /** 發票代碼; null for a fully digital invoice (數電發票). */
  @Column({ type: 'varchar', length: 12, nullable: true })
  code: string | null;

  @Column({ type: 'varchar', length: 64 })
  number: string;

  /** The issuer's 統一社會信用代碼. */
  @Column({ type: 'varchar', length: 200 })
  issuerKey: string;

  @Column({ type: 'varchar', length: 64 })
  numberKey: string;

  @Column({ type: 'date' })
  issuedOn: string;

  @Column({ type: 'numeric', precision: 20, scale: 2, transformer: moneyColumn })
  amount: string;
}

/** Who took which step of a claim's version, when, with what result and why. Append-only. */
@Entity('claim_steps')
@Index('IDX_claim_steps_claim', ['claimId', 'version'])
@Check(
  'CK_claim_steps_step',
  `"step" IN ('draft', 'revise', 'submit', 'township_review', 'line_review', 'approve', 'leader_sign', 'reject', 'pay', 'withdraw')`,
)
export class ClaimStep {
  @PrimaryGeneratedColumn({ primaryKeyConstraintName: 'PK_claim_steps' })
  id: number;

  @Column({ type: 'int' })
  claimId: number;

  @ManyToOne(() => Claim, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'claim_id', foreignKeyConstraintName: 'FK_claim_steps_claim' })
  claim?: Claim;

  @Column({ type: 'int' })
  version: number;

  @Column({ type: 'varchar', length: 20 })
  step: string;

  @Column({ type: 'varchar', length: 8, nullable: true })
  result: string | null;

  @Column({ type: 'varchar', length: 2000, nullable: true })
  note: string | null;

  @Column({ type: 'int' })
  actorId: number;

  @ManyToOne(() => User, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'actor_id', foreignKeyConstraintName: 'FK_claim_steps_actor' })
  actor?: User;

  @CreateDateColumn({ type: 'timestamptz' })
  at: Date;
}

/**
 * A scanned document of a claim's packet. The database checks that `sha256` is the content's hash, and the
 * hash also goes into the event log, so a file swapped later (past the append-only triggers) is detected.
 */
@Entity('claim_attachments')
@Index('IDX_claim_attachments_claim', ['claimId'])
@Index('UQ_claim_attachments_event', ['eventId'], { unique: true })
@Check(
  'CK_claim_attachments_kind',
  `"kind" IN ('application', 'expense_detail', 'invoice', 'letter_county_township', 'letter_township_village', 'acceptance', 'other')`,
)
@Check('CK_claim_attachments_type', `"content_type" IN ('application/pdf', 'image/jpeg', 'image/png')`)
@Check('CK_claim_attachments_hash', `"sha256" = encode(sha256("content"), 'hex') AND "size" = octet_length("content")`)
export class ClaimAttachment {
  @PrimaryGeneratedColumn({ primaryKeyConstraintName: 'PK_claim_attachments' })
  id: number;

  @Column({ type: 'int' })
  countyId: number;

  @ManyToOne(() => County, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'county_id', foreignKeyConstraintName: 'FK_claim_attachments_county' })
  county?: County;

  @Column({ type: 'int' })
  claimId: number;

  @ManyToOne(() => Claim, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'claim_id', foreignKeyConstraintName: 'FK_claim_attachments_claim' })
  claim?: Claim;

  @Column({ type: 'int' })
  version: number;

  @Column({ type: 'varchar', length: 32 })
  kind: string;

  @Column({ type: 'varchar', length: 255 })
  filename: string;

  @Column({ type: 'varchar', length: 32 })
  contentType: string;

  @Column({ type: 'int' })
  size: number;

  @Column({ type: 'char', length: 64 })
  sha256: string;

  @Column({ type: 'bytea' })
  content: Buffer;

  /** The event that recorded the upload and its hash. */
  @Column({ type: 'bigint' })
  eventId: string;

  @ManyToOne(() => AuditEvent, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'event_id', foreignKeyConstraintName: 'FK_claim_attachments_event' })
  event?: AuditEvent;

  @Column({ type: 'int' })
  uploadedBy: number;

  @ManyToOne(() => User, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'uploaded_by', foreignKeyConstraintName: 'FK_claim_attachments_uploaded_by' })
  uploader?: User;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
