// The country's people and money, written straight into the app's tables (after its migrations)
// in multi-row inserts: prisoners with their registration in the conditions history, cards, wallets
// each funded by a cash deposit booked as the app books one (the deposit, its ledger entry, the
// wallet's and the facility's cash-clearing postings: balances equal their postings), approved
// numbers, relatives with an approved link, and each facility's staff. Seeded rows carry no audit
// events (an import, not decisions): the chains stay valid.
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import path from 'node:path';
import { serverRoot } from '../server.mjs';

const require = createRequire(path.join(serverRoot, 'package.json'));
const { luhnCheckDigit, cardNumberHmac } = require('./dist/src/modules/cards/domain/card-number.js');

const LEVELS = { minimum: 25, medium: 40, maximum: 20, extreme: 3, mixed: 7, full: 5 };
const CONDITIONS = { strict: 15, ordinary: 55, facilitated: 20, preferential: 10 };
const STAFF_ROLES = ['intake-officer', 'phone-officer', 'commissary-operator', 'finance-officer', 'visits-officer'];
const CHUNK = 5000;

/** `INSERT … SELECT * FROM unnest(…)` of `rows` (arrays in `cols` order), in chunks. */
async function insert(db, table, cols, rows) {
  const names = cols.map((c) => c.split(':')[0]);
  const types = cols.map((c) => c.split(':')[1]);
  for (let i = 0; i < rows.length; i += CHUNK) {
    const part = rows.slice(i, i + CHUNK);
    const arrays = names.map((_, k) => part.map((r) => r[k]));
    await db.query(
      `INSERT INTO ${table} (${names.join(', ')}) SELECT * FROM unnest(${types.map((t, k) => `$${k + 1}::${t}[]`).join(', ')})`,
      arrays,
    );
  }
}

/** A 16-digit card number of the app's issuer prefix, the n-th of the seed, with its Luhn digit. */
function cardNumber(n) {
  const body = `9398${String(n).padStart(11, '0')}`;
  return body + luhnCheckDigit(body);
}

/**
 * Returns the prisoners ({ id, facility, level, conditions, card: { number, blocked } | null,
 * balanceMinor, numbers: [E.164], relativeId }) and each facility's staff account id (`staffIds`).
 */
