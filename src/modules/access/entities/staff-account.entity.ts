import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { StaffRole } from '../../../common/auth/roles';

@Entity({ name: 'staff_accounts' })
export class StaffAccountEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('text')
  username: string;

  @Column('text', { name: 'password_hash', select: false })
  passwordHash: string;

  @Column('text', { name: 'full_name' })
  fullName: string;

  @Column('text', { array: true })
  roles: StaffRole[];

  @Column('boolean')
  active: boolean;

  @Column('uuid', { name: 'created_by', nullable: true })
  createdBy: string | null;

  @Column('timestamptz', { name: 'created_at' })
  createdAt: Date;

  @Column('timestamptz', { name: 'updated_at' })
  updatedAt: Date;
}

@Entity({ name: 'staff_facility_scopes' })
export class StaffFacilityScopeEntity {
  @Column('uuid', { name: 'staff_id', primary: true })
  staffId: string;

  @Column('uuid', { name: 'facility_id', primary: true })
  facilityId: string;
}
