import { Injectable } from '@nestjs/common';
import { Row, SqlRepository } from '../../common/database/sql-repository';
import { DeferredWrite } from '../../common/database/unit-of-work';
import { toMinor } from '../../common/money';

export type AccountKind =
  | 'prisoner-wallet'
  | 'shop-revenue'
  | 'phone-revenue'
  | 'stripe-clearing'
  | 'cash-clearing'
  // a facility's wages to orderlies (care)
  | 'wage-expense';
export type HouseKind = Exclude<AccountKind, 'prisoner-wallet'>;
export type EntryKind =
  | 'charge'
  | 'refund'
  | 'stripe-deposit'
  | 'cash-deposit'
  | 'call-charge'
  | 'correction'
  // an orderly's monthly wage (care)
  | 'orderly-wage';
export type HoldKind = 'call';
export type HoldOutcome = 'captured' | 'released' | 'expired';

export interface StatementLine {
  postingId: number;
  entryId: string;
  /** What the entry records: its charge, refund, deposit, call… */
  referenceId: string;
  kind: EntryKind;
  amountMinor: number;
  balanceAfterMinor: number;
  description: string | null;
  createdAt: Date;
}

/** A wallet row as the lock reads it. */
export interface WalletRow {
  id: string;
  prisonerId: string;
  currency: string;
  balanceMinor: number;
  /** The sum of its unsettled holds (expired ones too, until they are settled). */
  heldMinor: number;
}

export interface OpenHoldRow {
  id: string;
  amountMinor: number;
  expiresAt: Date;
}

/** A query that finds the prisoner whose wallet is locked with it: it must return a `prisoner_id` column. */
export interface WalletOwnerLookup {
  sql: string;
  params: unknown[];
}

/** Everything the ledger writes in one transaction, sent as one statement before COMMIT. */
export interface LedgerBatch {
  entries: Array<{
    id: string;
    kind: EntryKind;
    facilityId: string | null;
    referenceId: string;
    description: string | null;
    requestId: string | null;
    createdAt: Date;
  }>;
  /** In the order written: a wallet's running balance follows this order. */
  postings: Array<{
    entryId: string;
    accountId: string;
    amountMinor: number;
    currency: string;
    balanceAfterMinor: number | null;
    createdAt: Date;
  }>;
  /** Each wallet moved: what its balance and holds change by, and what they must be after. */
  wallets: Array<{
    id: string;
    balanceDelta: number;
    heldDelta: number;
    balanceAfter: number;
    heldAfter: number;
  }>;
  holds: Array<{
    id: string;
    accountId: string;
    kind: HoldKind;
    referenceId: string;
    facilityId: string | null;
    amountMinor: number;
    currency: string;
    description: string | null;
    requestId: string | null;
    createdAt: Date;
    expiresAt: Date;
  }>;
  settlements: Array<{
    holdId: string;
    outcome: HoldOutcome;
    capturedMinor: number;
    releasedMinor: number;
    entryId: string | null;
    requestId: string | null;
    createdAt: Date;
  }>;
}

const WALLET_COLUMNS = `id, prisoner_id, currency, balance_minor, held_minor`;
const wallet = (r: Row): WalletRow => ({
  id: r.id as string,
  prisonerId: r.prisoner_id as string,
  currency: r.currency as string,
  balanceMinor: toMinor(r.balance_minor as string),
  heldMinor: toMinor(r.held_minor as string),
});

/** The ledger's tables; only LedgerService uses it. */
@Injectable()
export class LedgerRepository extends SqlRepository {
  /**
   * Locks the prisoners' wallets in this currency, in the order of their account ids (so two
   * transactions locking the same wallets cannot deadlock), creating those missing when `create`.
   */
  async lockWallets(
    prisonerIds: string[],
    currency: string,
    create: boolean,
  ): Promise<WalletRow[]> {
    if (create) {
      // a wallet another transaction creates meanwhile is found by the lock, a new statement
      await this.q(
        `INSERT INTO ledger_accounts (kind, prisoner_id, currency, balance_minor)
         SELECT 'prisoner-wallet', p, $2, 0 FROM unnest($1::uuid[]) AS p
         ON CONFLICT (prisoner_id, currency) WHERE kind = 'prisoner-wallet' DO NOTHING`,
        [prisonerIds, currency],
      );
    }
    const rows = await this.q(
      `SELECT ${WALLET_COLUMNS} FROM ledger_accounts
        WHERE kind = 'prisoner-wallet' AND prisoner_id = ANY($1::uuid[]) AND currency = $2
        ORDER BY id FOR UPDATE`,
      [prisonerIds, currency],
      { prepare: true },
    );
    return rows.map(wallet);
  }

