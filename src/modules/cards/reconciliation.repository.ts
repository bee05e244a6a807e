import { Injectable } from '@nestjs/common';
import { SqlRepository } from '../../common/database/sql-repository';

export interface MismatchRow {
  check: string;
  id: string;
  detail: string;
}

/**
 * Each invariant of the money as a query over the rows themselves: what it returns breaks it.
 * Run them in one snapshot (the caller's REPEATABLE READ transaction).
 */
const CHECKS: Array<[check: string, sql: string]> = [
  [
    'entry-balances',
    `SELECT e.id, 'sum ' || coalesce(sum(p.amount_minor), 0) || ' over ' || count(p.id) || ' postings' AS detail
       FROM ledger_entries e LEFT JOIN ledger_postings p ON p.entry_id = e.id
      GROUP BY e.id HAVING coalesce(sum(p.amount_minor), 0) <> 0 OR count(p.id) < 2`,
  ],
  [
    'wallet-balance',
    `SELECT a.id, 'cached ' || a.balance_minor || ', postings ' || coalesce(sum(p.amount_minor), 0) AS detail
       FROM ledger_accounts a LEFT JOIN ledger_postings p ON p.account_id = a.id
      WHERE a.kind = 'prisoner-wallet'
      GROUP BY a.id HAVING a.balance_minor <> coalesce(sum(p.amount_minor), 0)`,
  ],
  [
    'wallet-negative',
    `SELECT id, 'balance ' || balance_minor AS detail FROM ledger_accounts
      WHERE kind = 'prisoner-wallet' AND balance_minor < 0`,
  ],
  [
    'running-balance',
    `SELECT p.id::text AS id, 'posting ' || p.id || ' says ' || p.balance_after_minor || ', running sum ' || p.running AS detail
       FROM (SELECT p.*, sum(p.amount_minor) OVER (PARTITION BY p.account_id ORDER BY p.id) AS running
               FROM ledger_postings p JOIN ledger_accounts a ON a.id = p.account_id
              WHERE a.kind = 'prisoner-wallet') p
      WHERE p.balance_after_minor <> p.running`,
  ],
  [
    'deposit-credited-once',
    `SELECT d.id, d.status || ' with ' || count(e.id) || ' entries' AS detail
       FROM deposits d LEFT JOIN ledger_entries e
         ON e.reference_id = d.id AND e.kind IN ('stripe-deposit','cash-deposit')
      GROUP BY d.id, d.status
     HAVING (d.status = 'succeeded') <> (count(e.id) = 1) OR count(e.id) > 1`,
  ],
  [
    'deposit-amount',
    `SELECT d.id, 'deposit ' || d.amount_minor || ', wallet credited ' || p.amount_minor AS detail
       FROM deposits d JOIN ledger_postings p ON p.entry_id = d.entry_id
       JOIN ledger_accounts a ON a.id = p.account_id AND a.kind = 'prisoner-wallet'
      WHERE p.amount_minor <> d.amount_minor`,
  ],
  // holds: the wallet's cached sum of unsettled holds is theirs; no wallet holds more than it has
  [
    'wallet-held',
    `SELECT a.id, 'cached held ' || a.held_minor || ', unsettled holds ' || coalesce(sum(h.amount_minor), 0) AS detail
       FROM ledger_accounts a
       LEFT JOIN ledger_holds h ON h.account_id = a.id
        AND NOT EXISTS (SELECT 1 FROM ledger_hold_settlements s WHERE s.hold_id = h.id)
      GROUP BY a.id HAVING a.held_minor <> coalesce(sum(h.amount_minor), 0)`,
  ],
  [
    'wallet-available',
    `SELECT id, 'balance ' || balance_minor || ', held ' || held_minor AS detail FROM ledger_accounts
      WHERE kind = 'prisoner-wallet' AND balance_minor < held_minor`,
  ],
  [
    'hold-account',
    `SELECT h.id::text AS id, 'a hold on ' || coalesce(a.kind, 'no account') AS detail
       FROM ledger_holds h LEFT JOIN ledger_accounts a ON a.id = h.account_id
      WHERE a.kind IS DISTINCT FROM 'prisoner-wallet' OR a.currency <> h.currency`,
  ],
  [
    'hold-settlement',
    `SELECT h.id::text AS id, 'held ' || h.amount_minor || ', captured ' || s.captured_minor || ' and released ' || s.released_minor AS detail
       FROM ledger_holds h JOIN ledger_hold_settlements s ON s.hold_id = h.id
      WHERE s.captured_minor + s.released_minor <> h.amount_minor`,
  ],
  [
    'hold-capture-entry',
    `SELECT h.id::text AS id, 'captured ' || s.captured_minor || ', the wallet moved ' || coalesce(sum(p.amount_minor), 0) AS detail
       FROM ledger_holds h JOIN ledger_hold_settlements s ON s.hold_id = h.id
       LEFT JOIN ledger_postings p ON p.entry_id = s.entry_id AND p.account_id = h.account_id
      WHERE s.captured_minor > 0
      GROUP BY h.id, s.captured_minor HAVING coalesce(sum(p.amount_minor), 0) <> -s.captured_minor`,
  ],
  // money Stripe took that is not the deposit's amount: credited nothing, a person must settle it
  [
    'deposit-amount-mismatch',
    `SELECT id, coalesce(failure_reason, 'Stripe took another amount') AS detail
       FROM deposits WHERE status = 'amount-mismatch'`,
  ],
  [
    'charge-entry',
    `SELECT c.id, c.outcome || ', ' || count(e.id) || ' entries' AS detail
       FROM charges c LEFT JOIN ledger_entries e ON e.reference_id = c.id AND e.kind = 'charge'
      GROUP BY c.id, c.outcome HAVING (c.outcome = 'approved') <> (count(e.id) = 1)`,
  ],
  [
    'refunds-total',
    `SELECT c.id, 'refunded ' || c.refunded_minor || ', refunds sum ' || coalesce(sum(r.amount_minor), 0) AS detail
       FROM charges c LEFT JOIN refunds r ON r.charge_id = c.id
      GROUP BY c.id, c.refunded_minor, c.amount_minor
     HAVING c.refunded_minor <> coalesce(sum(r.amount_minor), 0) OR coalesce(sum(r.amount_minor), 0) > c.amount_minor`,
  ],
];

/** The reconciliation's reads; only ReconciliationService uses it. */
@Injectable()
export class ReconciliationRepository extends SqlRepository {
  async mismatches(): Promise<MismatchRow[]> {
    const found: MismatchRow[] = [];
    for (const [check, sql] of CHECKS) {
      for (const r of await this.q<{ id: string; detail: string }>(sql))
        found.push({ check, id: r.id, detail: r.detail });
    }
    return found;
  }

  async counts(): Promise<{ entries: number; accounts: number }> {
    const [r] = await this.q<{ entries: string; accounts: string }>(
      `SELECT (SELECT count(*) FROM ledger_entries) AS entries, (SELECT count(*) FROM ledger_accounts) AS accounts`,
    );
    return { entries: Number(r.entries), accounts: Number(r.accounts) };
  }
}
