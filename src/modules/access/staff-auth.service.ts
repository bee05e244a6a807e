import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { Env } from '../../config/env.schema';
import { DomainError } from '../../common/errors/domain-error';
import { StaffPrincipal } from '../../common/auth/principal';
import { AccessTokenDto, StaffLoginDto } from './dto/staff.dto';
import { PasswordHasher } from './password-hasher';
import { StaffRepository } from './staff.repository';

const ISSUER = 'prisoner-services';
const STAFF_AUDIENCE = 'staff';

interface StaffClaims {
  sub: string;
  typ: 'staff';
}

/** Staff sign-in and the check of their bearer tokens. */
@Injectable()
export class StaffAuthService {
  constructor(
    private readonly jwt: JwtService,
    private readonly staff: StaffRepository,
    private readonly hasher: PasswordHasher,
    private readonly env: Env,
  ) {}

  async login(dto: StaffLoginDto): Promise<AccessTokenDto> {
    const account = await this.staff.findForLogin(dto.username.trim().toLowerCase());
    const ok = await this.hasher.verify(account?.passwordHash, dto.password);
    if (!account || !ok || !account.active) {
      throw new DomainError('INVALID_CREDENTIALS', 'Unknown username or wrong password');
    }
    const claims: StaffClaims = { sub: account.id, typ: 'staff' };
    const accessToken = await this.jwt.signAsync(claims, {
      issuer: ISSUER,
      audience: STAFF_AUDIENCE,
      expiresIn: this.env.JWT_TTL_SECONDS,
    });
    return { accessToken, expiresIn: this.env.JWT_TTL_SECONDS, tokenType: 'Bearer' };
  }

  /**
   * The principal behind a bearer token, or null. Roles and scope are read fresh from the
   * database, so a disabled account or a narrowed scope takes effect at once.
   */
  async authenticate(token: string): Promise<StaffPrincipal | null> {
    let claims: StaffClaims;
    try {
      claims = await this.jwt.verifyAsync<StaffClaims>(token, {
        issuer: ISSUER,
        audience: STAFF_AUDIENCE,
        algorithms: ['HS256'],
      });
    } catch {
      return null;
    }
    if (
      claims.typ !== 'staff' ||
      typeof claims.sub !== 'string' ||
      !/^[0-9a-f-]{36}$/i.test(claims.sub)
    )
      return null;
    const s = await this.staff.findAuthState(claims.sub);
    if (!s || !s.active) return null;
    return {
      kind: 'staff',
      id: s.id,
      username: s.username,
      roles: new Set(s.roles),
      facilityIds: s.facilityIds.length === 0 ? null : new Set(s.facilityIds),
    };
  }
}
