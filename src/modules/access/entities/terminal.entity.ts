import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { TerminalKind } from '../../../common/auth/roles';

@Entity({ name: 'terminals' })
export class TerminalEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid', { name: 'facility_id' })
  facilityId: string;

  @Column('text')
  kind: TerminalKind;

  @Column('text')
  name: string;

  @Column('text', { name: 'key_prefix' })
  keyPrefix: string;

  @Column('text', { name: 'key_hash', select: false })
  keyHash: string;

  @Column('uuid', { name: 'created_by', nullable: true })
  createdBy: string | null;

  @Column('timestamptz', { name: 'created_at' })
  createdAt: Date;

  @Column('timestamptz', { name: 'revoked_at', nullable: true })
  revokedAt: Date | null;

  @Column('uuid', { name: 'revoked_by', nullable: true })
  revokedBy: string | null;

  @Column('timestamptz', { name: 'last_used_at', nullable: true })
  lastUsedAt: Date | null;
}
