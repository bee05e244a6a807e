import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { ParcelKind, ParcelStatus, Reason } from '../domain/intake.rules';

export interface DeclaredItem {
  category: string;
  description: string;
  quantity: number;
}

@Entity({ name: 'parcels' })
export class ParcelEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid', { name: 'facility_id' })
  facilityId: string;

  @Column('uuid', { name: 'requested_prisoner_id' })
  requestedPrisonerId: string;

  @Column('uuid', { name: 'prisoner_id', nullable: true })
  prisonerId: string | null;

  @Column('text')
  kind: ParcelKind;

  @Column('text', { name: 'sender_name' })
  senderName: string;

  @Column('integer', { name: 'weight_grams' })
  weightGrams: number;

  @Column('jsonb')
  items: DeclaredItem[];

  @Column('text')
  outcome: 'accepted' | 'refused';

  @Column('jsonb')
  reasons: Reason[];

  @Column('uuid', { name: 'policy_version_ids', array: true })
  policyVersionIds: string[];

  @Column('text', { nullable: true })
  status: ParcelStatus | null;

  @Column('boolean', { name: 'counts_against_allowance' })
  countsAgainstAllowance: boolean;

  @Column('integer', { name: 'period_year' })
  periodYear: number;

  @Column('date', { name: 'local_date' })
  localDate: string;

  @Column('timestamptz', { name: 'registered_at' })
  registeredAt: Date;

  @Column('text', { name: 'registered_by_kind' })
  registeredByKind: 'staff' | 'terminal';

  @Column('uuid', { name: 'registered_by_id' })
  registeredById: string;

  /** When its status last changed (its registration, at first). */
  @Column('timestamptz', { name: 'updated_at' })
  updatedAt: Date;
}

@Entity({ name: 'parcel_events' })
export class ParcelEventEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid', { name: 'parcel_id' })
  parcelId: string;

  @Column('text', { name: 'from_status', nullable: true })
  fromStatus: ParcelStatus | null;

  @Column('text', { name: 'to_status' })
  toStatus: ParcelStatus;

  @Column('text', { nullable: true })
  note: string | null;

  @Column('jsonb', { name: 'seized_items', nullable: true })
  seizedItems: DeclaredItem[] | null;

  @Column('text', { name: 'actor_kind' })
  actorKind: string;

  @Column('uuid', { name: 'actor_id' })
  actorId: string;

  /** The use case's clock (events are read in the order written: the `seq` column). */
  @Column('timestamptz', { name: 'occurred_at' })
  occurredAt: Date;
}
