import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export type PolicyStatus = 'draft' | 'published';

@Entity({ name: 'policy_versions' })
export class PolicyVersionEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid', { name: 'facility_id', nullable: true })
  facilityId: string | null;

  @Column('timestamptz', { name: 'effective_from', nullable: true })
  effectiveFrom: Date | null;

  @Column('date', { name: 'effective_on', nullable: true })
  effectiveOn: string | null;

  @Column('text')
  reason: string;

  @Column('jsonb')
  values: Record<string, unknown>;

  @Column('text')
  status: PolicyStatus;

  @Column('uuid', { name: 'created_by', nullable: true })
  createdBy: string | null;

  /** Set by the application (millisecond precision, so it can serve as a pagination key). */
  @Column('timestamptz', { name: 'created_at' })
  createdAt: Date;

  @Column('timestamptz', { name: 'updated_at' })
  updatedAt: Date;

  @Column('uuid', { name: 'published_by', nullable: true })
  publishedBy: string | null;

  @Column('timestamptz', { name: 'published_at', nullable: true })
  publishedAt: Date | null;

  @Column('text', { name: 'source_file', nullable: true })
  sourceFile: string | null;

  @Column('text', { name: 'source_hash', nullable: true })
  sourceHash: string | null;

  @Column('text', { nullable: true })
  notes: string | null;
}
