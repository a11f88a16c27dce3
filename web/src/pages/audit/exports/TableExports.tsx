import { Card, Form, Input, Space, Table, Typography, type FormInstance, type TableColumnsType } from 'antd';
import { DownloadButton } from './DownloadButton';
import { withQuery, type Entry, type ExportFormat } from './catalogue';

interface Props<Name extends string> {
  title: string;
  family: 'books' | 'registers';
  entries: readonly Entry<Name>[];
  form: FormInstance;
}

/** The account a subsidiary ledger is limited to: optional for CSV and XLSX (every account), required for its PDF. */
const ACCOUNT_FIELD = 'account';

/** One table of downloads: each book or register with a button per format it is written in. */
export function TableExports<Name extends string>({ title, family, entries, form }: Props<Name>) {
  const subsidiary = (name: string) => family === 'books' && name === 'subsidiary-ledger';

  const url = (name: Name, format: ExportFormat) => () => {
    const { from, to, account } = form.getFieldsValue(['from', 'to', ACCOUNT_FIELD]) as { from: string; to: string; account?: string };
    return withQuery(`/api/v1/exports/${family}/${name}`, { from, to, format, account: subsidiary(name) ? account?.trim() : undefined });
  };

  const columns: TableColumnsType<Entry<Name>> = [
    { title: '名稱', dataIndex: 'label', render: (label: string, e) => <Typography.Text strong={subsidiary(e.name)}>{label}</Typography.Text> },
    {
      title: '下載',
      key: 'formats',
      render: (_, e) => (
        <Space wrap align="start">
          {subsidiary(e.name) && (
            <Form.Item name={ACCOUNT_FIELD} label="科目編碼" extra="留空導出全部科目；PDF 須填一個科目" style={{ marginBottom: 0 }}>
              <Input placeholder="如 appropriation:A1" style={{ width: 200 }} />
            </Form.Item>
          )}
          {e.formats.map((format) => (
            <DownloadButton
              key={format}
              name={`下載${e.label} ${format.toUpperCase()}`}
              form={form}
              fields={['from', 'to']}
              needs={format === 'pdf' && subsidiary(e.name) ? { field: ACCOUNT_FIELD, message: '明細賬 PDF 須填一個科目編碼' } : undefined}
              url={url(e.name, format)}
            >
              {format.toUpperCase()}
            </DownloadButton>
          ))}
        </Space>
      ),
    },
  ];

  return (
    <Card title={title} style={{ marginBottom: 16 }}>
      <Table<Entry<Name>>
        aria-label={title}
        rowKey="name"
        columns={columns}
        dataSource={[...entries]}
        pagination={false}
        size="small"
        scroll={{ x: 'max-content' }}
      />
    </Card>
  );
}
