import { createPrivateKey, createPublicKey, generateKeyPairSync, KeyObject } from 'node:crypto';

/** The service's Ed25519 key pair, which signs audit checkpoints. */
export interface SigningKeys {
  privateKey: KeyObject;
  publicKey: KeyObject;
}

/**
 * Reads an Ed25519 private key as configuration gives it: PEM (PKCS#8; newlines may be written
 * `\n`, as one-line environment files need) or the base64 of its DER encoding. Throws a message
 * fit for the operator when it is not one.
 */
export function readSigningKey(text: string): SigningKeys {
  const t = text.trim();
  let privateKey: KeyObject;
  try {
    privateKey = t.startsWith('-----BEGIN')
      ? createPrivateKey({ key: t.replace(/\\n/g, '\n'), format: 'pem' })
      : createPrivateKey({ key: Buffer.from(t, 'base64'), format: 'der', type: 'pkcs8' });
  } catch {
    throw new Error('not a PKCS#8 private key (PEM, or base64 DER)');
  }
  if (privateKey.asymmetricKeyType !== 'ed25519') {
    throw new Error(`an ${privateKey.asymmetricKeyType ?? 'unknown'} key, not Ed25519`);
  }
  return { privateKey, publicKey: createPublicKey(privateKey) };
}

/** A new key pair, and its private key as PEM to keep. */
export function newSigningKey(): SigningKeys & { pem: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return {
    privateKey,
    publicKey,
    pem: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
  };
}
