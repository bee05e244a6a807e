import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import type { UnitOfWork } from '../../src/common/database/unit-of-work';
import { LedgerBatch, LedgerRepository } from '../../src/modules/cards/ledger.repository';
import { createTestDatabase, dropTestDatabase } from '../support/database';

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  Plans?: PlanNode[];
}

const scans = (n: PlanNode): string[] => [
  ...(n['Node Type'] === 'Seq Scan' ? [n['Relation Name']!] : []),
  ...(n.Plans ?? []).flatMap(scans),
];

/**
 * The ledger's last statement is prepared: after a few runs PostgreSQL plans it once for any
 * parameters (a generic plan) and keeps that plan. It must find what it moves by key in a ledger
 * of many wallets, never by reading every account.
 */
describe("the ledger's batch write, as a prepared statement plans it", () => {
  let db: { name: string; url: string };
  let c: Client;

  beforeAll(async () => {
    db = await createTestDatabase();
    c = new Client({ connectionString: db.url });
    await c.connect();
    // a facility with 2 000 prisoners, each with a wallet
    await c.query(`
      WITH f AS (INSERT INTO facilities (code, name, time_zone, created_at) VALUES ('PLANS', 'Plans', 'Asia/Almaty', now()) RETURNING id),
           p AS (INSERT INTO prisoners (facility_id, personal_number, full_name, security_level, conditions, created_at, updated_at)
                 SELECT f.id, 'PLN-' || i, 'Prisoner ' || i, 'medium', 'ordinary', now(), now() FROM f, generate_series(1, 2000) i
                 RETURNING id)
      INSERT INTO ledger_accounts (kind, prisoner_id, currency, balance_minor)
      SELECT 'prisoner-wallet', p.id, 'KZT', 1000 FROM p`);
    await c.query(`ANALYZE facilities, prisoners, ledger_accounts`);
  });
  afterAll(async () => {
    await c.end();
    await dropTestDatabase(db.name);
  });

  it('moves a wallet found by its key, not by reading every account', async () => {
    const [w] = (await c.query(`SELECT id FROM ledger_accounts LIMIT 1`)).rows as Array<{
      id: string;
    }>;
    const entryId = randomUUID();
    const now = new Date();
    const batch: LedgerBatch = {
      entries: [
        {
          id: entryId,
          kind: 'charge',
          facilityId: null,
          referenceId: randomUUID(),
          description: 'tea',
          requestId: null,
          createdAt: now,
        },
      ],
      postings: [
        {
          entryId,
          accountId: w.id,
          amountMinor: -100,
          currency: 'KZT',
          balanceAfterMinor: 900,
          createdAt: now,
        },
      ],
      wallets: [{ id: w.id, balanceDelta: -100, heldDelta: 0, balanceAfter: 900, heldAfter: 0 }],
      holds: [],
      settlements: [],
    };
    let n = 0;
    const built = new LedgerRepository({} as UnitOfWork).batchWrite(batch).build({
      param: () => `$${++n}`,
      name: (local) => `d0_${local}`,
    });
    const sql = `WITH ${built.ctes.join(',\n')} SELECT (${built.result}) AS r0`;
    const [row] = (await c.query(`EXPLAIN (GENERIC_PLAN, FORMAT JSON) ${sql}`)).rows as Array<{
      'QUERY PLAN': Array<{ Plan: PlanNode }>;
    }>;
    expect(scans(row['QUERY PLAN'][0].Plan)).toEqual([]);
  });
});
