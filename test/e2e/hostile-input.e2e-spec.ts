import { readFileSync } from 'node:fs';
import { DataSource } from 'typeorm';
import { As, ADMIN, TestApp, startTestApp } from '../support/app';

/**
 * Every mutating route of docs/openapi.json gets the hostile bodies of each class the API must refuse with a 4xx:
 * a NUL character or a lone surrogate in each text field, `null` for each field, `[[]]` for each array, a nesting
 * far deeper than any request needs, prototype keys, a bogus charset and a gzip header on a body that is not gzip,
 * and bodies that are no object at all. Each is sent as a person holding the route's role, so the refusal is the
 * input's and not the access guard's; no request may write anything. A route added later is covered by the same loop.
 */
type Schema = {
  $ref?: string;
  type?: string;
  properties?: Record<string, Schema>;
  items?: Schema;
  allOf?: Schema[];
  enum?: unknown[];
  example?: unknown;
  format?: string;
  required?: string[];
};
type Operation = { requestBody?: { content?: Record<string, { schema: Schema }> }; parameters?: { in: string; name: string; schema?: Schema }[] };
const spec = JSON.parse(readFileSync('docs/openapi.json', 'utf8')) as {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema> };
};

function resolve(schema: Schema): Schema {
  if (schema.$ref) return resolve(spec.components.schemas[schema.$ref.split('/').pop()!]);
  if (schema.allOf?.length === 1) return resolve(schema.allOf[0]);
  return schema;
}

/** A plausible value for a schema: its example, its first enum value, or something of its type. */
function sample(raw: Schema): unknown {
  const schema = resolve(raw);
  if (schema.example !== undefined) return schema.example;
  if (schema.enum) return schema.enum[0];
  switch (schema.type) {
    case 'object':
      return Object.fromEntries(Object.entries(schema.properties ?? {}).map(([k, v]) => [k, sample(v)]));
    case 'array':
      return [sample(schema.items ?? { type: 'string' })];
    case 'integer':
    case 'number':
      return 1;
    case 'boolean':
      return true;
    default:
      return schema.format === 'date' ? '2026-06-01' : 'x';
  }
}

/** Every place in a sample: the path of keys to it and what is there. */
function places(value: unknown, path: (string | number)[] = []): { path: (string | number)[]; value: unknown }[] {
  const here = path.length ? [{ path, value }] : [];
  if (Array.isArray(value)) return [...here, ...value.flatMap((v, i) => places(v, [...path, i]))];
  if (value && typeof value === 'object') return [...here, ...Object.entries(value).flatMap(([k, v]) => places(v, [...path, k]))];
  return here;
}

function replaced(body: unknown, path: (string | number)[], value: unknown): unknown {
  if (path.length === 0) return value;
  const copy = (Array.isArray(body) ? [...body] : { ...(body as object) }) as Record<string | number, unknown>;
  copy[path[0]] = replaced(copy[path[0]], path.slice(1), value);
  return copy;
}

const deep = (levels: number) => '['.repeat(levels) + ']'.repeat(levels);

