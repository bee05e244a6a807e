import { loadEnv } from '../config/env.schema';
import { pageCsp } from './context';
import { paymentMode } from './web.plugin';

describe('what the pages may load', () => {
  it('allows only our own files with the local mock, Stripe’s script and frames with Stripe', () => {
    const mock = pageCsp({ kind: 'mock', apiBase: 'http://127.0.0.1:1' });
    expect(mock).toContain(`script-src 'self';`);
    expect(mock).toContain(`frame-src 'none'`);
    expect(mock).not.toMatch(/stripe|unsafe/);
    const stripe = pageCsp({ kind: 'stripe', publishableKey: 'pk_test_x' });
    expect(stripe).toContain(`script-src 'self' https://js.stripe.com;`);
    expect(stripe).toContain('frame-src https://js.stripe.com https://hooks.stripe.com');
    expect(stripe).toContain(`connect-src 'self' https://api.stripe.com`);
    expect(stripe).not.toContain('unsafe');
  });

  it('takes the card with the mock’s form, Stripe’s Payment Element, or not at all', () => {
    const base = { CARD_HMAC_SECRET: 'x'.repeat(40), STRIPE_WEBHOOK_SECRET: 'whsec_abc' };
    expect(
      paymentMode(
        loadEnv({
          ...base,
          STRIPE_SECRET_KEY: 'sk_test_mock_abc',
          STRIPE_API_HOST: '127.0.0.1',
          STRIPE_API_PORT: '4242',
          STRIPE_API_PROTOCOL: 'http',
        }),
      ),
    ).toEqual({ kind: 'mock', apiBase: 'http://127.0.0.1:4242' });
    expect(
      paymentMode(
        loadEnv({
          ...base,
          STRIPE_SECRET_KEY: 'sk_live_abc',
          STRIPE_PUBLISHABLE_KEY: 'pk_live_abc',
        }),
      ),
    ).toEqual({ kind: 'stripe', publishableKey: 'pk_live_abc' });
    expect(paymentMode(loadEnv({ ...base, STRIPE_SECRET_KEY: 'sk_live_abc' }))).toEqual({
      kind: 'off',
    });
    expect(() => loadEnv({ STRIPE_PUBLISHABLE_KEY: 'sk_live_abc' })).toThrow(
      /STRIPE_PUBLISHABLE_KEY/,
    );
  });
});
