import { DataSource } from 'typeorm';
import { checkpointNotes, checkpointVerifierKey, signCheckpoint } from '../../src/audit/checkpoints/checkpoints.service';
import { generateEd25519 } from '../../src/audit/checkpoints/signed-note';
import { CheckpointSource } from '../../src/exports/audit-package';

/** A key of the bench's own, one checkpoint of the county's whole chain, and the package's view of them. */
export async function benchCheckpoints(ds: DataSource, countyId: number): Promise<CheckpointSource> {
  const key = generateEd25519();
  await signCheckpoint(ds, key, countyId);
  return {
    signHead: async (county) => void (await signCheckpoint(ds, key, county)),
    notesUpTo: (em, county, treeSize) => checkpointNotes(em, county, treeSize),
    verifierKey: (countyCode) => checkpointVerifierKey(countyCode, key),
  };
}
