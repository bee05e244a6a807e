import { colonyWithRooms, linkedPair, NOW } from '../support/long-visits';
import { API, Relative, RELATIVE_PASSWORD, TestApp } from '../support/test-app';
import { flat, visibleText, WebClient } from '../support/web-client';

describe('web pages: long visits (calendar, booking, documents, list, cancel)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await TestApp.start();
  });
  beforeEach(() => t.setNow(NOW));
  afterAll(() => t.close());

  async function signedIn(rel: Relative, lang = 'en'): Promise<WebClient> {
    const web = new WebClient(t.baseUrl, lang);
    const r = await web.post('/sign-in', {
      email: rel.email,
      password: RELATIVE_PASSWORD,
      next: '/',
    });
    expect(r.status).toBe(303);
    t.secrets.add(web.cookies.get('ps_session')!);
    return web;
  }

  const form = (page: string, name: string) =>
    new RegExp(`name="${name}" value="([^"]+)"`).exec(flat(page))![1];

  it('shows the free dates from tomorrow in the facility, books 3 days, shows the documents of the booking', async () => {
    const colony = await colonyWithRooms(t, 1);
    const { prisonerId, relative } = await linkedPair(t, colony.facilityId);
    const web = await signedIn(relative);
    const page = await web.get(`/visits/book?prisoner=${prisonerId}`);
    expect(page.status).toBe(200);
    const dates = [
      ...flat(page.text).matchAll(/name="startDate" value="(\d{4}-\d{2}-\d{2})"/g),
    ].map((m) => m[1]);
    expect(dates[0]).toBe('2026-03-11');
    expect(dates).toHaveLength(28);
    expect(visibleText(page.text)).toContain('1 free');

    const missing = await web.post('/visits/book', {
      _key: form(page.text, '_key'),
      prisoner: prisonerId,
      days: '3',
      visitors: '1',
      visitorName1: '',
      visitorRelationship1: 'parent',
    });
    expect(missing.status).toBe(400);
    expect(visibleText(missing.text)).toContain('Choose the first day of the visit');
    expect(missing.text).toContain('href="#startDate"');

    const booked = await web.post('/visits/book', {
      _key: form(page.text, '_key'),
      prisoner: prisonerId,
      days: '3',
      visitors: '1',
      startDate: '2026-03-16',
      visitorName1: 'Aigerim Test',
      visitorRelationship1: 'parent',
    });
    expect(booked.status).toBe(303);
    const id = /^\/visits\/([0-9a-f-]{36})\?booked=1$/.exec(booked.location!)![1];
    const api = await t.http
      .get(`${API}/long-visits/${id}`)
      .auth(relative.token, { type: 'bearer' })
      .expect(200);
    expect(api.body).toMatchObject({ startDate: '2026-03-16', days: 3, status: 'requested' });
    const shown = await web.get(booked.location!);
    const docs = [...flat(shown.text).matchAll(/data-document="([^"]+)"/g)].map((m) => m[1]);
    expect(docs).toEqual(api.body.requiredDocuments);
    expect(docs).not.toContain('aids-centre-certificate'); // the reform
    expect(visibleText(shown.text)).toContain('Identity document (ID card or passport)');
    expect(visibleText(shown.text)).toContain(api.body.reference);

    // the room is taken now for those dates: the calendar says so
    const after = await web.get(`/visits/book?prisoner=${prisonerId}&from=2026-03-16&days=1`);
    expect(flat(after.text)).toMatch(/value="2026-03-16" disabled/);

    const list = await web.get('/visits');
    expect(visibleText(list.text)).toContain(api.body.reference);
    const cancelled = await web.post(`/visits/${id}/cancel`, {});
    expect(cancelled.location).toBe('/visits?done=visitCancelled');
    expect(visibleText((await web.get(cancelled.location!)).text)).toContain(
      'The visit was cancelled.',
    );
    const again = await t.http
      .get(`${API}/long-visits/${id}`)
      .auth(relative.token, { type: 'bearer' });
    expect(again.body.status).toBe('cancelled');
    const twice = await web.post(`/visits/${id}/cancel`, {});
    expect(twice.status).toBe(422);
    expect(visibleText(twice.text)).toContain('can no longer be changed');
  });

  it('a taken room (409) offers the nearest free dates, one press books one', async () => {
    const colony = await colonyWithRooms(t, 1);
    const first = await linkedPair(t, colony.facilityId);
    const second = await linkedPair(t, colony.facilityId);
    const a = await signedIn(first.relative);
    const b = await signedIn(second.relative, 'ru');
    const pageB = await b.get(`/visits/book?prisoner=${second.prisonerId}`);
    const fields = (prisoner: string) => ({
      prisoner,
      days: '2',
      visitors: '1',
      startDate: '2026-03-20',
      visitorName1: 'Test Visitor',
      visitorRelationship1: 'sibling',
    });
    const pageA = await a.get(`/visits/book?prisoner=${first.prisonerId}`);
    expect(
      (
        await a.post('/visits/book', {
          _key: form(pageA.text, '_key'),
          ...fields(first.prisonerId),
        })
      ).status,
    ).toBe(303);
    // B chose the date on a calendar loaded before A booked it
    const taken = await b.post('/visits/book', {
      _key: form(pageB.text, '_key'),
      ...fields(second.prisonerId),
    });
    expect(taken.status).toBe(409);
    expect(visibleText(taken.text)).toContain('все комнаты заняты');
    const offered = [...flat(taken.text).matchAll(/name="pick" value="(\d{4}-\d{2}-\d{2})"/g)].map(
      (m) => m[1],
    );
    expect(offered.length).toBeGreaterThan(0);
    expect(offered).not.toContain('2026-03-20');
    expect(flat(taken.text)).toContain('form="book-form"');
    const retry = await b.post('/visits/book', {
      _key: form(taken.text, '_key'),
      ...fields(second.prisonerId),
      pick: offered[0],
    });
    expect(retry.status).toBe(303);
    const id = /\/visits\/([0-9a-f-]{36})/.exec(retry.location!)![1];
    const v = await t.http
      .get(`${API}/long-visits/${id}`)
      .auth(second.relative.token, { type: 'bearer' });
    expect(v.body.startDate).toBe(offered[0]);
  });

  it('answers 404 for a prisoner or a visit that is not the relative’s', async () => {
    const colony = await colonyWithRooms(t, 1);
    const mine = await linkedPair(t, colony.facilityId);
    const other = await linkedPair(t, colony.facilityId);
    const web = await signedIn(mine.relative);
    const notLinked = await web.get(`/visits/book?prisoner=${other.prisonerId}`);
    expect(notLinked.status).toBe(404);
    expect(visibleText(notLinked.text)).toContain('We could not find this');
    const theirs = await t.http
      .post(`${API}/long-visits`)
      .auth(other.relative.token, { type: 'bearer' })
      .send({
        prisonerId: other.prisonerId,
        startDate: '2026-04-01',
        days: 1,
        visitors: [{ fullName: 'X Y', relationship: 'other' }],
      })
      .expect(201);
    expect((await web.get(`/visits/${theirs.body.id}`)).status).toBe(404);
    expect((await web.get('/visits/not-a-uuid')).status).toBe(404);
  });
});
