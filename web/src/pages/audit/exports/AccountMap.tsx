import { Card, Table, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { api, call } from '../../../api/client';
import { ErrorNote } from '../../../components/ErrorNote';

/** The map's answer (the route declares no schema; docs/exports.md, "The account map"). */
interface AccountMap {
  accounts: { kind: string; type?: string; govCode: string; govName: string }[];
  functionalClasses: { category: string; code: string; name: string }[];
}

const KIND_LABELS: Record<string, string> = {
  bank: '銀行存款（專戶）',
  fund: '資金來源',
  retention: '質量保證金',
  expense: '項目支出',
  appropriation: '預算收入',
  quota_unallocated: '未分配指標',
  quota_project: '項目待用指標',
  quota_committed: '合同已承諾',
  quota_held: '報帳凍結',
  quota_spent: '已支出',
  manual: '手工科目',
};

const TYPE_LABELS: Record<string, string> = {
  asset: '資產',
  liability: '負債',
  net_assets: '淨資產',
  revenue: '收入',
  expense: '費用',
  quota: '指標',
  appropriation: '預算收入',
};

const CATEGORY_LABELS: Record<string, string> = {
  infrastructure: '基礎設施',
  work_for_relief: '以工代賑',
  industry: '產業發展',
  social_services: '社會事業',
  training: '培訓',
  other: '其他',
};

/** A code with its Chinese name when there is one: `銀行存款（專戶） bank`. */
const labelled = (labels: Record<string, string>) => (code?: string) => (code ? `${labels[code] ?? ''} ${code}`.trim() : '');

const BOOK_OF_KIND: Record<string, string> = {
  bank: '財務會計',
  fund: '財務會計',
  retention: '財務會計',
  expense: '財務會計',
  appropriation: '預算會計',
  quota_unallocated: '預算會計',
  quota_project: '預算會計',
  quota_committed: '預算會計',
  quota_held: '預算會計',
  quota_spent: '預算會計',
};

/**
 * 科目對照: each kind of our accounts and the 政府會計制度 account it maps to, and the project categories'
 * functional classes. A fixed map of a few dozen rows, answered whole by the API (it has no pages).
 */
export default function AccountMapPage() {
  const [map, setMap] = useState<AccountMap | null>(null);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    let live = true;
    call(api.GET('/api/v1/exports/account-map'))
      .then((m) => live && setMap(m as unknown as AccountMap))
      .catch((e: unknown) => live && setError(e));
    return () => {
      live = false;
    };
  }, []);

  return (
    <>
      <Typography.Title level={2}>科目對照</Typography.Title>
      <Typography.Paragraph>
        本系統的科目按類別對應到《政府會計制度》（財會〔2017〕25號）的會計科目；手工開設的科目按其類型對應到該類的兜底科目。
      </Typography.Paragraph>
      <ErrorNote error={error} />
      <Card title="會計科目" style={{ marginBottom: 16 }}>
        <Table
          aria-label="會計科目對照"
          loading={!map && !error}
          rowKey={(r) => `${r.kind}:${r.type ?? ''}`}
          dataSource={map?.accounts ?? []}
          pagination={false}
          size="small"
          scroll={{ x: 'max-content' }}
          columns={[
            { title: '本系統科目類別', dataIndex: 'kind', render: labelled(KIND_LABELS) },
            { title: '手工科目類型', dataIndex: 'type', render: labelled(TYPE_LABELS) },
            {
              title: '賬套',
              key: 'book',
              render: (_, r) => BOOK_OF_KIND[r.kind] ?? (r.type === 'quota' || r.type === 'appropriation' ? '預算會計' : '財務會計'),
            },
            { title: '政府會計科目編碼', dataIndex: 'govCode' },
            { title: '政府會計科目名稱', dataIndex: 'govName' },
          ]}
        />
      </Card>
      <Card title="功能分類">
        <Table
          aria-label="功能分類對照"
          loading={!map && !error}
          rowKey="category"
          dataSource={map?.functionalClasses ?? []}
          pagination={false}
          size="small"
          scroll={{ x: 'max-content' }}
          columns={[
            { title: '項目類別', dataIndex: 'category', render: labelled(CATEGORY_LABELS) },
            { title: '功能分類編碼', dataIndex: 'code' },
            { title: '功能分類名稱', dataIndex: 'name' },
          ]}
        />
      </Card>
    </>
  );
}
