import { Injectable } from '@nestjs/common';
import { SqlRepository } from '../../common/database/sql-repository';
import {
  CLOSURE_COLUMNS,
  VISIT_ROOM_COLUMNS,
  VisitRoom,
  VisitRoomClosure,
} from './entities/long-visit.row';

/** One slot of the availability calendar: a visit starting `date`, lasting `days`, at these instants. */
export interface Slot {
  date: string;
  days: number;
  startsAt: Date;
  endsAt: Date;
}

@Injectable()
export class VisitRoomsRepository extends SqlRepository {
  async insert(r: Omit<VisitRoom, 'id' | 'active'>): Promise<VisitRoom> {
    const [row] = await this.q<VisitRoom>(
      `INSERT INTO visit_rooms AS r (facility_id, name, capacity, created_at)
       VALUES ($1, $2, $3, $4) RETURNING ${VISIT_ROOM_COLUMNS}`,
      [r.facilityId, r.name, r.capacity, r.createdAt],
    );
    return row;
  }

  async findById(id: string): Promise<VisitRoom | null> {
    const [row] = await this.q<VisitRoom>(
      `SELECT ${VISIT_ROOM_COLUMNS} FROM visit_rooms r WHERE r.id = $1`,
      [id],
    );
    return row ?? null;
  }

  /**
   * The room, locked against bookings until the transaction ends: a closure takes it for update,
   * a booking for share, so a booking never slips into a room a concurrent closure is emptying.
   */
  async lock(id: string, mode: 'update' | 'share'): Promise<VisitRoom | null> {
    const [row] = await this.q<VisitRoom>(
      `SELECT ${VISIT_ROOM_COLUMNS} FROM visit_rooms r WHERE r.id = $1
         FOR ${mode === 'update' ? 'UPDATE' : 'SHARE'}`,
      [id],
    );
    return row ?? null;
  }

  listByFacility(facilityId: string): Promise<VisitRoom[]> {
    return this.q<VisitRoom>(
      `SELECT ${VISIT_ROOM_COLUMNS} FROM visit_rooms r WHERE r.facility_id = $1 ORDER BY r.name, r.id`,
      [facilityId],
    );
  }

  async insertClosure(c: Omit<VisitRoomClosure, 'id'>): Promise<VisitRoomClosure> {
    const [row] = await this.q<VisitRoomClosure>(
      `INSERT INTO visit_room_closures AS c
         (room_id, facility_id, from_date, to_date, reason, created_by, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ${CLOSURE_COLUMNS}`,
      [c.roomId, c.facilityId, c.from, c.to, c.reason, c.createdBy, c.createdAt],
    );
    return row;
  }

  /** Whether the room is closed on any date from `from` to `to`. */
  async closedBetween(roomId: string, from: string, to: string): Promise<boolean> {
    const rows = await this.q(
      `SELECT 1 FROM visit_room_closures
        WHERE room_id = $1 AND daterange(from_date, to_date, '[]') && daterange($2::date, $3::date, '[]')
        LIMIT 1`,
      [roomId, from, to],
    );
    return rows.length > 0;
  }

  closuresOf(roomIds: readonly string[]): Promise<VisitRoomClosure[]> {
    return this.q<VisitRoomClosure>(
      `SELECT ${CLOSURE_COLUMNS} FROM visit_room_closures c WHERE c.room_id = ANY($1::uuid[])
        ORDER BY c.from_date, c.id`,
      [roomIds],
    );
  }

  /**
   * For each slot, how many active rooms of the facility holding `visitors` are neither booked (a
   * live booking overlapping the slot's time) nor closed on any of its dates: one statement for
   * the whole window, each probe answered by the gist indexes.
   */
  async freeCounts(
    facilityId: string,
    slots: readonly Slot[],
    visitors: number,
  ): Promise<Array<{ date: string; days: number; free: number }>> {
    if (slots.length === 0) return [];
    return this.q(freeRoomsSql('count(r.id)::int'), slotParams(facilityId, slots, visitors), {
      prepare: true,
    });
  }

  /** The free rooms (as `freeCounts` reckons them) for one slot, in the order they are offered. */
  async freeRoomIds(facilityId: string, slot: Slot, visitors: number): Promise<string[]> {
    const [row] = await this.q<{ free: string[] }>(
      freeRoomsSql(
        `coalesce(array_agg(r.id ORDER BY r.name, r.id) FILTER (WHERE r.id IS NOT NULL), '{}')`,
      ),
      slotParams(facilityId, [slot], visitors),
    );
    return row?.free ?? [];
  }

  /** Whether any active room of the facility holds this many visitors. */
  async anyHolding(facilityId: string, visitors: number): Promise<boolean> {
    const rows = await this.q(
      `SELECT 1 FROM visit_rooms WHERE facility_id = $1 AND active AND capacity >= $2 LIMIT 1`,
      [facilityId, visitors],
    );
    return rows.length > 0;
  }
}

function slotParams(facilityId: string, slots: readonly Slot[], visitors: number): unknown[] {
  return [
    facilityId,
    slots.map((s) => s.date),
    slots.map((s) => s.days),
    slots.map((s) => s.startsAt),
    slots.map((s) => s.endsAt),
    visitors,
  ];
}

function freeRoomsSql(free: string): string {
  return `SELECT s.d::text AS date, s.days, ${free} AS free
    FROM unnest($2::date[], $3::int[], $4::timestamptz[], $5::timestamptz[])
           AS s(d, days, starts_at, ends_at)
    LEFT JOIN visit_rooms r
      ON r.facility_id = $1 AND r.active AND r.capacity >= $6
     AND NOT EXISTS (
           SELECT 1 FROM long_visits v
            WHERE v.room_id = r.id AND v.status IN ('requested','approved')
              AND tstzrange(v.starts_at, v.ends_at) && tstzrange(s.starts_at, s.ends_at))
     AND NOT EXISTS (
           SELECT 1 FROM visit_room_closures c
            WHERE c.room_id = r.id
              AND daterange(c.from_date, c.to_date, '[]') && daterange(s.d, s.d + s.days - 1, '[]'))
   GROUP BY s.d, s.days
   ORDER BY s.d, s.days`;
}
