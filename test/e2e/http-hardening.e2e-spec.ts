import { Socket, connect } from 'node:net';
import { TestApp, startTestApp } from '../support/app';

/** What every answer carries, and how long a slow client may hold a connection. */
describe('HTTP hardening', () => {
  let t: TestApp;
  let port: number;

  beforeAll(async () => {
    t = await startTestApp({ http: { headersTimeoutMs: 1000, requestTimeoutMs: 2000 } });
    port = Number(new URL(await t.app.getUrl()).port);
  });
  afterAll(() => t.close());

  it('sends the security headers on API answers, errors and the docs page, and no X-Powered-By', async () => {
    const answers = [
      await t.api().get('/health'),
      await t.api().get('/api/v1/auth/me').expect(401),
      await t.api().post('/api/v1/auth/login').send({}).expect(400),
      await t.api().get('/docs/').expect(200),
    ];
    for (const res of answers) {
      expect(res.headers['x-powered-by']).toBeUndefined();
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['x-frame-options']).toBe('DENY');
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.headers['content-security-policy']).toMatch(/default-src 'self'/);
      expect(res.headers['content-security-policy']).toMatch(/frame-ancestors 'none'/);
    }
  });

  /** Opens a raw connection, sends `text`, and resolves with how long the server took to close it. */
  function heldFor(text: string): Promise<number> {
    return new Promise((resolve, reject) => {
      const started = Date.now();
      const socket: Socket = connect({ host: '127.0.0.1', port }, () => socket.write(text));
      socket.on('data', () => undefined);
      socket.on('close', () => resolve(Date.now() - started));
      socket.on('error', reject);
      setTimeout(() => {
        socket.destroy();
        reject(new Error('the server kept a slow client for 10 s'));
      }, 10_000).unref();
    });
  }

  it('closes a connection whose headers never finish', async () => {
    expect(await heldFor('POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\n')).toBeLessThan(4000);
  });

  it('closes a connection whose body never finishes', async () => {
    expect(await heldFor('POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"user')).toBeLessThan(
      5000,
    );
  });

  it('believes X-Forwarded-For only from a proxy named by TRUST_PROXY', async () => {
    const guesses = async (app: TestApp, forwardedFor: (i: number) => string) => {
      const statuses: number[] = [];
      for (let i = 0; i < 7; i++) {
        statuses.push(
          (
            await app
              .api()
              .post('/api/v1/auth/login')
              .set('X-Forwarded-For', forwardedFor(i))
              .send({ username: 'admin', password: `wrong guess ${i}` })
          ).status,
        );
      }
      return statuses;
    };
    // Without TRUST_PROXY the header is the client's word: every guess counts against the one peer address.
    expect(await guesses(t, (i) => `203.0.113.${i}`)).toContain(429);
    const behindProxy = await startTestApp({ http: { trustProxy: 'loopback' } });
    try {
      // Behind a trusted proxy on loopback, each forwarded address is its own client.
      expect(await guesses(behindProxy, (i) => `203.0.113.${i}`)).toEqual([401, 401, 401, 401, 401, 401, 401]);
      expect(await guesses(behindProxy, () => '198.51.100.7')).toContain(429);
    } finally {
      await behindProxy.close();
    }
  });
});
