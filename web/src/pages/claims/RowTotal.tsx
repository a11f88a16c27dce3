import { Form, Typography } from 'antd';
import Decimal from 'decimal.js';
import { formatMoney } from '../../format';
import { totalOf } from './packet';
import { Verdict } from './Verdict';

/** A list's live total against the claimed amount, announced as it changes. */
export function RowTotal({ list, label }: { list: 'expenses' | 'invoices'; label: string }) {
  const rows = Form.useWatch<{ amount?: string }[] | undefined>(list);
  const amount = Form.useWatch<string | undefined>('amount');
  const { total, claimed, matches } = totalOf(rows, amount);
  return (
    <Typography.Paragraph aria-live="polite" data-testid={`${list}-total`}>
      {label}：<strong>{formatMoney(total)}</strong>，報帳金額：{formatMoney(claimed)}{' '}
      <Verdict ok={matches}>{matches ? '相符' : `相差 ${formatMoney(new Decimal(claimed).minus(total).toFixed(2))}`}</Verdict>
    </Typography.Paragraph>
  );
}
