import { Button, Space, Table, type TableProps } from 'antd';
import { useCallback, useEffect, useRef, useState } from 'react';
import { ErrorNote } from './ErrorNote';

export const PAGE_SIZE = 20;

export interface PagedTableProps<Row, Cursor> extends Omit<TableProps<Row>, 'dataSource' | 'pagination' | 'loading'> {
  /** One page from the server: the rows after `cursor` (undefined for the first page), at most `limit` of them. */
  fetchPage: (cursor: Cursor | undefined, limit: number) => Promise<Row[]>;
  /** The cursor that asks for the rows after this one (its id, its seq). */
  cursorOf: (row: Row) => Cursor;
  /** Changing it (a filter) starts again from the first page. */
  query?: unknown;
  pageSize?: number;
}

/**
 * A list paged on the server by its cursor: the page holds at most `pageSize` rows, 下一頁 asks for the rows after the
 * last one, 上一頁 goes back to the cursor the page was read from. Nothing beyond one page is ever fetched.
 */
export function PagedTable<Row extends object, Cursor = number>({ fetchPage, cursorOf, query, pageSize = PAGE_SIZE, ...table }: PagedTableProps<Row, Cursor>) {
  const [cursors, setCursors] = useState<(Cursor | undefined)[]>([undefined]);
  const [rows, setRows] = useState<Row[]>([]);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const fetchRef = useRef(fetchPage);
  // Only the latest request may fill the table: an older answer arriving late (a filter changed meanwhile) is dropped.
  const latest = useRef(0);
  fetchRef.current = fetchPage;

  const load = useCallback(
    async (cursor: Cursor | undefined) => {
      const ticket = ++latest.current;
      setLoading(true);
      setError(null);
      try {
        const page = await fetchRef.current(cursor, pageSize);
        if (ticket === latest.current) setRows(page);
      } catch (e) {
        if (ticket !== latest.current) return;
        setError(e);
        setRows([]);
      } finally {
        if (ticket === latest.current) setLoading(false);
      }
    },
    [pageSize],
  );

  const queryKey = JSON.stringify(query ?? null);
  useEffect(() => {
    setCursors([undefined]);
    void load(undefined);
  }, [queryKey, load]);

  const page = cursors.length;
  const next = () => {
    const cursor = cursorOf(rows[rows.length - 1]);
    setCursors((c) => [...c, cursor]);
    void load(cursor);
  };
  const previous = () => {
    const back = cursors.slice(0, -1);
    setCursors(back);
    void load(back[back.length - 1]);
  };

  return (
    <>
      <ErrorNote error={error} />
      <Table<Row> {...table} dataSource={rows} loading={loading} pagination={false} scroll={{ x: 'max-content', ...table.scroll }} size="middle" />
      <Space style={{ marginTop: 12 }} aria-label="翻頁">
        <Button onClick={previous} disabled={page === 1 || loading}>
          上一頁
        </Button>
        <span>第 {page} 頁</span>
        <Button onClick={next} disabled={rows.length < pageSize || loading}>
          下一頁
        </Button>
      </Space>
    </>
  );
}
