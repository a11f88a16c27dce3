import { Writable } from 'node:stream';
import { BookAccount, accountLineCount, accountLines, periodBalances } from '../ledger/ledger-books';
import { govAccountOf } from './account-map';
import { BookContext } from './books/context';
import { trialBalance } from './books/trial-balance';
import { SubsidiaryLedgerPdfLine, subsidiaryLedgerPdf, trialBalancePdf } from './formats/ledger-pdf';

/** 科目餘額表 as PDF: the same rows as trial-balance.csv. */
export async function trialBalancePdfOf(ctx: BookContext, out: Writable): Promise<void> {
  const tb = await trialBalance(ctx);
  await trialBalancePdf({ county: ctx.county, period: ctx.period, rows: tb.rows, rowCount: tb.rows.length }, out);
}

/** One account's 明細賬 as PDF: its lines of the period streamed, their number counted first for "共 N 頁". */
export async function subsidiaryLedgerPdfOf(ctx: BookContext, account: BookAccount, out: Writable): Promise<void> {
  const balance = (await periodBalances(ctx.em, ctx.countyId, ctx.period)).find((b) => b.id === account.id)!;
  const rowCount = await accountLineCount(ctx.em, ctx.countyId, ctx.period, account.id);
  const gov = govAccountOf(account.kind, account.type);
  async function* rows(): AsyncGenerator<SubsidiaryLedgerPdfLine> {
    for await (const l of accountLines(ctx.em, ctx.countyId, ctx.period, account.id)) {
      yield { effectiveDate: l.effectiveDate, transactionId: l.transactionId, memo: l.memo, debit: l.debit, credit: l.credit };
    }
  }
  await subsidiaryLedgerPdf(
    {
      county: ctx.county,
      period: ctx.period,
      account: { code: account.code, name: account.name, book: account.book, govCode: gov.code, govName: gov.name },
      openingNet: balance.openingNet,
      rows: rows(),
      rowCount,
    },
    out,
  );
}
