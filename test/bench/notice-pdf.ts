import { performance } from 'node:perf_hooks';
import { renderNoticePdf } from '../../src/publicity/notice-pdf';
import { planNotice } from '../support/notice-fixture';
import { Figures, drive, figures } from './harness';

export interface PdfFigures {
  figures: Figures;
  bytes: number;
  pages: number;
  /** The first render of the process: the two 10 MB font files read and the code warmed. */
  firstMs: number;
  medianMs: number;
  p95Ms: number;
}

/**
 * `notice.pdf`: the 68-project plan notice (test/support/notice-fixture.ts) rendered `renders` times, one after another
 * (rendering holds the event loop: more at once would only queue). Each render must give the first one's bytes.
 */
export async function noticePdfCase(renders: number): Promise<PdfFigures> {
  const doc = planNotice();
  const t0 = performance.now();
  const first = await renderNoticePdf(doc);
  const firstMs = performance.now() - t0;
  const run = await drive(renders, 1, async () => {
    if (!(await renderNoticePdf(doc)).equals(first)) throw new Error('notice.pdf: a render differs from the first');
  });
  const sorted = [...run.latencies].sort((a, b) => a - b);
  const at = (p: number) => Math.round(sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] * 10) / 10;
  return {
    figures: figures('notice.pdf: 68-project plan notice', renders, run.seconds, run.latencies),
    bytes: first.length,
    pages: first.toString('latin1').match(/\/Type \/Page\b/g)?.length ?? 0,
    firstMs: Math.round(firstMs),
    medianMs: at(0.5),
    p95Ms: at(0.95),
  };
}
