import { isPositiveAmount, moneyColumn } from './money';

describe('amounts', () => {
  it.each(['0.01', '1', '1.5', '1234.56', '9999999999999999.99'])('accepts %s', (v) => expect(isPositiveAmount(v)).toBe(true));

  it.each([
    ['a number', 10],
    ['zero', '0.00'],
    ['negative', '-1.00'],
    ['three decimals', '1.005'],
    ['17 integer digits', '12345678901234567'],
    ['exponent', '1e3'],
    ['NaN', 'NaN'],
    ['Infinity', 'Infinity'],
    ['empty', ''],
    ['spaces', ' 1.00'],
    ['plus sign', '+1.00'],
    ['leading zero', '01.00'],
    ['trailing dot', '1.'],
    ['full-width digits', '１.００'],
  ])('refuses %s', (_name, v) => expect(isPositiveAmount(v)).toBe(false));

  it('reads numeric columns as two-decimal strings and refuses non-decimal writes', () => {
    expect(moneyColumn.from('15000')).toBe('15000.00');
    expect(moneyColumn.to('12.30')).toBe('12.30');
    expect(() => moneyColumn.to(12.3)).toThrow(TypeError);
    expect(() => moneyColumn.to('1e3')).toThrow(TypeError);
  });
});
