import { Injectable } from '@nestjs/common';
import { StaffPrincipal } from '../../common/auth/principal';
import { AccessTokenDto, StaffLoginDto } from './dto/staff.dto';
import { PasswordHasher } from './password-hasher';
import { SignInGuardService } from './sign-in-guard.service';
import { StaffRepository } from './staff.repository';
import { TokenService } from './token.service';

/** Staff sign-in, and who a staff token stands for. */
@Injectable()
export class StaffAuthService {
  constructor(
    private readonly staff: StaffRepository,
    private readonly hasher: PasswordHasher,
    private readonly tokens: TokenService,
    private readonly signIn: SignInGuardService,
  ) {}

  /** `address`: the client's address, which failures are counted under. */
  async login(dto: StaffLoginDto, address: string | undefined): Promise<AccessTokenDto> {
    const username = dto.username.trim().toLowerCase();
    const attempt = this.signIn.attempt('staff', username, address);
    await this.signIn.admit(attempt);
    const account = await this.staff.findForLogin(username);
    const ok = await this.hasher.verify(account?.passwordHash, dto.password);
    if (!account || !ok || !account.active) return this.signIn.fail();
    await this.signIn.succeeded(attempt);
    return this.tokens.issue('staff', account.id);
  }

  /**
   * Roles and scope are read fresh from the database on every request, so a disabled account or
   * a narrowed scope takes effect at once.
   */
  async principal(id: string): Promise<StaffPrincipal | null> {
    const s = await this.staff.findAuthState(id);
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
