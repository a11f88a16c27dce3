import Decimal from 'decimal.js';
import ExcelJS from 'exceljs';
import { As, TestApp, startTestApp } from '../support/app';
import { countyWithBooks } from '../support/books';
import { ClaimWorld } from '../support/claims';
import { download, parseCsv } from '../support/csv';
import { pdfTexts } from '../support/pdf-text';

/**
 * The books as auditors take them away (issue: auditor exports): each export's totals against the ledger as the
 * database holds it (read here by plain SQL as the owner, not through the service), Chinese through CSV and XLSX
 * readers, formula injection neutralised, PDFs with their headings, carried totals and page numbers, and refusals
 * that write nothing.
 */
describe('exports: the books', () => {
  let t: TestApp;
  let w: ClaimWorld;
  let auditor: As;
  let contract: { id: number; projectId: number };
  const YEAR = { from: '2026-01-01', to: '2026-12-31' };
  const INJECTION = '=HYPERLINK("http://evil.example","點我")';

  const get = async (path: string, as: As = auditor) => download(as.get(path));
  const csv = async (path: string) => {
    const res = await get(path);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    return parseCsv(res.body);
  };
  const q = (p: { from: string; to: string }, more = '') => `from=${p.from}&to=${p.to}${more}`;
  const sum = (rows: Record<string, string>[], column: string) => rows.reduce((s, r) => s.plus(r[column] || '0'), new Decimal(0));
  /** Σ debit − Σ credit of an account's lines dated within [from, to], by plain SQL as the owner. */
  const netOfLines = async (code: string, from: string, to: string): Promise<Decimal> => {
    const [{ net }] = await t.ds.query(
      `SELECT coalesce(sum(l.debit - l.credit), 0)::text AS net FROM ledger_lines l JOIN ledger_accounts a ON a.id = l.account_id
        WHERE a.code = $1 AND l.effective_date BETWEEN $2 AND $3`,
      [code, from, to],
    );
    return new Decimal(net);
  };

  beforeAll(async () => {
    t = await startTestApp();
    ({ w, contract } = await countyWithBooks(t, INJECTION));
    auditor = w.auditor;
    await t.seal();
  });
  afterAll(() => t.close());

  it('journal: every line of the period once, balanced per book, with the mapped account and its dimensions', async () => {
    const rows = await csv(`/api/v1/exports/books/journal?${q(YEAR)}`);
    const [{ n }] = await t.ds.query(`SELECT count(*)::int AS n FROM ledger_lines WHERE effective_date BETWEEN $1 AND $2`, [YEAR.from, YEAR.to]);
    expect(rows).toHaveLength(n);
    for (const book of ['financial', 'budget']) {
      const inBook = rows.filter((r) => r.book === book);
      expect(sum(inBook, 'debit').toFixed(2)).toBe(sum(inBook, 'credit').toFixed(2));
    }
    const [{ total }] = await t.ds.query(`SELECT sum(debit)::text AS total FROM ledger_lines WHERE effective_date BETWEEN $1 AND $2`, [YEAR.from, YEAR.to]);
    expect(sum(rows, 'debit').toFixed(2)).toBe(total);
    // Lines of one transaction are together, in line order, and dates never go back.
    const seen = new Set<string>();
    rows.forEach((r, i) => {
      if (i > 0 && rows[i - 1].transaction_id !== r.transaction_id) {
        expect(seen.has(r.transaction_id)).toBe(false);
        expect(r.effective_date >= rows[i - 1].effective_date).toBe(true);
      }
      seen.add(r.transaction_id);
    });
    const expense = rows.find((r) => r.account_code.startsWith('expense:') && r.debit !== '0.00')!;
    expect(expense).toMatchObject({
      debit: '40000.00',
      gov_code: '5001',
      gov_name: '業務活動費用',
      functional_class: '2130504',
      project_id: String(contract.projectId),
      allocation_id: String(w.allocationId),
      allocation_document: 'A1',
    });
    const retention = rows.find((r) => r.account_code.startsWith('retention:'))!;
    expect(retention).toMatchObject({ credit: '6000.00', gov_code: '2307', contract_id: String(contract.id), payee: '英山縣路橋工程有限公司' });
  });

  it('neutralises a memo a spreadsheet would run, and keeps Chinese and quotes through a CSV reader', async () => {
    const rows = await csv(`/api/v1/exports/books/journal?${q(YEAR)}`);
    const manual = rows.filter((r) => r.account_code === 'cash:petty' || r.account_code === 'income:other');
    expect(manual).toHaveLength(2);
    for (const r of manual) expect(r.memo).toBe(`'${INJECTION}`);
    const raw = (await get(`/api/v1/exports/books/journal?${q(YEAR)}`)).body.toString('utf8');
    expect(raw).not.toMatch(/(^|,|")=HYPERLINK/m);
  });

  it('trial balance: per account the ledger’s opening, period and closing; each book’s totals agree', async () => {
    const period = { from: '2026-06-01', to: '2026-12-31' };
    const rows = await csv(`/api/v1/exports/books/trial-balance?${q(period)}`);
    const accounts = rows.filter((r) => r.row_type === 'account');
    expect(accounts.length).toBeGreaterThan(5);
    for (const r of accounts) {
      const opening = await netOfLines(r.code, '1900-01-01', '2026-05-31');
      const closing = await netOfLines(r.code, '1900-01-01', period.to);
      expect(new Decimal(r.opening_debit).minus(r.opening_credit).toFixed(2)).toBe(opening.toFixed(2));
      expect(new Decimal(r.closing_debit).minus(r.closing_credit).toFixed(2)).toBe(closing.toFixed(2));
      expect(new Decimal(r.period_debit).minus(r.period_credit).toFixed(2)).toBe(closing.minus(opening).toFixed(2));
      for (const c of ['opening_debit', 'opening_credit', 'closing_debit', 'closing_credit']) expect(new Decimal(r[c]).gte(0)).toBe(true);
    }
    // The allocation's receipt on 2026-03-01 is in the opening, not the period.
    const bank = accounts.find((r) => r.code === 'bank:D001')!;
    expect(bank).toMatchObject({ opening_debit: '5000000.00', gov_code: '1002', gov_name: '銀行存款' });
    const totals = rows.filter((r) => r.row_type === 'book_total');
    expect(totals.map((r) => r.book).sort()).toEqual(['budget', 'financial']);
    for (const total of totals) {
      expect(total.name).toBe('合計');
      expect(total.opening_debit).toBe(total.opening_credit);
      expect(total.period_debit).toBe(total.period_credit);
      expect(total.closing_debit).toBe(total.closing_credit);
      const mine = accounts.filter((r) => r.book === total.book);
      for (const c of ['opening_debit', 'opening_credit', 'period_debit', 'period_credit', 'closing_debit', 'closing_credit']) {
        expect(sum(mine, c).toFixed(2)).toBe(total[c]);
      }
    }
  });

  it('subsidiary ledger: each account from its opening through its lines to the trial balance’s closing', async () => {
    const period = { from: '2026-06-01', to: '2026-12-31' };
    const [ledger, tb] = await Promise.all([
      csv(`/api/v1/exports/books/subsidiary-ledger?${q(period)}`),
      csv(`/api/v1/exports/books/trial-balance?${q(period)}`),
    ]);
    for (const r of tb.filter((row) => row.row_type === 'account')) {
      const mine = ledger.filter((row) => row.account_code === r.code);
      expect(mine[0].row_type).toBe('opening');
      expect(mine.slice(-2).map((row) => row.row_type)).toEqual(['period_total', 'closing']);
      const signed = (row: Record<string, string>) => (row.direction === '貸' ? new Decimal(row.balance).neg() : new Decimal(row.balance));
      let running = signed(mine[0]);
      for (const line of mine.filter((row) => row.row_type === 'line')) {
        running = running.plus(line.debit).minus(line.credit);
        expect(signed(line).toFixed(2)).toBe(running.toFixed(2));
      }
      expect(signed(mine[mine.length - 1]).toFixed(2)).toBe(new Decimal(r.closing_debit).minus(r.closing_credit).toFixed(2));
      expect(mine[mine.length - 2]).toMatchObject({ debit: r.period_debit, credit: r.period_credit });
    }
  });

  it('general ledger: per mapped account, months adding up to the closing', async () => {
    const rows = await csv(`/api/v1/exports/books/general-ledger?${q(YEAR)}`);
    const bank = rows.filter((r) => r.gov_code === '1002');
    const [{ months }] = await t.ds.query(
      `SELECT array_agg(DISTINCT to_char(l.effective_date, 'YYYY-MM') ORDER BY to_char(l.effective_date, 'YYYY-MM')) AS months
         FROM ledger_lines l JOIN ledger_accounts a ON a.id = l.account_id WHERE a.code = 'bank:D001'`,
    );
    expect(bank.map((r) => r.row_type)).toEqual(['opening', ...months.map(() => 'month'), 'period_total', 'closing']);
    expect(bank.filter((r) => r.row_type === 'month').map((r) => r.month)).toEqual(months);
    expect(bank[0]).toMatchObject({ direction: '平', balance: '0.00' });
    const net = await netOfLines('bank:D001', YEAR.from, YEAR.to);
    expect(bank[bank.length - 1]).toMatchObject({ direction: '借', balance: net.toFixed(2) });
    expect(bank[bank.length - 2]).toMatchObject({ debit: '5000000.00', credit: net.negated().plus('5000000.00').toFixed(2) });
  });

  it('資金一本帳: received, budgeted, committed, paid and retention of the project, with the lines behind them', async () => {
    const rows = await csv(`/api/v1/exports/books/fund-book?${q(YEAR)}`);
    const allocation = rows.find((r) => r.project_id === '')!;
    expect(allocation).toMatchObject({ allocation_id: String(w.allocationId), received: '5000000.00', unallocated: '4900000.00' });
    const project = rows.find((r) => r.project_id === String(contract.projectId))!;
    expect(project).toMatchObject({
      functional_class: '2130504',
      budgeted: '100000.00',
      uncommitted: '0.00',
      committed: '60000.00',
      held: '0.00',
      paid: '40000.00',
      expenditure: '40000.00',
      retention_withheld: '6000.00',
      retention_released: '0.00',
      retention_held: '6000.00',
    });
    const lines = await csv(`/api/v1/exports/books/fund-book-transactions?${q(YEAR)}`);
    const paid = lines.filter((r) => r.project_id === String(contract.projectId) && r.figure === 'paid');
    expect(sum(paid, 'debit').minus(sum(paid, 'credit')).toFixed(2)).toBe('40000.00');
  });

  it('XLSX: amounts as numbers in #,##0.00, Chinese as written, read back by a spreadsheet library', async () => {
    const res = await get(`/api/v1/exports/books/journal?${q(YEAR, '&format=xlsx')}`);
    expect(res.status).toBe(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(res.body as unknown as ArrayBuffer);
    const sheet = book.worksheets[0];
    expect(sheet.name).toBe('序時賬');
    const header = (sheet.getRow(1).values as unknown[]).slice(1);
    const col = (title: string) => header.indexOf(title) + 1;
    expect(col('摘要')).toBeGreaterThan(0);
    const journal = await csv(`/api/v1/exports/books/journal?${q(YEAR)}`);
    const expected = journal.find((r) => r.account_code.startsWith('expense:') && r.debit === '40000.00')!;
    let found = false;
    sheet.eachRow((row, n) => {
      if (n === 1 || !row.getCell(col('科目編碼')).text.startsWith('expense:') || row.getCell(col('借方')).value !== 40000) return;
      found = true;
      expect(row.getCell(col('借方')).numFmt).toBe('#,##0.00');
      expect(row.getCell(col('貸方')).value).toBe(0);
      expect(row.getCell(col('摘要')).value).toBe(expected.memo);
      expect(expected.memo).toMatch(/[\u4e00-\u9fff]/);
    });
    expect(found).toBe(true);
  });

  it('PDF: the trial balance and one account’s subsidiary ledger, in Chinese, with page numbers', async () => {
    const tb = await get(`/api/v1/exports/books/trial-balance?${q(YEAR, '&format=pdf')}`);
    expect(tb.status).toBe(200);
    expect(tb.headers['content-type']).toBe('application/pdf');
    const [tbPdf] = await pdfTexts(tb.body);
    const tbText = tbPdf.pages.join('\n');
    expect(tbText).toMatch(/科目餘額表/);
    expect(tbText).toMatch(/合計/);
    expect(tbText).toMatch(new RegExp(`第\\s*1\\s*頁\\s*/\\s*共\\s*${tbPdf.total}\\s*頁`));
    const sl = await get(`/api/v1/exports/books/subsidiary-ledger?${q(YEAR, '&format=pdf&account=bank:D001')}`);
    expect(sl.status).toBe(200);
    const [slPdf] = await pdfTexts(sl.body);
    const slText = slPdf.pages.join('\n');
    expect(slText).toMatch(/明細賬/);
    expect(slText).toMatch(/期初餘額/);
    expect(slText).toMatch(/期末餘額/);
    expect(slText).toMatch(/5,000,000\.00/);
  });

  it('refuses what no export answers, with the field at fault, and writes nothing', async () => {
    const [{ n: before }] = await t.ds.query(`SELECT count(*)::int AS n FROM audit_events`);
    const refused = async (path: string, field: string, as: As = auditor) => {
      const res = await as.get(path).expect(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(res.body.details.fields[0].field).toBe(field);
    };
    await refused(`/api/v1/exports/books/journal?from=2026-12-31&to=2026-01-01`, 'to');
    await refused(`/api/v1/exports/books/journal?from=2026-02-30&to=2026-12-31`, 'from');
    await refused(`/api/v1/exports/books/ledger?${q(YEAR)}`, 'name');
    await refused(`/api/v1/exports/books/journal?${q(YEAR, '&format=pdf')}`, 'format');
    await refused(`/api/v1/exports/books/subsidiary-ledger?${q(YEAR, '&format=pdf')}`, 'format');
    await refused(`/api/v1/exports/books/subsidiary-ledger?${q(YEAR, '&account=bank:NOPE')}`, 'account');
    await refused(`/api/v1/exports/books/journal?${q(YEAR, '&account=bank:D001')}`, 'account');
    await refused(`/api/v1/exports/books/journal?${q(YEAR, '&format=docx')}`, 'format');
    expect((await w.village.get(`/api/v1/exports/books/journal?${q(YEAR)}`).expect(403)).body.code).toBe('FORBIDDEN_ROLE');
    const [{ n: after }] = await t.ds.query(`SELECT count(*)::int AS n FROM audit_events`);
    expect(after).toBe(before);
  });

  it('names the file after the county, the book and the period', async () => {
    const res = await get(`/api/v1/exports/books/trial-balance?${q(YEAR, '&format=xlsx')}`);
    expect(res.headers['content-disposition']).toBe(`attachment; filename="421124-trial-balance-2026-01-01-2026-12-31.xlsx"`);
  });
});