  /**
   * Runs the lookup and locks the wallet of the prisoner it finds, in one statement (a hot path's
   * round trip): the lookup's row, with the wallet's columns prefixed `ledger_` (null: no wallet).
   */
  async lockWalletOf(
    lookup: WalletOwnerLookup,
    currency: string,
  ): Promise<{ row: Row; wallet: WalletRow | null } | null> {
    const c = `$${lookup.params.length + 1}`;
    const rows = await this.q(
      `WITH l AS (${lookup.sql}),
            w AS (SELECT ${WALLET_COLUMNS} FROM ledger_accounts
                   WHERE kind = 'prisoner-wallet' AND prisoner_id = (SELECT prisoner_id FROM l) AND currency = ${c}
                     FOR UPDATE)
       SELECT l.*, w.id AS ledger_id, w.balance_minor AS ledger_balance_minor, w.held_minor AS ledger_held_minor
         FROM l LEFT JOIN w ON true`,
      [...lookup.params, currency],
      { prepare: true },
    );
    const r = rows[0];
    if (!r) return null;
    // the wallet is the one of the lookup's prisoner, in this currency
    const w: WalletRow | null = r.ledger_id
      ? {
          id: r.ledger_id as string,
          prisonerId: r.prisoner_id as string,
          currency,
          balanceMinor: toMinor(r.ledger_balance_minor as string),
          heldMinor: toMinor(r.ledger_held_minor as string),
        }
      : null;
    return { row: r, wallet: w };
  }

  /** Locks the wallet a hold is on; null if there is no such hold. */
  async lockWalletOfHold(holdId: string): Promise<WalletRow | null> {
    const rows = await this.q(
      `SELECT ${WALLET_COLUMNS} FROM ledger_accounts
        WHERE id = (SELECT account_id FROM ledger_holds WHERE id = $1) FOR UPDATE`,
      [holdId],
    );
    return rows[0] ? wallet(rows[0]) : null;
  }

  /** A locked wallet's unsettled holds (a new statement: it sees every hold committed before the lock). */
  async openHolds(accountId: string): Promise<OpenHoldRow[]> {
    const rows = await this.q<{ id: string; amount_minor: string; expires_at: Date }>(
      `SELECT h.id, h.amount_minor, h.expires_at FROM ledger_holds h
        WHERE h.account_id = $1
          AND NOT EXISTS (SELECT 1 FROM ledger_hold_settlements s WHERE s.hold_id = h.id)
        ORDER BY h.created_at, h.id`,
      [accountId],
      { prepare: true },
    );
    return rows.map((r) => ({
      id: r.id,
      amountMinor: toMinor(r.amount_minor),
      expiresAt: r.expires_at,
    }));
  }

  /** Balance and unexpired open holds, without locking (what a reader sees now). */
  async walletFigures(
    prisonerId: string,
    currency: string,
    now: Date,
  ): Promise<{ balanceMinor: number; heldMinor: number }> {
    const rows = await this.q<{ balance_minor: string; held: string }>(
      `SELECT a.balance_minor,
              (SELECT coalesce(sum(h.amount_minor), 0) FROM ledger_holds h
                WHERE h.account_id = a.id AND h.expires_at > $3
                  AND NOT EXISTS (SELECT 1 FROM ledger_hold_settlements s WHERE s.hold_id = h.id)) AS held
         FROM ledger_accounts a
        WHERE a.kind = 'prisoner-wallet' AND a.prisoner_id = $1 AND a.currency = $2`,
      [prisonerId, currency, now],
    );
    return rows[0]
      ? { balanceMinor: toMinor(rows[0].balance_minor), heldMinor: toMinor(rows[0].held) }
      : { balanceMinor: 0, heldMinor: 0 };
  }

