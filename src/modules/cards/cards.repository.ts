import { Injectable } from '@nestjs/common';
import { Row, SqlRepository } from '../../common/database/sql-repository';
import { toMinor } from '../../common/money';
import type { WalletOwnerLookup } from './ledger.repository';

export interface CardRow {
  id: string;
  prisonerId: string;
  last4: string;
  status: 'active' | 'blocked';
  blockedReason: string | null;
  issuedAt: Date;
  blockedAt: Date | null;
}

export interface ChargeRow {
  id: string;
  facilityId: string;
  terminalId: string;
  cardId: string | null;
  prisonerId: string | null;
  amountMinor: number;
  currency: string;
  outcome: 'approved' | 'declined';
  refundedMinor: number;
  balanceAfterMinor: number | null;
  localMonth: string;
}

const card = (r: Row): CardRow => ({
  id: r.id as string,
  prisonerId: r.prisoner_id as string,
  last4: r.last4 as string,
  status: r.status as CardRow['status'],
  blockedReason: (r.blocked_reason as string | null) ?? null,
  issuedAt: r.issued_at as Date,
  blockedAt: (r.blocked_at as Date | null) ?? null,
});
const charge = (r: Row): ChargeRow => ({
  id: r.id as string,
  facilityId: r.facility_id as string,
  terminalId: r.terminal_id as string,
  cardId: (r.card_id as string | null) ?? null,
  prisonerId: (r.prisoner_id as string | null) ?? null,
  amountMinor: toMinor(r.amount_minor as string),
  currency: r.currency as string,
  outcome: r.outcome as ChargeRow['outcome'],
  refundedMinor: toMinor(r.refunded_minor as string),
  balanceAfterMinor:
    r.balance_after_minor === null ? null : toMinor(r.balance_after_minor as string),
  localMonth: r.local_month as string,
});

/** Cards, charges and refunds. */
@Injectable()
export class CardsRepository extends SqlRepository {
  async blockActive(prisonerId: string, reason: string, at: Date): Promise<string[]> {
    const rows = await this.q(
      `UPDATE cards SET status = 'blocked', blocked_reason = $2, blocked_at = $3
        WHERE prisoner_id = $1 AND status = 'active' RETURNING id`,
      [prisonerId, reason, at],
    );
    return rows.map((r) => r.id as string);
  }

  async insertCard(c: {
    prisonerId: string;
    last4: string;
    numberHmac: string;
    issuedBy: string;
    issuedAt: Date;
  }): Promise<CardRow> {
    const rows = await this.q(
      `INSERT INTO cards (prisoner_id, last4, number_hmac, status, issued_by, issued_at)
       VALUES ($1, $2, $3, 'active', $4, $5) RETURNING *`,
      [c.prisonerId, c.last4, c.numberHmac, c.issuedBy, c.issuedAt],
    );
    return card(rows[0]);
  }

  async findCard(id: string, lock = false): Promise<CardRow | null> {
    const rows = await this.q(`SELECT * FROM cards WHERE id = $1 ${lock ? 'FOR UPDATE' : ''}`, [
      id,
    ]);
    return rows[0] ? card(rows[0]) : null;
  }

  async findCardByHmac(hmac: string): Promise<CardRow | null> {
    const rows = await this.q(`SELECT * FROM cards WHERE number_hmac = $1`, [hmac]);
    return rows[0] ? card(rows[0]) : null;
  }

  /**
   * For a charge: the card behind a number and its holder, as a lookup the ledger runs with its
   * lock of the holder's wallet (one round trip for all three). The holder is share-locked first
   * (`holder`: the facilities module's lookup of a prisoner by an id subquery), then the card
   * (blocking it waits for a decision under way, and the other way round), then the wallet: the
   * order of every decision about a prisoner, so a charge never holds a wallet a move waits for
   * while it waits for the move.
   */
  cardByHmacLookup(
    hmac: string,
    holder: (idSql: string) => { sql: string },
  ): { lookup: WalletOwnerLookup; map: (row: Row) => CardRow } {
    return {
      lookup: {
        // c waits for h: its condition reads h, so the prisoner is locked before the card
        sql: `WITH h AS (${holder('SELECT prisoner_id FROM cards WHERE number_hmac = $1').sql}),
                   c AS (SELECT id, prisoner_id, last4, status, blocked_reason, issued_at, blocked_at
                           FROM cards WHERE number_hmac = $1 AND prisoner_id = (SELECT holder_id FROM h)
                            FOR SHARE)
              SELECT c.*, h.* FROM c JOIN h ON true`,
        params: [hmac],
      },
      map: card,
    };
  }

