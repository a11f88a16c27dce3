import { formatDate, formatMoney, sumMoney } from './format';

describe('console formats', () => {
  it('writes amounts with thousands separators and two decimals, exactly', () => {
    expect(formatMoney('1234567.8')).toBe('1,234,567.80');
    expect(formatMoney('0')).toBe('0.00');
    expect(formatMoney('999.99')).toBe('999.99');
    expect(formatMoney('1000')).toBe('1,000.00');
    expect(formatMoney('-85000.5')).toBe('-85,000.50');
    // Beyond a double's 15-16 significant digits: still to the fen.
    expect(formatMoney('9999999999999999.99')).toBe('9,999,999,999,999,999.99');
    expect(formatMoney(null)).toBe('');
  });

  it('adds amounts to the fen, ignoring blanks and what is not an amount', () => {
    expect(sumMoney(['0.10', '0.20'])).toBe('0.30');
    expect(sumMoney(['1000000.00', '', undefined, 'abc', '0.01'])).toBe('1000000.01');
    expect(sumMoney([])).toBe('0.00');
  });

  it('writes dates as YYYY-MM-DD', () => {
    expect(formatDate('2026-06-25')).toBe('2026-06-25');
    expect(formatDate('')).toBe('');
    expect(formatDate('2026-06-25T12:00:00')).toBe('2026-06-25');
  });
});