/** The raw JSON texts to send to a route whose body looks like `base`. */
function hostileBodies(base: unknown): { name: string; text: string }[] {
  const json = (v: unknown) => JSON.stringify(v);
  const bodies: { name: string; text: string }[] = [
    { name: 'nesting 1,500 deep', text: json(base).replace(/^\{/, `{"nested":${deep(1500)},`) },
    { name: 'prototype key', text: json(base).replace(/^\{/, '{"__proto__":{"admin":true},') },
    { name: 'constructor key', text: json(base).replace(/^\{/, '{"constructor":{"prototype":{}},') },
    { name: 'hasOwnProperty key', text: json(base).replace(/^\{/, '{"hasOwnProperty":"x",') },
    { name: 'toString key', text: json(base).replace(/^\{/, '{"toString":"x",') },
    { name: 'top-level array', text: '[]' },
    { name: 'top-level string', text: '"x"' },
    { name: 'top-level null', text: 'null' },
  ];
  for (const { path, value } of places(base)) {
    const at = path.join('.');
    bodies.push({ name: `null at ${at}`, text: json(replaced(base, path, null)) });
    if (typeof value === 'string') {
      bodies.push({ name: `NUL in ${at}`, text: json(replaced(base, path, `${value}\u0000`)) });
      // JSON.stringify escapes a lone surrogate; send it as the JSON escape a hostile client writes.
      bodies.push({ name: `lone surrogate in ${at}`, text: json(replaced(base, path, `${value}@@SURROGATE@@`)).replace('@@SURROGATE@@', '\\ud800x') });
    }
    if (Array.isArray(value)) {
      bodies.push({ name: `[[]] for ${at}`, text: json(replaced(base, path, [[]])) });
      bodies.push({ name: `deep array for ${at}`, text: json(base).replace(json(value), deep(1500)) });
    }
    if (value && typeof value === 'object' && !Array.isArray(value)) bodies.push({ name: `[] for ${at}`, text: json(replaced(base, path, [])) });
  }
  return bodies;
}

const MUTATING = ['post', 'put', 'patch', 'delete'];
const routes = Object.entries(spec.paths).flatMap(([path, ops]) =>
  Object.entries(ops)
    .filter(([method]) => MUTATING.includes(method))
    .map(([method, op]) => ({
      method: method as 'post' | 'put' | 'patch' | 'delete',
      path,
      op,
      schema: op.requestBody?.content?.['application/json']?.schema,
    })),
);

async function rowCounts(ds: DataSource): Promise<Record<string, number>> {
  const tables: { table_name: string }[] = await ds.query(
    `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1`,
  );
  const out: Record<string, number> = {};
  for (const { table_name } of tables) out[table_name] = (await ds.query(`SELECT count(*)::int AS n FROM "${table_name}"`))[0].n;
  return out;
}

describe('hostile input on every mutating route', () => {
  let t: TestApp;
  let people: As[];

  beforeAll(async () => {
    t = await startTestApp();
    const admin = await t.as(ADMIN.username);
    const [root] = (await admin.get('/api/v1/org-units?limit=1').expect(200)).body;
    const township = (await admin.post('/api/v1/org-units').send({ parentId: root.id, code: 'H1', name: '鎮' }).expect(201)).body.id;
    const village = (await admin.post('/api/v1/org-units').send({ parentId: township, code: 'H2', name: '村' }).expect(201)).body.id;
    people = [
      admin,
      await t.as('hostile-finance', ['county_finance']),
      await t.as('hostile-leader', ['county_leader']),
      await t.as('hostile-line', ['line_department']),
      await t.as('hostile-inspector', ['inspector']),
      await t.as('hostile-auditor', ['auditor']),
      await t.as('hostile-township', ['township_finance'], township),
      await t.as('hostile-village', ['village'], village),
    ];
  });
  afterAll(() => t.close());

  const pathOf = (path: string, op: Operation) =>
    path.replace(/\{(\w+)\}/g, (_, name) =>
      op.parameters?.find((p) => p.name === name)?.schema?.format === 'uuid' ? '00000000-0000-4000-8000-000000000000' : '1',
    );

  /** The first person whose role the route admits (anything but 403 on an empty body), as every route has one. */
  async function personFor(method: 'post' | 'put' | 'patch' | 'delete', url: string): Promise<As> {
    for (const p of people) {
      const res = await p[method](url).set('Content-Type', 'application/json').send('{}');
      if (res.status !== 403) return p;
    }
    throw new Error(`no test person may call ${method.toUpperCase()} ${url}`);
  }

  it.each(routes.filter((r) => r.schema).map((r) => ({ ...r, name: `${r.method.toUpperCase()} ${r.path}` })))('$name', async ({ method, path, op, schema }) => {
    const url = pathOf(path, op);
    const person = await personFor(method, url);
    const before = await rowCounts(t.ds);
    const sent = [
      ...hostileBodies(sample(schema!)).map((b) => ({ ...b, headers: { 'Content-Type': 'application/json' } })),
      { name: 'bogus charset', text: '{}', headers: { 'Content-Type': 'application/json; charset=x-bogus' } },
      { name: 'gzip header on plain JSON', text: '{}', headers: { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' } },
      { name: 'unknown content encoding', text: '{}', headers: { 'Content-Type': 'application/json', 'Content-Encoding': 'x-unknown' } },
      { name: 'brotli header on plain JSON', text: '{}', headers: { 'Content-Type': 'application/json', 'Content-Encoding': 'br' } },
      { name: 'deflate header on plain JSON', text: '{}', headers: { 'Content-Type': 'application/json', 'Content-Encoding': 'deflate' } },
    ];
    const failures: string[] = [];
    for (const b of sent) {
      const res = await person[method](url).set(b.headers).send(b.text);
      const ok = res.status >= 400 && res.status < 500 && typeof res.body.code === 'string' && typeof res.body.message === 'string';
      if (!ok) failures.push(`${b.name}: ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`);
    }
    expect(failures).toEqual([]);
    expect(await rowCounts(t.ds)).toEqual(before);
  });

  it('refuses a NUL or a lone surrogate in a login before anything else, and 401s no one', async () => {
    for (const text of ['{"username":"admin\\u0000","password":"x"}', '{"username":"admin","password":"\\ud800x"}']) {
      const res = await t.api().post('/api/v1/auth/login').set('Content-Type', 'application/json').send(text).expect(400);
      expect(res.body).toMatchObject({ code: 'VALIDATION_FAILED' });
    }
  });

  it('names the field of a hostile value', async () => {
    const finance = people[1];
    const res = await finance
      .post('/api/v1/ledger/transactions')
      .set('Content-Type', 'application/json')
      .send('{"effectiveDate":"2026-03-01","memo":"m","lines":[{"account":"a","debit":null},{"account":"b","credit":"1.00"}]}')
      .expect(400);
    expect(res.body.details.fields[0].field).toBe('lines.0.debit');
    const surrogate = await finance
      .post('/api/v1/ledger/accounts')
      .set('Content-Type', 'application/json')
      .send('{"code":"x","name":"\\udc00","book":"financial","type":"asset","allowNegative":false}')
      .expect(400);
    expect(surrogate.body.details.fields[0]).toMatchObject({ field: 'name', message: expect.stringMatching(/surrogate/) });
  });

  it('answers a non-canonical path id as not found', async () => {
    const admin = people[0];
    const [me] = await t.ds.query(`SELECT id FROM users WHERE username = $1`, [ADMIN.username]);
    const [finance] = await t.ds.query(`SELECT id, disabled FROM users WHERE username = 'hostile-finance'`);
    for (const id of [
      `0${finance.id}`,
      `${finance.id}.0`,
      `+${finance.id}`,
      `${finance.id}e0`,
      `0x${finance.id.toString(16)}`,
      `%20${finance.id}`,
      `${finance.id}%20`,
      '2147483648',
      '-1',
    ]) {
      const res = await admin.post(`/api/v1/admin/users/${id}/disable`);
      expect([id, res.status, res.body.code]).toEqual([id, 404, 'NOT_FOUND']);
    }
    expect((await t.ds.query(`SELECT disabled FROM users WHERE id = $1`, [finance.id]))[0].disabled).toBe(false);
    expect(me.id).toBeGreaterThan(0);
  });
});
