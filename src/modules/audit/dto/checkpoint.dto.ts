import { ApiProperty } from '@nestjs/swagger';
import { IsInt, IsString, Max, MaxLength, Min, MinLength } from 'class-validator';
import { IsId, Omittable, QueryInt } from '../../../common/http/validators';
import { CHECKPOINT_VERSION, Divergence, SignedCheckpoint } from '../domain/checkpoint';

export class CheckpointChainDto {
  /** The chain: `national`, a facility id, or a facility's lane `<facility id>#<n>`. */
  chainKey: string;
  /** How many events the chain held. */
  length: number;
  /** The hash of its last event (64 zeros for an empty chain). */
  @ApiProperty({ pattern: '^[0-9a-f]{64}$' })
  headHash: string;
}

/**
 * A signed statement of the audit trail at one moment. Keep it as it is (one JSON file): the
 * signature covers `version`, `id`, `takenAt`, `chains`, `rootHash` and `keyId`, in canonical JSON
 * (keys sorted at every depth, no spaces).
 */
export class CheckpointDto {
  @ApiProperty({ enum: [CHECKPOINT_VERSION] })
  version: string;
  @ApiProperty({ format: 'uuid' })
  id: string;
  takenAt: string;
  /** Every chain in the caller's scope, in chain key order. */
  chains: CheckpointChainDto[];
  /** SHA-256 (hex) of the canonical JSON of `[[chainKey, length, headHash], …]` in that order. */
  @ApiProperty({ pattern: '^[0-9a-f]{64}$' })
  rootHash: string;
  /** The signing key's id: the first 32 hex digits of the SHA-256 of its DER (SPKI) encoding. */
  keyId: string;
  @ApiProperty({ enum: ['Ed25519'] })
  algorithm: string;
  /** Ed25519 signature of the statement's canonical JSON, base64. */
  signature: string;

  static from(cp: SignedCheckpoint): CheckpointDto {
    return { ...cp, chains: cp.chains.map((c) => ({ ...c })) };
  }
}

export class PublicKeyDto {
  @ApiProperty({ enum: ['Ed25519'] })
  algorithm: string;
  keyId: string;
  /** The public key, SPKI PEM: what the verifier's `--public-key` takes (this JSON too). */
  publicKeyPem: string;
}

export class ConsistencyQueryDto {
  /**
   * An earlier checkpoint: its id, or the checkpoint itself as `/audit/checkpoint` answered it
   * (its JSON, URL-encoded).
   */
  @IsString()
  @MinLength(1)
  @MaxLength(200_000)
  from: string;
}

export class CheckpointHeadDto {
  length: number;
  @ApiProperty({ pattern: '^[0-9a-f]{64}$' })
  headHash: string;
}

export class DivergenceDto {
  chainKey: string;
  /** null = the national chain. */
  facilityId: string | null;
  /**
   * The first position where the chain differs from the checkpoint's history: an event that no
   * longer verifies or is missing, or else the checkpoint's head (every event verifies, but the
   * chain no longer passes through that head: rewritten at or before it, and rehashed since).
   */
  position: number;
  @ApiProperty({ enum: ['event-does-not-verify', 'events-missing', 'head-differs'] })
  reason: string;
  /** What the checkpoint stated of this chain. */
  expected: CheckpointHeadDto;
  /** The hash at the checkpoint's length now, if the chain still reaches it. */
  @ApiProperty({ type: String, nullable: true, pattern: '^[0-9a-f]{64}$' })
  foundHash: string | null;

  static from(d: Divergence, facilityId: string | null): DivergenceDto {
    return { ...d, facilityId };
  }
}

export class ConsistencyDto {
  /** Every chain of the checkpoint (within the caller's scope) still passes through its head. */
  ok: boolean;
  checkpointId: string;
  checkpointTakenAt: string;
  chainsChecked: number;
  eventsChecked: number;
  @ApiProperty({ type: DivergenceDto, nullable: true })
  firstDivergence: DivergenceDto | null;
}

export class AuditExportQueryDto {
  /** One facility's chains (all its lanes); default: every chain in the caller's scope. */
  @Omittable()
  @IsId()
  facilityId?: string;

  /** The first position exported on every chain (1, the default: from each chain's start). */
  @ApiProperty({ required: false, minimum: 1, default: 1 })
  @Omittable()
  @QueryInt()
  @IsInt()
  @Min(1)
  @Max(Number.MAX_SAFE_INTEGER)
  fromSeq?: number;
}
