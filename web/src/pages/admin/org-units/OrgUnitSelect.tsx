import { Select, type SelectProps } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { api, call } from '../../../api/client';
import { describeError } from '../../../errors';
import { LEVEL_LABELS, remember, type OrgUnit } from './orgUnits';

const PAGE = 100;

/**
 * A unit picked from the server's pages (the API pages units by id and has no search): the first page on open, the
 * next when the list is scrolled to its end. Typing filters the pages read so far.
 */
export function OrgUnitSelect({ levels, ...props }: Omit<SelectProps<number>, 'options'> & { levels?: readonly OrgUnit['level'][] }) {
  const [units, setUnits] = useState<OrgUnit[]>([]);
  const [more, setMore] = useState(true);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const loadMore = useCallback(async (after: number | undefined) => {
    setLoading(true);
    setError(null);
    try {
      const page = await call(api.GET('/api/v1/org-units', { params: { query: { limit: PAGE, afterId: after } } }));
      page.forEach(remember);
      setUnits((u) => [...u, ...page]);
      setMore(page.length === PAGE);
    } catch (e) {
      setError(e);
    } finally {
      setLoading(false);
    }
  }, []);

  useEffect(() => {
    void loadMore(undefined);
  }, [loadMore]);

  const shown = levels ? units.filter((u) => levels.includes(u.level)) : units;
  return (
    <Select<number>
      {...props}
      loading={loading}
      status={error ? 'error' : undefined}
      notFoundContent={error ? describeError(error) : undefined}
      showSearch={{ optionFilterProp: 'label' }}
      options={shown.map((u) => ({ value: u.id, label: `${u.name}（${LEVEL_LABELS[u.level]}）` }))}
      onPopupScroll={(e) => {
        const el = e.currentTarget as HTMLElement;
        if (more && !loading && el.scrollTop + el.clientHeight >= el.scrollHeight - 8) void loadMore(units[units.length - 1]?.id);
      }}
    />
  );
}
