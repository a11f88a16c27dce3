import { Controller, Get, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import jwt from 'jsonwebtoken';
import { RouteAuditor } from '../../src/access/route-auditor';
import { verifyEvents } from '../../src/audit/audit-verifier';
import { createApp } from '../../src/app';
import { ADMIN, As, PASSWORD, TEST_JWT_SECRET, TestApp, counts, createTestDatabase, startTestApp } from '../support/app';

describe('access control', () => {
  let t: TestApp;
  let admin: As;

  beforeAll(async () => {
    t = await startTestApp();
    admin = await t.as(ADMIN.username);
  });
  afterAll(() => t.close());

  const login = (username: string, password: string) => t.api().post('/api/v1/auth/login').send({ username, password });

  describe('login and tokens', () => {
    it('logs in, and me names the user, their unit and roles', async () => {
      const res = await login(ADMIN.username, ADMIN.password).expect(200);
      expect(res.body).toEqual({ accessToken: expect.any(String), expiresIn: 900 });
      const me = await t.api().get('/api/v1/auth/me').set('Authorization', `Bearer ${res.body.accessToken}`).expect(200);
      expect(me.body).toMatchObject({ username: ADMIN.username, roles: ['admin'], county: '421124', disabled: false });
      expect(me.body).not.toHaveProperty('passwordHash');
    });

    it('answers a wrong password and an unknown username alike', async () => {
      const wrong = await login(ADMIN.username, 'not the password').expect(401);
      const unknown = await login('nobody-at-all', 'not the password').expect(401);
      // Alike but for the request id, which is each answer's own.
      expect(wrong.body).toEqual({ ...unknown.body, requestId: expect.any(String) });
      expect(wrong.body.code).toBe('INVALID_CREDENTIALS');
    });

    it.each([
      ['no token', undefined],
      ['a malformed header', 'Token abc'],
      ['a token of garbage', 'Bearer abc.def.ghi'],
      ['a token signed with another secret', `Bearer ${jwt.sign({ sub: 1 }, 'another-secret-another-secret-0123456', { expiresIn: 60 })}`],
      ['an expired token', `Bearer ${jwt.sign({ sub: 1, exp: Math.floor(Date.now() / 1000) - 10 }, TEST_JWT_SECRET)}`],
      ['an unsigned token', `Bearer ${jwt.sign({ sub: 1 }, '', { algorithm: 'none' })}`],
      ['a token of a user that does not exist', `Bearer ${jwt.sign({ sub: 424242 }, TEST_JWT_SECRET, { expiresIn: 60 })}`],
    ])('refuses %s with 401', async (_name, header) => {
      const req = t.api().get('/api/v1/auth/me');
      const res = await (header ? req.set('Authorization', header) : req).expect(401);
      expect(res.body.code).toBe('UNAUTHENTICATED');
    });

    it('stops a disabled user at once, token and login alike', async () => {
      const victim = await t.as('to-be-disabled', ['auditor']);
      await victim.get('/api/v1/auth/me').expect(200);
      const [user] = await t.ds.query(`SELECT id FROM users WHERE username = 'to-be-disabled'`);
      const disabled = await admin.post(`/api/v1/admin/users/${user.id}/disable`).expect(200);
      expect(disabled.body).toMatchObject({ username: 'to-be-disabled', disabled: true });
      expect((await victim.get('/api/v1/auth/me').expect(401)).body.code).toBe('UNAUTHENTICATED');
      expect((await login('to-be-disabled', PASSWORD).expect(401)).body.code).toBe('INVALID_CREDENTIALS');
    });

    it('throttles repeated failures for a username from one address with 429, even with the right password then', async () => {
      await t.as('throttled', ['auditor']);
      for (let i = 0; i < 5; i++) await login('throttled', 'wrong password').expect(401);
      const res = await login('throttled', PASSWORD).expect(429);
      expect(res.body.code).toBe('TOO_MANY_ATTEMPTS');
      expect(res.body.details.retryAfterSeconds).toBeGreaterThan(0);
      expect(Number(res.headers['retry-after'])).toBe(res.body.details.retryAfterSeconds);
    });

    it('counts parallel guesses before checking them: 20 at once, at most 5 reach the password check', async () => {
      await t.as('parallel-target', ['auditor']);
      const results = await Promise.all(Array.from({ length: 20 }, () => login('parallel-target', 'wrong password')));
      expect(results.filter((r) => r.status === 401).length).toBeLessThanOrEqual(5);
      expect(results.filter((r) => r.status === 429).length).toBeGreaterThanOrEqual(15);
    });

    it.each([
      ['a SQL-like username', "' OR '1'='1' --", 401],
      ['a very long username', 'x'.repeat(201), 400],
      ['a number as username', 12, 400],
    ])('answers %s cleanly', async (_name, username, status) => {
      const res = await t.api().post('/api/v1/auth/login').send({ username, password: 'whatever' }).expect(status);
      expect(res.body.code).toBe(status === 401 ? 'INVALID_CREDENTIALS' : 'VALIDATION_FAILED');
    });
  });

  describe('admin and mass assignment', () => {
    it('refuses fields that are not the request’s own, writing nothing', async () => {
      const before = await counts(t.ds);
      const asAuditor = await t.as('mass-auditor', ['auditor']);
      const afterUser = await counts(t.ds);
      expect(
        (
          await t
            .api()
            .post('/api/v1/auth/login')
            .send({ username: 'mass-auditor', password: PASSWORD, roles: ['admin'] })
            .expect(400)
        ).body.details.fields[0].field,
      ).toBe('roles');
      const [root] = (await admin.get('/api/v1/org-units?limit=1').expect(200)).body;
      const bad = await admin
        .post('/api/v1/admin/users')
        .send({ username: 'sneaky', displayName: 's', password: PASSWORD, orgUnitId: root.id, roles: ['auditor'], passwordHash: 'x', id: 1 })
        .expect(400);
      expect(bad.body.details.fields.map((f: { field: string }) => f.field).sort()).toEqual(['id', 'passwordHash']);
      expect((await asAuditor.post('/api/v1/admin/users').send({}).expect(403)).body.code).toBe('FORBIDDEN_ROLE');
      expect(await counts(t.ds)).toEqual(afterUser);
      expect(afterUser.users).toBe(before.users + 1);
    });

    it('refuses a username of SQL or an unknown role, a short password, and a duplicate', async () => {
      const [root] = (await admin.get('/api/v1/org-units?limit=1').expect(200)).body;
      const base = { displayName: 'x', password: PASSWORD, orgUnitId: root.id, roles: ['auditor'] };
      const before = await counts(t.ds);
      await admin
        .post('/api/v1/admin/users')
        .send({ ...base, username: "a'; DROP TABLE users; --" })
        .expect(400);
      await admin
        .post('/api/v1/admin/users')
        .send({ ...base, username: 'okname', roles: ['superuser'] })
        .expect(400);
      await admin
        .post('/api/v1/admin/users')
        .send({ ...base, username: 'okname', password: 'short' })
        .expect(400);
      await admin
        .post('/api/v1/admin/users')
        .send({ ...base, username: 'okname', orgUnitId: 999999 })
        .expect(404);
      await admin
        .post('/api/v1/admin/users')
        .send({ ...base, username: ADMIN.username })
        .expect(409);
      expect(await counts(t.ds)).toEqual(before);
    });

    it('sets roles, and the new roles apply to the next request', async () => {
      const person = await t.as('promoted', ['auditor']);
      await person.post('/api/v1/ledger/accounts').send({}).expect(403);
      const [user] = await t.ds.query(`SELECT id FROM users WHERE username = 'promoted'`);
      const res = await admin
        .put(`/api/v1/admin/users/${user.id}/roles`)
        .send({ roles: ['county_finance'] })
        .expect(200);
      expect(res.body.roles).toEqual(['county_finance']);
      await person.post('/api/v1/ledger/accounts').send({}).expect(400);
    });
  });

  it('keeps duties apart: no admin with money roles, and nobody changes their own roles', async () => {
    const [root] = (await admin.get('/api/v1/org-units?limit=1').expect(200)).body;
    const before = await counts(t.ds);
    const mixed = await admin
      .post('/api/v1/admin/users')
      .send({ username: 'admin-and-finance', displayName: 'x', password: PASSWORD, orgUnitId: root.id, roles: ['admin', 'county_finance'] })
      .expect(400);
    expect(mixed.body.details.fields[0].field).toBe('roles');
    const [me] = await t.ds.query(`SELECT id FROM users WHERE username = $1`, [ADMIN.username]);
    expect(
      (
        await admin
          .put(`/api/v1/admin/users/${me.id}/roles`)
          .send({ roles: ['county_finance'] })
          .expect(409)
      ).body.code,
    ).toBe('INVALID_STATE');
    expect(await counts(t.ds)).toEqual(before);

    const second = await t.as('second-admin', ['admin']);
    const [other] = await t.ds.query(`SELECT id FROM users WHERE username = 'second-admin'`);
    await admin
      .put(`/api/v1/admin/users/${other.id}/roles`)
      .send({ roles: ['auditor'] })
      .expect(200);
    expect((await second.post('/api/v1/org-units').send({}).expect(403)).body.code).toBe('FORBIDDEN_ROLE');
  });

  it('pages users and org units with afterId, and answers an out-of-range id as not found', async () => {
    const auditor = await t.as('pager', ['auditor']);
    const first = (await auditor.get('/api/v1/admin/users?limit=2').expect(200)).body;
    const next = (await auditor.get(`/api/v1/admin/users?limit=2&afterId=${first[1].id}`).expect(200)).body;
    expect(next[0].id).toBeGreaterThan(first[1].id);
    expect((await auditor.get('/api/v1/admin/users/99999999999').expect(404)).body.code).toBe('NOT_FOUND');
    expect((await auditor.get('/api/v1/org-units/abc').expect(404)).body.code).toBe('NOT_FOUND');
  });

  describe('scope: two townships', () => {
    it('shows each township_finance only its own township and villages; the other’s are 404', async () => {
      const [root] = (await admin.get('/api/v1/org-units?limit=1').expect(200)).body;
      const unit = async (parentId: number, code: string, name: string) =>
        (await admin.post('/api/v1/org-units').send({ parentId, code, name }).expect(201)).body;
      const t1 = await unit(root.id, 'T1', '溫泉鎮');
      const t2 = await unit(root.id, 'T2', '南河鎮');
      const v1 = await unit(t1.id, 'V1', '畢昇村');
      const v2 = await unit(t2.id, 'V2', '東沖村');
      expect([t1.level, v1.level]).toEqual(['township', 'village']);
      expect(v1.path).toBe(`${root.path}${t1.id}/${v1.id}/`);
      const tf1 = await t.as('tf1', ['township_finance'], t1.id);
      const tf2 = await t.as('tf2', ['township_finance'], t2.id);

      const seen1 = (await tf1.get('/api/v1/org-units').expect(200)).body.map((u: { code: string }) => u.code);
      const seen2 = (await tf2.get('/api/v1/org-units').expect(200)).body.map((u: { code: string }) => u.code);
      expect(seen1).toEqual(['T1', 'V1']);
      expect(seen2).toEqual(['T2', 'V2']);
      await tf1.get(`/api/v1/org-units/${v1.id}`).expect(200);
      expect((await tf1.get(`/api/v1/org-units/${v2.id}`).expect(404)).body.code).toBe('NOT_FOUND');
      await tf2.get(`/api/v1/org-units/${v1.id}`).expect(404);
      const countyWide = (await (await t.as('county-leader', ['county_leader'])).get('/api/v1/org-units').expect(200)).body;
      expect(countyWide.map((u: { code: string }) => u.code)).toEqual(expect.arrayContaining(['T1', 'T2', 'V1', 'V2']));
    });

    it('refuses a tree of the wrong shape', async () => {
      const villages = (await admin.get('/api/v1/org-units').expect(200)).body.filter((u: { level: string }) => u.level === 'village');
      const res = await admin.post('/api/v1/org-units').send({ parentId: villages[0].id, code: 'X1', name: 'x' }).expect(400);
      expect(res.body.details.fields[0].field).toBe('parentId');
    });

    it('holds each role at its level of unit, on create and on a change of roles, writing nothing when refused', async () => {
      const all: { id: number; level: string; code: string }[] = (await admin.get('/api/v1/org-units').expect(200)).body;
      const root = all.find((u) => u.level === 'county')!.id;
      const at = (code: string) => all.find((u) => u.code === code)!.id;
      const create = (username: string, roles: string[], orgUnitId: number) =>
        admin.post('/api/v1/admin/users').send({ username, displayName: username, password: PASSWORD, orgUnitId, roles });
      const [tf1] = await t.ds.query(`SELECT id FROM users WHERE username = 'tf1'`);
      const before = await counts(t.ds);
      const misplaced: [string[], number][] = [
        [['village'], root],
        [['village'], at('T1')],
        [['county_finance'], at('V1')],
        [['township_finance'], root],
        [['auditor'], at('T1')],
        [['admin'], at('V1')],
        [['township_finance', 'line_department'], at('T1')],
      ];
      for (const [roles, unit] of misplaced) {
        const res = await create('misplaced', roles, unit).expect(400);
        expect(res.body).toMatchObject({
          code: 'VALIDATION_FAILED',
          details: { fields: [{ field: 'roles', message: expect.stringMatching(/is held at a/) }] },
        });
      }
      const moved = await admin
        .put(`/api/v1/admin/users/${tf1.id}/roles`)
        .send({ roles: ['county_finance'] })
        .expect(400);
      expect(moved.body.details.fields[0].field).toBe('roles');
      expect(await counts(t.ds)).toEqual(before);

      await create('placed-village', ['village'], at('V1')).expect(201);
      await create('placed-inspector', ['inspector', 'line_department'], root).expect(201);
    });
  });

  it('names the person in every event, and the chain verifies', async () => {
    await t.seal();
    const actors: { actor: string }[] = await t.ds.query(`SELECT DISTINCT actor FROM audit_events`);
    expect(actors.map((a) => a.actor)).not.toContain('anonymous');
    const [{ n }] = await t.ds.query(`SELECT count(*)::int AS n FROM audit_events WHERE type LIKE 'access.user.%' AND actor = $1`, [ADMIN.username]);
    expect(n).toBeGreaterThan(5);
    expect((await verifyEvents(t.ds)).ok).toBe(true);
  });
});

describe('route auditor', () => {
  @Controller('open-by-accident')
  class UndeclaredController {
    @Get()
    oops(): string {
      return 'nobody said who may call this';
    }
  }

  @Module({ imports: [DiscoveryModule], controllers: [UndeclaredController], providers: [RouteAuditor] })
  class LeakyModule {}

  it('refuses to start an application with a route that declares no access', async () => {
    const moduleRef = await Test.createTestingModule({ imports: [LeakyModule] }).compile();
    const app = moduleRef.createNestApplication({ logger: false });
    await expect(app.init()).rejects.toThrow(/UndeclaredController\.oops/);
  });
});

describe('first start', () => {
  it('refuses to start on a real database with no user and no ADMIN_USERNAME / ADMIN_PASSWORD', async () => {
    const db = await createTestDatabase();
    const saved = { ...process.env };
    delete process.env.ADMIN_USERNAME;
    delete process.env.ADMIN_PASSWORD;
    const app = await createApp({ databaseUrl: db.url, jwtSecret: TEST_JWT_SECRET, logLevel: false });
    try {
      await expect(app.init()).rejects.toThrow(/ADMIN_USERNAME and ADMIN_PASSWORD/);
    } finally {
      process.env = saved;
      await app.close().catch(() => undefined);
      await db.drop();
    }
  });
});
