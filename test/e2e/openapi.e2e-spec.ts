import { BEARER_SCHEME } from '../../src/access/auth.decorators';
import { RouteAuditor } from '../../src/access/route-auditor';
import { TestApp, startTestApp } from '../support/app';

interface Operation {
  summary?: string;
  security?: Record<string, string[]>[];
}
interface Document {
  paths: Record<string, Record<string, Operation>>;
  components: { securitySchemes?: Record<string, { type: string; scheme?: string }> };
}

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

/** The document /docs can authorize with: served where tools look for it, every operation named and secured. */
describe('OpenAPI document', () => {
  let t: TestApp;
  let doc: Document;
  let operations: { key: string; op: Operation }[];

  beforeAll(async () => {
    t = await startTestApp();
    const res = await t
      .api()
      .get('/docs-json')
      .expect(200)
      .expect('content-type', /application\/json/);
    doc = res.body;
    operations = Object.entries(doc.paths).flatMap(([path, item]) =>
      Object.entries(item)
        .filter(([method]) => METHODS.includes(method))
        .map(([method, op]) => ({ key: `${method.toUpperCase()} ${path}`, op })),
    );
  });
  afterAll(() => t.close());

  it('is the same document at /docs-json and /docs/openapi.json', async () => {
    const other = await t.api().get('/docs/openapi.json').expect(200);
    expect(other.body).toEqual(doc);
  });

  it('defines the bearer scheme the @Authenticated routes name', () => {
    expect(doc.components.securitySchemes?.[BEARER_SCHEME]).toMatchObject({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });
  });

  it('gives every operation a summary', () => {
    expect(operations.length).toBeGreaterThan(0);
    const missing = operations.filter(({ op }) => typeof op.summary !== 'string' || op.summary.trim() === '').map(({ key }) => key);
    expect(missing).toEqual([]);
  });

  it('names only defined security schemes', () => {
    const defined = Object.keys(doc.components.securitySchemes ?? {});
    const undefinedNames = operations.flatMap(({ key, op }) =>
      (op.security ?? []).flatMap((requirement) =>
        Object.keys(requirement)
          .filter((name) => !defined.includes(name))
          .map((name) => `${key}: ${name}`),
      ),
    );
    expect(undefinedNames).toEqual([]);
  });

  it('secures exactly the routes that are not public', () => {
    const routes = t.app.get(RouteAuditor).routes();
    expect(operations.map(({ key }) => key).sort()).toEqual(routes.map((r) => `${r.method} ${r.path.replace(/:(\w+)/g, '{$1}')}`).sort());
    for (const route of routes) {
      const { op } = operations.find(({ key }) => key === `${route.method} ${route.path.replace(/:(\w+)/g, '{$1}')}`)!;
      expect({ route: `${route.method} ${route.path}`, security: op.security ?? [] }).toEqual({
        route: `${route.method} ${route.path}`,
        security: route.access === 'public' ? [] : [{ [BEARER_SCHEME]: [] }],
      });
    }
  });
});
