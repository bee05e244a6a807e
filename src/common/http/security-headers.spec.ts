import helmet from 'helmet';
import { API_SECURITY, securityHeaders } from './security-headers';

describe('securityHeaders', () => {
  it('are the headers helmet itself sets for the same options', () => {
    const set: Record<string, string> = {};
    const res = {
      setHeader: (k: string, v: unknown) => (set[k.toLowerCase()] = String(v)),
      removeHeader: (k: string) => delete set[k.toLowerCase()],
    };
    helmet(API_SECURITY)({} as never, res as never, () => undefined);
    expect(securityHeaders(API_SECURITY)).toEqual(set);
    expect(set['x-content-type-options']).toBe('nosniff');
    expect(set['content-security-policy']).toContain(`default-src 'self'`);
  });

  it('cannot be changed once reckoned', () => {
    const h = securityHeaders(API_SECURITY) as Record<string, string>;
    expect(() => (h['x-frame-options'] = 'ALLOW')).toThrow();
  });
});
