import { createRootLogger } from '../../src/common/logging';
import { ADMIN, TestApp, startTestApp } from '../support/app';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

interface Line {
  level: string;
  msg: string;
  requestId?: string;
  context?: string;
  stack?: string;
  method?: string;
  route?: string;
  path?: string;
  status?: number;
  ms?: number;
  userId?: number;
}

/** What the service would have written to stdout as JSON lines, kept in memory. */
function capture() {
  let text = '';
  return {
    destination: { write: (chunk: string) => void (text += chunk) },
    text: () => text,
    lines: (): Line[] =>
      text
        .split('\n')
        .filter((l) => l !== '')
        .map((l) => JSON.parse(l) as Line),
  };
}

describe('logs', () => {
  const out = capture();
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ logger: createRootLogger({ level: 'log', format: 'json', destination: out.destination }) });
  });
  afterAll(() => t.close());

  /** The access line is written when the answer is flushed, which may be a moment after the client has it. */
  async function accessLines(requestId: string): Promise<Line[]> {
    for (const started = Date.now(); Date.now() - started < 2000; await new Promise((r) => setTimeout(r, 10))) {
      const found = out.lines().filter((l) => l.requestId === requestId && l.status !== undefined);
      if (found.length > 0) return found;
    }
    return [];
  }

  it("routes Nest's own lines through the same JSON log, its start-up chatter below info", () => {
    const started = out.lines().find((l) => l.msg === 'Nest application successfully started');
    expect(started).toMatchObject({ level: 'info', context: 'NestApplication' });
    expect(out.lines().filter((l) => l.context === 'RouterExplorer')).toEqual([]);
  });

  it("answers every request with a request id: a sane one of the client's, else a new one", async () => {
    const generated = await t.api().get('/health').expect(200);
    expect(generated.headers['x-request-id']).toMatch(UUID);
    const other = await t.api().get('/health').expect(200);
    expect(other.headers['x-request-id']).not.toBe(generated.headers['x-request-id']);

    for (const sane of ['abc-123', 'trace.4:span_7', '0'.repeat(64)]) {
      expect((await t.api().get('/health').set('X-Request-Id', sane).expect(200)).headers['x-request-id']).toBe(sane);
    }
    // Too long, a control character, a space (also how two headers arrive, joined by ", "), a quote, not ASCII, empty.
    const insane = ['0'.repeat(65), 'tab\there', 'with space', 'one, two', 'quote"d', 'café', ''];
    for (const id of insane) {
      const res = await t.api().get('/health').set('X-Request-Id', id).expect(200);
      expect(res.headers['x-request-id']).toMatch(UUID);
      expect(await accessLines(res.headers['x-request-id'])).toHaveLength(1);
    }
    expect(out.lines().filter((l) => insane.includes(l.requestId!))).toEqual([]);
  });

  it('puts the request id in every error body, also for a route that does not exist and a body that is not JSON', async () => {
    const unauthenticated = await t.api().get('/api/v1/auth/me').set('X-Request-Id', 'err-401').expect(401);
    expect(unauthenticated.body).toMatchObject({ code: 'UNAUTHENTICATED', requestId: 'err-401' });

    const missing = await t.api().get('/api/v1/no-such-thing').expect(404);
    expect(missing.body.requestId).toBe(missing.headers['x-request-id']);
    expect(missing.body.requestId).toMatch(UUID);

    // Refused by the body parser, before any route: still its id, and its access line.
    const malformed = await t
      .api()
      .post('/api/v1/auth/login')
      .set('X-Request-Id', 'err-json')
      .set('Content-Type', 'application/json')
      .send('{"username":')
      .expect(400);
    expect(malformed.body).toMatchObject({ code: 'MALFORMED_JSON', requestId: 'err-json' });
    expect(malformed.headers['x-request-id']).toBe('err-json');
    expect(await accessLines('err-json')).toEqual([expect.objectContaining({ method: 'POST', path: '/api/v1/auth/login', status: 400 })]);
  });

  it('logs an unexpected failure with its request id, which the 500 answer names', async () => {
    const admin = await t.as(ADMIN.username);
    // The table the route reads is gone for a moment: a failure no service check expects.
    await t.ds.query(`ALTER TABLE audit_events RENAME TO audit_events_away`);
    try {
      const res = await admin.get('/api/v1/audit/events').set('X-Request-Id', 'err-500').expect(500);
      expect(res.body).toEqual({ code: 'INTERNAL_ERROR', message: 'Internal error', details: {}, requestId: 'err-500' });
    } finally {
      await t.ds.query(`ALTER TABLE audit_events_away RENAME TO audit_events`);
    }
    expect(await accessLines('err-500')).toEqual([expect.objectContaining({ level: 'error', route: '/api/v1/audit/events', status: 500 })]);
    const failure = out.lines().find((l) => l.context === 'Errors' && l.requestId === 'err-500');
    expect(failure).toMatchObject({ level: 'error', msg: 'GET /api/v1/audit/events failed [request err-500]', stack: expect.stringContaining('audit_events') });
  });

  it('writes exactly one access line a request: method, route pattern, status, milliseconds and the user', async () => {
    const admin = await t.as(ADMIN.username);
    const me = await admin.get('/api/v1/auth/me').expect(200);
    await admin.get(`/api/v1/admin/users/${me.body.id}`).set('X-Request-Id', 'access-1').expect(200);

    const [line, ...more] = await accessLines('access-1');
    expect(more).toEqual([]);
    expect(line).toMatchObject({ level: 'info', method: 'GET', route: '/api/v1/admin/users/:id', status: 200, userId: me.body.id });
    expect(line.ms).toEqual(expect.any(Number));
    expect(line.path).toBeUndefined();
    expect(line.msg).toBe(`GET /api/v1/admin/users/:id 200 ${line.ms}ms`);
    // Nothing else of the request reaches the line.
    expect(Object.keys(line).sort()).toEqual(['hostname', 'level', 'method', 'ms', 'msg', 'pid', 'requestId', 'route', 'status', 'time', 'userId']);

    await t.api().get('/api/v1/no-such-thing?x=1').set('X-Request-Id', 'access-404').expect(404);
    expect(await accessLines('access-404')).toEqual([expect.objectContaining({ method: 'GET', path: '/api/v1/no-such-thing', status: 404 })]);

    const anonymous = await accessLines('err-401');
    expect(anonymous).toEqual([expect.objectContaining({ route: '/api/v1/auth/me', status: 401 })]);
    expect(anonymous[0].userId).toBeUndefined();

    // And no request of this file so far has two.
    const ids = out
      .lines()
      .filter((l) => l.status !== undefined)
      .map((l) => l.requestId);
    expect(ids.length).toBeGreaterThan(10);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('never writes a password, a token, a cookie or a body', async () => {
    const login = await t
      .api()
      .post('/api/v1/auth/login')
      .set('X-Request-Id', 'secret-login')
      .send({ username: ADMIN.username, password: ADMIN.password })
      .expect(200);
    const token: string = login.body.accessToken;
    await t
      .api()
      .get('/api/v1/auth/me')
      .set('Authorization', `Bearer ${token}`)
      .set('Cookie', 'session=cookie-value-never-logged')
      .set('X-Request-Id', 'secret-me')
      .expect(200);
    await t.api().post('/api/v1/auth/login').send({ username: 'body-value-never-logged', password: 'a wrong one, never logged' }).expect(401);
    expect(await accessLines('secret-login')).toHaveLength(1);
    expect(await accessLines('secret-me')).toHaveLength(1);

    const text = out.text();
    for (const secret of [
      ADMIN.password,
      token,
      token.split('.')[2],
      'cookie-value-never-logged',
      'body-value-never-logged',
      'a wrong one',
      'Bearer',
      'authorization',
    ]) {
      expect(text).not.toContain(secret);
    }
  });
});

describe('logs at LOG_LEVEL=warn', () => {
  const out = capture();
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ logger: createRootLogger({ level: 'warn', format: 'json', destination: out.destination }) });
  });
  afterAll(() => t.close());

  it('writes no info line: neither at start nor for a request', async () => {
    await t.api().get('/health').expect(200);
    await t.api().post('/api/v1/auth/login').send({ username: ADMIN.username, password: ADMIN.password }).expect(200);
    await t.api().get('/api/v1/auth/me').expect(401);
    await new Promise((r) => setTimeout(r, 100));
    expect(out.lines()).toEqual([]);
  });
});
