import { OrgUnit } from '../access/entities/org-unit.entity';
import { User } from '../access/entities/user.entity';
import { AuditChainHead } from '../audit/entities/audit-chain-head.entity';
import { AuditCheckpoint } from '../audit/entities/audit-checkpoint.entity';
import { AuditEvent } from '../audit/entities/audit-event.entity';
import { County } from '../county/county.entity';
import { Account } from '../ledger/entities/account.entity';
import { ClosingBalance } from '../ledger/entities/closing-balance.entity';
import { Line } from '../ledger/entities/line.entity';
import { Transaction } from '../ledger/entities/transaction.entity';
import { Voucher } from '../vouchers/voucher.entity';
import { DedicatedAccount } from '../funds/dedicated-account.entity';
import { FundAllocation } from '../funds/fund-allocation.entity';
import { PolicyChange } from '../funds/policy-change.entity';
import { BudgetLine } from '../projects/budget-line.entity';
import { Acceptance, AcceptanceSignoff } from '../contracts/acceptance.entity';
import { Contract } from '../contracts/contract.entity';
import { Inspection } from '../contracts/inspection.entity';
import { Payment } from '../contracts/payment.entity';
import { RetentionMovement } from '../contracts/retention-movement.entity';
import { Claim, ClaimAttachment, ClaimInvoice, ClaimStep, ClaimVersion } from '../claims/claim.entity';
import { ClockTravel } from './clock-travel.entity';
import { IdempotencyRecord } from './idempotency-record.entity';
import { ProjectTransition } from '../projects/project-transition.entity';
import { Project } from '../projects/project.entity';
import { CalendarChange } from '../calendar/entities/calendar-change.entity';
import { CalendarDay } from '../calendar/entities/calendar-day.entity';
import { NoticeEvidence } from '../publicity/entities/notice-evidence.entity';
import { Notice, NoticeAllocation, NoticeObjection, NoticeProject } from '../publicity/entities/notice.entity';
import { MonitoringAlert, MonitoringAlertEvidence, MonitoringAlertHistory } from '../monitoring/entities/alert.entity';
import { InspectionFinding, InspectionPlan, InspectionPlanProject } from '../monitoring/entities/inspection-plan.entity';
import { MonitoringRun } from '../monitoring/entities/monitoring-run.entity';
import { RelatedParty } from '../monitoring/entities/related-party.entity';

export const ENTITIES = [
  County,
  Account,
  ClosingBalance,
  Transaction,
  Line,
  AuditEvent,
  AuditChainHead,
  AuditCheckpoint,
  OrgUnit,
  User,
  Voucher,
  DedicatedAccount,
  FundAllocation,
  PolicyChange,
  Project,
  ProjectTransition,
  BudgetLine,
  Contract,
  Inspection,
  Payment,
  Acceptance,
  AcceptanceSignoff,
  RetentionMovement,
  Claim,
  ClaimVersion,
  ClaimInvoice,
  ClaimStep,
  ClaimAttachment,
  IdempotencyRecord,
  ClockTravel,
  CalendarChange,
  CalendarDay,
  Notice,
  NoticeProject,
  NoticeAllocation,
  NoticeObjection,
  NoticeEvidence,
  MonitoringRun,
  MonitoringAlert,
  MonitoringAlertHistory,
  MonitoringAlertEvidence,
  RelatedParty,
  InspectionPlan,
  InspectionPlanProject,
  InspectionFinding,
];
