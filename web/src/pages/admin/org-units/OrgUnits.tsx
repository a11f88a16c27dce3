import { Typography, type TableColumnsType } from 'antd';
import { useState } from 'react';
import { api, call } from '../../../api/client';
import { PagedTable } from '../../../components/PagedTable';
import { nullableNumber } from '../../audit/nullable';
import { CreateOrgUnit } from './CreateOrgUnit';
import { OrgUnitName } from './OrgUnitName';
import { LEVEL_LABELS, remember, type OrgUnit } from './orgUnits';

const columns: TableColumnsType<OrgUnit> = [
  { title: '名稱', dataIndex: 'name' },
  { title: '代碼', dataIndex: 'code' },
  { title: '級別', dataIndex: 'level', render: (l: OrgUnit['level']) => LEVEL_LABELS[l] },
  { title: '上級單位', key: 'parent', render: (_, u) => <OrgUnitName id={nullableNumber(u.parentId)} /> },
  { title: '路徑', dataIndex: 'path' },
];

/** 單位: the county's units (縣 / 鄉鎮 / 村), paged by id, and a form to add a township or village. */
export default function OrgUnits() {
  const [version, setVersion] = useState(0);
  return (
    <>
      <Typography.Title level={2}>單位</Typography.Title>
      <CreateOrgUnit onCreated={() => setVersion((v) => v + 1)} />
      <PagedTable<OrgUnit>
        aria-label="單位"
        rowKey="id"
        columns={columns}
        query={version}
        fetchPage={async (afterId, limit) => {
          const page = await call(api.GET('/api/v1/org-units', { params: { query: { limit, afterId } } }));
          page.forEach(remember);
          return page;
        }}
        cursorOf={(u) => u.id}
      />
    </>
  );
}
