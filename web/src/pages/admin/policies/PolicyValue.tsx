import { formatMoney } from '../../../format';
import { POLICY_LABELS, type PolicyKey } from './policyLabels';

/** A value as a clerk reads it: amounts with separators, rates also as a percentage, an empty schedule said so. */
export function PolicyValue({ policyKey, value }: { policyKey: string; value: string }) {
  const unit = POLICY_LABELS[policyKey as PolicyKey]?.unit;
  if (unit === 'amount') return <span style={{ fontVariantNumeric: 'tabular-nums' }}>{formatMoney(value)}</span>;
  if (unit === 'rate')
    return (
      <span>
        {value}（{percent(value)}）
      </span>
    );
  if (unit === 'schedule' && value === '') return <span>未設置</span>;
  return <span>{value}</span>;
}

/** A rate as a percentage, by moving the decimal point in the text (no floating point). */
function percent(rate: string): string {
  const [whole, fraction = ''] = rate.split('.');
  const digits = `${whole}${fraction.padEnd(2, '0')}`;
  const point = whole.length + 2;
  const int = digits.slice(0, point).replace(/^0+(?=\d)/, '');
  const rest = digits.slice(point).replace(/0+$/, '');
  return `${int}${rest ? `.${rest}` : ''}%`;
}
