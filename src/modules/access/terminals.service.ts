import { Injectable, Logger } from '@nestjs/common';
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { StaffPrincipal, TerminalPrincipal } from '../../common/auth/principal';
import { ChangeNotifier } from '../../common/database/change-notifier';
import { UnitOfWork } from '../../common/database/unit-of-work';
import { NotFoundError } from '../../common/errors/domain-error';
import { Clock } from '../../common/time/clock';
import { AuditService } from '../audit/audit.service';
import { FacilitiesService } from '../facilities/facilities.service';
import { AccessService } from './access.service';
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

interface CachedKey {
  principal: TerminalPrincipal;
  keyHash: Buffer;
  /** The key last seen to match the hash: the next requests compare to it without hashing. */
  verified?: Buffer;
  expires: number;
  touched: number;
}

// A key is checked against the database at most this often per instance; a revocation reaches
// every instance at once through NOTIFY, and this bounds the damage should one be lost.
const KEY_CACHE_MS = 60_000;
const TOUCH_MS = 60_000;

@Injectable()
export class TerminalsService {
  private readonly logger = new Logger(TerminalsService.name);
  private readonly keys = new Map<string, CachedKey>();

  constructor(
    private readonly uow: UnitOfWork,
    private readonly terminals: TerminalsRepository,
    private readonly facilities: FacilitiesService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly access: AccessService,
    notifier: ChangeNotifier,
  ) {
    notifier.on('terminal_changed', (prefix) => this.keys.delete(prefix));
    notifier.onResync(() => this.keys.clear());
  }

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
        createdAt: this.clock.now(),
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

  /**
   * Revokes at once: this instance forgets the key now, the others on the NOTIFY the database sends
   * (keys are cached for a minute at most should one be lost). Idempotent.
   */
  async revoke(id: string, actor: StaffPrincipal): Promise<void> {
    await this.uow.run(async () => {
      const t = await this.terminals.findByIdForUpdate(id);
      if (!t) throw new NotFoundError('Terminal');
      await this.access.requireHeld(actor, 'terminal', t);
      this.keys.delete(t.keyPrefix);
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

  /** A terminal not revoked: its kind and facility (for modules that schedule terminals), or null. */
  async find(id: string): Promise<{ id: string; kind: string; facilityId: string } | null> {
    const t = await this.terminals.findById(id);
    return t && !t.revokedAt ? { id: t.id, kind: t.kind, facilityId: t.facilityId } : null;
  }

  /** The terminal an `X-Api-Key` belongs to, or null (malformed, unknown, wrong or revoked). */
  async authenticate(apiKey: string): Promise<TerminalPrincipal | null> {
    const m = KEY.exec(apiKey);
    if (!m) return null;
    const prefix = m[1];
    const at = this.clock.now();
    const now = at.getTime();
    let entry = this.keys.get(prefix);
    if (!entry || entry.expires <= now) {
      this.keys.delete(prefix);
      const row = await this.terminals.findForAuth(prefix, at);
      if (!row || row.revoked_at) return null;
      entry = {
        principal: {
          kind: 'terminal',
          id: row.id,
          terminalKind: row.kind,
          facilityId: row.facility_id,
        },
        keyHash: Buffer.from(row.key_hash, 'hex'),
        expires: now + KEY_CACHE_MS,
        touched: row.stale ? 0 : now,
      };
      this.keys.set(prefix, entry);
    }
    const presented = Buffer.from(apiKey, 'utf8');
    const sameAsVerified =
      entry.verified !== undefined &&
      entry.verified.length === presented.length &&
      timingSafeEqual(entry.verified, presented);
    if (!sameAsVerified) {
      if (!timingSafeEqual(entry.keyHash, sha256(apiKey))) return null;
      entry.verified = presented;
    }
    if (now - entry.touched >= TOUCH_MS) {
      entry.touched = now;
      // at most once a minute per terminal and instance, off the request's critical path
      this.terminals
        .touch(entry.principal.id, at)
        .catch((err: unknown) =>
          this.logger.warn({ err: (err as Error).message }, 'last_used_at not recorded'),
        );
    }
    return entry.principal;
  }
}
