import { Typography } from 'antd';
import { useNavigate, useSearchParams } from 'react-router';
import { api, call } from '../../api/client';
import { ClaimForm } from './ClaimForm';
import { today } from '../../format';

/** A village drafts a claim on one of its contracts; the scans are uploaded on the claim's page, then it is submitted. */
export default function ClaimNew() {
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const projectId = Number(params.get('projectId')) || undefined;
  const contractId = Number(params.get('contractId')) || undefined;
  return (
    <>
      <Typography.Title level={2}>新建報帳</Typography.Title>
      <Typography.Paragraph type="secondary">保存為草稿後，在報帳頁面上傳掃描件（申請書、支出明細表、發票、兩份責任書），再提交鄉鎮審核。</Typography.Paragraph>
      <ClaimForm
        initial={{ projectId, contractId, final: false, applicationDate: today(), expenses: [{}], invoices: [{}] }}
        submitLabel="保存草稿"
        cancelTo="/claims"
        send={async (body, contract, key) =>
          (await call(api.POST('/api/v1/claims', { headers: { 'Idempotency-Key': key }, body: { ...body, contractId: contract } }))).id
        }
        onSaved={(id) => void navigate(`/claims/${id}`)}
      />
    </>
  );
}
