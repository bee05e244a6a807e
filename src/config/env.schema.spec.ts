import { loadEnv } from './env.schema';

describe('environment schema', () => {
  it('applies defaults', () => {
    const env = loadEnv({});
    expect(env).toMatchObject({
      PORT: 3000,
      HOST: '127.0.0.1',
      ADMIN_USERNAME: 'admin',
      LOG_LEVEL: 'info',
    });
    expect(env.DATABASE_URL).toBeUndefined();
    expect(env.SEED_DEMO).toBeUndefined();
  });

  it('converts numbers and booleans', () => {
    const env = loadEnv({ PORT: '8080', SEED_DEMO: 'false', JWT_TTL_SECONDS: '600' });
    expect(env.PORT).toBe(8080);
    expect(env.SEED_DEMO).toBe(false);
    expect(env.JWT_TTL_SECONDS).toBe(600);
  });

  it.each([
    ['PORT', '70000'],
    ['PORT', '3.5'],
    ['SEED_DEMO', 'maybe'],
    ['DATABASE_URL', 'http://db'],
    ['JWT_SECRET', 'too-short'],
    ['ADMIN_PASSWORD', 'short'],
    ['ADMIN_USERNAME', 'Has Spaces'],
    ['LOG_LEVEL', 'verbose'],
    ['BODY_LIMIT_BYTES', '10'],
  ])('refuses %s=%s, naming it', (name, value) => {
    expect(() => loadEnv({ [name]: value })).toThrow(new RegExp(`- ${name}:`));
  });

  it('requires a JWT secret in production', () => {
    expect(() => loadEnv({ NODE_ENV: 'production' })).toThrow(/JWT_SECRET/);
  });

  it('treats empty values as unset', () => {
    expect(loadEnv({ DATABASE_URL: '', JWT_SECRET: '' }).DATABASE_URL).toBeUndefined();
  });
});
