import { IsIn } from 'class-validator';
import { TERMINAL_KINDS, TerminalKind } from '../../../common/auth/roles';
import { IsText } from '../../../common/http/validators';
import { TerminalEntity } from '../entities/terminal.entity';

export class CreateTerminalDto {
  @IsIn(TERMINAL_KINDS)
  kind: TerminalKind;

  /** Where it stands, e.g. "Parcel counter 2, gate B". */
  @IsText(200)
  name: string;
}

export class TerminalDto {
  id: string;
  facilityId: string;
  kind: TerminalKind;
  name: string;
  /** The non-secret start of the key, to tell keys apart. */
  keyPrefix: string;
  createdAt: string;
  revokedAt: string | null;
  lastUsedAt: string | null;

  static from(t: TerminalEntity): TerminalDto {
    return {
      id: t.id,
      facilityId: t.facilityId,
      kind: t.kind,
      name: t.name,
      keyPrefix: t.keyPrefix,
      createdAt: t.createdAt.toISOString(),
      revokedAt: t.revokedAt?.toISOString() ?? null,
      lastUsedAt: t.lastUsedAt?.toISOString() ?? null,
    };
  }
}

export class IssuedTerminalDto extends TerminalDto {
  /** The key, shown this once: send it as `X-Api-Key`. Only its hash is stored. */
  apiKey: string;
}

export class TerminalSelfDto {
  id: string;
  kind: TerminalKind;
  facilityId: string;
}
