import { Injectable } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsString, MaxLength, MinLength } from 'class-validator';
import { DataSource, EntityManager } from 'typeorm';
import { z } from 'zod';
import { assertNewHand } from '../access/domain/maker-checker';
import { AuditLog } from '../audit/audit-log';
import { Actor } from '../common/context';
import { Clock } from '../common/clock';
import { PublicityGates } from '../publicity/publicity-gates';
import { DomainError, ErrorCode } from '../common/errors';
import { formatMoney, money } from '../common/money';
import { IsAmount } from '../common/validation';
import { col, selectOne, selectRows } from '../database/rows';
import { inTransaction } from '../database/unit-of-work';
import { EntryLine, credit, debit } from '../ledger/domain/entry';
import { drawInOrder } from '../ledger/domain/split';
import { LedgerPostingService } from '../ledger/ledger-posting.service';
import { LedgerReadingService } from '../ledger/ledger-reading.service';
import { truncate } from '../common/text';
import { latestAcceptanceIfPassed } from './acceptance-state';
import { ContractRow, findContract } from './contract-loader';

export class RetentionMoveDto {
  @ApiProperty({ example: '30000.00' })
  @IsAmount()
  amount: string;

  @ApiProperty({ example: '缺陷責任期滿，質量無問題' })
  @IsString()
  @MinLength(1)
  @MaxLength(500)
  reason: string;
}

export class RetentionMovementView {
  @ApiProperty() id: number;
  @ApiProperty() contractId: number;
  @ApiProperty({ enum: ['release', 'forfeit'] }) kind: string;
  @ApiProperty() amount: string;
  @ApiProperty() reason: string;
  @ApiProperty({ enum: ['proposed', 'posted'] }) state: string;
  @ApiProperty() proposedBy: number;
  @ApiPropertyOptional({ nullable: true }) approvedBy: number | null;
  @ApiPropertyOptional({ nullable: true, format: 'uuid' }) transactionId: string | null;
}

export class RetentionSummary {
  @ApiProperty() contractId: number;
  @ApiProperty({ enum: ['signed', 'settled'] }) state: string;
  @ApiProperty() contractAmount: string;
  @ApiProperty() paid: string;
  @ApiProperty() withheld: string;
  @ApiProperty() released: string;
  @ApiProperty() forfeited: string;
  @ApiProperty({ description: 'withheld − released − forfeited, from the ledger' }) held: string;
}

/** The columns of a retention movement its view shows. */
const MovementRow = z.object({
  id: col.id,
  contractId: col.id,
  kind: z.enum(['release', 'forfeit']),
  amount: col.money,
  reason: col.text,
  state: col.text,
  proposedBy: col.id,
  approvedBy: col.id.nullable(),
  transactionId: col.text.nullable(),
});
type MovementRow = z.infer<typeof MovementRow>;
const Totals = z.object({ paid: col.money, withheld: col.money, released: col.money, forfeited: col.money });

/**
 * 質量保證金: retention held per contract and source is released to the payee only after a passed acceptance and the
 * policy's defect period, or forfeited (all or part) to pay for repairs, which returns it to the project's budget.
 * Both are proposed by one county_finance user and posted when a different one approves.
 */
@Injectable()
export class RetentionService {
  constructor(
    private readonly ds: DataSource,
    private readonly ledger: LedgerPostingService,
    private readonly reading: LedgerReadingService,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
    private readonly publicity: PublicityGates,
  ) {}

  async propose(actor: Actor, contractId: number, kind: 'release' | 'forfeit', dto: RetentionMoveDto): Promise<RetentionMovementView> {
    return inTransaction(this.ds, async (em) => {
      await this.assertMovable(em, await this.signedContract(em, actor, contractId, false), kind, dto.amount);
      const [row] = await selectRows(
        em,
        MovementRow,
        `INSERT INTO retention_movements (county_id, contract_id, kind, amount, reason, state, proposed_by)
         VALUES ($1, $2, $3, $4, $5, 'proposed', $6) RETURNING *`,
        [actor.county.id, contractId, kind, dto.amount, dto.reason, actor.userId],
      );
      await this.audit.append(em, actor, `retention.${kind}.proposed`, { ...view(row) });
      return view(row);
    });
  }

