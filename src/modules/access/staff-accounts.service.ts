import { Injectable, Logger } from '@nestjs/common';
import { STAFF_ROLES } from '../../common/auth/roles';
import { Principal } from '../../common/auth/principal';
import { isUniqueViolation } from '../../common/database/pg-errors';
import { UnitOfWork } from '../../common/database/unit-of-work';
import { DomainError } from '../../common/errors/domain-error';
import { FacilitiesService } from '../facilities/facilities.service';
import { assertCanGrantScope } from './domain/staff.rules';
import { CreateStaffDto, StaffDto } from './dto/staff.dto';
import { PasswordHasher } from './password-hasher';
import { StaffRepository } from './staff.repository';

const FIRST_ADMIN_LOCK = 71_512_027;

@Injectable()
export class StaffAccountsService {
  private readonly logger = new Logger(StaffAccountsService.name);

  constructor(
    private readonly uow: UnitOfWork,
    private readonly staff: StaffRepository,
    private readonly hasher: PasswordHasher,
    private readonly facilities: FacilitiesService,
  ) {}

  async create(dto: CreateStaffDto, actor: Principal): Promise<StaffDto> {
    assertCanGrantScope(actor, dto.facilityIds);
    const missing = await this.facilities.missing(dto.facilityIds);
    if (missing.length > 0) {
      throw new DomainError('UNKNOWN_FACILITY', 'Some facilities do not exist', [
        { field: 'facilityIds', message: `unknown: ${missing.join(', ')}` },
      ]);
    }
    const passwordHash = await this.hasher.hash(dto.password);
    try {
      const created = await this.uow.run(() =>
        this.staff.insert(
          {
            username: dto.username,
            passwordHash,
            fullName: dto.fullName,
            roles: dto.roles,
            createdBy: actor.id,
          },
          dto.facilityIds,
        ),
      );
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
    return this.uow.run(async (em) => {
      await em.query('SELECT pg_advisory_xact_lock($1)', [FIRST_ADMIN_LOCK]);
      if ((await this.staff.count()) > 0) return false;
      await this.staff.insert(
        {
          username,
          passwordHash: await this.hasher.hash(password),
          fullName: 'First-start administrator',
          roles: [...STAFF_ROLES],
          createdBy: null,
        },
        [],
      );
      this.logger.log(`created the first-start account "${username}"`);
      return true;
    });
  }

  async hasAnyAccount(): Promise<boolean> {
    return (await this.staff.count()) > 0;
  }
}
