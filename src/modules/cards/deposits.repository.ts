import { Injectable } from '@nestjs/common';
import { Row, SqlRepository } from '../../common/database/sql-repository';
import { toMinor } from '../../common/money';

export type DepositStatus =
  'creating' | 'pending' | 'succeeded' | 'failed' | 'canceled' | 'amount-mismatch';

export interface DepositRow {
  id: string;
  prisonerId: string;
  facilityId: string;
  method: 'stripe' | 'cash';
  relativeId: string | null;
  amountMinor: number;
  currency: string;
  status: DepositStatus;
  paymentIntentId: string | null;
  receiptNumber: string | null;
  entryId: string | null;
  createdAt: Date;
}

const deposit = (r: Row): DepositRow => ({
  id: r.id as string,
  prisonerId: r.prisoner_id as string,
  facilityId: r.facility_id as string,
  method: r.method as DepositRow['method'],
  relativeId: (r.relative_id as string | null) ?? null,
  amountMinor: toMinor(r.amount_minor as string),
  currency: r.currency as string,
  status: r.status as DepositStatus,
  paymentIntentId: (r.payment_intent_id as string | null) ?? null,
  receiptNumber: (r.receipt_number as string | null) ?? null,
  entryId: (r.entry_id as string | null) ?? null,
  createdAt: r.created_at as Date,
});

@Injectable()
export class DepositsRepository extends SqlRepository {
  /**
   * Inserts (changed last at its creation), or (same relative and Idempotency-Key) returns null:
   * the deposit exists already.
   */
  async insert(
    d: Omit<DepositRow, 'paymentIntentId' | 'entryId'> & {
      createdBy: string | null;
      idempotencyKey?: string | null;
      requestHash?: string | null;
    },
  ): Promise<DepositRow | null> {
    const rows = await this.q(
      `INSERT INTO deposits (id, prisoner_id, facility_id, method, relative_id, amount_minor, currency, status,
         receipt_number, created_by, created_at, updated_at, idempotency_key, request_hash)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11, $12, $13)
       ON CONFLICT (relative_id, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING RETURNING *`,
      [
        d.id,
        d.prisonerId,
        d.facilityId,
        d.method,
        d.relativeId,
        d.amountMinor,
        d.currency,
        d.status,
        d.receiptNumber,
        d.createdBy,
        d.createdAt,
        d.idempotencyKey ?? null,
        d.requestHash ?? null,
      ],
    );
    return rows[0] ? deposit(rows[0]) : null;
  }

  async findByKey(
    relativeId: string,
    key: string,
  ): Promise<(DepositRow & { requestHash: string | null }) | null> {
    const rows = await this.q(
      `SELECT * FROM deposits WHERE relative_id = $1 AND idempotency_key = $2`,
      [relativeId, key],
    );
    return rows[0]
      ? { ...deposit(rows[0]), requestHash: (rows[0].request_hash as string | null) ?? null }
      : null;
  }

  async find(id: string, lock = false): Promise<DepositRow | null> {
    const rows = await this.q(`SELECT * FROM deposits WHERE id = $1 ${lock ? 'FOR UPDATE' : ''}`, [
      id,
    ]);
    return rows[0] ? deposit(rows[0]) : null;
  }

  async findByPaymentIntent(pi: string, lock = false): Promise<DepositRow | null> {
    const rows = await this.q(
      `SELECT * FROM deposits WHERE payment_intent_id = $1 ${lock ? 'FOR UPDATE' : ''}`,
      [pi],
    );
    return rows[0] ? deposit(rows[0]) : null;
  }

  async setPending(id: string, paymentIntentId: string, at: Date): Promise<void> {
    await this.q(
      `UPDATE deposits SET status = 'pending', payment_intent_id = $2, updated_at = $3 WHERE id = $1 AND status = 'creating'`,
      [id, paymentIntentId, at],
    );
  }

  async settle(
    id: string,
    status: 'succeeded' | 'failed' | 'canceled' | 'amount-mismatch',
    entryId: string | null,
    failure: string | null,
    at: Date,
  ) {
    await this.q(
      `UPDATE deposits SET status = $2, entry_id = $3, failure_reason = $4, updated_at = $5 WHERE id = $1`,
      [id, status, entryId, failure, at],
    );
  }

  /**
   * Open Stripe deposits older than `olderThanSeconds`, in turn: the one asked about longest ago
   * (or never) first, so that deposits never paid, which stay open, do not keep a newer one from
   * ever being asked about.
   */
  async stale(olderThanSeconds: number, limit: number, now: Date): Promise<DepositRow[]> {
    const rows = await this.q(
      `SELECT * FROM deposits WHERE method = 'stripe' AND status IN ('creating','pending')
          AND created_at < $3::timestamptz - make_interval(secs => $1)
        ORDER BY coalesce(checked_at, created_at), id LIMIT $2`,
      [olderThanSeconds, limit, now],
    );
    return rows.map(deposit);
  }

  /** These open deposits were asked about now: to the back of the turn. */
  async checked(ids: readonly string[], now: Date): Promise<void> {
    if (!ids.length) return;
    await this.q(`UPDATE deposits SET checked_at = $2 WHERE id = ANY($1::uuid[])`, [ids, now]);
  }

  /** Records a Stripe event id; false if it was seen before. */
  async firstSight(
    eventId: string,
    type: string,
    paymentIntentId: string | null,
    at: Date,
  ): Promise<boolean> {
    const rows = await this.q(
      `INSERT INTO stripe_events (id, type, payment_intent_id, received_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (id) DO NOTHING RETURNING id`,
      [eventId, type, paymentIntentId, at],
    );
    return rows.length > 0;
  }

  /** The deposits with these ids (a statement's deposit lines). */
  async findMany(ids: readonly string[]): Promise<DepositRow[]> {
    return (await this.q(`SELECT * FROM deposits WHERE id = ANY($1::uuid[])`, [ids])).map(deposit);
  }
}