  async approve(actor: Actor, id: number): Promise<RetentionMovementView> {
    return inTransaction(this.ds, async (em) => {
      const m = await selectOne(em, MovementRow, `SELECT * FROM retention_movements WHERE id = $1 AND county_id = $2 FOR UPDATE`, [id, actor.county.id]);
      if (!m) throw new DomainError(ErrorCode.NotFound, `No retention movement ${id}`);
      const c = await this.signedContract(em, actor, m.contractId, true);
      if (m.state !== 'proposed') throw new DomainError(ErrorCode.InvalidState, `Retention movement ${id} is already posted`);
      assertNewHand([{ step: 'propose', userId: m.proposedBy }], { step: 'approve', userId: actor.userId! });
      await this.assertMovable(em, c, m.kind, m.amount);
      // Source by source (allocation order) of what each holds.
      const projectId = c.projectId;
      const held = await this.reading.sources(em, actor.county.id, { kind: 'retention', projectId, contractId: m.contractId });
      const lines: EntryLine[] = drawInOrder(
        money(m.amount),
        held.map((h) => h.balance),
      ).flatMap(({ source, amount }) => {
        const { account: retention, bank, allocationId } = held[source];
        if (m.kind === 'release') return [debit(retention, amount), credit(bank, amount)];
        // Forfeited to repairs: the contractor's entitlement shrinks, and the money returns to the project's budget.
        return [
          debit(retention, amount),
          credit({ kind: 'expense', projectId, allocationId, category: c.category }, amount),
          debit({ kind: 'quota_project', projectId, allocationId }, amount),
          credit({ kind: 'quota_spent', projectId, allocationId }, amount),
        ];
      });
      const transaction = await this.ledger.post(em, actor, {
        effectiveDate: this.clock.today(),
        memo: truncate(`合同 ${m.contractId} 質量保證金${m.kind === 'release' ? '返還' : '扣留（維修）'}：${m.reason}`, 500),
        purpose: 'retention',
        lines,
      });
      const [row] = await selectRows(
        em,
        MovementRow,
        `UPDATE retention_movements SET state = 'posted', approved_by = $2, transaction_id = $3 WHERE id = $1 RETURNING *`,
        [id, actor.userId, transaction.id],
      );
      await this.audit.append(em, actor, `retention.${m.kind}.posted`, { ...view(row) });
      return view(row);
    });
  }

  /**
   * Settlement closes a contract: refused while it still holds retention; any commitment left unpaid returns to the
   * project's budget (Dr quota:project:P:A, Cr quota:committed:C:A). Answers the closing summary.
   */
  async settle(actor: Actor, contractId: number): Promise<RetentionSummary> {
    return inTransaction(this.ds, async (em) => {
      const c = await this.signedContract(em, actor, contractId, true);
      if (c.state !== 'signed') throw new DomainError(ErrorCode.InvalidState, `Contract ${contractId} is already settled`);
      const held = await this.summaryIn(em, actor, contractId, c);
      if (money(held.held).gt(0)) {
        throw new DomainError(ErrorCode.InvalidState, `Contract ${contractId} still holds ${held.held} of retention`, { held: held.held });
      }
      const claimsHold = await this.reading.total(em, actor.county.id, { kind: 'quota_held', contractId });
      if (claimsHold.gt(0)) {
        throw new DomainError(ErrorCode.InvalidState, `Claims in review hold ${formatMoney(claimsHold)} of contract ${contractId}: pay or reject them first`, {
          claimsHold: formatMoney(claimsHold),
        });
      }
      const projectId = c.projectId;
      const left = await this.reading.sources(em, actor.county.id, { kind: 'quota_committed', projectId, contractId });
      if (left.length > 0) {
        await this.ledger.post(em, actor, {
          effectiveDate: this.clock.today(),
          memo: `合同 ${contractId} 結算，未用預算退回項目`,
          purpose: 'budget',
          lines: left.flatMap((l) => [debit({ kind: 'quota_project', projectId, allocationId: l.allocationId }, l.balance), credit(l.account, l.balance)]),
        });
      }
      await em.query(`UPDATE contracts SET state = 'settled', settled_by = $2, settled_at = now() WHERE id = $1`, [contractId, actor.userId]);
      const summary = { ...held, state: 'settled' };
      await this.audit.append(em, actor, 'contract.settled', { ...summary });
      return summary;
    });
  }

