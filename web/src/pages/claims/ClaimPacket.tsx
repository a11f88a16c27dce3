import { Card, Descriptions, Table } from 'antd';
import { Link } from 'react-router';
import type { Schema } from '../../api/client';
import { Money, moneyColumn } from '../../components/Money';
import { EXPENSE_CATEGORY_LABELS } from './labels';
import { ProjectLink } from './names';
import type { ClaimDetail, ExpenseCategory } from './types';

type Contract = Schema<'ContractView'>;

const LETTERS: [keyof Contract['letters'], string][] = [
  ['countyToTownship', '縣鄉責任書'],
  ['townshipToVillage', '鄉村責任書'],
  ['villageToContractor', '村與承建方責任書'],
];

/** The whole packet as sent: amount, contract and project, stage, the expense lines, the invoices, the contract's letters. */
export function ClaimPacket({ claim, contract }: { claim: ClaimDetail; contract: Contract | undefined }) {
  const stage = claim.stage !== null ? contract?.schedule[claim.stage - 1] : undefined;
  return (
    <Card title="報帳材料" style={{ marginBottom: 16 }}>
      <Descriptions column={{ xs: 1, md: 2, lg: 3 }} size="small">
        <Descriptions.Item label="報帳金額">
          <Money value={claim.amount} />
        </Descriptions.Item>
        <Descriptions.Item label="合同">
          <Link to={`/contracts/${claim.contractId}`}>{contract?.title ?? `合同 ${claim.contractId}`}</Link>
        </Descriptions.Item>
        <Descriptions.Item label="項目">
          <ProjectLink id={claim.projectId} />
        </Descriptions.Item>
        {contract && (
          <>
            <Descriptions.Item label="收款人">{contract.payee.name}</Descriptions.Item>
            <Descriptions.Item label="開戶銀行">{contract.payee.bank}</Descriptions.Item>
            <Descriptions.Item label="合同金額">
              <Money value={contract.amount} />
            </Descriptions.Item>
          </>
        )}
        <Descriptions.Item label="付款階段">
          {claim.stage === null ? '—' : `第${claim.stage}期${stage ? `：${stage.milestone}（${stage.percent}%）` : ''}`}
        </Descriptions.Item>
        <Descriptions.Item label="最後一次報帳">{claim.final ? `是（驗收編號 ${claim.acceptanceId ?? '—'}）` : '否'}</Descriptions.Item>
        <Descriptions.Item label="申請日期">{claim.applicationDate}</Descriptions.Item>
        <Descriptions.Item label="版本">第 {claim.version} 版</Descriptions.Item>
      </Descriptions>
      <Table<Schema<'ExpenseLineDto'> & { line: number }>
        aria-label="支出明細"
        title={() => '支出明細'}
        size="small"
        rowKey="line"
        pagination={false}
        scroll={{ x: 'max-content' }}
        dataSource={claim.expenses.map((e, line) => ({ ...e, line }))}
        columns={[
          { title: '說明', dataIndex: 'description' },
          { title: '類別', dataIndex: 'category', render: (c?: ExpenseCategory) => (c ? EXPENSE_CATEGORY_LABELS[c] : '—') },
          { title: '金額', dataIndex: 'amount', ...moneyColumn },
        ]}
      />
      <Table<Schema<'ClaimInvoiceView'>>
        aria-label="發票"
        title={() => '發票'}
        style={{ marginTop: 16 }}
        size="small"
        rowKey={(i) => `${i.issuerTaxId}-${i.code ?? ''}-${i.number}`}
        pagination={false}
        scroll={{ x: 'max-content' }}
        dataSource={claim.invoices}
        columns={[
          { title: '開票單位', dataIndex: 'issuer' },
          { title: '統一社會信用代碼', dataIndex: 'issuerTaxId' },
          { title: '發票代碼', dataIndex: 'code', render: (c?: string) => c ?? '數電發票' },
          { title: '發票號碼', dataIndex: 'number' },
          { title: '開票日期', dataIndex: 'date' },
          { title: '金額', dataIndex: 'amount', ...moneyColumn },
        ]}
      />
      {contract && (
        <Descriptions title="責任書" style={{ marginTop: 16 }} column={{ xs: 1, md: 2, lg: 3 }} size="small">
          {LETTERS.map(([key, label]) => (
            <Descriptions.Item key={key} label={label}>
              {contract.letters[key].reference}（{contract.letters[key].date}）
            </Descriptions.Item>
          ))}
        </Descriptions>
      )}
    </Card>
  );
}
