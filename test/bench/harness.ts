import { performance } from 'node:perf_hooks';

export interface Figures {
  name: string;
  operations: number;
  seconds: number;
  perSecond: number;
  p50ms?: number;
  p99ms?: number;
  peakRssMiB: number;
}

/** Runs `op(i)` for i in [0, total) with `workers` concurrent loops; records each latency. */
export async function drive(total: number, workers: number, op: (i: number) => Promise<void>): Promise<{ seconds: number; latencies: number[] }> {
  const latencies: number[] = new Array(total);
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: workers }, async () => {
      for (let i = next++; i < total; i = next++) {
        const t0 = performance.now();
        await op(i);
        latencies[i] = performance.now() - t0;
      }
    }),
  );
  return { seconds: (performance.now() - started) / 1000, latencies };
}

export function figures(name: string, operations: number, seconds: number, latencies?: number[]): Figures {
  const sorted = latencies ? [...latencies].sort((a, b) => a - b) : undefined;
  const pct = (p: number) => (sorted ? round(sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]) : undefined);
  return {
    name,
    operations,
    seconds: round(seconds),
    perSecond: Math.round(operations / seconds),
    p50ms: pct(0.5),
    p99ms: pct(0.99),
    peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
  };
}

export function print(f: Figures): void {
  const lat = f.p50ms !== undefined ? `  p50 ${f.p50ms} ms  p99 ${f.p99ms} ms` : '';
  console.log(
    `${f.name.padEnd(34)} ${String(f.operations).padStart(7)} ops in ${String(f.seconds).padStart(7)} s  ${String(f.perSecond).padStart(6)}/s${lat}  peak RSS ${f.peakRssMiB} MiB`,
  );
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}
