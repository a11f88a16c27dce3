import { Select, Tag } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { api, call, type Schema } from '../../api/client';
import { describeError } from '../../errors';
import { BOOK_LABELS, isWorkflowAccount } from './labels';

type Account = Schema<'AccountView'>;

const SEARCH_LIMIT = 20;

interface Props {
  /** Set by Form.Item. */
  value?: string;
  onChange?: (code: string | undefined) => void;
  id?: string;
  /** Told the account picked, so the form knows its book. */
  onAccount?: (account: Account) => void;
  'aria-label'?: string;
}

/**
 * A ledger account of the county, searched on the server by code prefix (`bank`, `revenue:`): each option shows the
 * code, the name and the book; accounts the workflows keep are marked 系統科目 (a voucher on them is refused).
 */
export function AccountSelect({ value, onChange, id, onAccount, 'aria-label': ariaLabel }: Props) {
  const [options, setOptions] = useState<Account[]>([]);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [picked, setPicked] = useState<Account | null>(null);
  const latest = useRef(0);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  const search = (prefix: string) => {
    clearTimeout(timer.current);
    timer.current = setTimeout(() => {
      const ticket = ++latest.current;
      setLoading(true);
      call(api.GET('/api/v1/ledger/accounts', { params: { query: { limit: SEARCH_LIMIT, codePrefix: prefix.trim() || undefined } } }))
        .then(
          (rows) => {
            if (ticket !== latest.current) return;
            setOptions(rows);
            setError(null);
          },
          (e: unknown) => ticket === latest.current && setError(describeError(e)),
        )
        .finally(() => ticket === latest.current && setLoading(false));
    }, 250);
  };

  useEffect(() => () => clearTimeout(timer.current), []);

  const shown = picked && !options.some((o) => o.code === picked.code) ? [picked, ...options] : options;
  return (
    <Select<string>
      id={id}
      aria-label={ariaLabel}
      value={value}
      placeholder="輸入科目代碼搜索，如 bank"
      showSearch={{ filterOption: false, onSearch: search }}
      onOpenChange={(open) => open && options.length === 0 && search('')}
      loading={loading}
      notFoundContent={error ?? (loading ? '搜索中…' : '沒有以此開頭的科目')}
      onChange={(code) => {
        const account = shown.find((o) => o.code === code);
        if (account) {
          setPicked(account);
          onAccount?.(account);
        }
        onChange?.(code);
      }}
      options={shown.map((a) => ({
        value: a.code,
        label: (
          <span>
            {a.code} {a.name} <Tag>{BOOK_LABELS[a.book]}</Tag>
            {isWorkflowAccount(a.code) && <Tag color="default">系統科目</Tag>}
          </span>
        ),
      }))}
      style={{ width: '100%' }}
      popupMatchSelectWidth={false}
    />
  );
}
