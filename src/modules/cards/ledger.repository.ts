import { Injectable } from '@nestjs/common';
import { SqlRepository } from '../../common/database/sql-repository';
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
export class LedgerRepository extends SqlRepository {
  // Find first (the common case, one round trip); insert if missing, then find again in a new
  // statement: one statement's snapshot would not see a row another transaction committed while
  // this one waited on the conflict.
  async walletId(prisonerId: string, currency: string): Promise<string> {
    const find = () =>
      this.q<{ id: string }>(
        `SELECT id FROM ledger_accounts WHERE kind = 'prisoner-wallet' AND prisoner_id = $1 AND currency = $2`,
        [prisonerId, currency],
      );
    const found = await find();
    if (found[0]) return found[0].id;
    const inserted = await this.q<{ id: string }>(
      `INSERT INTO ledger_accounts (kind, prisoner_id, currency, balance_minor) VALUES ('prisoner-wallet', $1, $2, 0)
       ON CONFLICT (prisoner_id, currency) WHERE kind = 'prisoner-wallet' DO NOTHING RETURNING id`,
      [prisonerId, currency],
    );
    return inserted[0]?.id ?? (await find())[0].id;
  }

  /** Locks the wallet for the rest of the transaction: its id and balance, in one round trip. */
  async lockWallet(
    prisonerId: string,
    currency: string,
  ): Promise<{ id: string; balanceMinor: number }> {
    const lock = () =>
      this.q<{ id: string; balance_minor: string }>(
        `SELECT id, balance_minor FROM ledger_accounts
          WHERE kind = 'prisoner-wallet' AND prisoner_id = $1 AND currency = $2 FOR UPDATE`,
        [prisonerId, currency],
      );
    let rows = await lock();
    if (!rows[0]) {
      await this.walletId(prisonerId, currency);
      rows = await lock();
    }
    return { id: rows[0].id, balanceMinor: toMinor(rows[0].balance_minor) };
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

  /**
   * Writes an entry in one round trip: the entry, each wallet's conditional move (never below
   * zero) and every posting with the wallet's balance after it. Returns each wallet's balance
   * after, or null for a wallet that could not move (the caller must then abandon the transaction:
   * the entry would not balance, and the database would refuse it at COMMIT anyway).
   */
  async writeEntry(
    e: {
      id: string;
      kind: EntryKind;
      facilityId: string | null;
      referenceId: string;
      description: string | null;
      requestId: string | null;
      createdAt: Date;
      currency: string;
    },
    legs: Array<{ accountId: string; amountMinor: number; wallet: boolean }>,
  ): Promise<Map<string, number | null>> {
    const params: unknown[] = [
      e.id,
      e.kind,
      e.facilityId,
      e.referenceId,
      e.description,
      e.requestId,
      e.createdAt,
      e.currency,
    ];
    const p = (v: unknown) => {
      params.push(v);
      return `$${params.length}`;
    };
    const ctes = [
      `e AS (INSERT INTO ledger_entries (id, kind, facility_id, reference_id, description, request_id, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id)`,
    ];
    const postings: string[] = [];
    const outputs: string[] = [];
    legs.forEach((leg, i) => {
      const acc = p(leg.accountId);
      const amt = p(leg.amountMinor);
      if (leg.wallet) {
        ctes.push(
          `w${i} AS (UPDATE ledger_accounts SET balance_minor = balance_minor + ${amt}::bigint
                      WHERE id = ${acc}::uuid AND balance_minor + ${amt}::bigint >= 0 RETURNING id, balance_minor)`,
        );
        postings.push(
          `SELECT e.id, w${i}.id, ${amt}::bigint, $8, w${i}.balance_minor, $7::timestamptz FROM e, w${i}`,
        );
        outputs.push(`(SELECT balance_minor FROM w${i}) AS w${i}`);
      } else {
        postings.push(
          `SELECT e.id, ${acc}::uuid, ${amt}::bigint, $8, NULL::bigint, $7::timestamptz FROM e`,
        );
      }
    });
    ctes.push(
      `p AS (INSERT INTO ledger_postings (entry_id, account_id, amount_minor, currency, balance_after_minor, created_at)
             ${postings.join(' UNION ALL ')} RETURNING 1)`,
    );
    const rows = await this.q<Record<string, string | null>>(
      `WITH ${ctes.join(', ')} SELECT (SELECT count(*) FROM p) AS postings${outputs.length ? ', ' + outputs.join(', ') : ''}`,
      params,
    );
    const after = new Map<string, number | null>();
    legs.forEach((leg, i) => {
      if (leg.wallet)
        after.set(leg.accountId, rows[0][`w${i}`] === null ? null : toMinor(rows[0][`w${i}`]!));
    });
    return after;
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
