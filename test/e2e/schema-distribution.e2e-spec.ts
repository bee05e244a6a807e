import { createTestDatabase, dropTestDatabase, superuserQuery } from '../support/database';

/**
 * The schema against the plan for outgrowing one PostgreSQL server (docs/scaling.md): Citus
 * distributes the facility-owned tables by `facility_id`, co-located, so that one facility's
 * work (a charge, a call, a parcel, a booking) stays on one node; small tables every node reads
 * are reference tables. Every table is classified here: a new one fails this test until it is.
 */

/** Distributed by facility_id: each carries it, NOT NULL. */
const DISTRIBUTED = [
  'charges',
  'deposits',
  'long_visits',
  'orderly_assignments',
  'orderly_positions',
  'orderly_wages',
  'parcels',
  'payphone_bookings',
  'payphone_calls',
  'prisoner_conditions_changes',
  'prisoners',
  'relative_links',
  'visit_room_closures',
  'visit_rooms',
];

/**
 * Distributed by facility_id, but some rows have none yet: national rows (the national audit
 * chain, the Stripe clearing account and its entries), a prisoner's wallet (it follows the
 * prisoner, not a facility), a record that may outlive a facility. Before distribution each gets
 * a facility (or a table of its own for the national rows): docs/scaling.md, "what is left".
 */
const DISTRIBUTED_NULLABLE = [
  'audit_events',
  'disability_records',
  'ledger_accounts',
  'ledger_entries',
  'ledger_holds',
];

/**
 * Facility-owned rows reached through a parent that has facility_id, without it themselves: to
 * be co-located they need the column (copied from the parent on insert). Listed with the parent.
 */
const CHILDREN_WITHOUT_FACILITY_ID: Record<string, string> = {
  audit_chain_heads: 'audit_events (chain_key names the facility)',
  cards: 'prisoners',
  idempotency_keys: 'the use case whose answer it keeps',
  ledger_hold_settlements: 'ledger_holds',
  ledger_postings: 'ledger_entries',
  parcel_events: 'parcels',
  payphone_contacts: 'prisoners',
  prisoner_transfers: 'prisoners (from_facility_id and to_facility_id)',
  refunds: 'charges',
};

/** Reference tables: small, read by every node, written rarely; replicated to each. */
const REFERENCE = [
  'facilities',
  'policy_versions',
  'relatives',
  'staff_accounts',
  'staff_facility_scopes',
  'terminals',
];

/** Not distributed: national, or keyed by something other than a facility; kept on the coordinator. */
const COORDINATOR = [
  'audit_checkpoints',
  'schema_migrations',
  'sign_in_failures',
  'sign_in_known_clients',
  'stripe_events',
];

describe('the schema against the distribution plan (docs/scaling.md)', () => {
  let db: string;
  let columns: Array<{ table_name: string; column_name: string; is_nullable: string }>;

  beforeAll(async () => {
    db = (await createTestDatabase()).name;
    columns = await superuserQuery(
      db,
      `SELECT c.table_name, c.column_name, c.is_nullable
         FROM information_schema.columns c
         JOIN information_schema.tables t USING (table_schema, table_name)
        WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE'`,
    );
  });
  afterAll(() => dropTestDatabase(db));

  const tables = () => [...new Set(columns.map((c) => c.table_name))].sort();
  const facilityId = (table: string) =>
    columns.find((c) => c.table_name === table && c.column_name === 'facility_id');
  const classified = [
    ...DISTRIBUTED,
    ...DISTRIBUTED_NULLABLE,
    ...Object.keys(CHILDREN_WITHOUT_FACILITY_ID),
    ...REFERENCE,
    ...COORDINATOR,
  ];

  it('classifies every table once, and only tables that exist', () => {
    expect(classified.length).toBe(new Set(classified).size);
    expect([...classified].sort()).toEqual(tables());
  });

  it('gives every distributed table a facility_id, NOT NULL', () => {
    const wrong = DISTRIBUTED.filter((t) => facilityId(t)?.is_nullable !== 'NO');
    expect(wrong).toEqual([]);
  });

  it('keeps the list of tables whose facility_id may be null exact (fix one: move it up)', () => {
    const present = DISTRIBUTED_NULLABLE.map((t) => [t, facilityId(t)?.is_nullable]);
    expect(present).toEqual(DISTRIBUTED_NULLABLE.map((t) => [t, 'YES']));
  });

  it('keeps the list of child tables without facility_id exact (give one the column: move it up)', () => {
    const having = Object.keys(CHILDREN_WITHOUT_FACILITY_ID).filter((t) => facilityId(t));
    expect(having).toEqual([]);
  });
});
