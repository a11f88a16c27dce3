import type { FormInstance } from 'antd';
import { ApiError } from '../../api/client';
import { ERROR_MESSAGES } from '../../errors';
import type { LineInput } from './voucherBalance';

/**
 * The ledger names the account it refused (`details.account`) rather than a field: the refusal is put on each line
 * that names it — on the account for a system account, on the credit for money leaving a dedicated account.
 */
export function markRefusedAccount(form: FormInstance, lines: readonly LineInput[], error: unknown): void {
  if (!(error instanceof ApiError)) return;
  const account = error.body.details?.account;
  if (typeof account !== 'string') return;
  const message = ERROR_MESSAGES[error.code] ?? error.message;
  const field = error.code === 'DEDICATED_ACCOUNT_OUTFLOW' ? 'credit' : 'account';
  form.setFields(
    lines.flatMap((l, i) => (l.account === account && (field === 'account' || l.credit) ? [{ name: ['lines', i, field], errors: [message] }] : [])),
  );
}