export async function seedPeople(db, { facilities, prisoners: count, rnd, cardSecret, adminId, at, passwordHash }) {
  const prisoners = [];
  for (let i = 0; i < count; i++) {
    const facility = i % facilities.length;
    const low = rnd.chance(0.05); // a few wallets nearly empty: their charges are declined
    prisoners.push({
      id: randomUUID(),
      facility,
      personalNumber: `KZ${String(i + 1).padStart(7, '0')}`,
      level: rnd.weighted(LEVELS),
      conditions: rnd.weighted(CONDITIONS),
      card: rnd.chance(0.99) ? { number: cardNumber(i + 1), blocked: rnd.chance(0.01) } : null,
      balanceMinor: low ? rnd.int(1, 20) * 100 : rnd.int(500, 5000) * 1000,
      numbers: rnd.chance(0.95) ? Array.from({ length: rnd.int(1, 3) }, (_, k) => `+7701${String(i * 3 + k).padStart(7, '0')}`) : [],
      relativeId: null,
    });
  }
  const fid = (p) => facilities[p.facility].id;
  await db.query('BEGIN');
  await insert(
    db,
    'prisoners',
    ['id:uuid', 'facility_id:uuid', 'personal_number:text', 'full_name:text', 'security_level:text', 'conditions:text', 'status:text', 'created_at:timestamptz', 'updated_at:timestamptz'],
    prisoners.map((p, i) => [p.id, fid(p), p.personalNumber, `Prisoner ${i + 1}`, p.level, p.conditions, 'held', at, at]),
  );
  await insert(
    db,
    'prisoner_conditions_changes',
    ['prisoner_id:uuid', 'facility_id:uuid', 'to_conditions:text', 'reason:text', 'changed_by:uuid', 'changed_at:timestamptz'],
    prisoners.map((p) => [p.id, fid(p), p.conditions, 'registration', adminId, at]),
  );
  const carded = prisoners.filter((p) => p.card);
  await insert(
    db,
    'cards',
    ['prisoner_id:uuid', 'last4:text', 'number_hmac:text', 'status:text', 'blocked_reason:text', 'issued_by:uuid', 'issued_at:timestamptz', 'blocked_at:timestamptz'],
    carded.map((p) => [
      p.id, p.card.number.slice(-4), cardNumberHmac(cardSecret, p.card.number),
      p.card.blocked ? 'blocked' : 'active', p.card.blocked ? 'reported lost' : null, adminId, at, p.card.blocked ? at : null,
    ]),
  );

  // money: a cash deposit per prisoner, booked as CashDepositsService books one
  const clearing = facilities.map(() => randomUUID());
  await insert(
    db,
    'ledger_accounts',
    ['id:uuid', 'kind:text', 'facility_id:uuid', 'currency:text', 'created_at:timestamptz'],
    facilities.map((f, i) => [clearing[i], 'cash-clearing', f.id, 'KZT', at]),
  );
  const money = prisoners.map((p, i) => ({ p, wallet: randomUUID(), deposit: randomUUID(), entry: randomUUID(), receipt: `SEED-${i + 1}` }));
  await insert(
    db,
    'ledger_accounts',
    ['id:uuid', 'kind:text', 'prisoner_id:uuid', 'currency:text', 'balance_minor:int8', 'created_at:timestamptz'],
    money.map((m) => [m.wallet, 'prisoner-wallet', m.p.id, 'KZT', m.p.balanceMinor, at]),
  );
  await insert(
    db,
    'deposits',
    ['id:uuid', 'prisoner_id:uuid', 'facility_id:uuid', 'method:text', 'amount_minor:int8', 'currency:text', 'status:text', 'receipt_number:text', 'entry_id:uuid', 'created_by:uuid', 'created_at:timestamptz', 'updated_at:timestamptz'],
    money.map((m) => [m.deposit, m.p.id, fid(m.p), 'cash', m.p.balanceMinor, 'KZT', 'succeeded', m.receipt, m.entry, adminId, at, at]),
  );
  await insert(
    db,
    'ledger_entries',
    ['id:uuid', 'kind:text', 'facility_id:uuid', 'reference_id:uuid', 'description:text', 'created_at:timestamptz'],
    money.map((m) => [m.entry, 'cash-deposit', fid(m.p), m.deposit, `cash, receipt ${m.receipt}`, at]),
  );
  await insert(
    db,
    'ledger_postings',
    ['entry_id:uuid', 'account_id:uuid', 'amount_minor:int8', 'currency:text', 'balance_after_minor:int8', 'created_at:timestamptz'],
    money.flatMap((m) => [
      [m.entry, m.wallet, m.p.balanceMinor, 'KZT', m.p.balanceMinor, at],
      [m.entry, clearing[m.p.facility], -m.p.balanceMinor, 'KZT', null, at],
    ]),
  );
  await insert(
    db,
    'payphone_contacts',
    ['prisoner_id:uuid', 'phone_number:text', 'name:text', 'relationship:text', 'status:text', 'requested_by_kind:text', 'requested_by_id:uuid', 'created_at:timestamptz', 'decided_at:timestamptz', 'decided_by:uuid'],
    prisoners.flatMap((p) => p.numbers.map((n, k) => [p.id, n, `Family ${k + 1}`, k ? 'sibling' : 'parent', 'approved', 'staff', adminId, at, at, adminId])),
  );

  // relatives: one for each of 55 % of the prisoners, linked and approved
  const related = prisoners.filter(() => rnd.chance(0.55));
  for (const p of related) p.relativeId = randomUUID();
  await insert(
    db,
    'relatives',
    ['id:uuid', 'email:text', 'password_hash:text', 'full_name:text', 'phone:text', 'created_at:timestamptz'],
    related.map((p, i) => [p.relativeId, `relative-${i + 1}@example.kz`, passwordHash, `Relative ${i + 1}`, '+77011234567', at]),
  );
  await insert(
    db,
    'relative_links',
    ['relative_id:uuid', 'facility_id:uuid', 'prisoner_personal_number:text', 'prisoner_id:uuid', 'relationship:text', 'status:text', 'decided_by:uuid', 'decided_at:timestamptz', 'created_at:timestamptz'],
    related.map((p) => [p.relativeId, fid(p), p.personalNumber, p.id, 'spouse', 'approved', adminId, at, at]),
  );

  // each facility's staff: one account holding the facility's day-to-day roles
  const staffIds = [];
  for (const f of facilities) {
    const id = randomUUID();
    await db.query(
      `INSERT INTO staff_accounts (id, username, password_hash, full_name, roles, created_by, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $7)`,
      [id, `staff-${f.code.toLowerCase()}`, passwordHash, `Staff of ${f.code}`, STAFF_ROLES, adminId, at],
    );
    await db.query(`INSERT INTO staff_facility_scopes (staff_id, facility_id) VALUES ($1, $2)`, [id, f.id]);
    staffIds.push(id);
  }
  await db.query('COMMIT');
  // the seed's dead weight settled before anything is measured: statistics, the visibility map
  // (no autovacuum of 400 000 new rows during the replay) and the dirty pages written out
  await db.query('VACUUM (ANALYZE)');
  await db.query('CHECKPOINT');
  return { prisoners, staffIds };
}