  async summary(actor: Actor, contractId: number): Promise<RetentionSummary> {
    const c = await this.signedContract(this.ds.manager, actor, contractId, false);
    return this.summaryIn(this.ds.manager, actor, contractId, c);
  }

  private async summaryIn(em: EntityManager, actor: Actor, contractId: number, c: { amount: string; state: string }): Promise<RetentionSummary> {
    const [s] = await selectRows(
      em,
      Totals,
      `SELECT (SELECT coalesce(sum(amount), 0) FROM contract_payments WHERE contract_id = $1) AS paid,
              (SELECT coalesce(sum(retention), 0) FROM contract_payments WHERE contract_id = $1) AS withheld,
              (SELECT coalesce(sum(amount), 0) FROM retention_movements WHERE contract_id = $1 AND kind = 'release' AND state = 'posted') AS released,
              (SELECT coalesce(sum(amount), 0) FROM retention_movements WHERE contract_id = $1 AND kind = 'forfeit' AND state = 'posted') AS forfeited`,
      [contractId],
    );
    const held = await this.reading.total(em, actor.county.id, { kind: 'retention', contractId });
    return {
      contractId,
      state: c.state,
      contractAmount: formatMoney(money(c.amount)),
      paid: formatMoney(money(s.paid)),
      withheld: formatMoney(money(s.withheld)),
      released: formatMoney(money(s.released)),
      forfeited: formatMoney(money(s.forfeited)),
      held: formatMoney(held),
    };
  }

  /** Release: the latest acceptance passed and every passed acceptance's defect period is over; both: no more than the contract holds. */
  private async assertMovable(em: EntityManager, c: ContractRow, kind: 'release' | 'forfeit', amount: string): Promise<void> {
    if (c.state !== 'signed') throw new DomainError(ErrorCode.InvalidState, `Contract ${c.id} is ${c.state}`);
    const held = await this.reading.total(em, c.countyId, { kind: 'retention', contractId: c.id });
    if (money(amount).gt(held)) {
      throw new DomainError(ErrorCode.RetentionExceeded, `Contract ${c.id} holds ${formatMoney(held)} of retention`, { held: formatMoney(held) });
    }
    if (kind === 'release') {
      const accepted = await latestAcceptanceIfPassed(em, c.id);
      if (!accepted) throw new DomainError(ErrorCode.AcceptanceRequired, `Retention of contract ${c.id} is released only after a passed acceptance`);
      const ends = accepted.defectPeriodEnds;
      if (ends > this.clock.now()) {
        throw new DomainError(ErrorCode.DefectPeriod, `The defect period of contract ${c.id} ends ${ends.toISOString().slice(0, 10)}`, {
          endsOn: ends.toISOString().slice(0, 10),
        });
      }
      await this.publicity.assertPassed(em, c.countyId, 'complete', c.projectId);
    }
  }

  /** Retention moves on a contract once it is signed: a draft is answered as if it did not exist. */
  private async signedContract(em: EntityManager, actor: Actor, id: number, lock: boolean): Promise<ContractRow> {
    const c = await findContract(em, actor, id, { lock });
    if (!c || c.state === 'draft') throw new DomainError(ErrorCode.NotFound, `No signed contract ${id}`);
    return c;
  }
}

function view(row: MovementRow): RetentionMovementView {
  return { ...row, amount: formatMoney(money(row.amount)) };
}
