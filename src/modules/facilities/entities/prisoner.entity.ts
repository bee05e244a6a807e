import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { Conditions, PrisonerStatus, SecurityLevel } from '../domain/prisoner.rules';

@Entity({ name: 'prisoners' })
export class PrisonerEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid', { name: 'facility_id' })
  facilityId: string;

  @Column('text', { name: 'personal_number' })
  personalNumber: string;

  @Column('text', { name: 'full_name' })
  fullName: string;

  @Column('text', { name: 'security_level' })
  securityLevel: SecurityLevel;

  @Column('text')
  conditions: Conditions;

  @Column('text')
  status: PrisonerStatus;

  @Column('timestamptz', { name: 'created_at' })
  createdAt: Date;

  @Column('timestamptz', { name: 'updated_at' })
  updatedAt: Date;
}
