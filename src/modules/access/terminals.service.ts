import { Injectable, Logger } from '@nestjs/common';
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { canAccessFacility, StaffPrincipal, TerminalPrincipal } from '../../common/auth/principal';
import { UnitOfWork } from '../../common/database/unit-of-work';
import { NotFoundError } from '../../common/errors/domain-error';
import { Clock } from '../../common/time/clock';
import { AuditService } from '../audit/audit.service';
import { FacilitiesService } from '../facilities/facilities.service';
import { CreateTerminalDto, IssuedTerminalDto, TerminalDto } from './dto/terminal.dto';
import { TerminalsRepository } from './terminals.repository';

const KEY = /^pst_([a-z0-9]{12})_([A-Za-z0-9_-]{43})$/;
const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

function sha256(s: string): Buffer {
  return createHash('sha256').update(s, 'utf8').digest();
}

/** Terminal API keys: `pst_<12-char prefix>_<32 random bytes, base64url>`. */
export function newApiKey(): { apiKey: string; prefix: string } {
  const prefix = [...randomBytes(12)].map((b) => ALPHABET[b % ALPHABET.length]).join('');
  return { apiKey: `pst_${prefix}_${randomBytes(32).toString('base64url')}`, prefix };
}

@Injectable()
export class TerminalsService {
  private readonly logger = new Logger(TerminalsService.name);

  constructor(
    private readonly uow: UnitOfWork,
    private readonly terminals: TerminalsRepository,
    private readonly facilities: FacilitiesService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async issue(
    facilityId: string,
    dto: CreateTerminalDto,
    actor: StaffPrincipal,
  ): Promise<IssuedTerminalDto> {
    await this.facilities.require(facilityId, actor);
    const { apiKey, prefix } = newApiKey();
    const t = await this.uow.run(async () => {
      const created = await this.terminals.insert({
        facilityId,
        kind: dto.kind,
        name: dto.name,
        keyPrefix: prefix,
        keyHash: sha256(apiKey).toString('hex'),
        createdBy: actor.id,
      });
      this.audit.record({
        action: 'terminal.issue',
        targetType: 'terminal',
        targetId: created.id,
        facilityId,
        summary: { kind: dto.kind, name: dto.name, keyPrefix: prefix },
        actor,
      });
      return created;
    });
    return { ...TerminalDto.from(t), apiKey };
  }

  /** Revokes at once (every request checks the key against the database). Idempotent. */
  async revoke(id: string, actor: StaffPrincipal): Promise<void> {
    await this.uow.run(async () => {
      const t = await this.terminals.findByIdForUpdate(id);
      if (!t || !canAccessFacility(actor, t.facilityId)) throw new NotFoundError('Terminal');
      const already = t.revokedAt;
      if (!already) await this.terminals.markRevoked(t, actor.id, this.clock.now());
      // a repeated revocation changes nothing, but who tried it is kept too
      this.audit.record({
        action: already ? 'terminal.revoke-repeat' : 'terminal.revoke',
        targetType: 'terminal',
        targetId: t.id,
        facilityId: t.facilityId,
        summary: { kind: t.kind, name: t.name, keyPrefix: t.keyPrefix },
        actor,
      });
    });
  }

  async list(facilityId: string, actor: StaffPrincipal): Promise<TerminalDto[]> {
    await this.facilities.require(facilityId, actor);
    return (await this.terminals.listByFacility(facilityId)).map(TerminalDto.from);
  }

  /** The terminal an `X-Api-Key` belongs to, or null (malformed, unknown, wrong or revoked). */
  async authenticate(apiKey: string): Promise<TerminalPrincipal | null> {
    const m = KEY.exec(apiKey);
    if (!m) return null;
    const row = await this.terminals.findForAuth(m[1]);
    if (!row || row.revoked_at) return null;
    if (!timingSafeEqual(Buffer.from(row.key_hash, 'hex'), sha256(apiKey))) return null;
    if (row.stale) {
      // at most once a minute per terminal, off the request's critical path
      this.terminals
        .touch(row.id)
        .catch((err: unknown) => this.logger.warn({ err }, 'last_used_at not recorded'));
    }
    return { kind: 'terminal', id: row.id, terminalKind: row.kind, facilityId: row.facility_id };
  }
}
