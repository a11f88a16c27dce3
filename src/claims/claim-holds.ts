import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Actor } from '../common/context';
import { Clock } from '../common/clock';
import { DomainError, ErrorCode } from '../common/errors';
import { formatMoney, money } from '../common/money';
import { ContractRow } from '../contracts/contract-loader';
import { commitmentOf } from '../contracts/payments.service';
import { SourceFamily, atSource } from '../ledger/domain/account-refs';
import { EntryLine, credit, debit } from '../ledger/domain/entry';
import { drawInOrder } from '../ledger/domain/split';
import { LedgerPostingService } from '../ledger/ledger-posting.service';
import { LedgerReadingService, sumOf } from '../ledger/ledger-reading.service';
import { ClaimRow } from './claim-loader';

/** A claim's budget hold, per source: what township review took from its contract's commitment. */
export function holdOf(claim: Pick<ClaimRow, 'id' | 'contractId' | 'projectId'>): SourceFamily {
  return { kind: 'quota_held', projectId: claim.projectId, contractId: claim.contractId, claimId: claim.id };
}

/**
 * A claim's budget hold (資金報帳制): township review moves the amount from the contract's commitment to the claim
 * (Dr quota:held:C:K:A, Cr quota:committed:C:A), a rejection moves it back, and the payment spends it (`holdOf`).
 */
@Injectable()
export class ClaimHolds {
  constructor(
    private readonly ledger: LedgerPostingService,
    private readonly reading: LedgerReadingService,
    private readonly clock: Clock,
  ) {}

  /** Dr quota:held:C:K:A, Cr quota:committed:C:A, source by source; the non-negative quota decides any race. */
  async hold(em: EntityManager, actor: Actor, claim: ClaimRow, contract: ContractRow): Promise<string> {
    const sources = await this.reading.sources(em, actor.county.id, commitmentOf(contract));
    const available = sumOf(sources);
    if (available.lt(claim.amount)) {
      throw new DomainError(
        ErrorCode.BudgetExceeded,
        `Claim ${claim.id} (${formatMoney(money(claim.amount))}) exceeds the contract's unheld budget ${formatMoney(available)}`,
        {
          available: formatMoney(available),
        },
      );
    }
    const draws = drawInOrder(
      money(claim.amount),
      sources.map((s) => s.balance),
    ).map(({ source, amount }) => {
      const { allocationId, account: committed } = sources[source];
      const held = atSource(holdOf(claim), allocationId);
      return { held, committed, amount, name: `報帳 ${claim.id} 預算凍結 指標 ${allocationId}` };
    });
    await this.ledger.open(
      em,
      actor,
      draws.map(({ held, name }) => ({ account: held, name })),
    );
    const lines: EntryLine[] = draws.flatMap(({ held, committed, amount }) => [debit(held, amount), credit(committed, amount)]);
    const transaction = await this.ledger.post(em, actor, {
      effectiveDate: this.clock.today(),
      memo: `報帳 ${claim.id} 鄉鎮審核，預算凍結`,
      purpose: 'budget',
      lines,
    });
    return transaction.id;
  }

  /** The hold goes back to the contract's commitment, source by source. */
  async release(em: EntityManager, actor: Actor, claim: ClaimRow, contract: ContractRow): Promise<string> {
    const held = await this.reading.sources(em, actor.county.id, holdOf(claim));
    const lines = held.flatMap((s) => [debit(atSource(commitmentOf(contract), s.allocationId), s.balance), credit(s.account, s.balance)]);
    const transaction = await this.ledger.post(em, actor, {
      effectiveDate: this.clock.today(),
      memo: `報帳 ${claim.id} 退回，預算解凍`,
      purpose: 'budget',
      lines,
    });
    return transaction.id;
  }
}
