import { Injectable } from '@nestjs/common';
import { SqlRepository } from '../../common/database/sql-repository';
import { DeferredWrite } from '../../common/database/unit-of-work';
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
        { prepare: true },
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
   * An entry as one write (run now, or deferred to just before COMMIT): the entry, each wallet's
   * conditional move (never below zero) and every posting with the wallet's balance after it.
   * The write's value maps each wallet account to its balance after, or null for a wallet that
   * could not move (the entry would not balance: the caller must abandon the transaction, and the
   * database would refuse it at COMMIT anyway).
   */
  entryWrite(
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
    check?: (after: Map<string, number | null>) => void,
  ): DeferredWrite & { after(value: unknown): Map<string, number | null> } {
    const after = (value: unknown) => {
      const v = value as Record<string, string | null>;
      const m = new Map<string, number | null>();
      legs.forEach((leg, i) => {
        if (leg.wallet) m.set(leg.accountId, v[`w${i}`] === null ? null : toMinor(v[`w${i}`]!));
      });
      return m;
    };
    return {
      after,
      check: check && ((value) => check(after(value))),
      prepare: legs.length <= 4,
      build: ({ param, name }) => {
        const at = param(e.createdAt);
        const currency = param(e.currency);
        const entry = name('entry');
        const ctes = [
          `${entry} AS (INSERT INTO ledger_entries (id, kind, facility_id, reference_id, description, request_id, created_at)
             VALUES (${param(e.id)}::uuid, ${param(e.kind)}, ${param(e.facilityId)}::uuid, ${param(e.referenceId)}::uuid,
                     ${param(e.description)}, ${param(e.requestId)}, ${at}::timestamptz) RETURNING id)`,
        ];
        const postings: string[] = [];
        const outputs: string[] = [];
        legs.forEach((leg, i) => {
          const acc = param(leg.accountId);
          const amt = param(leg.amountMinor);
          if (leg.wallet) {
            const w = name(`w${i}`);
            ctes.push(
              `${w} AS (UPDATE ledger_accounts SET balance_minor = balance_minor + ${amt}::bigint
                 WHERE id = ${acc}::uuid AND balance_minor + ${amt}::bigint >= 0 RETURNING id, balance_minor)`,
            );
            postings.push(
              `SELECT e.id, w.id, ${amt}::bigint, ${currency}::text, w.balance_minor, ${at}::timestamptz FROM ${entry} e, ${w} w`,
            );
            outputs.push(`'w${i}', (SELECT balance_minor::text FROM ${w})`);
          } else {
            postings.push(
              `SELECT e.id, ${acc}::uuid, ${amt}::bigint, ${currency}::text, NULL::bigint, ${at}::timestamptz FROM ${entry} e`,
            );
          }
        });
        const p = name('postings');
        ctes.push(
          `${p} AS (INSERT INTO ledger_postings (entry_id, account_id, amount_minor, currency, balance_after_minor, created_at)
             ${postings.join(' UNION ALL ')} RETURNING 1)`,
        );
        outputs.push(`'postings', (SELECT count(*) FROM ${p})`);
        return { ctes, result: `SELECT json_build_object(${outputs.join(', ')})` };
      },
    };
  }

  async statement(
    prisonerId: string,
    currency: string,
    from: Date,
    to: Date,
    afterPostingId: number | null,
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
          AND p.created_at >= $3 AND p.created_at < $4 AND ($5::bigint IS NULL OR p.id > $5::bigint)
        ORDER BY p.id LIMIT $6`,
      [prisonerId, currency, from, to, afterPostingId, limit],
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
