import { randomUUID } from 'node:crypto';
import { As, TestApp, startTestApp } from '../support/app';
import { MAKER, draft, approve, openCountyBooks, posting } from '../support/factories';

interface Row {
  id: string;
  kind: string;
  state: string;
  cursor: string;
  draftedByName: string;
  memo: string | null;
  effectiveDate: string | null;
  amount: string | null;
}

describe('the voucher list (GET /ledger/vouchers)', () => {
  let t: TestApp;
  let fin: As;
  let auditor: As;
  let elsewhere: string;
  const drafted: string[] = [];
  let reversalId: string;

  const receipt = (amount: string, memo: string) =>
    posting(
      [
        { account: 'bank:D', debit: amount },
        { account: 'equity:A', credit: amount },
        { account: 'budget:available:A', debit: amount },
        { account: 'budget:source:A', credit: amount },
      ],
      '2026-03-01',
      memo,
    );

  /** Every page of `query`, `limit` rows at a time, following each page's last cursor. */
  const pages = async (who: As, query: string, limit: number): Promise<Row[][]> => {
    const out: Row[][] = [];
    let after = '';
    for (;;) {
      const page: Row[] = (await who.get(`/api/v1/ledger/vouchers?limit=${limit}${query}${after}`).expect(200)).body;
      if (page.length === 0) return out;
      out.push(page);
      if (page.length < limit) return out;
      after = `&after=${encodeURIComponent(page[page.length - 1].cursor)}`;
    }
  };

  beforeAll(async () => {
    t = await startTestApp();
    await openCountyBooks(t);
    fin = await t.as(MAKER);
    auditor = await t.as('voucher-auditor', ['auditor']);
    for (let i = 1; i <= 7; i++) drafted.push(await draft(t, receipt(`${i}000.00`, `到帳 ${i}`)));
    // Two posted, and a reversal of the first drafted waiting.
    const posted = (await approve(t, drafted[0])).body;
    await approve(t, drafted[1]);
    reversalId = (await fin.post(`/api/v1/ledger/transactions/${posted.id}/reversal`).send({ reason: '重複記帳' }).expect(201)).body.id;

    // Another county's voucher, written as the schema's owner: it must never show.
    const [county] = await t.ds.query(`INSERT INTO counties (code, name) VALUES ('421122', '羅田縣') RETURNING id`);
    await t.ds.query(`INSERT INTO org_units (county_id, parent_id, level, code, name, path) VALUES ($1, NULL, 'county', '421122', '羅田縣', '')`, [county.id]);
    const [unit] = await t.ds.query(`SELECT id FROM org_units WHERE county_id = $1`, [county.id]);
    const [user] = await t.ds.query(
      `INSERT INTO users (county_id, org_unit_id, username, display_name, password_hash, roles) VALUES ($1, $2, 'luotian', 'x', 'x', '{county_finance}') RETURNING id`,
      [county.id, unit.id],
    );
    elsewhere = randomUUID();
    await t.ds.query(`INSERT INTO ledger_vouchers (id, county_id, kind, state, request, drafted_by) VALUES ($1, $2, 'posting', 'draft', $3, $4)`, [
      elsewhere,
      county.id,
      receipt('1.00', '羅田'),
      user.id,
    ]);
  });
  afterAll(() => t.close());

  it('pages newest first, each row once, with the drafted memo, date, amount and drafter', async () => {
    const all = await pages(auditor, '', 3);
    expect(all.map((p) => p.length)).toEqual([3, 3, 2]);
    const ids = all.flat().map((r) => r.id);
    expect(new Set(ids).size).toBe(8);
    expect(ids).toEqual([reversalId, ...[...drafted].reverse()]);
    expect(ids).not.toContain(elsewhere);
    // The database's own order: drafted time, then id, newest first.
    const ordered = await t.ds.query(`SELECT id FROM ledger_vouchers WHERE id <> $1 ORDER BY drafted_at DESC, id DESC`, [elsewhere]);
    expect(ids).toEqual(ordered.map((r: { id: string }) => r.id));

    const rows = all.flat();
    expect(rows.find((r) => r.id === drafted[2])).toMatchObject({
      kind: 'posting',
      state: 'draft',
      draftedByName: MAKER,
      memo: '到帳 3',
      effectiveDate: '2026-03-01',
      amount: '6000.00',
    });
    expect(rows.find((r) => r.id === reversalId)).toMatchObject({ kind: 'reversal', state: 'draft', memo: '重複記帳', effectiveDate: null, amount: null });
    // Each row is the voucher as GET /vouchers/:id answers it, and more.
    const one = (await auditor.get(`/api/v1/ledger/vouchers/${drafted[0]}`).expect(200)).body;
    expect(rows.find((r) => r.id === drafted[0])).toMatchObject(one);
  });

  it('filters by state and kind', async () => {
    const posted = (await pages(fin, '&state=posted', 1)).flat();
    expect(posted.map((r) => r.id)).toEqual([drafted[1], drafted[0]]);
    expect(posted.every((r) => r.state === 'posted')).toBe(true);
    const drafts = (await fin.get('/api/v1/ledger/vouchers?state=draft').expect(200)).body as Row[];
    expect(drafts.map((r) => r.id)).toEqual([reversalId, ...drafted.slice(2).reverse()]);
    expect((await fin.get('/api/v1/ledger/vouchers?kind=reversal').expect(200)).body.map((r: Row) => r.id)).toEqual([reversalId]);
    expect((await fin.get('/api/v1/ledger/vouchers?kind=posting&state=draft&limit=2').expect(200)).body.map((r: Row) => r.id)).toEqual([
      drafted[6],
      drafted[5],
    ]);
  });

  it('refuses a cursor it did not hand out, and a bad filter, naming the field', async () => {
    const [first] = (await fin.get('/api/v1/ledger/vouchers?limit=1').expect(200)).body as Row[];
    const forged = Buffer.from(`2026-02-31T00:00:00.000000Z_${first.id}`).toString('base64url');
    for (const after of ['garbage!', 'abc', forged, first.cursor.slice(0, -4)]) {
      const res = await fin.get(`/api/v1/ledger/vouchers?after=${encodeURIComponent(after)}`).expect(400);
      expect({ after, code: res.body.code, fields: res.body.details.fields.map((f: { field: string }) => f.field) }).toEqual({
        after,
        code: 'VALIDATION_FAILED',
        fields: ['after'],
      });
    }
    for (const [query, field] of [
      ['state=open', 'state'],
      ['kind=manual', 'kind'],
      ['limit=1001', 'limit'],
    ]) {
      const res = await fin.get(`/api/v1/ledger/vouchers?${query}`).expect(400);
      expect(res.body.details.fields.map((f: { field: string }) => f.field)).toEqual([field]);
    }
    // After the last row: nothing more.
    const last = (await pages(fin, '', 100)).flat().pop()!;
    expect((await fin.get(`/api/v1/ledger/vouchers?after=${encodeURIComponent(last.cursor)}`).expect(200)).body).toEqual([]);
  });

  it('is read by the ledger’s readers only', async () => {
    const village = await t.as('voucher-village', ['village']);
    expect((await village.get('/api/v1/ledger/vouchers').expect(403)).body.code).toBe('FORBIDDEN_ROLE');
    await (await t.as('voucher-leader', ['county_leader'])).get('/api/v1/ledger/vouchers').expect(200);
  });
});
