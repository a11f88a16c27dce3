import { INestApplication } from '@nestjs/common';
import { request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { ClaimsService } from '../../src/claims/claims.service';
import { Figures, figures } from './harness';
import { BENCH_PAYEE_TAX_ID, benchWorld } from './payments';

const MiB = 1024 * 1024;

/** POSTs one multipart upload, streaming the three parts, so the client holds no copy of the file. */
function upload(base: string, token: string, claimId: number, content: Buffer): Promise<number> {
  const boundary = 'bench-boundary-7d1f';
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="kind"\r\n\r\nother\r\n` +
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="scan.pdf"\r\nContent-Type: application/pdf\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  return new Promise((resolve, reject) => {
    const req = request(`${base}/api/v1/claims/${claimId}/attachments`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': `multipart/form-data; boundary=${boundary}`,
        'content-length': head.length + content.length + tail.length,
      },
    });
    req.on('response', (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.write(head);
    req.write(content);
    req.end(tail);
  });
}

/**
 * `claim.upload`: UPLOADS scans of SIZE_MIB each, all at once over HTTP, onto one draft claim. Reports the time and
 * the process's peak RSS against its RSS before the uploads (run the case alone: the peak is the process's).
 */
export async function uploadsCase(app: INestApplication, uploads: number, sizeMiB: number): Promise<{ figures: Figures; rssBeforeMiB: number }> {
  const w = await benchWorld(app, 'up');
  const claim = await app.get(ClaimsService).draft(w.village, {
    contractId: w.contracts[0],
    amount: '100.00',
    final: false,
    applicationDate: '2026-06-25',
    expenses: [{ description: 'materials', amount: '100.00' }],
    invoices: [{ issuer: 'payee', issuerTaxId: BENCH_PAYEE_TAX_ID, number: '26420000000000000001', date: '2026-06-20', amount: '100.00' }],
  });
  await app.listen(0, '127.0.0.1');
  const base = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  const login = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'up-village', password: 'bench-password-0123' }),
  });
  const { accessToken } = (await login.json()) as { accessToken: string };
  const content = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(Math.floor(sizeMiB * MiB) - 9, 0x20)]);
  global.gc?.();
  const rssBeforeMiB = Math.round(process.memoryUsage().rss / MiB);
  const started = performance.now();
  const latencies: number[] = [];
  const statuses = await Promise.all(
    Array.from({ length: uploads }, async () => {
      const t0 = performance.now();
      const status = await upload(base, accessToken, claim.id, content);
      latencies.push(performance.now() - t0);
      return status;
    }),
  );
  if (statuses.some((s) => s !== 201)) throw new Error(`uploads answered ${statuses.join(', ')}`);
  return { figures: figures(`claim.upload ${uploads} × ${sizeMiB} MiB at once`, uploads, (performance.now() - started) / 1000, latencies), rssBeforeMiB };
}
