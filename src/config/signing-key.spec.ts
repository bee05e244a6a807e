import { generateKeyPairSync } from 'node:crypto';
import { loadEnv } from './env.schema';
import { newSigningKey, readSigningKey } from './signing-key';

describe('the checkpoint signing key from configuration', () => {
  const { pem, publicKey } = newSigningKey();
  const spki = (k: { export(o: object): unknown }) =>
    (k.export({ type: 'spki', format: 'der' }) as Buffer).toString('hex');

  it('is read from PEM, from PEM written on one line, and from base64 DER, as the same key', () => {
    const der = readSigningKey(pem).privateKey.export({ type: 'pkcs8', format: 'der' }) as Buffer;
    for (const text of [pem, pem.replace(/\n/g, '\\n'), der.toString('base64'), `  ${pem}  `]) {
      expect(spki(readSigningKey(text).publicKey)).toBe(spki(publicKey));
    }
  });

  it('refuses what is not a private key, and keys that are not Ed25519', () => {
    expect(() => readSigningKey('not a key')).toThrow(/not a PKCS#8 private key/);
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({
      type: 'pkcs8',
      format: 'pem',
    }) as string;
    expect(() => readSigningKey(rsa)).toThrow(/rsa key, not Ed25519/);
  });

  it('is checked at boot, naming the variable, and required in production', () => {
    expect(() => loadEnv({ AUDIT_SIGNING_KEY: 'nonsense' })).toThrow(/- AUDIT_SIGNING_KEY: not a/);
    expect(loadEnv({ AUDIT_SIGNING_KEY: pem }).AUDIT_SIGNING_KEY).toBe(pem);
    expect(() => loadEnv({ NODE_ENV: 'production' })).toThrow(/AUDIT_SIGNING_KEY: required/);
  });

  it('is taken on a schedule every hour by default; 0 turns it off', () => {
    expect(loadEnv({}).AUDIT_CHECKPOINT_SECONDS).toBe(3600);
    expect(loadEnv({ AUDIT_CHECKPOINT_SECONDS: '0' }).AUDIT_CHECKPOINT_SECONDS).toBe(0);
    expect(() => loadEnv({ AUDIT_CHECKPOINT_SECONDS: '-1' })).toThrow(/AUDIT_CHECKPOINT_SECONDS/);
  });
});
