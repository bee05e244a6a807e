import { Injectable } from '@nestjs/common';
import { UnitOfWork } from '../../common/database/unit-of-work';
import type { StaffRole } from '../../common/auth/roles';
import { StaffAccountEntity, StaffFacilityScopeEntity } from './entities/staff-account.entity';

export interface StaffWithScope {
  account: StaffAccountEntity;
  /** Empty = national. */
  facilityIds: string[];
}

export interface StaffAuthState {
  id: string;
  username: string;
  roles: StaffRole[];
  active: boolean;
  facilityIds: string[];
}

@Injectable()
export class StaffRepository {
  constructor(private readonly uow: UnitOfWork) {}

  private get accounts() {
    return this.uow.manager().getRepository(StaffAccountEntity);
  }

  /** A new account, changed last when created. */
  async insert(
    a: Pick<
      StaffAccountEntity,
      'username' | 'passwordHash' | 'fullName' | 'roles' | 'createdBy' | 'createdAt'
    >,
    facilityIds: readonly string[],
  ): Promise<StaffWithScope> {
    const account = await this.accounts.save(
      this.accounts.create({ ...a, active: true, updatedAt: a.createdAt }),
    );
    if (facilityIds.length > 0) {
      await this.uow
        .manager()
        .getRepository(StaffFacilityScopeEntity)
        .insert(facilityIds.map((facilityId) => ({ staffId: account.id, facilityId })));
    }
    return { account, facilityIds: [...facilityIds] };
  }

  count(): Promise<number> {
    return this.accounts.count();
  }

  /** The account with its password hash, for sign-in. */
  findForLogin(username: string): Promise<StaffAccountEntity | null> {
    return this.accounts
      .createQueryBuilder('s')
      .addSelect('s.passwordHash')
      .where('s.username = :username', { username })
      .getOne();
  }

  /** One round trip: what the guard needs to know about a signed-in account. */
  async findAuthState(id: string): Promise<StaffAuthState | null> {
    const rows: Array<{
      id: string;
      username: string;
      roles: StaffRole[];
      active: boolean;
      facility_ids: string[];
    }> = await this.uow.manager().query(
      `SELECT s.id, s.username, s.roles, s.active,
                coalesce(array_agg(f.facility_id) FILTER (WHERE f.facility_id IS NOT NULL), '{}') AS facility_ids
           FROM staff_accounts s LEFT JOIN staff_facility_scopes f ON f.staff_id = s.id
          WHERE s.id = $1
          GROUP BY s.id`,
      [id],
    );
    const r = rows[0];
    return r
      ? {
          id: r.id,
          username: r.username,
          roles: r.roles,
          active: r.active,
          facilityIds: r.facility_ids,
        }
      : null;
  }
}
