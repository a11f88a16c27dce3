import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/**
 * Measures how far the live heap (and array buffers) grows over a baseline: `sample()` collects the garbage and
 * records the growth, `peak()` answers the largest seen. For tests that must fail when rows are buffered.
 */
export function heapProbe(): { sample: () => void; peak: () => number } {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  gc();
  const before = process.memoryUsage();
  let peak = 0;
  return {
    sample: () => {
      gc();
      const now = process.memoryUsage();
      peak = Math.max(peak, now.heapUsed + now.arrayBuffers - before.heapUsed - before.arrayBuffers);
    },
    peak: () => peak,
  };
}
