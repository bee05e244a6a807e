import { Injectable } from '@nestjs/common';
import { UnitOfWork } from '../../common/database/unit-of-work';
import { CheckpointHead, CHECKPOINT_VERSION, SignedCheckpoint } from './domain/checkpoint';

interface CheckpointRow {
  id: string;
  taken_at: Date;
  chains: CheckpointHead[];
  root_hash: string;
  key_id: string;
  signature: string;
}

/** The checkpoints the service signed (append-only: the database refuses UPDATE and DELETE). */
@Injectable()
export class CheckpointRepository {
  constructor(private readonly uow: UnitOfWork) {}

  /** Keeps a signed checkpoint; `takenBy` null = taken on the service's own schedule. */
  async insert(cp: SignedCheckpoint, takenBy: string | null): Promise<void> {
    await this.uow.query(
      `INSERT INTO audit_checkpoints (id, taken_at, taken_by, chains, root_hash, key_id, signature)
       VALUES ($1, $2, $3, $4::jsonb, $5, $6, $7)`,
      [cp.id, cp.takenAt, takenBy, JSON.stringify(cp.chains), cp.rootHash, cp.keyId, cp.signature],
    );
  }

  async find(id: string): Promise<SignedCheckpoint | null> {
    const [r] = await this.uow.query<CheckpointRow>(
      `SELECT id, taken_at, chains, root_hash, key_id, signature FROM audit_checkpoints WHERE id = $1`,
      [id],
    );
    if (!r) return null;
    return {
      version: CHECKPOINT_VERSION,
      algorithm: 'Ed25519',
      id: r.id,
      takenAt: r.taken_at.toISOString(),
      chains: r.chains,
      rootHash: r.root_hash,
      keyId: r.key_id,
      signature: r.signature,
    };
  }

  /** When the service last took one on its schedule (any instance), if ever. */
  async lastScheduled(): Promise<Date | null> {
    const [r] = await this.uow.query<{ at: Date | null }>(
      `SELECT max(taken_at) AS at FROM audit_checkpoints WHERE taken_by IS NULL`,
    );
    return r.at;
  }
}
