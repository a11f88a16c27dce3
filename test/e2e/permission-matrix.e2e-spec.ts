import { readFileSync } from 'node:fs';
import { ROLES, Role } from '../../src/access/domain/roles';
import { RouteAuditor } from '../../src/access/route-auditor';
import { As, TestApp, startTestApp } from '../support/app';

interface MatrixRow {
  method: string;
  path: string;
  access: 'public' | Role[];
}

/** The permission matrix of docs/security.md, read as data. */
function readMatrix(): MatrixRow[] {
  const doc = readFileSync('docs/security.md', 'utf8');
  const table = doc.split('<!-- matrix:start -->')[1].split('<!-- matrix:end -->')[0];
  const lines = table
    .trim()
    .split('\n')
    .map((l) =>
      l
        .split('|')
        .slice(1, -1)
        .map((c) => c.trim()),
    );
  const [header, , ...rows] = lines;
  const roles = header.slice(2) as Role[];
  expect([...roles].sort()).toEqual([...ROLES].sort());
  return rows.map(([method, path, ...cells]) => ({
    method,
    path,
    access: cells.every((c) => c === 'public') ? 'public' : roles.filter((_, i) => cells[i] === '✓'),
  }));
}

function concrete(path: string): string {
  const numericId = !path.startsWith('/api/v1/ledger/');
  return path
    .replace(':id', numericId ? '999999' : '00000000-0000-4000-8000-000000000000')
    .replace(':lineId', '999999')
    .replace(':code', 'none');
}

describe('permission matrix (docs/security.md)', () => {
  const matrix = readMatrix();
  let t: TestApp;
  const as = new Map<Role, As>();

  beforeAll(async () => {
    t = await startTestApp();
    for (const role of ROLES) as.set(role, await t.as(role === 'admin' ? 'admin' : `matrix-${role}`, [role]));
  });
  afterAll(() => t.close());

  it('lists exactly the routes the service has, with exactly their declared roles', () => {
    const declared = t.app
      .get(RouteAuditor)
      .routes()
      .map((r) => ({ method: r.method, path: r.path, access: r.access === 'public' ? 'public' : [...r.access].sort() }));
    const documented = matrix.map((r) => ({ ...r, access: r.access === 'public' ? 'public' : [...r.access].sort() }));
    const key = (r: { method: string; path: string }) => `${r.method} ${r.path}`;
    expect(declared.map(key).sort()).toEqual(documented.map(key).sort());
    for (const row of documented) expect(declared.find((d) => key(d) === key(row))?.access).toEqual(row.access);
  });

  it.each(matrix.map((r) => [`${r.method} ${r.path}`, r] as const))('%s: every role as the matrix says', async (_name, row) => {
    const url = concrete(row.path);
    const method = row.method.toLowerCase() as 'get' | 'post' | 'put';
    for (const role of ROLES) {
      const res = await as.get(role)![method](url).send({});
      const allowed = row.access === 'public' || row.access.includes(role);
      if (allowed) expect({ role, passedGuard: ![401, 403].includes(res.status) }).toEqual({ role, passedGuard: true });
      else expect({ role, status: res.status, code: res.body.code }).toEqual({ role, status: 403, code: 'FORBIDDEN_ROLE' });
    }
    const anonymous = await t.api()[method](url).send({});
    if (row.access === 'public') expect(anonymous.status).not.toBe(401);
    else expect({ status: anonymous.status, code: anonymous.body.code }).toEqual({ status: 401, code: 'UNAUTHENTICATED' });
  });
});
