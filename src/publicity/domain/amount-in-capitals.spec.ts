import Decimal from 'decimal.js';
import fc from 'fast-check';
import { amountInCapitals } from './amount-in-capitals';

/**
 * Capitals back to fen, written independently of the writer: a running reading as a person reads the words, where
 * 拾佰仟 scale the digit before them, 萬 scales what has accumulated since the last 億, and 億 scales everything
 * before it. 零 carries no value. Throws on any character it does not know.
 */
function parseCapitals(text: string): bigint {
  const digits = '零壹貳參肆伍陸柒捌玖';
  const places: Record<string, bigint> = { 拾: 10n, 佰: 100n, 仟: 1000n };
  const match = /^(.*?)(?:元)?(?:([壹貳參肆伍陸柒捌玖])角)?(?:零?([壹貳參肆伍陸柒捌玖])分)?整?$/u.exec(text.replace(/^零元整$/u, '元整'));
  if (!match) throw new Error(`unreadable: ${text}`);
  const [, whole, jiao, fen] = match;
  let beforeYi = 0n;
  let beforeWan = 0n;
  let section = 0n;
  let digit = 0n;
  for (const ch of whole) {
    const d = digits.indexOf(ch);
    if (d >= 0) digit = BigInt(d);
    else if (ch in places) {
      section += digit * places[ch];
      digit = 0n;
    } else if (ch === '萬') {
      beforeWan = (section + digit) * 10_000n;
      section = digit = 0n;
    } else if (ch === '億') {
      beforeYi = (beforeYi + beforeWan + section + digit) * 100_000_000n;
      beforeWan = section = digit = 0n;
    } else throw new Error(`unknown character ${ch} in ${text}`);
  }
  const yuan = beforeYi + beforeWan + section + digit;
  return yuan * 100n + BigInt(jiao ? digits.indexOf(jiao) : 0) * 10n + BigInt(fen ? digits.indexOf(fen) : 0);
}

function fenToAmount(fen: bigint): string {
  return `${fen / 100n}.${String(fen % 100n).padStart(2, '0')}`;
}

describe('amountInCapitals', () => {
  it.each([
    ['1200050.00', '壹佰貳拾萬零伍拾元整'],
    ['0', '零元整'],
    ['0.00', '零元整'],
    ['0.05', '伍分'],
    ['0.50', '伍角整'],
    ['0.55', '伍角伍分'],
    ['1.20', '壹元貳角整'],
    ['1.05', '壹元零伍分'],
    ['1.25', '壹元貳角伍分'],
    ['10', '壹拾元整'],
    ['10.50', '壹拾元伍角整'],
    ['15', '壹拾伍元整'],
    ['100.05', '壹佰元零伍分'],
    ['1409.50', '壹仟肆佰零玖元伍角整'],
    ['6007.14', '陸仟零柒元壹角肆分'],
    ['1680.32', '壹仟陸佰捌拾元參角貳分'],
    ['16409.02', '壹萬陸仟肆佰零玖元零貳分'],
    ['107000.53', '壹拾萬柒仟元伍角參分'],
    ['100700', '壹拾萬零柒佰元整'],
    ['1070000', '壹佰零柒萬元整'],
    ['10000100', '壹仟萬零壹佰元整'],
    ['100000000', '壹億元整'],
    ['100000001', '壹億零壹元整'],
    ['100010000', '壹億零壹萬元整'],
    ['100007000', '壹億零柒仟元整'],
    ['107000000', '壹億零柒佰萬元整'],
    ['120000001', '壹億貳仟萬零壹元整'],
    ['1000000000', '壹拾億元整'],
    ['1000000000000', '壹萬億元整'],
    ['1000100000000', '壹萬零壹億元整'],
    ['1000070000000', '壹萬億柒仟萬元整'],
    ['1000000007000', '壹萬億零柒仟元整'],
    ['1234567890123.45', '壹萬貳仟參佰肆拾伍億陸仟柒佰捌拾玖萬零壹佰貳拾參元肆角伍分'],
    ['10000000000000000', '壹億億元整'],
    ['21714000.00', '貳仟壹佰柒拾壹萬肆仟元整'],
    ['999999999999999999.99', '玖拾玖億玖仟玖佰玖拾玖萬玖仟玖佰玖拾玖億玖仟玖佰玖拾玖萬玖仟玖佰玖拾玖元玖角玖分'],
  ])('%s → %s', (amount, capitals) => {
    expect(amountInCapitals(amount)).toBe(capitals);
    expect(parseCapitals(capitals)).toBe(BigInt(new Decimal(amount).times(100).toFixed(0)));
  });

  it('takes a Decimal as well as a string', () => {
    expect(amountInCapitals(new Decimal('3.4'))).toBe('參元肆角整');
  });

  it.each(['-1', '-0.01', '1.234', '1.500', '1e3', ' 1', '', 'abc', '1000000000000000000'])('refuses %j', (amount) => {
    expect(() => amountInCapitals(amount)).toThrow(RangeError);
  });

  it('refuses a negative Decimal or one with three places', () => {
    expect(() => amountInCapitals(new Decimal('-5'))).toThrow(RangeError);
    expect(() => amountInCapitals(new Decimal('0.001'))).toThrow(RangeError);
  });

  it('reads back to the amount, from 0 to 10^16 元 with two decimals, and is well formed', () => {
    // Digits mostly zero, so runs of zeros at every place and at the 萬 and 億 boundaries come up often.
    const sparse = fc.array(fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 9 })), { minLength: 1, maxLength: 18 }).map((ds) => BigInt(ds.join('')));
    const fen = fc.oneof(sparse, fc.bigInt({ min: 0n, max: 10n ** 18n }));
    fc.assert(
      fc.property(fen, fc.boolean(), (f, asDecimal) => {
        const amount = fenToAmount(f);
        const capitals = amountInCapitals(asDecimal ? new Decimal(amount) : amount);
        expect(parseCapitals(capitals)).toBe(f);
        // One 零 per run, never before a unit, never leading; no bare 拾.
        if (f > 0n) expect(capitals).not.toMatch(/零零|零[拾佰仟萬億元角分整]|^[零拾]|萬萬/u);
        expect(capitals).toMatch(f % 10n === 0n ? /[元角]整$/u : /[壹貳參肆伍陸柒捌玖]分$/u);
      }),
      { numRuns: 5000 },
    );
  });
});
