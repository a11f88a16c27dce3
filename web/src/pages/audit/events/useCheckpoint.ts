import { useEffect, useState } from 'react';
import { ApiError, api, call } from '../../../api/client';
import { parseCheckpoint, verifyCheckpoint, type Checkpoint } from './note';

export interface CheckpointState {
  /** The latest signed checkpoint; null before the first one is signed (404). */
  checkpoint: Checkpoint | null;
  /** The note as the service answered it. */
  note: string;
  verifierKey: string;
  /** The note's own signature checked here against `verifierKey`. */
  signature: { valid: boolean; reason?: string } | null;
}

/** The county's latest signed checkpoint and the service's verifier key, the note's signature checked in the browser. */
export function useCheckpoint(): { state: CheckpointState | null; error: unknown } {
  const [state, setState] = useState<CheckpointState | null>(null);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    let live = true;
    const load = async () => {
      const verifierKey = (await call(api.GET('/api/v1/audit/verifier-key', { parseAs: 'text' }))).trim();
      let note = '';
      try {
        note = await call(api.GET('/api/v1/audit/checkpoint', { parseAs: 'text' }));
      } catch (e) {
        if (!(e instanceof ApiError && e.status === 404)) throw e;
      }
      const checkpoint = note ? parseCheckpoint(note) : null;
      const signature = checkpoint ? await verifyCheckpoint(checkpoint, verifierKey) : null;
      if (live) setState({ checkpoint, note, verifierKey, signature });
    };
    load().catch((e: unknown) => live && setError(e));
    return () => {
      live = false;
    };
  }, []);

  return { state, error };
}
