import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { Conditions } from '../domain/prisoner.rules';

/** One move between conditions of serving (the first row, from null, is the initial placement). */
@Entity({ name: 'prisoner_conditions_changes' })
export class PrisonerConditionsChangeEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid', { name: 'prisoner_id' })
  prisonerId: string;

  @Column('uuid', { name: 'facility_id' })
  facilityId: string;

  @Column('text', { name: 'from_conditions', nullable: true })
  fromConditions: Conditions | null;

  @Column('text', { name: 'to_conditions' })
  toConditions: Conditions;

  @Column('text')
  reason: string;

  @Column('uuid', { name: 'changed_by', nullable: true })
  changedBy: string | null;

  /** The use case's clock (history is read in the order written: the `seq` column). */
  @Column('timestamptz', { name: 'changed_at' })
  changedAt: Date;
}

@Entity({ name: 'prisoner_transfers' })
export class PrisonerTransferEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid', { name: 'prisoner_id' })
  prisonerId: string;

  @Column('uuid', { name: 'from_facility_id' })
  fromFacilityId: string;

  @Column('uuid', { name: 'to_facility_id' })
  toFacilityId: string;

  @Column('text', { nullable: true })
  reason: string | null;

  @Column('uuid', { name: 'transferred_by', nullable: true })
  transferredBy: string | null;

  /** The use case's clock (history is read in the order written: the `seq` column). */
  @Column('timestamptz', { name: 'transferred_at' })
  transferredAt: Date;
}
