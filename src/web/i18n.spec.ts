import en from './catalogs/en.json';
import kk from './catalogs/kk.json';
import ru from './catalogs/ru.json';
import { negotiate, translate } from './i18n';

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('message catalogs', () => {
  it.each([
    ['kk', kk],
    ['ru', ru],
  ])('%s has every English key, none empty, with the same placeholders', (_lang, cat) => {
    const c = cat as Record<string, string>;
    expect(Object.keys(c).sort()).toEqual(Object.keys(en).sort());
    for (const [key, text] of Object.entries(en)) {
      expect({ key, empty: !c[key]?.trim() }).toEqual({ key, empty: false });
      expect({ key, params: placeholders(c[key]) }).toEqual({ key, params: placeholders(text) });
    }
  });

  it('has a message for every refusal the pages’ API calls can meet', () => {
    // sign-in and registration, links, booking and cancelling, deposits, and any call at all
    const codes = [
      'VALIDATION_FAILED',
      'INVALID_CREDENTIALS',
      'RATE_LIMITED',
      'EMAIL_TAKEN',
      'LINK_EXISTS',
      'LINK_PRISONER_UNKNOWN',
      'UNKNOWN_FACILITY',
      'NOT_FOUND',
      'FORBIDDEN',
      'UNAUTHENTICATED',
      'LONG_VISIT_NO_ROOM',
      'LONG_VISIT_PRISONER_BUSY',
      'LONG_VISIT_OUTSIDE_WINDOW',
      'LONG_VISIT_TOO_LONG',
      'LONG_VISIT_TOO_MANY_VISITORS',
      'LONG_VISIT_ENTITLEMENT_USED',
      'VISIT_ROOM_TOO_SMALL',
      'PRISONER_NOT_HELD',
      'POLICY_MISSING',
      'ILLEGAL_TRANSITION',
      'DEPOSIT_TOO_LARGE',
      'PAYMENT_PROVIDER_UNAVAILABLE',
      'IDEMPOTENCY_IN_FLIGHT',
      'IDEMPOTENCY_KEY_REUSED',
      'CONCURRENT_UPDATE',
      'SERVICE_UNAVAILABLE',
      'DATABASE_UNAVAILABLE',
      'PAYLOAD_TOO_LARGE',
      'UNSUPPORTED_MEDIA_TYPE',
    ];
    expect(codes.filter((c) => !Object.keys(en).includes(`error.${c}`))).toEqual([]);
  });

  it('names every document kind the policies ask for', () => {
    for (const doc of ['identity-document', 'proof-of-relationship', 'aids-centre-certificate']) {
      expect(Object.keys(en)).toContain(`doc.${doc}`);
    }
  });
});

describe('language negotiation', () => {
  it('takes the chosen language, else the best the browser accepts, else English', () => {
    expect(negotiate('kk', 'ru')).toBe('kk');
    expect(negotiate(undefined, 'ru-RU,ru;q=0.9')).toBe('ru');
    expect(negotiate(undefined, 'de, kk;q=0.3, ru;q=0.2')).toBe('kk');
    expect(negotiate(undefined, 'de;q=1, ru;q=0')).toBe('en');
    expect(negotiate('xx', undefined)).toBe('en');
  });

  it('fills placeholders', () => {
    expect(translate('ru', 'book.with', { name: 'Серик' })).toBe('Осуждённый: Серик');
  });
});
