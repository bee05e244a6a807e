import { Injectable } from '@nestjs/common';
import { RelativePrincipal } from '../../common/auth/principal';
import { isUniqueViolation } from '../../common/database/pg-errors';
import { UnitOfWork } from '../../common/database/unit-of-work';
import { DomainError, NotFoundError } from '../../common/errors/domain-error';
import { Clock } from '../../common/time/clock';
import { AuditService } from '../audit/audit.service';
import { RegisterRelativeDto, RelativeDto, RelativeLoginDto } from './dto/relative.dto';
import { AccessTokenDto } from './dto/staff.dto';
import { PasswordHasher } from './password-hasher';
import { RelativesRepository } from './relatives.repository';
import { SignInGuardService } from './sign-in-guard.service';
import { TokenService } from './token.service';

/** Relatives' own accounts: registration, sign-in, and who a relative's token stands for. */
@Injectable()
export class RelativeAccountsService {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly relatives: RelativesRepository,
    private readonly hasher: PasswordHasher,
    private readonly tokens: TokenService,
    private readonly signIn: SignInGuardService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  /** `address`: the client's address, which the new account may then sign in from. */
  async register(dto: RegisterRelativeDto, address: string | undefined): Promise<RelativeDto> {
    const passwordHash = await this.hasher.hash(dto.password);
    try {
      const r = await this.uow.run(async () => {
        const created = await this.relatives.insert({
          email: dto.email,
          passwordHash,
          fullName: dto.fullName,
          phone: dto.phone,
          createdAt: this.clock.now(),
        });
        await this.signIn.accountCreated('relative', dto.email, address);
        this.audit.record({
          action: 'relative.register',
          targetType: 'relative',
          targetId: created.id,
          facilityId: null,
          summary: { fullName: created.fullName },
        });
        return created;
      });
      return RelativeDto.from(r);
    } catch (err) {
      if (isUniqueViolation(err, 'relatives_email_key')) {
        throw new DomainError('EMAIL_TAKEN', 'An account with this email exists', [
          { field: 'email', message: 'taken' },
        ]);
      }
      throw err;
    }
  }

  /** `address`: the client's address, which failures are counted under. */
  async login(dto: RelativeLoginDto, address: string | undefined): Promise<AccessTokenDto> {
    const attempt = this.signIn.attempt('relative', dto.email, address);
    await this.signIn.admit(attempt);
    const r = await this.relatives.findForLogin(dto.email);
    const ok = await this.hasher.verify(r?.passwordHash, dto.password);
    if (!r || !ok || !r.active) return this.signIn.fail();
    await this.signIn.succeeded(attempt);
    return this.tokens.issue('relative', r.id);
  }

  async me(p: RelativePrincipal): Promise<RelativeDto> {
    const r = await this.relatives.findById(p.id);
    if (!r) throw new NotFoundError('Relative');
    return RelativeDto.from(r);
  }

  /** The phone number the relative registered with (E.164), for modules that check it. */
  async phoneOf(p: RelativePrincipal): Promise<string> {
    const r = await this.relatives.findById(p.id);
    if (!r) throw new NotFoundError('Relative');
    return r.phone;
  }

  async principal(id: string): Promise<RelativePrincipal | null> {
    return (await this.relatives.isActive(id)) ? { kind: 'relative', id } : null;
  }
}
