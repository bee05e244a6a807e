import { API, RELATIVE_PASSWORD, TestApp } from '../support/test-app';
import { flat, visibleText, WebClient } from '../support/web-client';

describe('web pages: topping up the card with the local Stripe mock', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await TestApp.start();
  });
  afterAll(() => t.close());

  const field = (page: string, name: string) =>
    new RegExp(`name="${name}" value="([^"]*)"`).exec(flat(page))![1];

  /** Asks the status address until the deposit is settled (the mock's webhook is on its way). */
  async function settled(web: WebClient, id: string, paid = true) {
    for (let i = 0; i < 500; i++) {
      const s = await web.get(`/top-up/${id}/status${paid ? '?paid=1' : ''}`);
      const body = JSON.parse(s.text) as { status: string; final: boolean; balanceText: string };
      if (body.final) return body;
      await new Promise((resolve) => setImmediate(resolve));
    }
    throw new Error('the deposit never settled');
  }

  it('takes an amount, a test card, follows the deposit until credited and shows the balance', async () => {
    const f = await t.createFacility();
    const p = await t.createPrisoner(f.id);
    const rel = await t.createRelative();
    await t.linkRelative(rel, p);
    const web = new WebClient(t.baseUrl);
    await web.post('/sign-in', { email: rel.email, password: RELATIVE_PASSWORD, next: '/' });
    t.secrets.add(web.cookies.get('ps_session')!);

    const start = await web.get(`/top-up?prisoner=${p.id}`);
    expect(visibleText(start.text)).toMatch(/Balance now: KZT\s0\.00/);
    const bad = await web.post('/top-up', {
      _key: field(start.text, '_key'),
      prisoner: p.id,
      amount: '50 тенге',
    });
    expect(bad.status).toBe(400);
    expect(visibleText(bad.text)).toContain('Enter an amount in tenge');
    const tooMuch = await web.post('/top-up', {
      _key: field(start.text, '_key'),
      prisoner: p.id,
      amount: '200000',
    });
    expect(tooMuch.status).toBe(422);
    expect(visibleText(tooMuch.text)).toContain('more than one top-up may be');

    const pay = await web.post('/top-up', {
      _key: field(start.text, '_key'),
      prisoner: p.id,
      amount: '5 000',
    });
    expect(pay.status).toBe(200);
    expect(visibleText(pay.text)).toContain('Test mode');
    const id = /action="\/top-up\/([0-9a-f-]{36})\/card"/.exec(flat(pay.text))![1];
    const secret = field(pay.text, 'clientSecret');
    t.secrets.add(secret);
    const card = (n: string) => ({
      paymentIntent: field(pay.text, 'paymentIntent'),
      clientSecret: secret,
      cardNumber: n,
      expiry: '12/34',
      cvc: '123',
    });

    const unknown = await web.post(`/top-up/${id}/card`, card('1234 5678 9012 3456'));
    expect(unknown.status).toBe(400);
    expect(visibleText(unknown.text)).toContain('Enter a test card number');
    const declined = await web.post(`/top-up/${id}/card`, card('4000 0000 0000 0002'));
    expect(declined.status).toBe(402);
    expect(visibleText(declined.text)).toContain('The card was declined');
    // the decline is recorded (the deposit failed) before the next card is tried: the page that
    // follows the paid deposit must not stop at that failure
    expect(await settled(web, id, false)).toMatchObject({ status: 'failed', final: true });
    t.stripe.deliverWebhooks = false; // the success's webhook is late
    const paid = await web.post(`/top-up/${id}/card`, card('4242 4242 4242 4242'));
    expect(paid.status).toBe(303);
    expect(paid.location).toBe(`/top-up/${id}?paid=1`);
    const status = await web.get(paid.location!);
    expect(status.text).toContain(`data-deposit-status="/top-up/${id}/status?paid=1"`);
    const waiting = JSON.parse((await web.get(`/top-up/${id}/status?paid=1`)).text);
    expect(waiting).toMatchObject({ status: 'failed', final: false }); // keeps following
    t.stripe.deliverWebhooks = true;
    const success = t.stripe.events.filter((e) => e.type === 'payment_intent.succeeded').pop()!;
    await t.stripe.deliver(success);
    const end = await settled(web, id);
    expect(end).toMatchObject({ status: 'succeeded', final: true });
    expect(end.balanceText).toMatch(/KZT\s5,000\.00/);
    const account = await t.http
      .get(`${API}/prisoners/${p.id}/account`)
      .auth(rel.token, { type: 'bearer' });
    expect(account.body.balanceMinor).toBe(500_000);
    const deposit = await t.http
      .get(`${API}/deposits/${id}`)
      .auth(rel.token, { type: 'bearer' })
      .expect(200);
    expect(deposit.body).toMatchObject({
      id,
      prisonerId: p.id,
      amountMinor: 500_000,
      status: 'succeeded',
    });
    const done = await web.get(`/top-up/${id}`);
    expect(visibleText(done.text)).toContain('Paid: the money is on the card');
    expect(done.text).not.toContain('deposit-status.js'); // settled: nothing left to follow

    const stranger = await t.createRelative();
    const other = new WebClient(t.baseUrl);
    await other.post('/sign-in', { email: stranger.email, password: RELATIVE_PASSWORD, next: '/' });
    t.secrets.add(other.cookies.get('ps_session')!);
    expect((await other.get(`/top-up/${id}`)).status).toBe(404);
    expect((await other.get(`/top-up?prisoner=${p.id}`)).status).toBe(404);
  });
});
