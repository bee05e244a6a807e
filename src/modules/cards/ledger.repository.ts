import { Injectable } from '@nestjs/common';
import { rowsOf } from '../../common/database/rows';
import { UnitOfWork } from '../../common/database/unit-of-work';
import { toMinor } from '../../common/money';

export type AccountKind =
  'prisoner-wallet' | 'shop-revenue' | 'phone-revenue' | 'stripe-clearing' | 'cash-clearing';
export type EntryKind =
  'charge' | 'refund' | 'stripe-deposit' | 'cash-deposit' | 'call-charge' | 'correction';

export interface StatementLine {
  postingId: number;
  entryId: string;
  kind: EntryKind;
  amountMinor: number;
  balanceAfterMinor: number;
  description: string | null;
  createdAt: Date;
}

/** The ledger's tables; only LedgerService uses it. */
@Injectable()
export class LedgerRepository {
  constructor(private readonly uow: UnitOfWork) {}

  private q<T>(sql: string, params: unknown[]): Promise<T[]> {
    return this.uow
      .manager()
      .query(sql, params)
      .then((r) => rowsOf<T>(r));
  }

  // Insert-or-find in two statements: a single statement's snapshot would not see a row another
  // transaction committed while this one waited on the conflict.
  async walletId(prisonerId: string, currency: string): Promise<string> {
    const inserted = await this.q<{ id: string }>(
      `INSERT INTO ledger_accounts (kind, prisoner_id, currency, balance_minor) VALUES ('prisoner-wallet', $1, $2, 0)
       ON CONFLICT (prisoner_id, currency) WHERE kind = 'prisoner-wallet' DO NOTHING RETURNING id`,
      [prisonerId, currency],
    );
    if (inserted[0]) return inserted[0].id;
    const rows = await this.q<{ id: string }>(
      `SELECT id FROM ledger_accounts WHERE kind = 'prisoner-wallet' AND prisoner_id = $1 AND currency = $2`,
      [prisonerId, currency],
    );
    return rows[0].id;
  }

  /** Locks the wallet for the rest of the transaction and reads its balance. */
  async lockWallet(walletId: string): Promise<number> {
    const rows = await this.q<{ balance_minor: string }>(
      `SELECT balance_minor FROM ledger_accounts WHERE id = $1 FOR UPDATE`,
      [walletId],
    );
    return toMinor(rows[0].balance_minor);
  }

  async walletBalance(prisonerId: string, currency: string): Promise<number> {
    const rows = await this.q<{ balance_minor: string }>(
      `SELECT balance_minor FROM ledger_accounts WHERE kind = 'prisoner-wallet' AND prisoner_id = $1 AND currency = $2`,
      [prisonerId, currency],
    );
    return rows[0] ? toMinor(rows[0].balance_minor) : 0;
  }

  /**
   * The house account, created if missing, in the caller's transaction (a second connection here
   * could starve the pool while transactions queue on a wallet). `created` tells the caller not to
   * cache the id before the transaction commits.
   */
  async houseAccountId(
    kind: AccountKind,
    facilityId: string | null,
    currency: string,
  ): Promise<{ id: string; created: boolean }> {
    const found = await this.q<{ id: string }>(
      `SELECT id FROM ledger_accounts WHERE kind = $1 AND facility_id IS NOT DISTINCT FROM $2 AND currency = $3`,
      [kind, facilityId, currency],
    );
    if (found[0]) return { id: found[0].id, created: false };
    const inserted = await this.q<{ id: string }>(
      `INSERT INTO ledger_accounts (kind, facility_id, currency) VALUES ($1, $2, $3)
       ON CONFLICT (kind, coalesce(facility_id, '00000000-0000-0000-0000-000000000000'::uuid), currency)
         WHERE kind <> 'prisoner-wallet' DO NOTHING RETURNING id`,
      [kind, facilityId, currency],
    );
    if (inserted[0]) return { id: inserted[0].id, created: true };
    const rows = await this.q<{ id: string }>(
      `SELECT id FROM ledger_accounts WHERE kind = $1 AND facility_id IS NOT DISTINCT FROM $2 AND currency = $3`,
      [kind, facilityId, currency],
    );
    return { id: rows[0].id, created: false };
  }

  async insertEntry(e: {
    id: string;
    kind: EntryKind;
    facilityId: string | null;
    referenceId: string;
    description: string | null;
    requestId: string | null;
    createdAt: Date;
  }): Promise<void> {
    await this.q(
      `INSERT INTO ledger_entries (id, kind, facility_id, reference_id, description, request_id, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [e.id, e.kind, e.facilityId, e.referenceId, e.description, e.requestId, e.createdAt],
    );
  }

  /** Moves a wallet's balance; null when it would go below zero (the row is then untouched). */
  async moveWallet(walletId: string, amountMinor: number): Promise<number | null> {
    const rows = await this.q<{ balance_minor: string }>(
      `UPDATE ledger_accounts SET balance_minor = balance_minor + $2
        WHERE id = $1 AND balance_minor + $2 >= 0 RETURNING balance_minor`,
      [walletId, amountMinor],
    );
    return rows[0] ? toMinor(rows[0].balance_minor) : null;
  }

  async insertPostings(
    entryId: string,
    currency: string,
    createdAt: Date,
    postings: Array<{ accountId: string; amountMinor: number; balanceAfterMinor: number | null }>,
  ): Promise<void> {
    const params: unknown[] = [entryId, currency, createdAt];
    const values = postings.map((p) => {
      params.push(p.accountId, p.amountMinor, p.balanceAfterMinor);
      const n = params.length;
      return `($1, $${n - 2}, $${n - 1}, $2, $${n}, $3)`;
    });
    await this.q(
      `INSERT INTO ledger_postings (entry_id, account_id, amount_minor, currency, balance_after_minor, created_at)
       VALUES ${values.join(', ')}`,
      params,
    );
  }

  async statement(
    prisonerId: string,
    currency: string,
    from: Date,
    to: Date,
    limit: number,
  ): Promise<StatementLine[]> {
    const rows = await this.q<{
      id: string;
      entry_id: string;
      kind: EntryKind;
      amount_minor: string;
      balance_after_minor: string;
      description: string | null;
      created_at: Date;
    }>(
      `SELECT p.id, p.entry_id, e.kind, p.amount_minor, p.balance_after_minor, e.description, p.created_at
         FROM ledger_accounts a
         JOIN ledger_postings p ON p.account_id = a.id
         JOIN ledger_entries e ON e.id = p.entry_id
        WHERE a.kind = 'prisoner-wallet' AND a.prisoner_id = $1 AND a.currency = $2
          AND p.created_at >= $3 AND p.created_at < $4
        ORDER BY p.id LIMIT $5`,
      [prisonerId, currency, from, to, limit],
    );
    return rows.map((r) => ({
      postingId: Number(r.id),
      entryId: r.entry_id,
      kind: r.kind,
      amountMinor: toMinor(r.amount_minor),
      balanceAfterMinor: toMinor(r.balance_after_minor),
      description: r.description,
      createdAt: r.created_at,
    }));
  }
}
