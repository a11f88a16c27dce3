import { Detector, catalogueProblems } from '../domain/detector';
import { IDLE_DETECTORS } from './idle-funds';
import { SPENDING_DETECTORS } from './spending-progress';
import { ARREARS_DETECTORS } from './arrears';
import { DIVERSION_DETECTORS } from './diversion';
import { MISUSE_DETECTORS } from './misuse';
import { CROWDING_OUT_DETECTORS } from './crowding-out';
import { SPLITTING_DETECTORS } from './splitting';
import { DUPLICATE_DETECTORS } from './duplicates';
import { RELATED_PARTY_DETECTORS } from './related-parties';
import { PUBLICITY_DETECTORS } from './publicity';
import { RETENTION_CAP_DETECTORS } from './retention-cap';

/** Every detector, in id order. A family of detectors lives in its own file and is listed here. */
export const DETECTORS: readonly Detector[] = [
  ...IDLE_DETECTORS,
  ...SPENDING_DETECTORS,
  ...ARREARS_DETECTORS,
  ...DIVERSION_DETECTORS,
  ...MISUSE_DETECTORS,
  ...CROWDING_OUT_DETECTORS,
  ...SPLITTING_DETECTORS,
  ...DUPLICATE_DETECTORS,
  ...RELATED_PARTY_DETECTORS,
  ...PUBLICITY_DETECTORS,
  ...RETENTION_CAP_DETECTORS,
].sort((a, b) => a.id.localeCompare(b.id));

const problems = catalogueProblems(DETECTORS);
if (problems.length > 0) throw new Error(`monitoring detectors: ${problems.join('; ')}`);

export function detectorById(id: string): Detector | undefined {
  return DETECTORS.find((d) => d.id === id);
}
