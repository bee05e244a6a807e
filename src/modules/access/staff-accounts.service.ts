import { Injectable, Logger } from '@nestjs/common';
import { judgePassword } from '../../common/auth/password-strength';
import { STAFF_ROLES } from '../../common/auth/roles';
import { StaffPrincipal } from '../../common/auth/principal';
import { isUniqueViolation } from '../../common/database/pg-errors';
import { UnitOfWork } from '../../common/database/unit-of-work';
import { DomainError } from '../../common/errors/domain-error';
import { ConfigError } from '../../config/env.schema';
import { FacilitiesService } from '../facilities/facilities.service';
import { assertCanGrantScope } from './domain/staff.rules';
import { CreateStaffDto, StaffDto } from './dto/staff.dto';
import { PasswordHasher } from './password-hasher';
import { StaffRepository } from './staff.repository';
import { Clock } from '../../common/time/clock';
import { AuditService } from '../audit/audit.service';
import { SignInGuardService } from './sign-in-guard.service';

const FIRST_ADMIN_LOCK = 71_512_027;

@Injectable()
export class StaffAccountsService {
  private readonly logger = new Logger(StaffAccountsService.name);

  constructor(
    private readonly uow: UnitOfWork,
    private readonly staff: StaffRepository,
    private readonly hasher: PasswordHasher,
    private readonly facilities: FacilitiesService,
    private readonly audit: AuditService,
    private readonly signIn: SignInGuardService,
    private readonly clock: Clock,
  ) {}

  async create(dto: CreateStaffDto, actor: StaffPrincipal): Promise<StaffDto> {
    assertCanGrantScope(actor, dto.facilityIds);
    const missing = await this.facilities.missing(dto.facilityIds);
    if (missing.length > 0) {
      throw new DomainError('UNKNOWN_FACILITY', 'Some facilities do not exist', [
        { field: 'facilityIds', message: `unknown: ${missing.join(', ')}` },
      ]);
    }
    const passwordHash = await this.hasher.hash(dto.password);
    try {
      const created = await this.uow.run(async () => {
        const s = await this.staff.insert(
          {
            username: dto.username,
            passwordHash,
            fullName: dto.fullName,
            roles: dto.roles,
            createdBy: actor.id,
            createdAt: this.clock.now(),
          },
          dto.facilityIds,
        );
        await this.signIn.accountCreated('staff', dto.username);
        // Accounts are a national matter: the national chain keeps them, naming their scope.
        this.audit.record({
          action: 'staff.create',
          targetType: 'staff-account',
          targetId: s.account.id,
          facilityId: null,
          summary: { username: dto.username, roles: dto.roles, facilityIds: dto.facilityIds },
          actor,
        });
        return s;
      });
      return StaffDto.from(created);
    } catch (err) {
      if (isUniqueViolation(err, 'staff_accounts_username_key')) {
        throw new DomainError('USERNAME_TAKEN', 'This username is taken', [
          { field: 'username', message: 'taken' },
        ]);
      }
      throw err;
    }
  }

  /**
   * First start: with no staff account at all, create the national account holding every role.
   * Serialized by an advisory lock so two instances starting together create it once.
   */
  async ensureFirstAdmin(username: string, password: string): Promise<boolean> {
    return this.uow.run(async () => {
      await this.uow.lock(FIRST_ADMIN_LOCK);
      if ((await this.staff.count()) > 0) return false;
      // the one account that holds every role must not be the easiest to guess (a generated one is fine)
      const strength = judgePassword(password, [username]);
      if (!strength.ok) {
        throw new ConfigError(`Invalid configuration:\n  - ADMIN_PASSWORD ${strength.problem}`);
      }
      const s = await this.staff.insert(
        {
          username,
          passwordHash: await this.hasher.hash(password),
          fullName: 'First-start administrator',
          roles: [...STAFF_ROLES],
          createdBy: null,
          createdAt: this.clock.now(),
        },
        [],
      );
      await this.signIn.accountCreated('staff', username.trim().toLowerCase());
      this.audit.record({
        action: 'staff.create-first-admin',
        targetType: 'staff-account',
        targetId: s.account.id,
        facilityId: null,
        summary: { username, roles: [...STAFF_ROLES], facilityIds: [] },
        actor: null,
      });
      this.logger.log(`created the first-start account "${username}"`);
      return true;
    });
  }

  async hasAnyAccount(): Promise<boolean> {
    return (await this.staff.count()) > 0;
  }
}
