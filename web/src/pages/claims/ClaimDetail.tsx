import { Col, Row, Space, Spin, Tag, Typography } from 'antd';
import { useParams } from 'react-router';
import { api, call } from '../../api/client';
import { hasRole, useMe } from '../../auth';
import { ErrorNote } from '../../components/ErrorNote';
import { Money } from '../../components/Money';
import { Attachments } from './Attachments';
import { ClaimActions } from './ClaimActions';
import { ClaimChecks } from './ClaimChecks';
import { ClaimPacket } from './ClaimPacket';
import { ClaimTimeline } from './ClaimTimeline';
import { CLAIM_STATE_LABELS, NEXT_LABELS, requiredDocuments } from './labels';
import { asClaimDetail } from './types';
import { useLoad } from '../../components/useLoad';

/** One claim: its packet, the system's checks, its scans, the steps so far, and what the user may do with it now. */
export default function ClaimDetail() {
  const me = useMe();
  const id = Number(useParams().id);
  const claim = useLoad(async (signal) => asClaimDetail(await call(api.GET('/api/v1/claims/{id}', { params: { path: { id } }, signal }))), id);
  const c = claim.data;
  const contractId = c?.contractId;
  const contract = useLoad(
    async (signal) => (contractId ? call(api.GET('/api/v1/contracts/{id}', { params: { path: { id: contractId } }, signal })) : undefined),
    contractId,
  );
  const missing = c ? requiredDocuments(c.final).filter((k) => !c.attachments.some((a) => a.kind === k)) : [];

  return (
    <>
      <Space wrap align="baseline">
        <Typography.Title level={2}>報帳 {id}</Typography.Title>
        {c && (
          <>
            <Tag color={c.state === 'rejected' ? 'red' : c.state === 'paid' ? 'green' : 'blue'} data-testid="claim-state">
              {CLAIM_STATE_LABELS[c.state]}
            </Tag>
            <Money value={c.amount} />
            {c.next && <Typography.Text type="secondary">{NEXT_LABELS[c.next]}</Typography.Text>}
          </>
        )}
      </Space>
      <ErrorNote error={claim.error} />
      {claim.loading && !c && <Spin />}
      <ErrorNote error={contract.error} />
      {c && (
        <Row gutter={16}>
          <Col xs={24} xl={16}>
            <ClaimPacket claim={c} contract={contract.data} />
            <ClaimChecks claim={c} contract={contract.data} />
            <Attachments
              claimId={c.id}
              attachments={c.attachments}
              missing={missing}
              canUpload={hasRole(me, 'village') && c.state === 'draft'}
              onUploaded={claim.reload}
            />
          </Col>
          <Col xs={24} xl={8}>
            <ClaimActions claim={c} missing={missing} onDone={claim.reload} />
            <ClaimTimeline claim={c} />
          </Col>
        </Row>
      )}
    </>
  );
}
