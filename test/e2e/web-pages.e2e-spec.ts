import { API, RELATIVE_PASSWORD, TestApp, uniq } from '../support/test-app';
import { visibleText, WebClient } from '../support/web-client';

describe('web pages: served at /, languages, sign-in, links', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await TestApp.start();
  });
  afterAll(() => t.close());

  it('serves the start page in the browser language: Kazakh, Russian, else English', async () => {
    for (const [accept, lang, heading] of [
      ['kk-KZ,kk;q=0.9,ru;q=0.8', 'kk', 'Ұзақ кездесулер'],
      ['ru-RU,ru;q=0.9,en;q=0.5', 'ru', 'Длительные свидания'],
      ['fr-FR,de;q=0.8', 'en', 'Long visits'],
      ['en;q=0.5,ru;q=0.9', 'ru', 'Длительные свидания'],
    ]) {
      const page = await new WebClient(t.baseUrl, accept).get('/');
      expect(page.status).toBe(200);
      expect(page.headers['content-type']).toMatch(/^text\/html; charset=utf-8/);
      expect(page.text).toContain(`<html lang="${lang}">`);
      expect(visibleText(page.text)).toContain(heading);
    }
  });

  it('keeps the chosen language in a cookie and only redirects within the site', async () => {
    const web = new WebClient(t.baseUrl, 'ru');
    const chose = await web.get('/lang/kk?next=%2Fsign-in');
    expect(chose.status).toBe(303);
    expect(chose.location).toBe('/sign-in');
    expect((await web.get('/sign-in')).text).toContain('<html lang="kk">');
    for (const next of [
      '//evil.example/x',
      'https://evil.example',
      '/\\evil.example',
      '/api/v1/facilities',
    ]) {
      const r = await web.get(`/lang/en?next=${encodeURIComponent(next)}`);
      expect({ next, location: r.location }).toEqual({ next, location: '/' });
    }
    expect((await web.get('/')).text).toContain('<html lang="en">');
  });

  it('sends a strict Content-Security-Policy with pages and leaves the API document without them', async () => {
    const page = await new WebClient(t.baseUrl).get('/sign-in');
    const csp = String(page.headers['content-security-policy']);
    expect(csp).toContain(`script-src 'self'`);
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).toContain(`frame-ancestors 'none'`);
    expect(page.text).not.toMatch(/<script>|<script [^>]*>[^<]/); // no inline script
    const doc = await t.http.get('/api/docs-json').expect(200);
    const paths = Object.keys((doc.body as { paths: Record<string, unknown> }).paths);
    expect(paths.filter((p) => !p.startsWith('/api/v1/'))).toEqual([]);
  });

  it('serves the built assets compressed and cached for good, and nothing else', async () => {
    const page = await new WebClient(t.baseUrl).get('/');
    const href = /href="(\/assets\/site\.css\?v=[0-9a-f]+)"/.exec(page.text)![1];
    const css = await t.http.get(href).set('accept-encoding', 'br, gzip');
    expect(css.status).toBe(200);
    expect(css.headers['content-encoding']).toBe('br');
    expect(css.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    await t.http.get('/assets/..%2Fpackage.json').expect(404);
    await t.http.get('/assets/site.ts').expect(404);
  });

  it('registers, signs in and out, refuses a form without its token', async () => {
    const web = new WebClient(t.baseUrl, 'ru');
    const email = `${uniq('web').toLowerCase()}@example.kz`;
    const weak = await web.post('/register', {
      fullName: 'Айгерим Тестова',
      email,
      phone: '+7 701 123 45 67',
      password: 'short',
    });
    expect(weak.status).toBe(400);
    expect(weak.text).toContain('aria-invalid="true"');
    expect(visibleText(weak.text)).toContain('Выберите более длинный и сложный пароль');
    const ok = await web.post('/register', {
      fullName: 'Айгерим Тестова',
      email,
      phone: '+7 701 123 45 67',
      password: RELATIVE_PASSWORD,
    });
    expect(ok.status).toBe(303);
    expect(ok.location).toBe('/?done=registered');
    expect(web.cookies.get('ps_session')).toBeTruthy();
    t.secrets.add(web.cookies.get('ps_session')!);
    const home = await web.get('/?done=registered');
    expect(visibleText(home.text)).toContain('Учётная запись создана');

    const forged = await web.post('/sign-out', {}, 'not-the-token');
    expect(forged.status).toBe(403);
    expect((await web.post('/sign-out', {})).location).toBe('/?done=signedOut');
    expect(web.cookies.has('ps_session')).toBe(false);

    const wrong = await web.post('/sign-in', { email, password: 'wrong-password-123', next: '/' });
    expect(wrong.status).toBe(401);
    expect(visibleText(wrong.text)).toContain('Неверная почта или пароль');
    const taken = await web.post('/register', {
      fullName: 'Другая',
      email,
      phone: '+77011234567',
      password: RELATIVE_PASSWORD,
    });
    expect(taken.status).toBe(409);
    expect(visibleText(taken.text)).toContain('Учётная запись с этой почтой уже есть');
  });

  it('sends an expired session to sign in, then back to the page it was on', async () => {
    const rel = await t.createRelative();
    const web = new WebClient(t.baseUrl);
    await web.get('/');
    web.cookies.set('ps_session', 'expired.token.value');
    const away = await web.get('/links/new');
    expect(away.status).toBe(303);
    expect(away.location).toBe('/sign-in?expired=1&next=%2Flinks%2Fnew');
    expect(web.cookies.has('ps_session')).toBe(false);
    const form = await web.get(away.location!);
    expect(visibleText(form.text)).toContain('Your session has ended');
    expect(form.text).toContain('name="next" value="/links/new"');
    const back = await web.post('/sign-in', {
      email: rel.email,
      password: RELATIVE_PASSWORD,
      next: '/links/new',
    });
    expect(back.status).toBe(303);
    expect(back.location).toBe('/links/new');
    t.secrets.add(web.cookies.get('ps_session')!);
    expect((await web.get('/links/new')).status).toBe(200);
  });

  it('asks for a link, shows it pending, and the prisoner once staff approved', async () => {
    const f = await t.createFacility({ name: 'Колония ЕЦ-166/11' });
    const p = await t.createPrisoner(f.id, { fullName: 'Серик Тестов' });
    const number = (
      await t.http.get(`${API}/prisoners/${p.id}`).auth(t.adminToken, { type: 'bearer' })
    ).body.personalNumber as string;
    const rel = await t.createRelative();
    const web = new WebClient(t.baseUrl, 'kk');
    await web.post('/sign-in', { email: rel.email, password: RELATIVE_PASSWORD, next: '/' });
    t.secrets.add(web.cookies.get('ps_session')!);
    const form = await web.get('/links/new');
    expect(form.text).toContain('Колония ЕЦ-166/11');
    const missing = await web.post('/links', {
      facilityId: f.id,
      prisonerPersonalNumber: '',
      relationship: '',
    });
    expect(missing.status).toBe(400);
    expect(visibleText(missing.text)).toContain('Сотталғанның жеке нөмірін енгізіңіз');
    const sent = await web.post('/links', {
      facilityId: f.id,
      prisonerPersonalNumber: number,
      relationship: 'parent',
    });
    expect(sent.location).toBe('/?done=linkRequested');
    const again = await web.post('/links', {
      facilityId: f.id,
      prisonerPersonalNumber: number,
      relationship: 'parent',
    });
    expect(again.status).toBe(409);
    expect(visibleText(again.text)).toContain('бұрын сұрағансыз');
    const pending = await web.get('/');
    expect(visibleText(pending.text)).toContain('Мекеменің шешімін күтуде');
    const links = await t.http
      .get(`${API}/facilities/${f.id}/links?status=pending`)
      .auth(t.adminToken, { type: 'bearer' })
      .expect(200);
    await t.http
      .post(`${API}/links/${links.body.items[0].id}/approve`)
      .auth(t.adminToken, { type: 'bearer' })
      .send({})
      .expect(200);
    const home = visibleText((await web.get('/')).text);
    expect(home).toContain('Серик Тестов');
    expect(home).toContain('Ұзақ кездесуге жазылу');
  });
});
