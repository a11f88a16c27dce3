import Decimal from 'decimal.js';
import { Money } from '../../common/money';

const DIGITS = '零壹貳參肆伍陸柒捌玖';
/** Units inside a group of four places, from the lowest: 元 (written once, after the whole number), 拾, 佰, 仟. */
const PLACES = ['', '拾', '佰', '仟'];
const WAN = 10_000n;
const YI = 100_000_000n;
/** numeric(20,2): at most 18 integer digits. */
const LIMIT = 10n ** 18n;
const PLAIN = /^[0-9]+(\.[0-9]{1,2})?$/;

/**
 * An amount in capitals (大寫金額) in the traditional characters of our documents: 1200050 → 壹佰貳拾萬零伍拾元整.
 *
 * The rules are those of 中國人民銀行《支付結算辦法》(銀發〔1997〕393號) 附件一《正確填寫票據和結算憑證的基本規定》
 * 第二、四條 and of 財政部《會計基礎工作規範》(財會字〔1996〕19號) 第五十二條; where either allows two ways, we write one:
 * - 整 after 元 when there is no 角 or 分, and after 角 when there is no 分 (壹元貳角整); never after 分. The 規範
 *   (第五十二條(三)) requires 整 after 角, the 辦法 (第二條) makes it optional there: writing it satisfies both.
 * - 零 for a run of zeros between non-zero digits, one 零 however long the run (第四條(一)(二)): 陸仟零柒元.
 * - No 零 for zeros that end at a 萬 or 億 that is written, nor at 元 before 角: the unit already marks the place, and
 *   第四條(三) allows either way (壹拾萬柒仟元, 壹拾元伍角整). A 萬 group that is all zeros is not written, so zeros after
 *   億 still take their 零 (壹億零壹萬元整).
 * - 零 after 元 when 角 is zero and 分 is not (第四條(四)): 壹元零伍分.
 * - Below one 元 only 角 and 分 are written (伍分); zero is 零元整.
 * - 壹拾, never a bare 拾, so nothing can be written in front of it.
 * - 萬億 for 10^12 (壹萬億元整), 億億 from 10^16 (壹億億元整): 億 multiplies everything written before it.
 * No 人民幣 in front: the caller prints it where the form needs it.
 *
 * Refuses (RangeError) a negative amount, more than two decimal places, or more than numeric(20,2) holds.
 */
export function amountInCapitals(amount: string | Decimal): string {
  const fen = toFen(amount);
  const yuan = fen / 100n;
  const jiao = Number((fen / 10n) % 10n);
  const cents = Number(fen % 10n);
  if (fen === 0n) return '零元整';
  const whole = yuan > 0n ? `${integer(yuan)}元` : '';
  if (jiao === 0 && cents === 0) return `${whole}整`;
  const tenths = jiao > 0 ? `${DIGITS[jiao]}角` : yuan > 0n ? '零' : '';
  return cents > 0 ? `${whole}${tenths}${DIGITS[cents]}分` : `${whole}${tenths}整`;
}

function toFen(amount: string | Decimal): bigint {
  if (typeof amount === 'string' && !PLAIN.test(amount)) {
    throw new RangeError(`not a non-negative amount with at most two decimals: ${JSON.stringify(amount)}`);
  }
  const value = new Money(amount);
  if (!value.isFinite() || value.lt(0) || value.decimalPlaces() > 2) {
    throw new RangeError(`not a non-negative amount with at most two decimals: ${value.toString()}`);
  }
  const fen = BigInt(value.times(100).toFixed(0));
  if (fen >= LIMIT * 100n) throw new RangeError(`more than numeric(20,2) holds: ${value.toFixed(2)}`);
  return fen;
}

/** A positive whole number of 元: what stands before 億, then 億, then the rest; the same with 萬 below 億. */
function integer(n: bigint): string {
  if (n >= YI) return `${integer(n / YI)}億${rest(n % YI, YI)}`;
  if (n >= WAN) return `${group(n / WAN)}萬${rest(n % WAN, WAN)}`;
  return group(n);
}

/** What follows a written 億 or 萬: nothing, or 零 when its highest place is zero, then the number. */
function rest(n: bigint, unit: bigint): string {
  if (n === 0n) return '';
  return n < unit / 10n ? `零${integer(n)}` : integer(n);
}

/** 1 to 9999: each non-zero digit with its place, one 零 for zeros between them, nothing for trailing zeros. */
function group(n: bigint): string {
  const digits = String(n);
  let out = '';
  let zeros = false;
  for (let i = 0; i < digits.length; i++) {
    const d = Number(digits[i]);
    if (d === 0) {
      zeros = true;
      continue;
    }
    if (zeros) out += '零';
    zeros = false;
    out += DIGITS[d] + PLACES[digits.length - 1 - i];
  }
  return out;
}
