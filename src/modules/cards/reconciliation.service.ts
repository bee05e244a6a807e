import { Injectable } from '@nestjs/common';
import { UnitOfWork } from '../../common/database/unit-of-work';
import { MismatchDto as Mismatch, ReconciliationDto } from './dto/cards.dto';

/**
 * Recomputes every invariant of the money from the rows themselves: entries balance, cached wallet
 * balances equal their postings, no wallet below zero, every settled deposit credited exactly once
 * (and nothing credited that did not settle), charges and refunds matched by entries.
 */
@Injectable()
export class ReconciliationService {
  constructor(private readonly uow: UnitOfWork) {}

  async run(): Promise<ReconciliationDto> {
    const mismatches: Mismatch[] = [];
    const add = (check: string, rows: Array<{ id: string; detail: string }>) =>
      rows.forEach((r) => mismatches.push({ check, id: r.id, detail: r.detail }));
    // one snapshot for every check
    return this.uow.run(
      async (em) => {
        const q = (sql: string) => em.query(sql) as Promise<Array<{ id: string; detail: string }>>;
        add(
          'entry-balances',
          await q(`SELECT e.id, 'sum ' || coalesce(sum(p.amount_minor), 0) || ' over ' || count(p.id) || ' postings' AS detail
                   FROM ledger_entries e LEFT JOIN ledger_postings p ON p.entry_id = e.id
                  GROUP BY e.id HAVING coalesce(sum(p.amount_minor), 0) <> 0 OR count(p.id) < 2`),
        );
        add(
          'wallet-balance',
          await q(`SELECT a.id, 'cached ' || a.balance_minor || ', postings ' || coalesce(sum(p.amount_minor), 0) AS detail
                   FROM ledger_accounts a LEFT JOIN ledger_postings p ON p.account_id = a.id
                  WHERE a.kind = 'prisoner-wallet'
                  GROUP BY a.id HAVING a.balance_minor <> coalesce(sum(p.amount_minor), 0)`),
        );
        add(
          'wallet-negative',
          await q(`SELECT id, 'balance ' || balance_minor AS detail FROM ledger_accounts
                  WHERE kind = 'prisoner-wallet' AND balance_minor < 0`),
        );
        add(
          'running-balance',
          await q(`SELECT p.id::text AS id, 'posting ' || p.id || ' says ' || p.balance_after_minor || ', running sum ' || p.running AS detail
                   FROM (SELECT p.*, sum(p.amount_minor) OVER (PARTITION BY p.account_id ORDER BY p.id) AS running
                           FROM ledger_postings p JOIN ledger_accounts a ON a.id = p.account_id
                          WHERE a.kind = 'prisoner-wallet') p
                  WHERE p.balance_after_minor <> p.running`),
        );
        add(
          'deposit-credited-once',
          await q(`SELECT d.id, d.status || ' with ' || count(e.id) || ' entries' AS detail
                   FROM deposits d LEFT JOIN ledger_entries e
                     ON e.reference_id = d.id AND e.kind IN ('stripe-deposit','cash-deposit')
                  GROUP BY d.id, d.status
                 HAVING (d.status = 'succeeded') <> (count(e.id) = 1) OR count(e.id) > 1`),
        );
        add(
          'deposit-amount',
          await q(`SELECT d.id, 'deposit ' || d.amount_minor || ', wallet credited ' || p.amount_minor AS detail
                   FROM deposits d JOIN ledger_postings p ON p.entry_id = d.entry_id
                   JOIN ledger_accounts a ON a.id = p.account_id AND a.kind = 'prisoner-wallet'
                  WHERE p.amount_minor <> d.amount_minor`),
        );
        add(
          'charge-entry',
          await q(`SELECT c.id, c.outcome || ', ' || count(e.id) || ' entries' AS detail
                   FROM charges c LEFT JOIN ledger_entries e ON e.reference_id = c.id AND e.kind = 'charge'
                  GROUP BY c.id, c.outcome HAVING (c.outcome = 'approved') <> (count(e.id) = 1)`),
        );
        add(
          'refunds-total',
          await q(`SELECT c.id, 'refunded ' || c.refunded_minor || ', refunds sum ' || coalesce(sum(r.amount_minor), 0) AS detail
                   FROM charges c LEFT JOIN refunds r ON r.charge_id = c.id
                  GROUP BY c.id, c.refunded_minor, c.amount_minor
                 HAVING c.refunded_minor <> coalesce(sum(r.amount_minor), 0) OR coalesce(sum(r.amount_minor), 0) > c.amount_minor`),
        );
        const [counts] = (await em.query(
          `SELECT (SELECT count(*) FROM ledger_entries) AS entries, (SELECT count(*) FROM ledger_accounts) AS accounts`,
        )) as Array<{ entries: string; accounts: string }>;
        return {
          ok: mismatches.length === 0,
          entriesChecked: Number(counts.entries),
          accountsChecked: Number(counts.accounts),
          mismatches,
        };
      },
      { isolation: 'REPEATABLE READ' },
    );
  }
}
