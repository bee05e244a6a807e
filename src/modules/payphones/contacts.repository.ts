import { Injectable } from '@nestjs/common';
import { Row, SqlRepository } from '../../common/database/sql-repository';
import { KeysetCursor } from '../../common/http/pagination';
import type { ContactRelationship, ContactStatus } from './domain/contact.rules';

export interface ContactRow {
  id: string;
  prisonerId: string;
  /** The facility holding the contact's prisoner now (a contact goes with its prisoner). */
  facilityId: string;
  phoneNumber: string;
  name: string;
  relationship: ContactRelationship;
  legal: boolean;
  status: ContactStatus;
  rejectReason: string | null;
  requestedByKind: 'staff' | 'relative';
  relativeId: string | null;
  createdAt: Date;
  decidedAt: Date | null;
}

const COLUMNS = `c.id, c.prisoner_id, p.facility_id, c.phone_number, c.name, c.relationship, c.legal,
  c.status, c.reject_reason, c.requested_by_kind, c.relative_id, c.created_at, c.decided_at`;

const contact = (r: Row): ContactRow => ({
  id: r.id as string,
  prisonerId: r.prisoner_id as string,
  facilityId: r.facility_id as string,
  phoneNumber: r.phone_number as string,
  name: r.name as string,
  relationship: r.relationship as ContactRelationship,
  legal: r.legal as boolean,
  status: r.status as ContactStatus,
  rejectReason: r.reject_reason as string | null,
  requestedByKind: r.requested_by_kind as 'staff' | 'relative',
  relativeId: r.relative_id as string | null,
  createdAt: r.created_at as Date,
  decidedAt: r.decided_at as Date | null,
});

/** A prisoner's list of numbers. */
@Injectable()
export class ContactsRepository extends SqlRepository {
  /**
   * Serializes changes to one prisoner's list until the transaction ends, so two requests cannot
   * both take the last place on it.
   */
  async lockList(prisonerId: string): Promise<void> {
    await this.q('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [
      `payphone-contacts:${prisonerId}`,
    ]);
  }

  /** Pending and approved numbers on the prisoner's list. */
  async countLive(prisonerId: string): Promise<number> {
    const rows = await this.q<{ n: string }>(
      `SELECT count(*) AS n FROM payphone_contacts WHERE prisoner_id = $1 AND status IN ('pending','approved')`,
      [prisonerId],
    );
    return Number(rows[0].n);
  }

  async insert(c: {
    prisonerId: string;
    phoneNumber: string;
    name: string;
    relationship: ContactRelationship;
    legal: boolean;
    requestedByKind: 'staff' | 'relative';
    requestedById: string;
    relativeId: string | null;
    createdAt: Date;
  }): Promise<string> {
    const rows = await this.q<{ id: string }>(
      `INSERT INTO payphone_contacts (prisoner_id, phone_number, name, relationship, legal, status,
         requested_by_kind, requested_by_id, relative_id, created_at)
       VALUES ($1, $2, $3, $4, $5, 'pending', $6, $7, $8, $9) RETURNING id`,
      [
        c.prisonerId,
        c.phoneNumber,
        c.name,
        c.relationship,
        c.legal,
        c.requestedByKind,
        c.requestedById,
        c.relativeId,
        c.createdAt,
      ],
    );
    return rows[0].id;
  }

  /** The contact, locked for the rest of the transaction when `lock`. */
  async find(id: string, lock = false): Promise<ContactRow | null> {
    const rows = await this.q(
      `SELECT ${COLUMNS} FROM payphone_contacts c JOIN prisoners p ON p.id = c.prisoner_id
        WHERE c.id = $1 ${lock ? 'FOR UPDATE OF c' : ''}`,
      [id],
    );
    return rows[0] ? contact(rows[0]) : null;
  }

  async decide(
    id: string,
    status: ContactStatus,
    reason: string | null,
    by: string,
    at: Date,
  ): Promise<void> {
    await this.q(
      `UPDATE payphone_contacts SET status = $2, reject_reason = $3, decided_by = $4, decided_at = $5
        WHERE id = $1`,
      [id, status, reason, by, at],
    );
  }

  async remove(id: string, at: Date): Promise<void> {
    await this.q(`UPDATE payphone_contacts SET status = 'removed', removed_at = $2 WHERE id = $1`, [
      id,
      at,
    ]);
  }

  /** The approved contact with this number on the prisoner's list, if any. */
  async approved(prisonerId: string, phoneNumber: string): Promise<ContactRow | null> {
    const rows = await this.q(
      `SELECT ${COLUMNS} FROM payphone_contacts c JOIN prisoners p ON p.id = c.prisoner_id
        WHERE c.prisoner_id = $1 AND c.phone_number = $2 AND c.status = 'approved'`,
      [prisonerId, phoneNumber],
      { prepare: true },
    );
    return rows[0] ? contact(rows[0]) : null;
  }

  /** The prisoner's contacts, oldest first (only those a relative asked for, given `relativeId`). */
  async list(
    prisonerId: string,
    relativeId: string | null,
    after: KeysetCursor | undefined,
    limit: number,
  ): Promise<ContactRow[]> {
    const rows = await this.q(
      `SELECT ${COLUMNS} FROM payphone_contacts c JOIN prisoners p ON p.id = c.prisoner_id
        WHERE c.prisoner_id = $1 AND ($2::uuid IS NULL OR c.relative_id = $2)
          AND ($3::timestamptz IS NULL OR (c.created_at, c.id) > ($3::timestamptz, $4::uuid))
        ORDER BY c.created_at, c.id LIMIT $5`,
      [prisonerId, relativeId, after?.k ?? null, after?.id ?? null, limit + 1],
    );
    return rows.map(contact);
  }
}
