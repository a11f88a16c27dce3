import { execFile } from 'node:child_process';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import jwt from 'jsonwebtoken';
import { DataSource } from 'typeorm';
import { resetPasswordAsOperator } from '../../src/access/users.service';
import { createApp } from '../../src/app';
import { ADMIN, As, PASSWORD, TEST_JWT_SECRET, TestApp, counts, createTestDatabase, startTestApp } from '../support/app';

interface Answer {
  status: number;
  body: { code?: string; accessToken?: string; details?: { retryAfterSeconds?: number } };
  retryAfter?: string;
}

describe('passwords, tokens and the login throttle', () => {
  let t: TestApp;
  let admin: As;

  beforeAll(async () => {
    t = await startTestApp();
    admin = await t.as(ADMIN.username);
  });
  afterAll(() => t.close());

  const login = (username: string, password: string) => t.api().post('/api/v1/auth/login').send({ username, password });
  const bearer = (token: string) => ({
    get: (url: string) => t.api().get(url).set('Authorization', `Bearer ${token}`),
    post: (url: string) => t.api().post(url).set('Authorization', `Bearer ${token}`),
  });
  const idOf = async (username: string): Promise<number> => (await t.ds.query(`SELECT id FROM users WHERE username = $1`, [username]))[0].id;
  const eventsOf = async (type: string, username: string): Promise<{ body: string }[]> =>
    t.ds.query(`SELECT body::text AS body FROM audit_events WHERE type = $1 AND body::jsonb -> 'data' ->> 'username' = $2`, [type, username]);

  /**
   * A login sent from another loopback address: the service sees the socket's peer address (`@Ip()` without
   * `trust proxy`), so this is how a second client looks to it.
   */
  function loginFrom(localAddress: string, username: string, password: string, headers: Record<string, string> = {}): Promise<Answer> {
    const { port } = (t.app.getHttpServer() as http.Server).address() as AddressInfo;
    const payload = JSON.stringify({ username, password });
    return new Promise((resolve, reject) => {
      const req = http.request(
        { host: '127.0.0.1', port, localAddress, method: 'POST', path: '/api/v1/auth/login', headers: { 'content-type': 'application/json', ...headers } },
        (res) => {
          let text = '';
          res.on('data', (chunk) => (text += chunk));
          res.on('end', () => resolve({ status: res.statusCode!, body: JSON.parse(text), retryAfter: res.headers['retry-after'] }));
        },
      );
      req.on('error', reject);
      req.end(payload);
    });
  }

  describe('tokens', () => {
    it('accepts a well-formed token and refuses the same without an expiry or with one that is not a number', async () => {
      const id = await idOf(ADMIN.username);
      const good = jwt.sign({ sub: id, pwv: 0 }, TEST_JWT_SECRET, { expiresIn: 60 });
      await bearer(good).get('/api/v1/auth/me').expect(200);
      for (const token of [
        jwt.sign({ sub: id, pwv: 0 }, TEST_JWT_SECRET),
        // A string payload is signed as given: the library would refuse to make this one.
        jwt.sign(JSON.stringify({ sub: id, pwv: 0, iat: Math.floor(Date.now() / 1000), exp: 'tomorrow' }), TEST_JWT_SECRET),
        jwt.sign({ sub: id, pwv: 0 }, TEST_JWT_SECRET, { expiresIn: 60, noTimestamp: true }),
        jwt.sign({ sub: id }, TEST_JWT_SECRET, { expiresIn: 60 }),
      ]) {
        const res = await bearer(token).get('/api/v1/auth/me').expect(401);
        expect(res.body.code).toBe('UNAUTHENTICATED');
      }
    });
  });

  describe('the password policy, wherever a password is set', () => {
    it.each([
      ['a repeated character', 'aaaaaaaaaaaa'],
      ['a run of digits', '123456789012'],
      ['a common password', 'password1234'],
      ['the username', 'weak-candidate'],
      ['the username plus digits', 'weak-candidate2026'],
    ])('refuses %s for a new user with 400 on password, saying why, and writes nothing', async (_name, password) => {
      const [root] = (await admin.get('/api/v1/org-units?limit=1').expect(200)).body;
      const before = await counts(t.ds);
      const res = await admin
        .post('/api/v1/admin/users')
        .send({ username: 'weak-candidate', displayName: 'Weak Candidate', password, orgUnitId: root.id, roles: ['auditor'] })
        .expect(400);
      expect(res.body).toMatchObject({
        code: 'VALIDATION_FAILED',
        details: { fields: [{ field: 'password', message: expect.stringMatching(/^password is too easy to guess: \S/) }] },
      });
      expect(await counts(t.ds)).toEqual(before);
    });

    it('refuses to start with a weak ADMIN_PASSWORD for the first admin, saying so', async () => {
      const db = await createTestDatabase();
      const saved = process.env.ADMIN_PASSWORD;
      process.env.ADMIN_PASSWORD = 'password1234';
      const app = await createApp({ databaseUrl: db.url, jwtSecret: TEST_JWT_SECRET, logLevel: false });
      try {
        await expect(app.init()).rejects.toThrow(/^ADMIN_PASSWORD is too easy to guess/);
      } finally {
        process.env.ADMIN_PASSWORD = saved;
        await app.close().catch(() => undefined);
        await db.drop();
      }
    });

    it('marks the generated first admin of the embedded default as having to change the password', async () => {
      const db = await createTestDatabase();
      const saved = { ...process.env };
      delete process.env.ADMIN_USERNAME;
      delete process.env.ADMIN_PASSWORD;
      const app = await createApp({ databaseUrl: db.url, embeddedDatabase: true, jwtSecret: TEST_JWT_SECRET, logLevel: false });
      try {
        await app.init();
        const users = await app.get(DataSource).query(`SELECT username, password_change_required FROM users`);
        expect(users).toEqual([{ username: 'admin', password_change_required: true }]);
      } finally {
        process.env = saved;
        await app.close();
        await db.drop();
      }
    });
  });

  describe('the login throttle slows a guesser without locking the owner out', () => {
    it('refuses the guesser’s address for that username, X-Forwarded-For or not, while the owner signs in from elsewhere', async () => {
      await t.as('owner', ['county_finance']);
      for (let i = 0; i < 5; i++) expect((await loginFrom('127.0.0.5', 'owner', 'a wrong guess')).status).toBe(401);
      const throttled = await loginFrom('127.0.0.5', 'owner', PASSWORD);
      expect(throttled.status).toBe(429);
      expect(throttled.body.code).toBe('TOO_MANY_ATTEMPTS');
      expect(throttled.body.details!.retryAfterSeconds).toBeGreaterThan(0);
      expect(Number(throttled.retryAfter)).toBe(throttled.body.details!.retryAfterSeconds);
      // A forwarded-for header is not trusted: the guesser cannot step to a fresh address with it.
      expect((await loginFrom('127.0.0.5', 'owner', 'another guess', { 'X-Forwarded-For': '198.51.100.23' })).status).toBe(429);

      const owner = await loginFrom('127.0.0.6', 'owner', PASSWORD);
      expect(owner.status).toBe(200);
      await bearer(owner.body.accessToken!).get('/api/v1/auth/me').expect(200);
    });

    it('throttles an address spraying many usernames, and only that address', async () => {
      await t.as('bystander', ['auditor']);
      for (let i = 0; i < 50; i++) expect((await loginFrom('127.0.0.7', `sprayed-${i}`, 'a wrong guess')).status).toBe(401);
      expect((await loginFrom('127.0.0.7', 'bystander', PASSWORD)).status).toBe(429);
      expect((await loginFrom('127.0.0.8', 'bystander', PASSWORD)).status).toBe(200);
    });

    it('counts parallel guesses from one address before checking them: at most 5 of 20 reach the password', async () => {
      await t.as('parallel-owner', ['auditor']);
      const results = await Promise.all(Array.from({ length: 20 }, () => loginFrom('127.0.0.9', 'parallel-owner', 'a wrong guess')));
      expect(results.filter((r) => r.status === 401).length).toBeLessThanOrEqual(5);
      expect(results.filter((r) => r.status === 429).length).toBeGreaterThanOrEqual(15);
      expect((await loginFrom('127.0.0.10', 'parallel-owner', PASSWORD)).status).toBe(200);
    });
  });

  describe('changing your own password', () => {
    it('refuses a wrong current password, an unchanged or weak new one, changing nothing; then changes it and ends earlier tokens', async () => {
      await t.as('changer', ['county_finance']);
      const old = (await login('changer', PASSWORD).expect(200)).body.accessToken;
      const change = (body: object, token = old) => bearer(token).post('/api/v1/auth/password').send(body);
      const before = await counts(t.ds);

      const wrong = await change({ currentPassword: 'not my password', newPassword: 'a-brand-new-passphrase-here' }).expect(400);
      expect(wrong.body).toMatchObject({ code: 'VALIDATION_FAILED', details: { fields: [{ field: 'currentPassword' }] } });
      const same = await change({ currentPassword: PASSWORD, newPassword: PASSWORD }).expect(400);
      expect(same.body.details.fields[0]).toMatchObject({ field: 'newPassword', message: expect.stringMatching(/differ/) });
      const weak = await change({ currentPassword: PASSWORD, newPassword: 'changer12345' }).expect(400);
      expect(weak.body.details.fields[0]).toMatchObject({ field: 'newPassword', message: expect.stringMatching(/too easy to guess/) });
      const short = await change({ currentPassword: PASSWORD, newPassword: 'short' }).expect(400);
      expect(short.body.details.fields[0].field).toBe('newPassword');
      expect(await counts(t.ds)).toEqual(before);
      await bearer(old).get('/api/v1/auth/me').expect(200);

      const changed = await change({ currentPassword: PASSWORD, newPassword: 'a-brand-new-passphrase-here' }).expect(200);
      expect(changed.body).toEqual({ accessToken: expect.any(String), expiresIn: 900 });
      expect((await bearer(old).get('/api/v1/auth/me').expect(401)).body.code).toBe('UNAUTHENTICATED');
      await bearer(changed.body.accessToken).get('/api/v1/auth/me').expect(200);
      expect((await login('changer', PASSWORD).expect(401)).body.code).toBe('INVALID_CREDENTIALS');
      await login('changer', 'a-brand-new-passphrase-here').expect(200);

      const events = await eventsOf('access.user.password_changed', 'changer');
      expect(events).toHaveLength(1);
      expect(events[0].body).toContain('"actor":"changer"');
      expect(events[0].body).not.toMatch(/passphrase|password_hash|\$2[aby]\$/);
      expect((await counts(t.ds)).events).toBe(before.events + 1);
    });

    it('throttles guesses of the current password like failed logins', async () => {
      await t.as('borrowed-session', ['auditor']);
      const token = (await login('borrowed-session', PASSWORD).expect(200)).body.accessToken;
      const guess = () => bearer(token).post('/api/v1/auth/password').send({ currentPassword: 'a guess', newPassword: 'a-brand-new-passphrase-here' });
      for (let i = 0; i < 5; i++) await guess().expect(400);
      const res = await guess().expect(429);
      expect(res.body.code).toBe('TOO_MANY_ATTEMPTS');
    });
  });

  describe('an admin’s reset', () => {
    it('resets another user’s password: their tokens end, and after login only me and the change are open until they change it', async () => {
      await t.as('forgetful', ['county_finance']);
      const old = (await login('forgetful', PASSWORD).expect(200)).body.accessToken;
      const id = await idOf('forgetful');

      const before = await counts(t.ds);
      const weak = await admin.post(`/api/v1/admin/users/${id}/password`).send({ password: 'forgetful2026' }).expect(400);
      expect(weak.body).toMatchObject({ code: 'VALIDATION_FAILED', details: { fields: [{ field: 'password' }] } });
      expect((await admin.post('/api/v1/admin/users/999999/password').send({ password: 'a-temporary-passphrase' }).expect(404)).body.code).toBe('NOT_FOUND');
      const self = await admin
        .post(`/api/v1/admin/users/${await idOf(ADMIN.username)}/password`)
        .send({ password: 'a-temporary-passphrase' })
        .expect(409);
      expect(self.body.code).toBe('INVALID_STATE');
      expect(await counts(t.ds)).toEqual(before);

      const reset = await admin.post(`/api/v1/admin/users/${id}/password`).send({ password: 'a-temporary-passphrase' }).expect(200);
      expect(reset.body).toMatchObject({ id, username: 'forgetful' });
      expect((await bearer(old).get('/api/v1/auth/me').expect(401)).body.code).toBe('UNAUTHENTICATED');

      const temporary = (await login('forgetful', 'a-temporary-passphrase').expect(200)).body.accessToken;
      expect((await bearer(temporary).get('/api/v1/auth/me').expect(200)).body).toMatchObject({ username: 'forgetful', passwordChangeRequired: true });
      for (const url of ['/api/v1/org-units', '/api/v1/ledger/trial-balance', '/api/v1/projects']) {
        expect((await bearer(temporary).get(url).expect(403)).body.code).toBe('PASSWORD_CHANGE_REQUIRED');
      }
      expect((await bearer(temporary).post('/api/v1/ledger/accounts').send({}).expect(403)).body.code).toBe('PASSWORD_CHANGE_REQUIRED');

      const own = await bearer(temporary)
        .post('/api/v1/auth/password')
        .send({ currentPassword: 'a-temporary-passphrase', newPassword: 'my-own-choice-of-words' })
        .expect(200);
      await bearer(temporary).get('/api/v1/auth/me').expect(401);
      expect((await bearer(own.body.accessToken).get('/api/v1/auth/me').expect(200)).body.passwordChangeRequired).toBe(false);
      await bearer(own.body.accessToken).get('/api/v1/org-units').expect(200);

      const [event] = await eventsOf('access.user.password_reset', 'forgetful');
      expect(JSON.parse(event.body)).toMatchObject({ actor: ADMIN.username, data: { id, username: 'forgetful', passwordChangeRequired: true } });
      expect(event.body).not.toMatch(/temporary|\$2[aby]\$/);
    });

    it('is refused to anyone but an admin', async () => {
      const auditor = await t.as('reset-auditor', ['auditor']);
      const id = await idOf('reset-auditor');
      expect((await auditor.post(`/api/v1/admin/users/${id}/password`).send({ password: 'a-temporary-passphrase' }).expect(403)).body.code).toBe(
        'FORBIDDEN_ROLE',
      );
    });
  });

  describe('the operator’s reset (reset-password)', () => {
    it('gives a locked-out admin a generated password, shown once, that must be changed', async () => {
      await t.as('locked-admin', ['admin']);
      const old = (await login('locked-admin', PASSWORD).expect(200)).body.accessToken;
      const reset = await resetPasswordAsOperator(t.ds, 'locked-admin', 10);
      expect(reset!.password).toHaveLength(24);
      await bearer(old).get('/api/v1/auth/me').expect(401);
      const token = (await login('locked-admin', reset!.password).expect(200)).body.accessToken;
      expect((await bearer(token).get('/api/v1/admin/users').expect(403)).body.code).toBe('PASSWORD_CHANGE_REQUIRED');
      const [event] = await eventsOf('access.user.password_reset', 'locked-admin');
      expect(JSON.parse(event.body)).toMatchObject({ actor: 'system', data: { username: 'locked-admin', passwordChangeRequired: true, via: 'command line' } });
      expect(event.body).not.toContain(reset!.password);
      expect(await resetPasswordAsOperator(t.ds, 'nobody-by-this-name', 10)).toBeUndefined();
    });

    it('runs as a command and prints the password once', async () => {
      await t.as('cli-admin', ['admin']);
      const { stdout } = await promisify(execFile)('npx', ['ts-node', '--transpile-only', 'src/cli/main.ts', 'reset-password', 'cli-admin'], {
        env: { ...process.env, DATABASE_URL: t.url },
      });
      const password = /shown once: (\S+)/.exec(stdout)![1];
      await login('cli-admin', password).expect(200);
    }, 120_000);
  });
});
