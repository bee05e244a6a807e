import { Injectable, Logger } from '@nestjs/common';
import { KeyObject } from 'node:crypto';
import { Env } from '../../config/env.schema';
import { newSigningKey, readSigningKey } from '../../config/signing-key';
import { keyIdOf } from './domain/checkpoint';

/** The service's Ed25519 key pair for checkpoints (AUDIT_SIGNING_KEY), read once at start. */
@Injectable()
export class AuditSigner {
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  readonly keyId: string;
  readonly publicKeyPem: string;

  constructor(env: Env) {
    if (env.AUDIT_SIGNING_KEY) {
      ({ privateKey: this.privateKey, publicKey: this.publicKey } = readSigningKey(
        env.AUDIT_SIGNING_KEY,
      ));
    } else {
      ({ privateKey: this.privateKey, publicKey: this.publicKey } = newSigningKey());
      new Logger(AuditSigner.name).warn(
        'AUDIT_SIGNING_KEY not set: checkpoints are signed with a key made for this run',
      );
    }
    this.keyId = keyIdOf(this.publicKey);
    this.publicKeyPem = this.publicKey.export({ type: 'spki', format: 'pem' }) as string;
  }
}
