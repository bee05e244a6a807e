import { declaredRoutes } from '../support/routes';
import { TestApp } from '../support/test-app';

describe('every route declares who may call it, and is documented', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await TestApp.start();
  });
  afterAll(() => t.close());

  it('finds the routes (the walk itself works)', () => {
    const routes = declaredRoutes(t);
    expect(routes.length).toBeGreaterThan(10);
    expect(routes).toContainEqual(
      expect.objectContaining({ method: 'POST', path: '/api/v1/facilities' }),
    );
  });

  it('has an access declaration on every route', () => {
    const missing = declaredRoutes(t).filter(
      (r) => !r.rule || !(r.rule.public || r.rule.staff || r.rule.terminals || r.rule.relative),
    );
    expect(missing.map((r) => `${r.method} ${r.path}`)).toEqual([]);
  });

  it('lists every route in the OpenAPI document', async () => {
    const doc = await t.http.get('/api/docs-json').expect(200);
    const paths = doc.body.paths as Record<string, Record<string, unknown>>;
    const undocumented = declaredRoutes(t).filter((r) => {
      const openApiPath = r.path.replace(/:([A-Za-z]+)/g, '{$1}');
      return !paths[openApiPath]?.[r.method.toLowerCase()];
    });
    expect(undocumented.map((r) => `${r.method} ${r.path}`)).toEqual([]);
  });
});
