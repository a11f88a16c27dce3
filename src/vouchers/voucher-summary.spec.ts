import { decodeVoucherCursor, encodeVoucherCursor } from './voucher-cursor';
import { voucherSummary } from './voucher-summary';

describe('voucher summary', () => {
  it('sums a posting’s debit lines to the fen, whatever their spelling', () => {
    const request = {
      effectiveDate: '2026-03-01',
      memo: '到帳',
      lines: [
        { account: 'a', debit: '100.1' },
        { account: 'b', credit: '100.10' },
        { account: 'c', debit: '0.05' },
        { account: 'd', credit: '0.05' },
      ],
    };
    expect(voucherSummary('posting', request)).toEqual({ memo: '到帳', effectiveDate: '2026-03-01', amount: '100.15' });
  });

  it('shows a reversal’s reason, its date when one was asked for, and no amount', () => {
    expect(voucherSummary('reversal', { reason: '重複記帳' })).toEqual({ memo: '重複記帳', effectiveDate: null, amount: null });
    expect(voucherSummary('reversal', { reason: '重複記帳', effectiveDate: '2026-04-01' })).toMatchObject({ effectiveDate: '2026-04-01' });
  });
});

describe('voucher cursor', () => {
  const cursor = { draftedAt: '2026-03-01T08:00:00.123456Z', id: '0b6f5c1e-7d3a-4c1b-9f00-1a2b3c4d5e6f' };

  it('gives back what it encoded', () => {
    const encoded = encodeVoucherCursor(cursor);
    expect(encoded).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeVoucherCursor(encoded)).toEqual(cursor);
  });

  it('refuses anything it did not hand out', () => {
    const bad = [
      '',
      'not a cursor!',
      'abc',
      encodeVoucherCursor({ ...cursor, id: 'x' }),
      encodeVoucherCursor({ ...cursor, draftedAt: '2026-03-01T08:00:00Z' }),
      encodeVoucherCursor({ ...cursor, draftedAt: '2026-13-01T08:00:00.000000Z' }),
      encodeVoucherCursor({ ...cursor, draftedAt: '2026-02-31T08:00:00.000000Z' }),
      Buffer.from(`${cursor.draftedAt}_${cursor.id}_more`).toString('base64url'),
    ];
    expect(bad.map(decodeVoucherCursor)).toEqual(bad.map(() => null));
  });
});