  /**
   * The house account, created if missing, in the caller's transaction (a second connection here
   * could starve the pool while transactions queue on a wallet). `created` tells the caller not to
   * cache the id before the transaction commits.
   */
  async houseAccountId(
    kind: HouseKind,
    facilityId: string | null,
    currency: string,
  ): Promise<{ id: string; created: boolean }> {
    const find = () =>
      this.q<{ id: string }>(
        `SELECT id FROM ledger_accounts WHERE kind = $1 AND facility_id IS NOT DISTINCT FROM $2 AND currency = $3`,
        [kind, facilityId, currency],
      );
    const found = await find();
    if (found[0]) return { id: found[0].id, created: false };
    const inserted = await this.q<{ id: string }>(
      `INSERT INTO ledger_accounts (kind, facility_id, currency) VALUES ($1, $2, $3)
       ON CONFLICT (kind, coalesce(facility_id, '00000000-0000-0000-0000-000000000000'::uuid), currency)
         WHERE kind <> 'prisoner-wallet' DO NOTHING RETURNING id`,
      [kind, facilityId, currency],
    );
    if (inserted[0]) return { id: inserted[0].id, created: true };
    return { id: (await find())[0].id, created: false };
  }

  /**
   * The transaction's ledger writes as one write of few text shapes (with or without holds, with
   * or without settlements; each shape prepared once per connection): its
   * entries, each wallet's move (balance and holds, by the sum of its changes: two entries on one
   * wallet both count), the postings in order with their running balances, new holds and
   * settlements. `check` throws unless every wallet ends where the ledger computed under its lock.
   * `batch` is read when the statement is built, just before COMMIT.
   */
  batchWrite(batch: LedgerBatch): DeferredWrite {
    return {
      prepare: true,
      build: ({ param, name }) => {
        const e = batch.entries;
        const p = batch.postings;
        const w = batch.wallets;
        const h = batch.holds;
        const s = batch.settlements;
        const [entries, wallets, postings, holds, settlements] = [
          'entries',
          'wallets',
          'postings',
          'holds',
          'settlements',
        ].map(name);
        const walletIds = param(w.map((x) => x.id));
        return {
          ctes: [
            `${entries} AS (INSERT INTO ledger_entries (id, kind, facility_id, reference_id, description, request_id, created_at)
               SELECT * FROM unnest(${param(e.map((x) => x.id))}::uuid[], ${param(e.map((x) => x.kind))}::text[],
                 ${param(e.map((x) => x.facilityId))}::uuid[], ${param(e.map((x) => x.referenceId))}::uuid[],
                 ${param(e.map((x) => x.description))}::text[], ${param(e.map((x) => x.requestId))}::text[],
                 ${param(e.map((x) => x.createdAt))}::timestamptz[])
               RETURNING 1)`,
            // `a.id = ANY(ids)` finds the wallets by their key: joined to the unnest alone, the
            // prepared (generic) plan reads every account to find the one or two moved
            `${wallets} AS (UPDATE ledger_accounts a
                 SET balance_minor = a.balance_minor + x.db, held_minor = a.held_minor + x.dh
                FROM unnest(${walletIds}::uuid[], ${param(w.map((x) => x.balanceDelta))}::bigint[],
                            ${param(w.map((x) => x.heldDelta))}::bigint[]) AS x(id, db, dh)
               WHERE a.id = ANY(${walletIds}::uuid[]) AND a.id = x.id
               RETURNING a.id, a.balance_minor, a.held_minor)`,
            `${postings} AS (INSERT INTO ledger_postings (entry_id, account_id, amount_minor, currency, balance_after_minor, created_at)
               SELECT x.e, x.a, x.m, x.c, x.b, x.t
                 FROM unnest(${param(p.map((x) => x.entryId))}::uuid[], ${param(p.map((x) => x.accountId))}::uuid[],
                             ${param(p.map((x) => x.amountMinor))}::bigint[], ${param(p.map((x) => x.currency))}::text[],
                             ${param(p.map((x) => x.balanceAfterMinor))}::bigint[], ${param(p.map((x) => x.createdAt))}::timestamptz[])
                      WITH ORDINALITY AS x(e, a, m, c, b, t, n)
                ORDER BY x.n
               RETURNING 1)`,
            // holds and settlements only when there are some: most transactions (every charge)
            // have none, and each part of the statement costs its executor set-up on every run
            ...(h.length
              ? [
                  `${holds} AS (INSERT INTO ledger_holds (id, account_id, kind, reference_id, facility_id, amount_minor, currency,
                   description, request_id, created_at, expires_at)
                 SELECT * FROM unnest(${param(h.map((x) => x.id))}::uuid[], ${param(h.map((x) => x.accountId))}::uuid[],
                   ${param(h.map((x) => x.kind))}::text[], ${param(h.map((x) => x.referenceId))}::uuid[],
                   ${param(h.map((x) => x.facilityId))}::uuid[], ${param(h.map((x) => x.amountMinor))}::bigint[],
                   ${param(h.map((x) => x.currency))}::text[], ${param(h.map((x) => x.description))}::text[],
                   ${param(h.map((x) => x.requestId))}::text[], ${param(h.map((x) => x.createdAt))}::timestamptz[],
                   ${param(h.map((x) => x.expiresAt))}::timestamptz[])
                 RETURNING 1)`,
                ]
              : []),
            ...(s.length
              ? [
                  `${settlements} AS (INSERT INTO ledger_hold_settlements (hold_id, outcome, captured_minor, released_minor, entry_id,
                   request_id, created_at)
                 SELECT * FROM unnest(${param(s.map((x) => x.holdId))}::uuid[], ${param(s.map((x) => x.outcome))}::text[],
                   ${param(s.map((x) => x.capturedMinor))}::bigint[], ${param(s.map((x) => x.releasedMinor))}::bigint[],
                   ${param(s.map((x) => x.entryId))}::uuid[], ${param(s.map((x) => x.requestId))}::text[],
                   ${param(s.map((x) => x.createdAt))}::timestamptz[])
                 RETURNING 1)`,
                ]
              : []),
          ],
          result: `SELECT json_build_object(
              'wallets', (SELECT coalesce(json_agg(json_build_array(id, balance_minor::text, held_minor::text)), '[]') FROM ${wallets}),
              'written', (SELECT count(*) FROM ${entries}) + (SELECT count(*) FROM ${postings})${
                h.length ? ` + (SELECT count(*) FROM ${holds})` : ''
              }${s.length ? ` + (SELECT count(*) FROM ${settlements})` : ''})`,
        };
      },
      check: (value) => {
        const v = value as { wallets: Array<[string, string, string]>; written: number };
        const expected = batch.entries.length + batch.postings.length;
        if (v.written !== expected + batch.holds.length + batch.settlements.length)
          throw new Error(`the ledger wrote ${v.written} rows, not ${expected}`);
        const after = new Map(v.wallets.map(([id, b, held]) => [id, [toMinor(b), toMinor(held)]]));
        for (const x of batch.wallets) {
          const [b, held] = after.get(x.id) ?? [];
          if (b !== x.balanceAfter || held !== x.heldAfter)
            throw new Error(
              `wallet ${x.id} moved to ${b}/${held} held, not ${x.balanceAfter}/${x.heldAfter}`,
            );
        }
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
      reference_id: string;
      kind: EntryKind;
      amount_minor: string;
      balance_after_minor: string;
      description: string | null;
      created_at: Date;
    }>(
      `SELECT p.id, p.entry_id, e.reference_id, e.kind, p.amount_minor, p.balance_after_minor, e.description, p.created_at
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
      referenceId: r.reference_id,
      kind: r.kind,
      amountMinor: toMinor(r.amount_minor),
      balanceAfterMinor: toMinor(r.balance_after_minor),
      description: r.description,
      createdAt: r.created_at,
    }));
  }
}
