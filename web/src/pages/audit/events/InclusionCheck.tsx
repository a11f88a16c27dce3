import { Alert, Button, Space, Typography } from 'antd';
import { useState } from 'react';
import { api, call, type Schema } from '../../../api/client';
import { ErrorNote } from '../../../components/ErrorNote';
import { eventHash, leafHash, rootFromPath } from './merkle';
import type { Checkpoint } from './note';

type Event = Schema<'EventView'>;
type Proof = Schema<'InclusionProofResponse'>;

/** What the browser found, step by step; `failed` names the first step that did not hold. */
interface Outcome {
  proof: Proof;
  failed: string | null;
}

/** Checks, in order: the event's hash from its body, its leaf, and the audit path up to the checkpoint's root. */
async function check(event: Event, checkpoint: Checkpoint, proof: Proof): Promise<string | null> {
  if ((await eventHash(event.seq, event.prevHash, event.body)) !== event.hash) return '事件哈希與事件內容不符';
  const leaf = await leafHash(event.hash);
  if (leaf !== proof.leafHash) return '證明中的葉哈希與事件哈希不符';
  const root = await rootFromPath(BigInt(event.seq) - 1n, checkpoint.size, leaf, proof.proof);
  if (root === null) return '審計路徑的長度與樹大小不符';
  if (root !== checkpoint.rootHex) return '由審計路徑算出的根哈希與簽名檢查點的根哈希不符';
  return null;
}

/** 「驗證收錄證明」 for one event: fetches its inclusion proof under the checkpoint and checks it with Web Crypto. */
export function InclusionCheck({ event, checkpoint }: { event: Event; checkpoint: Checkpoint }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [outcome, setOutcome] = useState<Outcome | null>(null);

  const run = async () => {
    setBusy(true);
    setError(null);
    setOutcome(null);
    try {
      const proof = await call(api.GET('/api/v1/audit/proofs/inclusion', { params: { query: { seq: event.seq, treeSize: checkpoint.size.toString() } } }));
      setOutcome({ proof, failed: await check(event, checkpoint, proof) });
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Button onClick={() => void run()} loading={busy}>
        驗證收錄證明
      </Button>
      <ErrorNote error={error} />
      {outcome && (
        <>
          <Alert
            role="status"
            type={outcome.failed ? 'error' : 'success'}
            showIcon
            title={outcome.failed ? `收錄證明無效：${outcome.failed}` : '收錄證明有效'}
            description={`事件 ${event.seq} 在 ${checkpoint.size.toString()} 個事件的簽名檢查點下；瀏覽器重算了事件哈希、葉哈希和 ${outcome.proof.proof.length} 步審計路徑。`}
          />
          <Typography.Text type="secondary">審計路徑（由葉向根）</Typography.Text>
          <pre aria-label="審計路徑" style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-all', margin: 0 }}>
            {outcome.proof.proof.join('\n')}
          </pre>
        </>
      )}
    </Space>
  );
}
