import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

@Entity({ name: 'relatives' })
export class RelativeEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('text')
  email: string;

  @Column('text', { name: 'password_hash', select: false })
  passwordHash: string;

  @Column('text', { name: 'full_name' })
  fullName: string;

  @Column('text')
  phone: string;

  @Column('boolean')
  active: boolean;

  @Column('timestamptz', { name: 'created_at' })
  createdAt: Date;
}