  async cardsOf(prisonerId: string): Promise<CardRow[]> {
    return (
      await this.q(`SELECT * FROM cards WHERE prisoner_id = $1 ORDER BY issued_at, id`, [
        prisonerId,
      ])
    ).map(card);
  }

  async setCardStatus(
    id: string,
    status: 'active' | 'blocked',
    reason: string | null,
    at: Date | null,
  ): Promise<CardRow> {
    const rows = await this.q(
      `UPDATE cards SET status = $2, blocked_reason = $3, blocked_at = $4 WHERE id = $1 RETURNING *`,
      [id, status, reason, at],
    );
    return card(rows[0]);
  }

  /** Net spending in a local month: approved charges less what was refunded of them. */
  async spentInMonth(prisonerId: string, month: string): Promise<number> {
    const rows = await this.q(
      `SELECT coalesce(sum(amount_minor - refunded_minor), 0) AS s FROM charges
        WHERE prisoner_id = $1 AND local_month = $2 AND outcome = 'approved'`,
      [prisonerId, month],
      { prepare: true },
    );
    return toMinor(rows[0].s as string);
  }

  /** Stores a charge decision with the transaction's last writes (see UnitOfWork.defer). */
  deferInsertCharge(
    c: Omit<ChargeRow, 'refundedMinor'> & {
      items: unknown;
      reasons: unknown;
      policyVersionIds: string[];
      entryId: string | null;
      createdAt: Date;
    },
  ): void {
    this.uow.defer({
      build: ({ param, name }) => ({
        ctes: [
          `${name('charge')} AS (
             INSERT INTO charges (id, facility_id, terminal_id, card_id, prisoner_id, amount_minor, currency, items,
               outcome, reasons, policy_version_ids, balance_after_minor, entry_id, local_month, created_at)
             VALUES (${param(c.id)}::uuid, ${param(c.facilityId)}::uuid, ${param(c.terminalId)}::uuid,
               ${param(c.cardId)}::uuid, ${param(c.prisonerId)}::uuid, ${param(c.amountMinor)}::bigint,
               ${param(c.currency)}, ${param(JSON.stringify(c.items))}::jsonb, ${param(c.outcome)},
               ${param(JSON.stringify(c.reasons))}::jsonb, ${param(c.policyVersionIds)}::uuid[],
               ${param(c.balanceAfterMinor)}::bigint, ${param(c.entryId)}::uuid, ${param(c.localMonth)},
               ${param(c.createdAt)}::timestamptz)
             RETURNING 1)`,
        ],
        result: `SELECT count(*)::int FROM ${name('charge')}`,
      }),
      check: (n) => {
        if (n !== 1) throw new Error(`charge ${c.id} was not stored`);
      },
      prepare: true,
    });
  }

  async findCharge(id: string, lock = false): Promise<ChargeRow | null> {
    const rows = await this.q(`SELECT * FROM charges WHERE id = $1 ${lock ? 'FOR UPDATE' : ''}`, [
      id,
    ]);
    return rows[0] ? charge(rows[0]) : null;
  }

  async addRefunded(chargeId: string, amountMinor: number): Promise<void> {
    await this.q(`UPDATE charges SET refunded_minor = refunded_minor + $2 WHERE id = $1`, [
      chargeId,
      amountMinor,
    ]);
  }

  async insertRefund(r: {
    id: string;
    chargeId: string;
    amountMinor: number;
    reason: string;
    actorKind: string;
    actorId: string;
    entryId: string;
    localMonth: string;
    createdAt: Date;
  }): Promise<void> {
    await this.q(
      `INSERT INTO refunds (id, charge_id, amount_minor, reason, actor_kind, actor_id, entry_id, local_month, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [
        r.id,
        r.chargeId,
        r.amountMinor,
        r.reason,
        r.actorKind,
        r.actorId,
        r.entryId,
        r.localMonth,
        r.createdAt,
      ],
    );
  }
}
