import { Typography } from 'antd';
import { useNavigate, useParams } from 'react-router';
import { api, call } from '../../api/client';
import { ErrorNote } from '../../components/ErrorNote';
import { ClaimForm } from './ClaimForm';
import { valuesOf } from './packet';
import { asClaim } from './types';
import { useLoad } from '../../components/useLoad';

/** A village corrects its draft or rejected claim: the corrected packet is a new version, reviewed from the start. */
export default function ClaimEdit() {
  const navigate = useNavigate();
  const id = Number(useParams().id);
  const loaded = useLoad(async (signal) => {
    const claim = asClaim(await call(api.GET('/api/v1/claims/{id}', { params: { path: { id } }, signal })));
    const contract = await call(api.GET('/api/v1/contracts/{id}', { params: { path: { id: claim.contractId } }, signal }));
    return { claim, contract };
  }, id);
  return (
    <>
      <Typography.Title level={2}>更正報帳 {id}</Typography.Title>
      <ErrorNote error={loaded.error} />
      {loaded.data && (
        <ClaimForm
          contract={loaded.data.contract}
          initial={valuesOf(loaded.data.claim)}
          submitLabel="保存更正"
          cancelTo={`/claims/${id}`}
          send={async (body, _contract, key) =>
            (await call(api.PUT('/api/v1/claims/{id}', { params: { path: { id } }, headers: { 'Idempotency-Key': key }, body }))).id
          }
          onSaved={(saved) => void navigate(`/claims/${saved}`)}
        />
      )}
    </>
  );
}
