import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Principal } from '../../common/auth/principal';
import { UnitOfWork } from '../../common/database/unit-of-work';
import { DomainError, NotFoundError } from '../../common/errors/domain-error';
import { Clock } from '../../common/time/clock';
import { AccessService } from '../access/access.service';
import { AuditRepository } from './audit.repository';
import { AuditService } from './audit.service';
import { AuditSigner } from './audit-signer';
import { CheckpointRepository } from './checkpoint.repository';
import { baseChain, NATIONAL_CHAIN } from './domain/audit-chain';
import {
  authenticityFault,
  ChainAgainstHeads,
  firstDivergence,
  parseCheckpoint,
  signCheckpoint,
  SignedCheckpoint,
} from './domain/checkpoint';
import { ConsistencyDto, DivergenceDto, PublicKeyDto } from './dto/checkpoint.dto';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const facilityOf = (chainKey: string): string | null =>
  chainKey === NATIONAL_CHAIN ? null : baseChain(chainKey);

/**
 * Signed checkpoints of the trail, and the proof that the trail still contains an earlier one.
 * A scoped auditor's checkpoints and checks cover their facilities' chains only.
 */
@Injectable()
export class CheckpointService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly audit: AuditRepository,
    private readonly checkpoints: CheckpointRepository,
    private readonly signer: AuditSigner,
    private readonly access: AccessService,
    private readonly clock: Clock,
    private readonly trail: AuditService,
  ) {}

  publicKey(): PublicKeyDto {
    return {
      algorithm: 'Ed25519',
      keyId: this.signer.keyId,
      publicKeyPem: this.signer.publicKeyPem,
    };
  }

  /**
   * Signs every chain's length and head hash as of now (the caller's chains; every chain for the
   * schedule, `actor` null) and keeps the checkpoint. The heads are read in one statement: a
   * head and its chain's events commit together, so each head names events that exist.
   */
  async take(actor: Principal | null): Promise<SignedCheckpoint> {
    const id = randomUUID();
    // one asked for is an audit event, committed first, so the checkpoint covers its own taking
    // (the schedule's are the system's own: kept in audit_checkpoints, taken_by null)
    if (actor)
      await this.uow.run(async () =>
        this.trail.record({
          action: 'audit.checkpoint',
          targetType: 'audit-checkpoint',
          targetId: id,
          facilityId: null,
          summary: { scope: this.access.isNational(actor) ? 'national' : 'facilities' },
          actor,
        }),
      );
    return this.uow.run(async () => {
      const heads = (await this.audit.chainKeys()).filter(
        (h) => actor === null || this.access.inFacility(actor, baseChain(h.chainKey)),
      );
      const cp = signCheckpoint(
        {
          id,
          takenAt: this.clock.now(),
          chains: heads.map((h) => ({
            chainKey: h.chainKey,
            length: h.lastSeq,
            headHash: h.lastHash,
          })),
        },
        this.signer.privateKey,
        this.signer.publicKey,
      );
      await this.checkpoints.insert(cp, actor?.id ?? null);
      return cp;
    });
  }

  /**
   * Whether the trail still contains an earlier checkpoint: each of its chains (in the caller's
   * scope) is walked from its first event to the checkpoint's length, every hash recomputed, and
   * must end at the checkpoint's head. In one snapshot, as verification.
   */
  async consistency(actor: Principal, from: string): Promise<ConsistencyDto> {
    const cp = await this.checkpointFrom(from);
    const chains = cp.chains.filter((c) => this.access.inFacility(actor, baseChain(c.chainKey)));
    if (chains.length === 0 && cp.chains.length > 0) throw new NotFoundError('Checkpoint');
    return this.uow.snapshot(async () => {
      const verdicts = [];
      let eventsChecked = 0;
      for (const head of chains) {
        const walk = new ChainAgainstHeads(head.chainKey, [{ tag: 0, head }]);
        for await (const e of this.audit.chain(head.chainKey, { upTo: head.length })) walk.push(e);
        verdicts.push(walk.finish().get(0) ?? null);
        eventsChecked += walk.eventsChecked;
      }
      const first = firstDivergence(verdicts);
      return {
        ok: first === null,
        checkpointId: cp.id,
        checkpointTakenAt: cp.takenAt,
        chainsChecked: chains.length,
        eventsChecked,
        firstDivergence: first && DivergenceDto.from(first, facilityOf(first.chainKey)),
      };
    });
  }

  /** A kept checkpoint by id, or one given whole; either way, only one this key signed. */
  private async checkpointFrom(from: string): Promise<SignedCheckpoint> {
    let cp: SignedCheckpoint;
    if (UUID.test(from.trim())) {
      const found = await this.checkpoints.find(from.trim().toLowerCase());
      if (!found) throw new NotFoundError('Checkpoint');
      cp = found;
    } else {
      let json: unknown;
      try {
        json = JSON.parse(from);
      } catch {
        json = undefined;
      }
      const read = parseCheckpoint(json);
      if ('fault' in read) {
        throw new DomainError(
          'VALIDATION_FAILED',
          'from is neither a checkpoint id nor a checkpoint',
          [{ field: 'from', message: json === undefined ? 'not a UUID nor JSON' : read.fault }],
        );
      }
      cp = read.checkpoint;
    }
    const fault = authenticityFault(cp, this.signer.publicKey);
    if (fault)
      throw new DomainError('CHECKPOINT_NOT_AUTHENTIC', `The checkpoint is refused: ${fault}`);
    return cp;
  }
}
