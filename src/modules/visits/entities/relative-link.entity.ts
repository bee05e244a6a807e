import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { LinkStatus, Relationship } from '../domain/relationship';

@Entity({ name: 'relative_links' })
export class RelativeLinkEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid', { name: 'relative_id' })
  relativeId: string;

  @Column('uuid', { name: 'facility_id' })
  facilityId: string;

  @Column('text', { name: 'prisoner_personal_number' })
  prisonerPersonalNumber: string;

  @Column('uuid', { name: 'prisoner_id', nullable: true })
  prisonerId: string | null;

  @Column('text')
  relationship: Relationship;

  @Column('text')
  status: LinkStatus;

  @Column('uuid', { name: 'decided_by', nullable: true })
  decidedBy: string | null;

  @Column('timestamptz', { name: 'decided_at', nullable: true })
  decidedAt: Date | null;

  @Column('text', { name: 'decision_note', nullable: true })
  decisionNote: string | null;

  @Column('timestamptz', { name: 'created_at' })
  createdAt: Date;
}
